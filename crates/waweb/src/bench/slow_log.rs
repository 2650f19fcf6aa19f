//! The slow-operation log (`--slow-log FILE`): one line per operation that took longer than
//! `--slow-ms`, with the wall-clock time it completed, so that a latency tail can be set against
//! what the server logged at the same moments (its WAL rewinds and slow syncs, at `debug` level).
//!
//! Each line is `<completed, µs since the Unix epoch> <latency µs> <operation>`.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;
use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use anyhow::Context;

/// Where slow operations are written; shared by every operation of a run.
#[derive(Debug)]
pub struct SlowLog {
    over: Duration,
    out: Mutex<BufWriter<File>>,
}

impl SlowLog {
    /// Creates (truncating) `path` for operations slower than `over`.
    pub fn create(path: &Path, over: Duration) -> anyhow::Result<Self> {
        let file = File::create(path)
            .with_context(|| format!("cannot create the slow-operation log {}", path.display()))?;
        Ok(SlowLog { over, out: Mutex::new(BufWriter::new(file)) })
    }

    /// Notes `op` if its `latency` is over the threshold.
    pub fn note(&self, op: &str, latency: Duration) {
        if latency <= self.over {
            return;
        }
        let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default();
        let mut out = self.out.lock().unwrap_or_else(|e| e.into_inner());
        // A full disk must not stop the measurement; the file is only an aid.
        let _ = writeln!(out, "{} {} {op}", now.as_micros(), latency.as_micros());
    }

    /// Writes out what is buffered.
    pub fn flush(&self) -> anyhow::Result<()> {
        let mut out = self.out.lock().unwrap_or_else(|e| e.into_inner());
        out.flush().context("cannot write the slow-operation log")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_operations_over_the_threshold_are_written() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("slow.txt");
        let log = SlowLog::create(&path, Duration::from_millis(10)).unwrap();
        let before = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_micros();
        log.note("ack", Duration::from_millis(9));
        log.note("ack", Duration::from_millis(10));
        log.note("delivery", Duration::from_micros(25_300));
        log.flush().unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        let lines: Vec<Vec<&str>> = text.lines().map(|l| l.split(' ').collect()).collect();
        assert_eq!(lines.len(), 1, "{text}");
        let at: u128 = lines[0][0].parse().unwrap();
        assert!(at >= before, "{text}");
        assert_eq!(&lines[0][1..], ["25300", "delivery"]);
    }
}
