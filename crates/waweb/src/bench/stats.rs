//! Latency histograms and operation counters shared by every simulated client.
//!
//! Thousands of client tasks record into the same [`Histogram`]: an HDR histogram
//! (`hdrhistogram`) with two significant digits, that is 128 sub-buckets per power of two, which
//! keeps every reported percentile within 0.8% of the true value from 1 ns to about 18 minutes, in
//! 35 KiB. Recording takes a lock, so the histogram is split into a few shards, each thread
//! recording into its own (tokio's workers are few), merged when read. The mean and the maximum
//! are kept exactly beside the buckets.

use serde::Serialize;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

/// Two significant digits: the relative precision is 1/128.
const SIGFIG: u8 = 2;
/// Values from 2^40 ns (about 18 minutes) up are counted at 2^40; a percentile there reports
/// the true maximum instead.
const HIGHEST_NS: u64 = 1 << 40;
/// Shards per histogram: threads beyond this share one.
const SHARDS: usize = 4;

/// The shard the current thread records into: threads take the shards in turn.
fn shard_index() -> usize {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    thread_local! {
        static INDEX: usize = NEXT.fetch_add(1, Ordering::Relaxed) % SHARDS;
    }
    INDEX.with(|i| *i)
}

/// One shard's share: the buckets, and the exact sum and maximum of its values.
#[derive(Debug, Clone)]
struct Shard {
    buckets: hdrhistogram::Histogram<u64>,
    sum_ns: u64,
    max_ns: u64,
}

impl Default for Shard {
    fn default() -> Self {
        Shard {
            buckets: hdrhistogram::Histogram::new_with_bounds(1, HIGHEST_NS, SIGFIG)
                .expect("constant bounds are valid"),
            sum_ns: 0,
            max_ns: 0,
        }
    }
}

impl Shard {
    fn record(&mut self, ns: u64) {
        self.buckets.saturating_record(ns);
        self.sum_ns = self.sum_ns.saturating_add(ns);
        self.max_ns = self.max_ns.max(ns);
    }

    fn merge(&mut self, other: &Shard) {
        // Every shard has the same bounds and saturates at them, so adding cannot go out of range.
        self.buckets.add(&other.buckets).expect("shards share their bounds");
        self.sum_ns = self.sum_ns.saturating_add(other.sum_ns);
        self.max_ns = self.max_ns.max(other.max_ns);
    }

    /// The value below which a fraction `q` (0..=1) of the values fall: the top of its bucket,
    /// never above the true maximum.
    fn quantile(&self, q: f64) -> Duration {
        if self.buckets.is_empty() {
            return Duration::ZERO;
        }
        // hdrhistogram takes the rank of the q-th value as ceil(q * count), at least 1: p50 of
        // two values is the first one.
        let high = self.buckets.value_at_quantile(q.clamp(f64::MIN_POSITIVE, 1.0));
        // The saturated bucket also holds everything beyond its range: its true top is the max.
        let high = if high >= HIGHEST_NS { self.max_ns } else { high.min(self.max_ns) };
        Duration::from_nanos(high)
    }
}

/// A concurrent latency histogram in nanoseconds.
#[derive(Debug)]
pub struct Histogram {
    shards: Box<[Mutex<Shard>]>,
}

impl Default for Histogram {
    fn default() -> Self {
        Histogram { shards: (0..SHARDS).map(|_| Mutex::default()).collect() }
    }
}

impl Histogram {
    /// Records one latency.
    pub fn record(&self, d: Duration) {
        let ns = u64::try_from(d.as_nanos()).unwrap_or(u64::MAX);
        // A panic elsewhere while a shard was locked leaves valid counts: keep using them.
        let mut shard = self.shards[shard_index()].lock().unwrap_or_else(PoisonError::into_inner);
        shard.record(ns);
    }

    /// How many values were recorded.
    pub fn count(&self) -> u64 {
        let shards = self.shards.iter().map(|s| s.lock().unwrap_or_else(PoisonError::into_inner));
        shards.map(|s| s.buckets.len()).sum()
    }

    /// All shards in one.
    fn merged(&self) -> Shard {
        let mut all = Shard::default();
        for shard in self.shards.iter() {
            all.merge(&shard.lock().unwrap_or_else(PoisonError::into_inner));
        }
        all
    }

    /// The value below which a fraction `q` (0..=1) of the recorded values fall (the reports
    /// take them all at once, from [`Histogram::summary`]).
    #[cfg(test)]
    fn quantile(&self, q: f64) -> Duration {
        self.merged().quantile(q)
    }

    /// The usual summary: mean, p50, p90, p99, p99.9, max.
    pub fn summary(&self) -> LatencySummary {
        let all = self.merged();
        let count = all.buckets.len();
        let mean = if count == 0 { 0.0 } else { all.sum_ns as f64 / count as f64 };
        LatencySummary {
            count,
            mean_us: mean / 1e3,
            p50_us: us(all.quantile(0.50)),
            p90_us: us(all.quantile(0.90)),
            p99_us: us(all.quantile(0.99)),
            p999_us: us(all.quantile(0.999)),
            max_us: us(Duration::from_nanos(all.max_ns)),
        }
    }
}

fn us(d: Duration) -> f64 {
    d.as_nanos() as f64 / 1e3
}

/// Latency percentiles in microseconds, as reported.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct LatencySummary {
    /// Number of samples.
    pub count: u64,
    /// Arithmetic mean.
    pub mean_us: f64,
    /// Median.
    pub p50_us: f64,
    /// 90th percentile.
    pub p90_us: f64,
    /// 99th percentile.
    pub p99_us: f64,
    /// 99.9th percentile.
    pub p999_us: f64,
    /// Largest sample.
    pub max_us: f64,
}

/// A counter of completed operations.
#[derive(Debug, Default)]
pub struct Counter(AtomicU64);

impl Counter {
    /// Adds `n`.
    pub fn add(&self, n: u64) {
        self.0.fetch_add(n, Ordering::Relaxed);
    }

    /// The current value.
    pub fn get(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }
}

/// Operations per second over `elapsed` (0 when nothing elapsed).
pub fn rate(count: u64, elapsed: Duration) -> f64 {
    let s = elapsed.as_secs_f64();
    if s > 0.0 {
        count as f64 / s
    } else {
        0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_below_256_ns_are_exact() {
        let h = Histogram::default();
        for ns in 0..256 {
            h.record(Duration::from_nanos(ns));
        }
        for ns in 0..256u64 {
            let q = (ns + 1) as f64 / 256.0;
            assert_eq!(h.quantile(q), Duration::from_nanos(ns), "q {q}");
        }
    }

    #[test]
    fn relative_error_is_below_one_percent() {
        for v in [300u64, 1_000, 12_345, 999_999, 10_000_000, 123_456_789_000] {
            // A larger value after it, so that p50 reports v's bucket and not the true max.
            let h = Histogram::default();
            h.record(Duration::from_nanos(v));
            h.record(Duration::from_nanos(v * 4));
            let hi = h.quantile(0.5).as_nanos() as u64;
            assert!(hi >= v, "{v} -> {hi}");
            assert!((hi - v) as f64 / v as f64 <= 1.0 / 128.0, "{v} -> {hi}");
        }
    }

    #[test]
    fn memory_is_bounded_whatever_is_recorded() {
        let h = Histogram::default();
        // The largest shard: the merged histogram is built afresh, so it says nothing.
        let buckets = || {
            let shards = h.shards.iter().map(|s| s.lock().unwrap());
            shards.map(|s| s.buckets.distinct_values()).max().unwrap_or(0)
        };
        let before = buckets();
        assert!(before * 8 <= 36 * 1024, "{before} buckets");
        for shift in 0..64 {
            h.record(Duration::from_nanos(1u64 << shift));
        }
        h.record(Duration::MAX);
        assert_eq!(buckets(), before);
    }

    #[test]
    fn threads_recording_at_once_are_all_counted() {
        let h = Histogram::default();
        std::thread::scope(|s| {
            for t in 1..=6u64 {
                let h = &h;
                s.spawn(move || {
                    for _ in 0..1_000 {
                        h.record(Duration::from_micros(t));
                    }
                });
            }
        });
        let s = h.summary();
        assert_eq!((s.count, h.count()), (6_000, 6_000));
        assert_eq!(s.mean_us, 3.5);
        assert_eq!(s.max_us, 6.0);
        assert!((3.0..3.0 * (1.0 + 1.0 / 128.0)).contains(&s.p50_us), "p50 {}", s.p50_us);
    }

    #[test]
    fn huge_values_saturate_in_the_last_bucket() {
        let h = Histogram::default();
        h.record(Duration::from_secs(3600));
        assert_eq!(h.count(), 1);
        assert_eq!(h.quantile(1.0), Duration::from_secs(3600), "clamped to the true max");
    }

    #[test]
    fn percentiles_of_a_uniform_run() {
        let h = Histogram::default();
        for us in 1..=10_000u64 {
            h.record(Duration::from_micros(us));
        }
        let s = h.summary();
        assert_eq!(s.count, 10_000);
        let close = |got: f64, want: f64| (got - want).abs() / want < 0.01;
        assert!(close(s.p50_us, 5_000.0), "p50 {}", s.p50_us);
        assert!(close(s.p99_us, 9_900.0), "p99 {}", s.p99_us);
        assert!(close(s.p999_us, 9_990.0), "p999 {}", s.p999_us);
        assert_eq!(s.max_us, 10_000.0);
        assert!(close(s.mean_us, 5_000.5), "mean {}", s.mean_us);
    }

    #[test]
    fn small_samples_pick_the_right_rank() {
        let h = Histogram::default();
        h.record(Duration::from_nanos(10));
        h.record(Duration::from_nanos(200));
        assert_eq!(h.quantile(0.5), Duration::from_nanos(10));
        assert_eq!(h.quantile(0.51), Duration::from_nanos(200));
        assert_eq!(Histogram::default().quantile(0.5), Duration::ZERO);
    }

    #[test]
    fn rate_is_per_second() {
        assert_eq!(rate(500, Duration::from_millis(250)), 2_000.0);
        assert_eq!(rate(5, Duration::ZERO), 0.0);
        let c = Counter::default();
        c.add(3);
        c.add(4);
        assert_eq!(c.get(), 7);
    }
}
