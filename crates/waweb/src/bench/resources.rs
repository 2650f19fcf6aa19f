//! CPU time and memory of a process, read from `/proc/<pid>/stat` and `/proc/<pid>/status`.
//!
//! The bench samples the server (a child process, or this process when the server runs inside
//! it) and itself before and after each measured window: the CPU seconds spent in between, divided
//! by the wall time, say how many cores each side used; `VmHWM` is the peak resident set. The
//! server's threads are also read one by one (`/proc/<pid>/task/*`) and grouped by name, which
//! says where its CPU went: the async runtime's workers, the store's writer, and so on.

use serde::Serialize;
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

/// Kernel clock ticks per second for `/proc/<pid>/stat` times. Linux fixes `USER_HZ` at 100 on
/// every architecture the bench runs on.
const TICKS_PER_SECOND: f64 = 100.0;

/// One reading of a process.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sample {
    /// When it was taken.
    pub at: Instant,
    /// User + system CPU time so far, in seconds.
    pub cpu_seconds: f64,
    /// Resident set size now, in KiB.
    pub rss_kib: u64,
    /// Peak resident set size so far (`VmHWM`), in KiB.
    pub peak_rss_kib: u64,
}

/// What a process used between two samples.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Usage {
    /// CPU seconds used per wall second (1.0 = one core busy).
    pub cores: f64,
    /// CPU seconds used.
    pub cpu_seconds: f64,
    /// Resident set at the end, in MiB.
    pub rss_mib: f64,
    /// Peak resident set at the end, in MiB.
    pub peak_rss_mib: f64,
}

/// The CPU used by the threads of one name (the kernel keeps the first 15 bytes of a name).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ThreadUsage {
    /// The thread name, e.g. `tokio-rt-worker` (all the runtime's workers together).
    pub name: String,
    /// CPU seconds used per wall second.
    pub cores: f64,
}

/// CPU ticks used so far by the live threads of a process, summed per thread name.
pub type ThreadTicks = BTreeMap<String, u64>;

/// Which process to watch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pid {
    /// The bench itself.
    This,
    /// Another process (the spawned server).
    Other(u32),
}

impl Pid {
    fn dir(self) -> String {
        match self {
            Pid::This => "/proc/self".to_string(),
            Pid::Other(p) => format!("/proc/{p}"),
        }
    }

    /// Reads the process's CPU time and memory now; `None` when `/proc` is not readable (not
    /// Linux, or the process is gone).
    pub fn sample(self) -> Option<Sample> {
        let dir = self.dir();
        let stat = std::fs::read_to_string(format!("{dir}/stat")).ok()?;
        let status = std::fs::read_to_string(format!("{dir}/status")).ok()?;
        Some(Sample {
            at: Instant::now(),
            cpu_seconds: cpu_ticks(&stat)? as f64 / TICKS_PER_SECOND,
            rss_kib: status_kib(&status, "VmRSS")?,
            peak_rss_kib: status_kib(&status, "VmHWM")?,
        })
    }

    /// Reads the CPU time of each of the process's threads now, summed per name; `None` when
    /// `/proc` is not readable. A thread that ends between the listing and its reads is skipped.
    pub fn thread_ticks(self) -> Option<ThreadTicks> {
        let mut by_name = ThreadTicks::new();
        for task in std::fs::read_dir(format!("{}/task", self.dir())).ok()?.flatten() {
            let path = task.path();
            let name = std::fs::read_to_string(path.join("comm"));
            let stat = std::fs::read_to_string(path.join("stat"));
            let (Ok(name), Ok(stat)) = (name, stat) else { continue };
            let Some(ticks) = cpu_ticks(&stat) else { continue };
            *by_name.entry(name.trim_end().to_string()).or_insert(0) += ticks;
        }
        Some(by_name)
    }
}

/// Cores per thread name between two readings `wall` apart, busiest first. Names under 0.005
/// cores are left out; so is the time of threads that ended during the window.
pub fn thread_usage(before: &ThreadTicks, after: &ThreadTicks, wall: Duration) -> Vec<ThreadUsage> {
    let seconds = wall.as_secs_f64();
    if seconds <= 0.0 {
        return Vec::new();
    }
    let mut usage: Vec<ThreadUsage> = after
        .iter()
        .filter_map(|(name, &ticks)| {
            let used = ticks.saturating_sub(before.get(name).copied().unwrap_or(0));
            let cores = used as f64 / TICKS_PER_SECOND / seconds;
            (cores >= 0.005).then(|| ThreadUsage { name: name.clone(), cores })
        })
        .collect();
    usage.sort_by(|a, b| b.cores.total_cmp(&a.cores).then_with(|| a.name.cmp(&b.name)));
    usage
}

/// The usage between `before` and `after`.
pub fn usage(before: &Sample, after: &Sample) -> Usage {
    let wall = after.at.saturating_duration_since(before.at);
    let cpu = (after.cpu_seconds - before.cpu_seconds).max(0.0);
    Usage {
        cores: if wall > Duration::ZERO { cpu / wall.as_secs_f64() } else { 0.0 },
        cpu_seconds: cpu,
        rss_mib: after.rss_kib as f64 / 1024.0,
        peak_rss_mib: after.peak_rss_kib as f64 / 1024.0,
    }
}

/// `utime + stime` from the text of `/proc/<pid>/stat`. The command name (field 2) may contain
/// spaces and parentheses, so fields are counted after its last `)`.
pub fn cpu_ticks(stat: &str) -> Option<u64> {
    let rest = &stat[stat.rfind(')')? + 1..];
    let mut fields = rest.split_whitespace();
    // After the name come state (3), ppid (4) … utime is field 14, stime field 15.
    let utime: u64 = fields.nth(11)?.parse().ok()?;
    let stime: u64 = fields.next()?.parse().ok()?;
    Some(utime + stime)
}

/// A `Key:   1234 kB` line of `/proc/<pid>/status`, in KiB.
pub fn status_kib(status: &str, key: &str) -> Option<u64> {
    status.lines().find_map(|line| {
        let value = line.strip_prefix(key)?.strip_prefix(':')?;
        value.split_whitespace().next()?.parse().ok()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cpu_ticks_survive_odd_command_names() {
        let stat = "4242 (we ird) name)) S 1 4242 4242 0 -1 4194560 1000 0 0 0 250 75 0 0 20 0 \
                    9 0 12345 1000000 500 18446744073709551615";
        assert_eq!(cpu_ticks(stat), Some(325));
        assert_eq!(cpu_ticks("12 (x) S 1 2"), None, "truncated line");
        assert_eq!(cpu_ticks("no parenthesis"), None);
    }

    #[test]
    fn status_lines_are_read_in_kib() {
        let status = "Name:\twaweb\nVmPeak:\t  900 kB\nVmHWM:\t   51200 kB\nVmRSS:\t   40960 kB\n";
        assert_eq!(status_kib(status, "VmHWM"), Some(51_200));
        assert_eq!(status_kib(status, "VmRSS"), Some(40_960));
        assert_eq!(status_kib(status, "VmSwap"), None);
        assert_eq!(status_kib("VmRSSx: 5 kB", "VmRSS"), None, "prefix of another key");
    }

    #[test]
    fn usage_divides_cpu_by_wall_time() {
        let t0 = Instant::now();
        let a = Sample { at: t0, cpu_seconds: 1.0, rss_kib: 1024, peak_rss_kib: 2048 };
        let b = Sample {
            at: t0 + Duration::from_secs(2),
            cpu_seconds: 4.0,
            rss_kib: 3072,
            peak_rss_kib: 4096,
        };
        let u = usage(&a, &b);
        assert_eq!(u.cores, 1.5);
        assert_eq!(u.cpu_seconds, 3.0);
        assert_eq!((u.rss_mib, u.peak_rss_mib), (3.0, 4.0));
    }

    #[test]
    fn thread_usage_is_per_name_busiest_first() {
        let ticks = |pairs: &[(&str, u64)]| -> ThreadTicks {
            pairs.iter().map(|&(n, t)| (n.to_string(), t)).collect()
        };
        let before = ticks(&[("writer", 100), ("worker", 50), ("idle", 7), ("gone", 40)]);
        let after = ticks(&[("writer", 300), ("worker", 450), ("idle", 7), ("new", 20)]);
        let usage = thread_usage(&before, &after, Duration::from_secs(4));
        let got: Vec<(&str, f64)> = usage.iter().map(|u| (u.name.as_str(), u.cores)).collect();
        assert_eq!(got, [("worker", 1.0), ("writer", 0.5), ("new", 0.05)]);
        assert!(thread_usage(&before, &after, Duration::ZERO).is_empty());
    }

    #[test]
    fn this_process_threads_can_be_read() {
        let (spun, spun_rx) = std::sync::mpsc::channel();
        let (stop, stop_rx) = std::sync::mpsc::channel::<()>();
        let spinner = std::thread::Builder::new()
            .name("bench-test-spin".into())
            .spawn(move || {
                let start = Instant::now();
                while start.elapsed() < Duration::from_millis(300) {
                    std::hint::spin_loop();
                }
                spun.send(()).unwrap();
                // Stay alive until read: an ended thread leaves the task list.
                let _ = stop_rx.recv();
            })
            .unwrap();
        spun_rx.recv().unwrap();
        let threads = Pid::This.thread_ticks().expect("/proc/self/task is readable on Linux");
        stop.send(()).unwrap();
        spinner.join().unwrap();
        let ticks = threads.get("bench-test-spin").copied();
        assert!(ticks.is_some_and(|t| t >= 1), "spinning thread: {ticks:?} in {threads:?}");
    }

    #[test]
    fn this_process_can_be_sampled() {
        let s = Pid::This.sample().expect("/proc/self is readable on Linux");
        assert!(s.rss_kib > 0 && s.peak_rss_kib >= s.rss_kib);
    }
}
