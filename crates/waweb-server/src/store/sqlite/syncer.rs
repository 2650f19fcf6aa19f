//! The syncer thread: makes committed batches durable off the writer's path, then answers them.
//!
//! The write connection of a database file runs with `synchronous=NORMAL`, so a commit only
//! writes its frames into the WAL. This thread `fdatasync`s the WAL and only then answers the
//! batch's jobs, so nothing is acknowledged before its frames are on disk, as with
//! `synchronous=FULL`. Meanwhile the writer already runs the next batch, and one sync covers
//! every batch committed since the previous one. SQLite itself still syncs the WAL header after a
//! rewind and both files around each checkpoint, so the log stays consistent after a power loss.
//!
//! A commit is visible to readers before it is durable (a few milliseconds); what a caller is
//! told succeeded is always durable. After a failed sync the kernel may have dropped the unsynced
//! pages, so a later sync that succeeds proves nothing: every batch from then on is answered
//! with an error, and the store must be reopened.

use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{mpsc, Arc};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use super::super::{StoreError, StoreResult};
use super::job::{self, Job};

/// What makes the written frames durable: the WAL file; a stand-in in tests.
pub(super) trait Durable: Send + 'static {
    /// Returns once everything written so far is on disk.
    fn sync(&mut self) -> io::Result<()>;
}

impl Durable for File {
    fn sync(&mut self) -> io::Result<()> {
        self.sync_data()
    }
}

/// A batch handed over by the writer, with the outcome of its commit.
struct Batch {
    jobs: Vec<Box<dyn Job>>,
    outcome: StoreResult<()>,
}

/// The running syncer; dropping it answers every batch handed over, then stops the thread.
pub(super) struct Syncer {
    queue: Option<mpsc::Sender<Batch>>,
    progress: Arc<Progress>,
    thread: Option<JoinHandle<()>>,
}

impl Syncer {
    /// Opens the WAL of the database file `db` (it exists once the database is in WAL mode)
    /// and starts the thread; see [`Syncer::start`] for `idle`.
    pub(super) fn for_database(db: &Path, idle: impl Fn() + Send + 'static) -> StoreResult<Self> {
        let wal = wal_path(db);
        let file = File::open(&wal).map_err(|e| {
            StoreError::backend(
                format!("cannot open the write-ahead log {}: {e}", wal.display()),
                e,
            )
        })?;
        Self::start(file, idle)
    }

    /// Starts the thread, syncing `target` before each answer. It calls `idle` when it has
    /// answered every batch handed over, if [`Syncer::idle_or_notify`] asked for it.
    pub(super) fn start(
        target: impl Durable,
        idle: impl Fn() + Send + 'static,
    ) -> StoreResult<Self> {
        let (queue, batches) = mpsc::channel();
        let progress = Arc::new(Progress::default());
        let shared = Arc::clone(&progress);
        let thread = thread::Builder::new()
            .name("waweb-store-sync".into())
            .spawn(move || run(target, &batches, &shared, idle))
            .map_err(|e| StoreError::backend(format!("cannot start the syncer: {e}"), e))?;
        Ok(Self { queue: Some(queue), progress, thread: Some(thread) })
    }

    /// Hands over a batch: it is answered once the WAL is synced (a failed batch is answered
    /// with its error, after the batches before it).
    pub(super) fn submit(&self, jobs: Vec<Box<dyn Job>>, outcome: StoreResult<()>) {
        let batch = Batch { jobs, outcome };
        let Some(queue) = &self.queue else { return job::answer(batch.jobs, &Err(stopped())) };
        self.progress.pending.fetch_add(1, Ordering::SeqCst);
        if let Err(mpsc::SendError(batch)) = queue.send(batch) {
            self.progress.pending.fetch_sub(1, Ordering::SeqCst);
            job::answer(batch.jobs, &Err(stopped()));
        }
    }

    /// Whether every batch handed over has been answered; if not, the thread calls its `idle`
    /// function once they are (it may also call it after this returned true).
    pub(super) fn idle_or_notify(&self) -> bool {
        let progress = &self.progress;
        // Flag first, then look: either this sees the last answer, or the thread sees the flag.
        progress.notify.store(true, Ordering::SeqCst);
        if progress.pending.load(Ordering::SeqCst) == 0 {
            progress.notify.store(false, Ordering::SeqCst);
            return true;
        }
        false
    }
}

/// What the writer and the thread share.
#[derive(Default)]
struct Progress {
    /// Batches handed over and not answered yet.
    pending: AtomicUsize,
    /// The writer waits to hear when `pending` is back to zero.
    notify: AtomicBool,
}

impl Progress {
    /// `count` more batches are answered; calls `idle` if that was the last and someone asked.
    fn answered(&self, count: usize, idle: &impl Fn()) {
        let left = self.pending.fetch_sub(count, Ordering::SeqCst).saturating_sub(count);
        if left == 0 && self.notify.swap(false, Ordering::SeqCst) {
            idle();
        }
    }
}

impl Drop for Syncer {
    fn drop(&mut self) {
        drop(self.queue.take());
        if let Some(thread) = self.thread.take() {
            if thread.join().is_err() {
                tracing::error!("store syncer thread panicked");
            }
        }
    }
}

/// SQLite's name for the WAL of `db`: the same path with `-wal` appended.
fn wal_path(db: &Path) -> PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push("-wal");
    PathBuf::from(name)
}

fn stopped() -> StoreError {
    StoreError::backend_message("the store is closing")
}

/// Syncs and answers whatever has arrived, until the writer drops its end.
fn run(
    mut target: impl Durable,
    batches: &mpsc::Receiver<Batch>,
    progress: &Progress,
    idle: impl Fn(),
) {
    let mut failed: Option<StoreError> = None;
    while let Ok(first) = batches.recv() {
        let mut group = vec![first];
        group.extend(batches.try_iter());
        let synced = match &failed {
            Some(e) => Err(e.clone()),
            None if group.iter().all(|b| b.outcome.is_err()) => Ok(()),
            None => timed_sync(&mut target).map_err(|e| {
                tracing::error!(error = %e, "syncing the write-ahead log failed");
                let why = format!(
                    "the disk failed to sync the write-ahead log ({e}); restart the server \
                     once the disk is healthy"
                );
                let e = StoreError::backend(why, e);
                failed = Some(e.clone());
                e
            }),
        };
        let count = group.len();
        for Batch { jobs, outcome } in group {
            job::answer(jobs, &outcome.and_then(|()| synced.clone()));
        }
        progress.answered(count, &idle);
    }
}

/// A sync slower than this is logged (at `debug`): the acks it holds make the latency tail.
const SLOW_SYNC: Duration = Duration::from_millis(4);

/// Syncs `target`, logging a slow sync with its start time.
fn timed_sync(target: &mut impl Durable) -> io::Result<()> {
    let started = Instant::now();
    let synced = target.sync();
    let elapsed = started.elapsed();
    if elapsed > SLOW_SYNC {
        log_stall(elapsed, "slow WAL sync");
    }
    synced
}

/// Logs (at `debug`) a stall of the store that just ended, with its wall-clock start, to line
/// it up with a load generator's timings; the clock is read only here, not on every sync.
pub(super) fn log_stall(elapsed: Duration, what: &'static str) {
    let start = SystemTime::now().checked_sub(elapsed).unwrap_or(UNIX_EPOCH);
    let started_unix_us = start.duration_since(UNIX_EPOCH).unwrap_or_default().as_micros();
    tracing::debug!(started_unix_us, elapsed_us = elapsed.as_micros(), "{what}");
}

#[cfg(test)]
pub(super) mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::{Arc, Mutex};

    use rusqlite::Connection;

    use super::*;

    /// Counts syncs, fails the ones it is told to, and can hold a sync until released.
    #[derive(Clone, Default)]
    pub(in super::super) struct Disk {
        pub(in super::super) syncs: Arc<AtomicUsize>,
        pub(in super::super) fail_from: Option<usize>,
        pub(in super::super) gate: Option<Arc<Mutex<()>>>,
    }

    impl Durable for Disk {
        fn sync(&mut self) -> io::Result<()> {
            let _held = self.gate.as_ref().map(|g| g.lock().unwrap());
            let n = self.syncs.fetch_add(1, Ordering::SeqCst);
            match self.fail_from {
                Some(k) if n >= k => Err(io::Error::other("device error")),
                _ => Ok(()),
            }
        }
    }

    /// A job that records the order and outcome of its answer.
    struct Probe {
        id: usize,
        log: Arc<Mutex<Vec<(usize, bool)>>>,
    }

    impl Job for Probe {
        fn run(&mut self, _: &Connection) -> bool {
            true
        }
        fn committed(&mut self) {}
        fn answer(self: Box<Self>, outcome: &StoreResult<()>) {
            self.log.lock().unwrap().push((self.id, outcome.is_ok()));
        }
    }

    fn probes(
        ids: std::ops::Range<usize>,
        log: &Arc<Mutex<Vec<(usize, bool)>>>,
    ) -> Vec<Box<dyn Job>> {
        ids.map(|id| Box::new(Probe { id, log: Arc::clone(log) }) as Box<dyn Job>).collect()
    }

    #[test]
    fn answers_in_order_and_only_after_a_sync() {
        let gate = Arc::new(Mutex::new(()));
        let disk = Disk { gate: Some(Arc::clone(&gate)), ..Disk::default() };
        let log = Arc::new(Mutex::new(Vec::new()));
        let held = gate.lock().unwrap();
        let syncer = Syncer::start(disk.clone(), || {}).unwrap();
        syncer.submit(probes(0..3, &log), Ok(()));
        syncer.submit(probes(3..5, &log), Ok(()));
        std::thread::sleep(std::time::Duration::from_millis(50));
        assert!(log.lock().unwrap().is_empty(), "answered before the sync returned");
        drop(held);
        drop(syncer);
        let answers = log.lock().unwrap().clone();
        assert_eq!(answers, (0..5).map(|id| (id, true)).collect::<Vec<_>>());
        let syncs = disk.syncs.load(Ordering::SeqCst);
        assert!((1..=2).contains(&syncs), "{syncs} syncs for two batches");
    }

    #[test]
    fn a_failed_batch_is_answered_with_its_error_and_without_a_sync() {
        let disk = Disk::default();
        let log = Arc::new(Mutex::new(Vec::new()));
        let syncer = Syncer::start(disk.clone(), || {}).unwrap();
        syncer.submit(probes(0..2, &log), Err(StoreError::backend_message("constraint")));
        drop(syncer);
        assert_eq!(*log.lock().unwrap(), [(0, false), (1, false)]);
        assert_eq!(disk.syncs.load(Ordering::SeqCst), 0);
    }

    #[test]
    fn after_a_failed_sync_every_later_batch_fails() {
        let disk = Disk { fail_from: Some(1), ..Disk::default() };
        let log = Arc::new(Mutex::new(Vec::new()));
        let syncer = Syncer::start(disk.clone(), || {}).unwrap();
        for i in 0..3 {
            syncer.submit(probes(i..i + 1, &log), Ok(()));
            // One batch per sync: wait for this one's answer before the next.
            while log.lock().unwrap().len() <= i {
                std::thread::yield_now();
            }
        }
        drop(syncer);
        assert_eq!(*log.lock().unwrap(), [(0, true), (1, false), (2, false)]);
        // The third batch is failed without asking the disk again.
        assert_eq!(disk.syncs.load(Ordering::SeqCst), 2);
    }

    #[test]
    fn the_wal_path_appends_to_the_file_name() {
        assert_eq!(wal_path(Path::new("/d/waweb.db")), PathBuf::from("/d/waweb.db-wal"));
    }
}
