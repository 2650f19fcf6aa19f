//! The measuring window every workload shares: resource samples, progress bar, the client tasks
//! joined into a report; and the closed-loop worker pattern of `storm` and `pair`.

use super::config::{Args, Workload};
use super::harness::{self, Usages};
use super::load::{Op, Pacer, Window};
use super::report::WorkloadReport;
use super::target::Target;
use std::future::Future;
use std::sync::Arc;
use tokio::task::JoinSet;

/// The report of workload `w` before its operations and notes are added.
fn report(args: &Args, w: Workload, window: &Window, usages: Usages) -> WorkloadReport {
    WorkloadReport {
        workload: w.name().to_string(),
        clients: args.client_count(),
        mode: Pacer::describe(args.window, args.rate),
        measured_seconds: window.measured().as_secs_f64(),
        ops: Vec::new(),
        server: usages.server,
        server_threads: usages.server_threads,
        bench: usages.bench,
        notes: Vec::new(),
    }
}

/// What the measured window produced: the report (without its operations), the client tasks'
/// results, and the note for failed tasks (added last, after the workload's own notes).
pub struct Measured<T> {
    /// The report, without its operations.
    pub report: WorkloadReport,
    /// What the client tasks returned.
    pub done: Vec<T>,
    /// The note for failed tasks, if any.
    pub failure: Option<String>,
}

/// The part every workload shares: the resource samples over `window`, a progress bar on `shown`
/// (if any), and the client `tasks` joined.
pub async fn measure<T: 'static>(
    args: &Args,
    w: Workload,
    target: &Target,
    window: Window,
    shown: Option<Arc<Op>>,
    tasks: JoinSet<anyhow::Result<T>>,
) -> anyhow::Result<Measured<T>> {
    let usages = harness::sample_window(window, target.pid);
    let bar = shown.map(|op| harness::progress(window, op, w.name(), args.quiet || args.json));
    let (done, failed, first) = harness::join_all(tasks).await;
    let report = report(args, w, &window, usages.await?);
    if let Some(bar) = bar {
        let _ = bar.await;
    }
    Ok(Measured { report, done, failure: harness::failure_note(failed, first) })
}

/// The closed-loop worker pattern of `storm` and `pair`: `items` dealt to `--concurrency`
/// workers made by `worker`, all counting into one operation named `op`, measured over a fresh
/// window; then the target stops. Returns the report (with that operation and any failure
/// note) and how many workers ran.
pub async fn run_workers<T, W, F>(
    args: &Args,
    w: Workload,
    mut target: Target,
    op: &'static str,
    items: Vec<T>,
    worker: W,
) -> anyhow::Result<(WorkloadReport, usize)>
where
    W: Fn(Vec<T>, Window, Arc<Op>) -> F,
    F: Future<Output = anyhow::Result<()>> + Send + 'static,
{
    let window = Window::starting_now(args.warmup, args.duration);
    let op = args.op(op);
    let mut tasks = JoinSet::new();
    let hands = harness::deal(items, args.concurrency);
    let workers = hands.len();
    for hand in hands {
        tasks.spawn(worker(hand, window, op.clone()));
    }
    let m = measure(args, w, &target, window, Some(op.clone()), tasks).await?;
    target.kill().await;
    let mut r = m.report;
    r.ops.push(op.report(&window));
    r.notes.extend(m.failure);
    Ok((r, workers))
}
