//! The batch being filled: one open transaction that queued jobs run in as they arrive, until
//! the writer commits it.
//!
//! Jobs rarely fail (the handlers check first), so they run without savepoints: a savepoint
//! costs two statements and a copy of every page the job touches first. If a job fails, the
//! transaction is rolled back, every job of the batch runs again with its own savepoint (so the
//! failed one is undone alone), and the batch must be committed at once; the next jobs start a
//! new transaction without savepoints.

use rusqlite::Connection;

use super::super::super::{StoreError, StoreResult};
use super::super::job::Job;
use super::MAX_BATCH;

/// Jobs already run in the open transaction.
pub(super) struct Batch {
    jobs: Vec<Box<dyn Job>>,
    /// Whether `BEGIN` ran (the transaction is open).
    begun: bool,
    /// A statement of the batch itself failed: it is rolled back and every job gets this error.
    failed: Option<StoreError>,
}

impl Default for Batch {
    fn default() -> Self {
        Self { jobs: Vec::with_capacity(MAX_BATCH), begun: false, failed: None }
    }
}

impl Batch {
    /// How many jobs it holds.
    pub(super) fn len(&self) -> usize {
        self.jobs.len()
    }

    /// Whether it holds no job.
    pub(super) fn is_empty(&self) -> bool {
        self.jobs.is_empty()
    }

    /// Runs `job` in the batch's transaction, opening it first. Returns whether the batch must
    /// be committed now (the caller then does, before adding more): a job failed (and the batch
    /// ran again with savepoints), or a statement failed (and the batch can only be rolled back).
    pub(super) fn add(&mut self, conn: &Connection, mut job: Box<dyn Job>) -> bool {
        if !self.begun {
            if let Err(e) = exec(conn, "BEGIN IMMEDIATE") {
                self.jobs.push(job);
                self.failed = Some(e);
                return true;
            }
            self.begun = true;
        }
        let ran = job.run(conn);
        self.jobs.push(job);
        if ran {
            return false;
        }
        if let Err(e) = rollback(conn).and_then(|()| run_isolated(conn, &mut self.jobs)) {
            self.failed = Some(e);
        }
        true
    }

    /// Commits the transaction (or rolls back a failed one), tells every job if it committed,
    /// and returns the jobs with the outcome; the batch is empty again.
    pub(super) fn commit(&mut self, conn: &Connection) -> (Vec<Box<dyn Job>>, StoreResult<()>) {
        let outcome = match self.failed.take() {
            Some(e) => Err(e),
            None if self.begun => exec(conn, "COMMIT"),
            None => Ok(()),
        };
        self.begun = false;
        match &outcome {
            Ok(()) => self.jobs.iter_mut().for_each(|job| job.committed()),
            Err(_) => {
                if let Err(e) = rollback(conn) {
                    tracing::error!(error = %e, "rolling back a failed batch failed");
                }
            }
        }
        (std::mem::replace(&mut self.jobs, Vec::with_capacity(MAX_BATCH)), outcome)
    }
}

/// Opens a transaction and runs every job again, each in its own savepoint.
fn run_isolated(conn: &Connection, jobs: &mut [Box<dyn Job>]) -> StoreResult<()> {
    exec(conn, "BEGIN IMMEDIATE")?;
    for job in jobs.iter_mut() {
        exec(conn, "SAVEPOINT job")?;
        if !job.run(conn) {
            exec(conn, "ROLLBACK TO job")?;
        }
        exec(conn, "RELEASE job")?;
    }
    Ok(())
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
