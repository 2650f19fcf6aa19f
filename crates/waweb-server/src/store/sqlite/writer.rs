//! The writer thread: owns the write connection and commits queued jobs in groups.

use std::thread::{self, JoinHandle};

use rusqlite::Connection;
use tokio::sync::{mpsc, oneshot};

use super::super::{StoreError, StoreResult};
use super::checkpointer::{self, Checkpointer, Shared};

/// The most jobs one transaction carries. Bounds the latency one batch adds to the next, and
/// the work lost to a failed commit.
pub(super) const MAX_BATCH: usize = 512;

/// A write: runs on the connection inside its own savepoint and says whether it succeeded (a
/// failure is rolled back to the savepoint). The returned [`Reply`] is called after the commit.
/// Called with `None` when its batch failed before reaching it: it must not run, only answer.
pub(super) type Job = Box<dyn FnOnce(Option<&Connection>) -> (bool, Reply) + Send>;

/// Answers the caller of a [`Job`] with the outcome of the commit that carried it.
pub(super) type Reply = Box<dyn FnOnce(&StoreResult<()>) + Send>;

/// What the writer thread receives.
pub(super) enum Request {
    /// A write to run in the next batch; with `ends_batch` the batch is committed right after it.
    Job {
        /// The write.
        job: Job,
        /// Whether no other job may follow it in the same transaction.
        ends_batch: bool,
    },
    /// Finish every job received before this one, close the connection, then answer.
    Close(oneshot::Sender<()>),
}

/// Starts the writer thread; it stops `checkpointer` before closing its own connection.
pub(super) fn spawn(
    conn: Connection,
    queue: mpsc::Receiver<Request>,
    checkpointer: Option<Checkpointer>,
) -> StoreResult<JoinHandle<()>> {
    let shared = checkpointer.as_ref().map(Checkpointer::shared);
    thread::Builder::new()
        .name("waweb-store-writer".into())
        .spawn(move || {
            let close = run(&conn, queue, shared.as_deref());
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
        .map_err(|e| StoreError::Backend(format!("cannot start the writer thread: {e}")))
}

/// Serves batches until the queue ends or a close request arrives (returned, to be answered
/// once the connection is closed).
fn run(
    conn: &Connection,
    mut queue: mpsc::Receiver<Request>,
    checkpoints: Option<&Shared>,
) -> Option<oneshot::Sender<()>> {
    let mut jobs = Vec::with_capacity(MAX_BATCH);
    while let Some(first) = queue.blocking_recv() {
        let mut close = None;
        let mut next = Some(first);
        while let Some(request) = next.take() {
            match request {
                Request::Job { job, ends_batch } => {
                    jobs.push(job);
                    if ends_batch {
                        break;
                    }
                }
                Request::Close(done) => {
                    close = Some(done);
                    break;
                }
            }
            if jobs.len() < MAX_BATCH {
                next = queue.try_recv().ok();
            }
        }
        commit_batch(conn, jobs.drain(..));
        if checkpoints.is_some_and(Shared::take_rest_request) {
            // The checkpointer copied all but the last few frames: copying those here lets the
            // next transaction rewind the log (see `checkpointer.rs`).
            checkpointer::passive(conn);
        }
        if close.is_some() {
            return close;
        }
    }
    None
}

/// Runs a batch in one transaction and answers every job with the commit's outcome.
fn commit_batch(conn: &Connection, jobs: impl Iterator<Item = Job>) {
    let mut replies = Vec::with_capacity(MAX_BATCH);
    let mut jobs = jobs.into_iter();
    let outcome = run_batch(conn, &mut jobs, &mut replies);
    if outcome.is_err() {
        // Jobs the failure kept from running still need their answer.
        replies.extend(jobs.map(|job| job(None).1));
        if !conn.is_autocommit() {
            if let Err(e) = exec(conn, "ROLLBACK") {
                tracing::error!(error = %e, "rolling back a failed batch failed");
            }
        }
    }
    for reply in replies {
        reply(&outcome);
    }
}

fn run_batch(
    conn: &Connection,
    jobs: &mut impl Iterator<Item = Job>,
    replies: &mut Vec<Reply>,
) -> StoreResult<()> {
    exec(conn, "BEGIN IMMEDIATE")?;
    for job in jobs {
        exec(conn, "SAVEPOINT job")?;
        let (ok, reply) = job(Some(conn));
        replies.push(reply);
        if !ok {
            exec(conn, "ROLLBACK TO job")?;
        }
        exec(conn, "RELEASE job")?;
    }
    exec(conn, "COMMIT")
}

fn exec(conn: &Connection, sql: &str) -> StoreResult<()> {
    conn.prepare_cached(sql)?.execute([])?;
    Ok(())
}
