//! The checkpointer thread: copies the WAL back into the database file off the writer's path.
//!
//! The writer runs with `wal_autocheckpoint=0`, so a commit never turns into a checkpoint. This
//! thread, on its own connection, runs `PASSIVE` checkpoints: they copy the committed frames
//! while the writer keeps committing, and never wait for a lock.
//!
//! A checkpoint writes each page once, however many frames the log holds for it, and a relay
//! load rewrites the same few thousand index pages over and over. So the checkpointer copies
//! rarely: once the log is [`REWIND_BYTES`] long, or [`COPY_EVERY`] after the last copy if it
//! is still shorter. It knows the log's length from the writer, which reads it after each
//! commit (see [`watch_log`]).
//!
//! Copying is not enough to bound the WAL: SQLite only rewinds the log to its start when a write
//! transaction begins while *every* frame has been copied, and under sustained load the writer
//! has always appended more by then. So once the log is longer than [`REWIND_BYTES`], the
//! checkpointer catches up until a pass finds little new, then asks the writer (a flag it reads
//! between batches) to copy that small rest itself: its next transaction starts on a fully
//! copied log and rewinds it. The writer's share is a few frames and a sync of each file.

use std::path::Path;
use std::sync::Arc;
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use rusqlite::Connection;

use super::super::{StoreError, StoreResult};
use super::connection;
pub(super) use shared::{watch_log, Shared};

mod shared;

/// How often the checkpointer looks at the log's length.
const INTERVAL: Duration = Duration::from_millis(100);

/// A log shorter than [`REWIND_BYTES`] is copied this long after the previous copy, so that a
/// light load keeps a short, fully copied log (which the writer then rewinds).
///
/// Each copy writes every page the log changed since the last one, and a relay load rewrites
/// the same few pages over and over, so copying less often writes far fewer frames into the
/// database file (docs/PERFORMANCE.md, "Checkpoints at the rewind point"). Those random writes
/// compete with the syncs every acknowledgement waits for.
const COPY_EVERY: Duration = Duration::from_secs(1);

/// A log longer than this many bytes is rewound.
///
/// Each rewind stalls the writer while it copies the rest and syncs the database file, so the
/// acks queued behind it make the latency tail; rewinding less often lowered the ack p99
/// (docs/PERFORMANCE.md, "Rewinding the WAL less often").
/// [`connection::WAL_SIZE_LIMIT`] must stay above this, or every rewind also truncates the file
/// and the next frames grow it again, which is far slower.
pub(super) const REWIND_BYTES: i64 = 120 << 20;

// A log rewound at REWIND_BYTES, plus what it gains during the catch-up (up to 15% in the store's
// checkpoint test, at 8,000 relays/s), is not truncated.
const _: () = assert!(REWIND_BYTES / 3 * 4 <= connection::WAL_SIZE_LIMIT);

/// Bytes a WAL frame adds to its page.
const FRAME_HEADER: i64 = 24;

/// A catch-up pass that found fewer new frames than this leaves the rest to the writer.
const SMALL_REST: i64 = 200;

/// At most this many extra passes before handing over anyway.
const CATCH_UP_PASSES: usize = 4;

/// The running checkpointer; stop it with [`Checkpointer::stop`] before the writer closes its
/// connection (the last connection to close runs the final checkpoint).
pub(super) struct Checkpointer {
    shared: Arc<Shared>,
    thread: Option<JoinHandle<()>>,
}

impl Checkpointer {
    /// Opens the checkpointer's connection to `path` and starts the thread.
    pub(super) fn start(path: &Path) -> StoreResult<Self> {
        let conn = connection::open_checkpointer(path)?;
        let page: i64 = conn.pragma_query_value(None, "page_size", |r| r.get(0))?;
        let rewind_frames = REWIND_BYTES / (page.max(512) + FRAME_HEADER);
        let shared = Arc::new(Shared::default());
        let state = Arc::clone(&shared);
        let thread = thread::Builder::new()
            .name("waweb-store-checkpoint".into())
            .spawn(move || run(&conn, &state, rewind_frames))
            .map_err(|e| StoreError::Backend(format!("cannot start the checkpointer: {e}")))?;
        Ok(Self { shared, thread: Some(thread) })
    }

    /// What the writer polls.
    pub(super) fn shared(&self) -> Arc<Shared> {
        Arc::clone(&self.shared)
    }

    /// Stops the thread and closes its connection.
    pub(super) fn stop(self) {
        drop(self);
    }
}

impl Drop for Checkpointer {
    fn drop(&mut self) {
        *self.shared.stop.lock().unwrap_or_else(|e| e.into_inner()) = true;
        self.shared.wake.notify_all();
        if let Some(thread) = self.thread.take() {
            if thread.join().is_err() {
                tracing::error!("store checkpointer thread panicked");
            }
        }
    }
}

/// What the checkpointer does when it wakes up.
#[derive(Debug, PartialEq, Eq)]
enum Step {
    /// Nothing: the log is short and was copied recently, or the writer has the rest to copy.
    Wait,
    /// Copy the log once.
    Copy,
    /// Copy the log until little is left, then ask the writer to copy the rest.
    CatchUp,
}

/// The step for a log of `log` frames (`rewind` is the rewind point), `since_copy` after the
/// previous copy.
fn step(log: i64, rewind: i64, rest_requested: bool, since_copy: Duration) -> Step {
    match (log >= rewind, rest_requested) {
        (true, true) => Step::Wait,
        (true, false) => Step::CatchUp,
        (false, _) if since_copy >= COPY_EVERY && log > 0 => Step::Copy,
        (false, _) => Step::Wait,
    }
}

/// Runs [`step`] every [`INTERVAL`] until stopped.
fn run(conn: &Connection, shared: &Shared, rewind_frames: i64) {
    let mut copied = Instant::now();
    while wait(shared) {
        let log = shared.log_frames();
        match step(log, rewind_frames, shared.rest_requested(), copied.elapsed()) {
            Step::Wait => continue,
            Step::Copy => {
                passive(conn);
            }
            Step::CatchUp => catch_up(conn, shared),
        }
        copied = Instant::now();
    }
}

/// Copies the log until a pass finds little new, then asks the writer to copy the rest.
fn catch_up(conn: &Connection, shared: &Shared) {
    let Some(mut log) = passive(conn) else { return };
    for _ in 0..CATCH_UP_PASSES {
        let Some(now) = passive(conn) else { return };
        let fresh = now - log;
        log = now;
        if fresh < SMALL_REST {
            break;
        }
    }
    shared.request_rest();
}

/// Sleeps one interval; false once the thread must stop.
fn wait(shared: &Shared) -> bool {
    let stop = shared.stop.lock().unwrap_or_else(|e| e.into_inner());
    if *stop {
        return false;
    }
    let (stop, _) = shared.wake.wait_timeout(stop, INTERVAL).unwrap_or_else(|e| e.into_inner());
    !*stop
}

/// One `PASSIVE` checkpoint: the frames in the log, or `None` if it failed (logged; the next
/// pass tries again).
pub(super) fn passive(conn: &Connection) -> Option<i64> {
    let result = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |r| r.get::<_, i64>(1));
    match result {
        Ok(frames) => Some(frames),
        Err(e) => {
            tracing::warn!(error = %e, "WAL checkpoint failed");
            None
        }
    }
}

#[cfg(test)]
mod tests;
