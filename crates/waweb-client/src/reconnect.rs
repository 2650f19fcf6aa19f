//! Exponential backoff between reconnection attempts.
//!
//! The delay doubles from `base` up to `max`, with up to 25 % random jitter so that many clients
//! cut off by the same server restart do not come back in lockstep.

use rand::Rng;
use std::time::Duration;

/// The reconnection schedule of one client.
#[derive(Debug, Clone)]
pub(crate) struct Backoff {
    base: Duration,
    max: Duration,
    max_attempts: Option<u32>,
    attempt: u32,
}

impl Backoff {
    /// A schedule starting at `base`, capped at `max`, giving up after `max_attempts` (if set).
    pub(crate) fn new(base: Duration, max: Duration, max_attempts: Option<u32>) -> Self {
        Backoff { base, max, max_attempts, attempt: 0 }
    }

    /// The number and delay of the next attempt, or `None` when we should give up.
    pub(crate) fn next(&mut self) -> Option<(u32, Duration)> {
        if self.max_attempts.is_some_and(|m| self.attempt >= m) {
            return None;
        }
        let exp = self.base.saturating_mul(1u32 << self.attempt.min(16));
        let capped = exp.min(self.max);
        let jitter_ms = (capped.as_millis() / 4) as u64;
        let jitter = if jitter_ms > 0 { rand::thread_rng().gen_range(0..=jitter_ms) } else { 0 };
        self.attempt += 1;
        Some((self.attempt, capped + Duration::from_millis(jitter)))
    }

    /// A connection succeeded: start from `base` again next time.
    pub(crate) fn reset(&mut self) {
        self.attempt = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doubles_until_the_cap_then_gives_up() {
        let mut b = Backoff::new(Duration::from_millis(100), Duration::from_millis(350), Some(4));
        let delays: Vec<(u32, Duration)> = std::iter::from_fn(|| b.next()).collect();
        assert_eq!(delays.iter().map(|d| d.0).collect::<Vec<_>>(), [1, 2, 3, 4]);
        let lower = [100, 200, 350, 350];
        for ((_, d), lo) in delays.iter().zip(lower) {
            let ms = d.as_millis() as u64;
            assert!(ms >= lo && ms <= lo + lo / 4, "{ms} not in [{lo}, {}]", lo + lo / 4);
        }
        b.reset();
        assert_eq!(b.next().map(|d| d.0), Some(1));
    }

    #[test]
    fn unlimited_never_gives_up() {
        let mut b = Backoff::new(Duration::from_millis(1), Duration::from_millis(2), None);
        assert!((0..100).all(|_| b.next().is_some()));
    }
}
