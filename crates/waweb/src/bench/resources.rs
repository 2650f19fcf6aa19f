//! CPU time and memory of a process, read from `/proc/<pid>/stat` and `/proc/<pid>/status`.
//!
//! The bench samples the server (a child process, or this process when the server runs inside
//! it) and itself before and after each measured window: the CPU seconds spent in between, divided
//! by the wall time, say how many cores each side used; `VmHWM` is the peak resident set.

use serde::Serialize;
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
    fn this_process_can_be_sampled() {
        let s = Pid::This.sample().expect("/proc/self is readable on Linux");
        assert!(s.rss_kib > 0 && s.peak_rss_kib >= s.rss_kib);
    }
}
