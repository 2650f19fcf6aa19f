//! `waweb bench`: a load generator for waweb servers, and the echo baseline it is compared with.
//!
//! * [`config`] — the command's options.
//! * [`target`] — the server under test (spawned child process or `--server`).
//! * [`admin`] — the admin API calls used for pairing.
//! * [`transport`], [`client`] — simulated clients: the sans-IO session over a websocket.
//! * [`pool`] — pairing N clients by QR.
//! * [`relay`], [`group`], [`requests`], [`storm`], [`pairing`], [`idle`], [`echo`], [`media`]
//!   — the workloads;
//!   [`run`](mod@run) runs them.
//! * [`load`], [`stats`] — measurement window, pacing, latency histograms.
//! * [`measure`] — the measured window every workload shares, turned into a report.
//! * [`resources`] — CPU and memory of the server and the bench from `/proc`.
//! * [`durability`] — after the relay run, acked messages must survive a SIGKILL.
//! * [`report`] — the table and the JSON.

pub mod admin;
pub mod client;
pub mod config;
pub mod durability;
pub mod echo;
pub mod group;
pub mod harness;
pub mod idle;
pub mod load;
pub mod measure;
pub mod media;
pub mod pairing;
pub mod pool;
pub mod relay;
pub mod report;
pub mod requests;
pub mod resources;
pub mod run;
pub mod slow_log;
pub mod stats;
pub mod storm;
pub mod target;
pub mod transport;

use config::{Args, Workload};
use report::{Machine, Report, WorkloadReport};

/// Runs the workload(s) the arguments ask for.
pub async fn run(args: &Args) -> anyhow::Result<Report> {
    let mut args = args.clone();
    if let Some(path) = &args.slow_log {
        let over = std::time::Duration::from_millis(args.slow_ms);
        args.slow_sink = Some(std::sync::Arc::new(slow_log::SlowLog::create(path, over)?));
    }
    let report = run_opened(&args).await;
    if let Some(log) = &args.slow_sink {
        log.flush()?;
    }
    report
}

async fn run_opened(args: &Args) -> anyhow::Result<Report> {
    let server = match &args.server {
        Some(url) => url.clone(),
        None if args.in_process => "in this process (resources include the bench)".to_string(),
        None => "spawned child process".to_string(),
    };
    let machine = Machine::current(server);
    let workloads = match args.workload {
        // Before `all`, which `half_peak` refuses: one workload at a time.
        w if args.half_peak => half_peak(args, w).await?,
        Workload::All => run_all(args).await,
        w => vec![run::workload(args, w).await?],
    };
    Ok(Report { machine, workloads })
}

/// `--half-peak`: the workload in closed loop, then in open loop at half the rate of its first
/// operation. Only the second run writes to `--slow-log` (in closed loop every operation waits
/// behind the others in flight, so its latencies say little).
async fn half_peak(args: &Args, w: Workload) -> anyhow::Result<Vec<WorkloadReport>> {
    if !w.paced() {
        let paced: Vec<&str> =
            Workload::EVERY.into_iter().filter(|w| w.paced()).map(Workload::name).collect();
        anyhow::bail!(
            "--half-peak needs a workload with an open-loop rate ({}), not {}",
            paced.join(", "),
            w.name()
        );
    }
    let peak = run::workload(&Args { slow_sink: None, ..args.clone() }, w).await?;
    let rate = half_of_peak(&peak).ok_or_else(|| {
        anyhow::anyhow!("the closed-loop run completed no operation: there is no peak to halve")
    })?;
    let mut half = run::workload(&Args { rate: Some(rate), ..args.clone() }, w).await?;
    half.notes.push(format!("open loop at half the closed-loop peak of {:.0}/s", rate * 2.0));
    Ok(vec![peak, half])
}

/// Half the rate of the report's first operation, the one its workload is named for.
fn half_of_peak(report: &WorkloadReport) -> Option<f64> {
    report.ops.first().map(|op| op.per_second / 2.0).filter(|rate| *rate > 0.0)
}

/// Every workload in turn; a failing one is reported and the others still run.
async fn run_all(args: &Args) -> Vec<WorkloadReport> {
    let mut out = Vec::new();
    for w in Workload::EVERY {
        match run::workload(args, w).await {
            Ok(r) => out.push(r),
            Err(e) => out.push(WorkloadReport {
                workload: w.name().to_string(),
                clients: args.client_count(),
                mode: "failed".to_string(),
                measured_seconds: 0.0,
                ops: Vec::new(),
                server: None,
                server_threads: Vec::new(),
                bench: None,
                notes: vec![format!("failed: {e:#}")],
            }),
        }
    }
    out
}
