//! What the writer and the checkpointer thread share: the log's length and the request to copy
//! the rest.

use std::cell::Cell;
use std::ffi::c_int;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::sync::{Condvar, Mutex};

use rusqlite::hooks::Wal;
use rusqlite::Connection;

use super::passive;

/// The state of one database's checkpoints.
#[derive(Debug, Default)]
pub(in super::super) struct Shared {
    /// Set by the checkpointer, cleared by the writer: "copy the rest of the log yourself".
    rest_for_writer: AtomicBool,
    /// Frames in the log after the writer's last commit; 0 once it copied them all.
    log_frames: AtomicI64,
    /// Set to stop the thread.
    pub(super) stop: Mutex<bool>,
    pub(super) wake: Condvar,
}

impl Shared {
    /// Frames in the log that are not known to be copied.
    pub(super) fn log_frames(&self) -> i64 {
        self.log_frames.load(Ordering::Acquire)
    }

    /// Asks the writer to copy the rest of the log after its next commit.
    pub(super) fn request_rest(&self) {
        self.rest_for_writer.store(true, Ordering::Release);
    }

    /// Whether a request to copy the rest waits for the writer.
    pub(super) fn rest_requested(&self) -> bool {
        self.rest_for_writer.load(Ordering::Acquire)
    }

    /// Whether the checkpointer asked the writer to copy the rest (clears the request).
    pub(in super::super) fn take_rest_request(&self) -> bool {
        self.rest_for_writer.swap(false, Ordering::AcqRel)
    }

    /// Called by the writer after each commit: publishes what [`watch_log`] saw.
    pub(in super::super) fn note_commit(&self) {
        if let Some(frames) = LOG_FRAMES.with(Cell::take) {
            self.log_frames.store(frames, Ordering::Release);
        }
    }

    /// Copies the rest of the log on the writer's connection, between two transactions, so that
    /// the next one rewinds the log. SQLite syncs the log before the copy and the database file
    /// after it.
    pub(in super::super) fn copy_rest(&self, conn: &Connection) {
        if passive(conn).is_some() {
            // Or the checkpointer, seeing the long log again before the next commit, would ask
            // for another copy (a no-op, but with its two syncs).
            self.log_frames.store(0, Ordering::Release);
        }
    }
}

thread_local! {
    /// The log's length after the last commit on this thread's connection, if not read yet.
    static LOG_FRAMES: Cell<Option<i64>> = const { Cell::new(None) };
}

/// Makes each commit on `conn` note the log's length for [`Shared::note_commit`], which must be
/// called on the same thread (the writer's). Call it after setting `wal_autocheckpoint`, which
/// replaces this hook.
pub(in super::super) fn watch_log(conn: &Connection) {
    fn note(_: &Wal, frames: c_int) -> rusqlite::Result<()> {
        LOG_FRAMES.with(|last| last.set(Some(i64::from(frames))));
        Ok(())
    }
    conn.wal_hook(Some(note));
}
