//! What every workload shares: the measurement window, named operations with their latency
//! histogram, and the pacer that decides when a client sends (closed or open loop).

use super::slow_log::SlowLog;
use super::stats::{rate, Counter, Histogram, LatencySummary};
use serde::Serialize;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The time line of one workload run: warm-up, then the measured window.
#[derive(Debug, Clone, Copy)]
pub struct Window {
    /// Origin of the timestamps clients put in their payloads.
    pub base: Instant,
    /// Completions from here on count.
    pub measure_from: Instant,
    /// Clients stop sending here; completions after it do not count.
    pub end: Instant,
}

impl Window {
    /// A window that starts measuring after `warmup` and lasts `duration`.
    pub fn starting_now(warmup: Duration, duration: Duration) -> Self {
        let base = Instant::now();
        Window { base, measure_from: base + warmup, end: base + warmup + duration }
    }

    /// Whether a completion at `t` counts.
    pub fn counts(&self, t: Instant) -> bool {
        t >= self.measure_from && t < self.end
    }

    /// The measured span.
    pub fn measured(&self) -> Duration {
        self.end.saturating_duration_since(self.measure_from)
    }

    /// `t` as nanoseconds since `base` (what goes into payloads).
    pub fn stamp(&self, t: Instant) -> u64 {
        u64::try_from(t.saturating_duration_since(self.base).as_nanos()).unwrap_or(u64::MAX)
    }

    /// The instant a payload stamp stands for.
    pub fn unstamp(&self, ns: u64) -> Instant {
        self.base + Duration::from_nanos(ns)
    }
}

/// One kind of operation: how many completed inside the window, and how long each took.
#[derive(Debug)]
pub struct Op {
    /// Its name in the report (`ack`, `delivery`, `rtt`, `handshake`...).
    pub name: &'static str,
    count: Counter,
    latency: Histogram,
    errors: Counter,
    slow: Option<Arc<SlowLog>>,
}

impl Op {
    /// A new operation.
    pub fn new(name: &'static str) -> Self {
        Op {
            name,
            count: Counter::default(),
            latency: Histogram::default(),
            errors: Counter::default(),
            slow: None,
        }
    }

    /// The same, also writing its slow completions to `slow` (`--slow-log`), if any.
    pub fn logged(name: &'static str, slow: Option<Arc<SlowLog>>) -> Self {
        Op { slow, ..Op::new(name) }
    }

    /// Records a completion at `done` of an operation started (or due) at `started`, if it falls
    /// inside the window.
    pub fn complete(&self, window: &Window, started: Instant, done: Instant) {
        if window.counts(done) {
            let latency = done.saturating_duration_since(started);
            self.count.add(1);
            self.latency.record(latency);
            if let Some(slow) = &self.slow {
                slow.note(self.name, latency);
            }
        }
    }

    /// Records a failed operation (always counted).
    pub fn fail(&self) {
        self.errors.add(1);
    }

    /// Completions so far (for the progress bar).
    pub fn completed(&self) -> u64 {
        self.count.get()
    }

    /// The report line.
    pub fn report(&self, window: &Window) -> OpReport {
        OpReport {
            name: self.name.to_string(),
            count: self.count.get(),
            per_second: rate(self.count.get(), window.measured()),
            errors: self.errors.get(),
            latency: Some(self.latency.summary()),
        }
    }
}

/// One operation's results.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OpReport {
    /// The operation.
    pub name: String,
    /// Completions inside the window.
    pub count: u64,
    /// Completions per second.
    pub per_second: f64,
    /// Failures (error answers, timeouts).
    pub errors: u64,
    /// Latency percentiles, when latency means something for this operation.
    pub latency: Option<LatencySummary>,
}

/// Decides when a client sends its next operation.
#[derive(Debug, Clone)]
pub struct Pacer {
    window: usize,
    interval: Option<Duration>,
    next: Instant,
}

/// In open loop, a client stops adding work past this many operations in flight (the server is
/// overloaded; the latencies already say so).
const OPEN_LOOP_CAP: usize = 10_000;

impl Pacer {
    /// Closed loop with `window` in flight, or open loop at `per_second` (starting at a random
    /// phase `offset` so clients do not fire in lockstep).
    pub fn new(window: usize, per_second: Option<f64>, start: Instant, offset: f64) -> Self {
        let interval = per_second.map(|r| Duration::from_secs_f64(1.0 / r));
        let next = start + interval.map_or(Duration::ZERO, |i| i.mul_f64(offset.clamp(0.0, 1.0)));
        Pacer { window: window.max(1), interval, next }
    }

    /// If an operation is due now with `in_flight` outstanding, the instant it was due (the
    /// latency origin: in open loop a late send still counts from its scheduled time).
    pub fn due(&mut self, now: Instant, in_flight: usize) -> Option<Instant> {
        match self.interval {
            None => (in_flight < self.window).then_some(now),
            Some(i) => {
                if now < self.next || in_flight >= OPEN_LOOP_CAP {
                    return None;
                }
                let at = self.next;
                self.next += i;
                Some(at)
            }
        }
    }

    /// When to wake up for the next scheduled send (open loop only).
    pub fn wakeup(&self) -> Option<Instant> {
        self.interval.map(|_| self.next)
    }

    /// A description for the report.
    pub fn describe(window: usize, per_second_total: Option<f64>) -> String {
        match per_second_total {
            Some(r) => format!("open loop, {r:.0} ops/s target"),
            None => format!("closed loop, {window} in flight per client"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_completions_inside_the_window_count() {
        let w = Window::starting_now(Duration::from_secs(1), Duration::from_secs(2));
        let op = Op::new("ack");
        op.complete(&w, w.base, w.base + Duration::from_millis(500)); // warm-up
        op.complete(&w, w.base, w.base + Duration::from_millis(1500));
        op.complete(&w, w.base + Duration::from_millis(2000), w.base + Duration::from_millis(2003));
        op.complete(&w, w.base, w.base + Duration::from_secs(3)); // after the end
        op.fail();
        let r = op.report(&w);
        assert_eq!((r.count, r.errors, r.per_second), (2, 1, 1.0));
        let lat = r.latency.unwrap();
        assert!((lat.p50_us - 3_000.0).abs() < 30.0, "{lat:?}");
        assert!((lat.max_us - 1_500_000.0).abs() < 1.0, "{lat:?}");
    }

    #[test]
    fn stamps_round_trip() {
        let w = Window::starting_now(Duration::ZERO, Duration::from_secs(1));
        let t = w.base + Duration::from_micros(1234);
        assert_eq!(w.stamp(t), 1_234_000);
        assert_eq!(w.unstamp(w.stamp(t)), t);
    }

    #[test]
    fn closed_loop_keeps_the_window_full() {
        let now = Instant::now();
        let mut p = Pacer::new(3, None, now, 0.0);
        assert_eq!(p.due(now, 2), Some(now));
        assert_eq!(p.due(now, 3), None);
        assert_eq!(p.wakeup(), None);
    }

    #[test]
    fn open_loop_follows_the_schedule_even_when_late() {
        let start = Instant::now();
        let mut p = Pacer::new(1, Some(100.0), start, 0.5); // every 10 ms, first at 5 ms
        assert_eq!(p.due(start, 0), None);
        assert_eq!(p.wakeup(), Some(start + Duration::from_millis(5)));
        let late = start + Duration::from_millis(26);
        let due: Vec<_> = std::iter::from_fn(|| p.due(late, 50)).collect();
        let ms: Vec<u128> = due.iter().map(|t| (*t - start).as_millis()).collect();
        assert_eq!(ms, vec![5, 15, 25], "every missed slot is sent, stamped with its slot");
        assert_eq!(p.due(late, OPEN_LOOP_CAP), None);
    }
}
