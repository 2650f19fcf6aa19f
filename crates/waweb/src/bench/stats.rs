//! Latency histograms and operation counters shared by every simulated client.
//!
//! Thousands of client tasks record into the same [`Histogram`], so it is lock-free: one atomic
//! counter per bucket. Buckets are log-linear (128 per power of two), which keeps every reported
//! percentile within 0.8% of the true value from 1 ns to about 18 minutes, in 34 KiB.

use serde::Serialize;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// Sub-buckets per power of two: the relative precision is 1/SUB.
const SUB_BITS: u32 = 7;
const SUB: u64 = 1 << SUB_BITS;
/// Enough buckets for values below 2^40 ns (about 18 minutes); larger values land in the last one.
const BUCKETS: usize = ((40 - SUB_BITS as usize) + 1) * SUB as usize;

/// The bucket holding `v`: exact below 256, then 128 buckets per power of two.
fn bucket_of(v: u64) -> usize {
    if v < 2 * SUB {
        return v as usize;
    }
    let exp = 63 - v.leading_zeros(); // >= SUB_BITS + 1
    let shift = exp - SUB_BITS;
    let mantissa = v >> shift; // in [SUB, 2 * SUB)
    let index = (shift as u64) * SUB + mantissa;
    (index as usize).min(BUCKETS - 1)
}

/// The largest value that falls into bucket `i` (what a percentile reports).
fn bucket_high(i: usize) -> u64 {
    let i = i as u64;
    if i < 2 * SUB {
        return i;
    }
    let shift = i / SUB - 1;
    let mantissa = i % SUB + SUB;
    ((mantissa + 1) << shift) - 1
}

/// A concurrent latency histogram in nanoseconds.
#[derive(Debug)]
pub struct Histogram {
    counts: Box<[AtomicU64]>,
    total: AtomicU64,
    sum_ns: AtomicU64,
    max_ns: AtomicU64,
}

impl Default for Histogram {
    fn default() -> Self {
        Histogram {
            counts: (0..BUCKETS).map(|_| AtomicU64::new(0)).collect(),
            total: AtomicU64::new(0),
            sum_ns: AtomicU64::new(0),
            max_ns: AtomicU64::new(0),
        }
    }
}

impl Histogram {
    /// Records one latency.
    pub fn record(&self, d: Duration) {
        let ns = u64::try_from(d.as_nanos()).unwrap_or(u64::MAX);
        self.counts[bucket_of(ns)].fetch_add(1, Ordering::Relaxed);
        self.total.fetch_add(1, Ordering::Relaxed);
        self.sum_ns.fetch_add(ns, Ordering::Relaxed);
        self.max_ns.fetch_max(ns, Ordering::Relaxed);
    }

    /// How many values were recorded.
    pub fn count(&self) -> u64 {
        self.total.load(Ordering::Relaxed)
    }

    /// The value below which a fraction `q` (0..=1) of the recorded values fall.
    pub fn quantile(&self, q: f64) -> Duration {
        let total = self.count();
        if total == 0 {
            return Duration::ZERO;
        }
        // The rank of the q-th value, 1-based: p50 of 2 values is the first one.
        let rank = ((q.clamp(0.0, 1.0) * total as f64).ceil() as u64).max(1);
        let mut seen = 0;
        for (i, c) in self.counts.iter().enumerate() {
            seen += c.load(Ordering::Relaxed);
            if seen >= rank {
                let max = self.max_ns.load(Ordering::Relaxed);
                // The last bucket also holds everything beyond its range: its true top is the max.
                let high = if i == BUCKETS - 1 { max } else { bucket_high(i).min(max) };
                return Duration::from_nanos(high);
            }
        }
        Duration::from_nanos(self.max_ns.load(Ordering::Relaxed))
    }

    /// The usual summary: mean, p50, p90, p99, p99.9, max.
    pub fn summary(&self) -> LatencySummary {
        let count = self.count();
        let mean = if count == 0 {
            0.0
        } else {
            self.sum_ns.load(Ordering::Relaxed) as f64 / count as f64
        };
        LatencySummary {
            count,
            mean_us: mean / 1e3,
            p50_us: us(self.quantile(0.50)),
            p90_us: us(self.quantile(0.90)),
            p99_us: us(self.quantile(0.99)),
            p999_us: us(self.quantile(0.999)),
            max_us: us(Duration::from_nanos(self.max_ns.load(Ordering::Relaxed))),
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
    fn buckets_are_exact_below_256_and_contiguous_above() {
        for v in 0..256 {
            assert_eq!(bucket_of(v), v as usize);
            assert_eq!(bucket_high(v as usize), v);
        }
        // Every bucket's highest value maps back to it, and the next value to the next bucket.
        for i in 200..BUCKETS - 1 {
            let hi = bucket_high(i);
            assert_eq!(bucket_of(hi), i, "high end of bucket {i}");
            assert_eq!(bucket_of(hi + 1), i + 1, "value after bucket {i}");
        }
    }

    #[test]
    fn relative_error_is_below_one_percent() {
        for v in [300u64, 1_000, 12_345, 999_999, 10_000_000, 123_456_789_000] {
            let hi = bucket_high(bucket_of(v));
            assert!(hi >= v);
            assert!((hi - v) as f64 / v as f64 <= 1.0 / SUB as f64, "{v} -> {hi}");
        }
    }

    #[test]
    fn huge_values_saturate_in_the_last_bucket() {
        assert_eq!(bucket_of(u64::MAX), BUCKETS - 1);
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
