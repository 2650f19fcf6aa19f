//! The bench's results: one section per workload, printed as a table or as JSON (`--json`).

use super::load::OpReport;
use super::resources::{ThreadUsage, Usage};
use serde::Serialize;
use std::fmt::Write;

/// Everything one `waweb bench` invocation measured.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// Where it ran.
    pub machine: Machine,
    /// One entry per workload, in the order they ran.
    pub workloads: Vec<WorkloadReport>,
}

/// The conditions of the run.
#[derive(Debug, Clone, Serialize)]
pub struct Machine {
    /// Logical CPUs.
    pub cpus: usize,
    /// The 1-minute load average when the bench started (other work on the machine).
    pub load_before: Option<f64>,
    /// The server measured: `spawned` (child process) or the URL given.
    pub server: String,
}

impl Machine {
    /// The current machine.
    pub fn current(server: String) -> Self {
        let cpus = std::thread::available_parallelism().map_or(1, |n| n.get());
        let load_before = std::fs::read_to_string("/proc/loadavg")
            .ok()
            .and_then(|s| s.split_whitespace().next().and_then(|l| l.parse().ok()));
        Machine { cpus, load_before, server }
    }
}

/// The results of one workload.
#[derive(Debug, Clone, Serialize)]
pub struct WorkloadReport {
    /// `relay`, `echo`, ...
    pub workload: String,
    /// Simulated clients.
    pub clients: usize,
    /// Closed or open loop, and its parameter.
    pub mode: String,
    /// Length of the measured window, in seconds.
    pub measured_seconds: f64,
    /// Per-operation counts, rates and latencies.
    pub ops: Vec<OpReport>,
    /// The server's CPU and memory over the window, when it could be observed.
    pub server: Option<Usage>,
    /// The server's CPU per thread name over the window, busiest first.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub server_threads: Vec<ThreadUsage>,
    /// The load generator's own CPU and memory.
    pub bench: Option<Usage>,
    /// Anything else worth knowing (set-up rates, checks, warnings).
    pub notes: Vec<String>,
}

impl Report {
    /// The JSON form.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
    }

    /// The human form: one table per workload.
    pub fn to_table(&self) -> String {
        let mut out = String::new();
        let m = &self.machine;
        let load = m.load_before.map_or("unknown".to_string(), |l| format!("{l:.2}"));
        let _ = writeln!(
            out,
            "machine: {} CPUs, load average {load} at start; server: {}",
            m.cpus, m.server
        );
        for w in &self.workloads {
            out.push('\n');
            write_workload(&mut out, w);
        }
        out
    }
}

fn write_workload(out: &mut String, w: &WorkloadReport) {
    let _ = writeln!(
        out,
        "{} — {} clients, {}, {:.1} s measured",
        w.workload, w.clients, w.mode, w.measured_seconds
    );
    let _ = writeln!(
        out,
        "  {:<12} {:>10} {:>11} {:>7} {:>9} {:>9} {:>9} {:>9}",
        "operation", "count", "per second", "errors", "p50 ms", "p99 ms", "p99.9 ms", "max ms"
    );
    for op in &w.ops {
        let lat = |f: fn(&super::stats::LatencySummary) -> f64| {
            op.latency
                .as_ref()
                .filter(|l| l.count > 0)
                .map_or("-".to_string(), |l| format!("{:.3}", f(l) / 1e3))
        };
        let _ = writeln!(
            out,
            "  {:<12} {:>10} {:>11.1} {:>7} {:>9} {:>9} {:>9} {:>9}",
            op.name,
            op.count,
            op.per_second,
            op.errors,
            lat(|l| l.p50_us),
            lat(|l| l.p99_us),
            lat(|l| l.p999_us),
            lat(|l| l.max_us),
        );
    }
    write_usage(out, "server", w.server.as_ref());
    if !w.server_threads.is_empty() {
        let threads: Vec<String> =
            w.server_threads.iter().map(|t| format!("{} {:.2}", t.name, t.cores)).collect();
        let _ = writeln!(out, "  server threads (cores): {}", threads.join(", "));
    }
    write_usage(out, "bench", w.bench.as_ref());
    for note in &w.notes {
        let _ = writeln!(out, "  note: {note}");
    }
}

/// One side's CPU and memory line, if it was observed.
fn write_usage(out: &mut String, who: &str, usage: Option<&Usage>) {
    if let Some(u) = usage {
        let _ = writeln!(
            out,
            "  {who}: {:.2} cores, RSS {:.1} MiB (peak {:.1} MiB)",
            u.cores, u.rss_mib, u.peak_rss_mib
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bench::stats::LatencySummary;

    fn sample() -> Report {
        let latency = LatencySummary {
            count: 1000,
            mean_us: 900.0,
            p50_us: 812.0,
            p90_us: 1_500.0,
            p99_us: 2_300.0,
            p999_us: 4_100.0,
            max_us: 12_000.0,
        };
        Report {
            machine: Machine { cpus: 2, load_before: Some(0.25), server: "spawned".into() },
            workloads: vec![WorkloadReport {
                workload: "relay".into(),
                clients: 100,
                mode: "closed loop, 4 in flight per client".into(),
                measured_seconds: 10.0,
                ops: vec![
                    OpReport {
                        name: "ack".into(),
                        count: 1000,
                        per_second: 100.0,
                        errors: 2,
                        latency: Some(latency),
                    },
                    OpReport {
                        name: "pairing".into(),
                        count: 100,
                        per_second: 50.0,
                        errors: 0,
                        latency: None,
                    },
                ],
                server: Some(Usage {
                    cores: 1.25,
                    cpu_seconds: 12.5,
                    rss_mib: 40.0,
                    peak_rss_mib: 48.5,
                }),
                server_threads: vec![
                    ThreadUsage { name: "tokio-rt-worker".into(), cores: 0.75 },
                    ThreadUsage { name: "waweb-store-wri".into(), cores: 0.5 },
                ],
                bench: None,
                notes: vec!["all acked messages are stored".into()],
            }],
        }
    }

    #[test]
    fn table_shows_rates_percentiles_in_ms_and_resources() {
        let t = sample().to_table();
        assert!(
            t.starts_with("machine: 2 CPUs, load average 0.25 at start; server: spawned\n"),
            "{t}"
        );
        assert!(
            t.contains("relay — 100 clients, closed loop, 4 in flight per client, 10.0 s measured"),
            "{t}"
        );
        let ack = t.lines().find(|l| l.trim_start().starts_with("ack")).unwrap();
        let cols: Vec<&str> = ack.split_whitespace().collect();
        assert_eq!(cols, ["ack", "1000", "100.0", "2", "0.812", "2.300", "4.100", "12.000"]);
        let pairing = t.lines().find(|l| l.trim_start().starts_with("pairing")).unwrap();
        assert!(pairing.ends_with("-         -         -         -"), "{pairing}");
        assert!(t.contains("  server: 1.25 cores, RSS 40.0 MiB (peak 48.5 MiB)\n"), "{t}");
        assert!(
            t.contains("  server threads (cores): tokio-rt-worker 0.75, waweb-store-wri 0.50\n"),
            "{t}"
        );
        assert!(t.contains("  note: all acked messages are stored\n"));
    }

    #[test]
    fn json_has_every_field() {
        let v: serde_json::Value = serde_json::from_str(&sample().to_json()).unwrap();
        assert_eq!(v["machine"]["cpus"], 2);
        let w = &v["workloads"][0];
        assert_eq!(w["workload"], "relay");
        assert_eq!(w["ops"][0]["per_second"], 100.0);
        assert_eq!(w["ops"][0]["latency"]["p999_us"], 4100.0);
        assert_eq!(w["ops"][1]["latency"], serde_json::Value::Null);
        assert_eq!(w["server"]["peak_rss_mib"], 48.5);
        assert_eq!(w["server_threads"][1]["name"], "waweb-store-wri");
        assert_eq!(w["server_threads"][1]["cores"], 0.5);
        assert_eq!(w["bench"], serde_json::Value::Null);
    }
}
