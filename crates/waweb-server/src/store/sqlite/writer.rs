//! The writer thread: owns the write connection and commits queued jobs in groups.

use std::thread::{self, JoinHandle};

use rusqlite::Connection;
use tokio::sync::{mpsc, oneshot};

use super::super::{StoreError, StoreResult};
use super::checkpointer::{self, Checkpointer, Shared};
use super::syncer::{self, Syncer};

/// The most jobs one transaction carries. Bounds the latency one batch adds to the next, and
/// the work lost to a failed commit.
pub(super) const MAX_BATCH: usize = 512;

/// A write. [`Job::run`] may be called twice: a batch first runs without savepoints, and if one
/// of its jobs fails it is rolled back and run again with each job in its own savepoint (see
/// [`commit_batch`]). So `run` only touches the connection and keeps its latest outcome;
/// [`Job::committed`] is called once if the batch committed, and [`Job::answer`] once, when the
/// outcome is final (for a file database: after the syncer made the commit durable).
pub(super) trait Job: Send {
    /// Runs the write; whether it succeeded.
    fn run(&mut self, conn: &Connection) -> bool;
    /// The batch committed: called on the writer thread, in commit order, before the next batch
    /// runs (so the account cache never lags behind what the next batch reads).
    fn committed(&mut self);
    /// Answers the caller: the job's outcome if `outcome` is a success, else that error.
    fn answer(self: Box<Self>, outcome: &StoreResult<()>);
}

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
        .map_err(|e| StoreError::Backend(format!("cannot start the writer thread: {e}")))
}

/// Serves batches until the queue ends or a close request arrives (returned, to be answered
/// once the connection is closed).
fn run(
    conn: &Connection,
    mut queue: mpsc::Receiver<Request>,
    checkpoints: Option<&Shared>,
    syncer: Option<&Syncer>,
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
        let outcome = commit_batch(conn, &mut jobs);
        let batch = std::mem::replace(&mut jobs, Vec::with_capacity(MAX_BATCH));
        match syncer {
            Some(syncer) => syncer.submit(batch, outcome),
            None => syncer::answer(batch, &outcome),
        }
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

/// Runs a batch in one transaction; tells every job if it committed, and returns the outcome.
///
/// Jobs rarely fail (the handlers check first), so the batch first runs without savepoints: a
/// savepoint costs two statements and a copy of every page the job touches first. If a job
/// fails, the transaction is rolled back and the batch runs again with each job in its own
/// savepoint, so that the failed one is undone alone.
fn commit_batch(conn: &Connection, jobs: &mut [Box<dyn Job>]) -> StoreResult<()> {
    let outcome = match run_plain(conn, jobs) {
        Ok(true) => Ok(()),
        Ok(false) => rollback(conn).and_then(|()| run_isolated(conn, jobs)),
        Err(e) => Err(e),
    };
    match &outcome {
        Ok(()) => jobs.iter_mut().for_each(|job| job.committed()),
        Err(_) => {
            if let Err(e) = rollback(conn) {
                tracing::error!(error = %e, "rolling back a failed batch failed");
            }
        }
    }
    outcome
}

/// Runs and commits the batch; `Ok(false)` (transaction still open) if a job failed.
fn run_plain(conn: &Connection, jobs: &mut [Box<dyn Job>]) -> StoreResult<bool> {
    exec(conn, "BEGIN IMMEDIATE")?;
    for job in jobs.iter_mut() {
        if !job.run(conn) {
            return Ok(false);
        }
    }
    exec(conn, "COMMIT")?;
    Ok(true)
}

/// Runs and commits the batch with each job in its own savepoint.
fn run_isolated(conn: &Connection, jobs: &mut [Box<dyn Job>]) -> StoreResult<()> {
    exec(conn, "BEGIN IMMEDIATE")?;
    for job in jobs.iter_mut() {
        exec(conn, "SAVEPOINT job")?;
        if !job.run(conn) {
            exec(conn, "ROLLBACK TO job")?;
        }
        exec(conn, "RELEASE job")?;
    }
    exec(conn, "COMMIT")
}

/// Ends the open transaction, if any, without keeping its changes.
fn rollback(conn: &Connection) -> StoreResult<()> {
    // SQLite may have rolled back already (some I/O errors do).
    if conn.is_autocommit() {
        return Ok(());
    }
    exec(conn, "ROLLBACK")
}

fn exec(conn: &Connection, sql: &str) -> StoreResult<()> {
    conn.prepare_cached(sql)?.execute([])?;
    Ok(())
}
