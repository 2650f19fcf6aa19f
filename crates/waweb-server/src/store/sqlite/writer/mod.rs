//! The writer thread: owns the write connection and commits queued jobs in groups.

use std::thread::{self, JoinHandle};

use rusqlite::Connection;
use tokio::sync::mpsc::{self, error::TryRecvError};
use tokio::sync::oneshot;

use super::super::{StoreError, StoreResult};
use super::checkpointer::{self, Checkpointer, Shared};
use super::job::{self, Job};
use super::syncer::{self, Syncer};
use batch::Batch;

mod batch;

/// The most jobs one transaction carries. Bounds the latency one batch adds to the next, and
/// the work lost to a failed commit.
pub(super) const MAX_BATCH: usize = 512;

/// What the writer thread receives.
pub(super) enum Request {
    /// A write to run in the next batch; with `ends_batch` the batch is committed right after it.
    Job {
        /// The write.
        job: Box<dyn Job>,
        /// Whether no other job may follow it in the same transaction.
        ends_batch: bool,
    },
    /// Finish every job received before this one, close the connection, then answer.
    Close(oneshot::Sender<()>),
    /// The syncer became idle: a batch kept open while it synced may be committed.
    Wake,
}

/// What the syncer calls once it has answered everything handed over, when the writer waits
/// for that: queues a [`Request::Wake`] unless the queue is full (the writer then has jobs to
/// take anyway) or gone.
pub(super) fn waker(queue: &mpsc::Sender<Request>) -> impl Fn() + Send + 'static {
    // Weak: the syncer must not keep the queue open once the store dropped its sender.
    let queue = queue.downgrade();
    move || {
        if let Some(queue) = queue.upgrade() {
            let _ = queue.try_send(Request::Wake);
        }
    }
}

/// The helper threads of a database file's writer (an in-memory database has neither).
#[derive(Default)]
pub(super) struct Helpers {
    /// Copies the WAL into the database file.
    pub(super) checkpointer: Option<Checkpointer>,
    /// Syncs the WAL and answers the committed batches.
    pub(super) syncer: Option<Syncer>,
}

/// Starts the writer thread; once the queue ends it lets the syncer answer every batch, and stops
/// the checkpointer before closing its own connection.
pub(super) fn spawn(
    conn: Connection,
    queue: mpsc::Receiver<Request>,
    helpers: Helpers,
) -> StoreResult<JoinHandle<()>> {
    let Helpers { checkpointer, syncer } = helpers;
    let shared = checkpointer.as_ref().map(Checkpointer::shared);
    if shared.is_some() {
        checkpointer::watch_log(&conn);
    }
    thread::Builder::new()
        .name("waweb-store-writer".into())
        .spawn(move || {
            let close = run(&conn, queue, shared.as_deref(), syncer.as_ref());
            drop(syncer);
            if let Some(checkpointer) = checkpointer {
                checkpointer.stop();
                // Copy what is left now: the connection closes faster, and if it is the last
                // one it finds nothing to do.
                checkpointer::passive(&conn);
            }
            // Close the connection (checkpointing the WAL) before saying we are done.
            if let Err((_, e)) = conn.close() {
                tracing::warn!(error = %e, "closing the store's write connection failed");
            }
            if let Some(close) = close {
                let _ = close.send(());
            }
        })
        .map_err(|e| StoreError::backend(format!("cannot start the writer thread: {e}"), e))
}

/// Serves batches until the queue ends or a close request arrives (returned, to be answered
/// once the connection is closed).
///
/// Each job runs as soon as it is taken from the queue, in the open transaction. The batch is
/// committed when the queue is empty and the syncer has nothing left to sync (a commit made
/// while it syncs would wait for the next sync anyway), when it is full, or when a job asks for
/// it. So under load one commit, and one copy in the log of every page the batch touched, serves
/// every job that arrived during a sync, instead of one per short burst.
fn run(
    conn: &Connection,
    mut queue: mpsc::Receiver<Request>,
    checkpoints: Option<&Shared>,
    syncer: Option<&Syncer>,
) -> Option<oneshot::Sender<()>> {
    let mut batch = Batch::default();
    let flush = |batch: &mut Batch| {
        if batch.is_empty() {
            return;
        }
        let (jobs, outcome) = batch.commit(conn);
        if let Some(checkpoints) = checkpoints {
            checkpoints.note_commit();
        }
        match syncer {
            Some(syncer) => syncer.submit(jobs, outcome),
            None => job::answer(jobs, &outcome),
        }
        let Some(checkpoints) = checkpoints.filter(|c| c.take_rest_request()) else { return };
        // The checkpointer copied all but the last few frames: copying those here lets the next
        // transaction rewind the log (see `checkpointer/`).
        let started = std::time::Instant::now();
        checkpoints.copy_rest(conn);
        // Every job queued meanwhile waits: the latency tail lines up with these.
        syncer::log_stall(started.elapsed(), "copied the rest of the WAL so that it rewinds");
    };
    loop {
        let next = if batch.is_empty() {
            queue.blocking_recv()
        } else if batch.len() >= MAX_BATCH {
            flush(&mut batch);
            continue;
        } else {
            match queue.try_recv() {
                Ok(request) => Some(request),
                Err(TryRecvError::Empty) if syncer.is_none_or(Syncer::idle_or_notify) => {
                    flush(&mut batch);
                    continue;
                }
                // The syncer sends a wake-up once it is idle.
                Err(TryRecvError::Empty) => queue.blocking_recv(),
                Err(TryRecvError::Disconnected) => None,
            }
        };
        match next {
            Some(Request::Job { job, ends_batch }) => {
                if batch.add(conn, job) || ends_batch {
                    flush(&mut batch);
                }
            }
            Some(Request::Wake) => {}
            Some(Request::Close(done)) => {
                flush(&mut batch);
                return Some(done);
            }
            None => {
                flush(&mut batch);
                return None;
            }
        }
    }
}

#[cfg(test)]
mod tests;
