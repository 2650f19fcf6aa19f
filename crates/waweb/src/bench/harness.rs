//! Runs a workload's client tasks through its window: progress bar, resource samples at the start
//! and the end of the measured window, and collection of the tasks' errors.

use super::load::{Op, Window};
use super::resources::{self, Pid, ThreadUsage, Usage};
use indicatif::{ProgressBar, ProgressStyle};
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use tokio::task::JoinSet;

/// CPU and memory of the server and of the bench over the measured window.
#[derive(Debug, Clone, Default)]
pub struct Usages {
    /// The server, when its process is known.
    pub server: Option<Usage>,
    /// The server's CPU per thread name, busiest first (empty when unknown).
    pub server_threads: Vec<ThreadUsage>,
    /// This process.
    pub bench: Option<Usage>,
}

/// Samples `server` (if any) and this process at the start and the end of the window.
pub fn sample_window(window: Window, server: Option<Pid>) -> tokio::task::JoinHandle<Usages> {
    tokio::spawn(async move {
        tokio::time::sleep_until(window.measure_from.into()).await;
        let s0 = server.and_then(Pid::sample);
        let t0 = server.and_then(Pid::thread_ticks);
        let b0 = Pid::This.sample();
        tokio::time::sleep_until(window.end.into()).await;
        let s1 = server.and_then(Pid::sample);
        let t1 = server.and_then(Pid::thread_ticks);
        let b1 = Pid::This.sample();
        let wall = s0.zip(s1).map(|(a, b)| b.at.saturating_duration_since(a.at));
        let server_threads = match (t0, t1, wall) {
            (Some(t0), Some(t1), Some(wall)) => resources::thread_usage(&t0, &t1, wall),
            _ => Vec::new(),
        };
        Usages {
            server: s0.zip(s1).map(|(a, b)| resources::usage(&a, &b)),
            server_threads,
            bench: b0.zip(b1).map(|(a, b)| resources::usage(&a, &b)),
        }
    })
}

/// A progress bar over the window showing the rate of `op` (hidden when `quiet` or not a tty).
pub fn progress(
    window: Window,
    op: Arc<Op>,
    label: &str,
    quiet: bool,
) -> tokio::task::JoinHandle<()> {
    let total = (window.end - window.base).as_millis() as u64;
    let bar = if quiet { ProgressBar::hidden() } else { ProgressBar::new(total) };
    let style = ProgressStyle::with_template("{prefix:>9} [{bar:30}] {msg}")
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ");
    bar.set_style(style);
    bar.set_prefix(label.to_string());
    tokio::spawn(async move {
        let mut last = (window.base, op.completed());
        loop {
            tokio::time::sleep(Duration::from_millis(250)).await;
            let now = std::time::Instant::now();
            let done = op.completed();
            let per_s = (done - last.1) as f64 / now.duration_since(last.0).as_secs_f64().max(1e-3);
            last = (now, done);
            let phase = if now < window.measure_from { "warm-up" } else { "measuring" };
            bar.set_position(now.duration_since(window.base).as_millis() as u64);
            bar.set_message(format!("{phase}: {} {} ({per_s:.0}/s)", done, op.name));
            if now >= window.end {
                break;
            }
        }
        bar.finish_and_clear();
    })
}

/// Waits for every client task; returns the values of those that succeeded, how many failed and
/// the first error, so one broken client does not hide the others' results.
pub async fn join_all<T: 'static>(
    mut tasks: JoinSet<anyhow::Result<T>>,
) -> (Vec<T>, usize, Option<String>) {
    let mut values = Vec::new();
    let mut failed = 0;
    let mut first = None;
    while let Some(r) = tasks.join_next().await {
        let err = match r {
            Ok(Ok(v)) => {
                values.push(v);
                continue;
            }
            Ok(Err(e)) => format!("{e:#}"),
            Err(e) => format!("task: {e}"),
        };
        failed += 1;
        first.get_or_insert(err);
    }
    (values, failed, first)
}

/// Runs `setup` for each of `n` items with at most `concurrency` at once, keeping the order of
/// results; the first error aborts.
pub async fn bounded<T, F, Fut>(n: usize, concurrency: usize, f: F) -> anyhow::Result<Vec<T>>
where
    F: Fn(usize) -> Fut,
    Fut: Future<Output = anyhow::Result<T>>,
{
    use futures_util::stream::{self, StreamExt, TryStreamExt};
    stream::iter(0..n).map(f).buffered(concurrency.max(1)).try_collect().await
}

/// A note for failed client tasks, if any.
pub fn failure_note(failed: usize, first: Option<String>) -> Option<String> {
    first.map(|e| format!("{failed} client task(s) failed; first error: {e}"))
}

/// Deals `items` to at most `workers` workers round-robin, so no two workers share one (fewer
/// workers when there are fewer items).
pub fn deal<T>(items: Vec<T>, workers: usize) -> Vec<Vec<T>> {
    let n = workers.clamp(1, items.len().max(1));
    let mut hands: Vec<Vec<T>> = (0..n).map(|_| Vec::new()).collect();
    for (i, item) in items.into_iter().enumerate() {
        if let Some(h) = hands.get_mut(i % n) {
            h.push(item);
        }
    }
    hands.retain(|h| !h.is_empty());
    hands
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_are_dealt_round_robin_without_sharing() {
        assert_eq!(deal((0..5).collect(), 2), vec![vec![0, 2, 4], vec![1, 3]]);
        assert_eq!(deal(vec![7, 8], 8), vec![vec![7], vec![8]], "no empty workers");
        assert!(deal(Vec::<u8>::new(), 3).is_empty());
    }
}
