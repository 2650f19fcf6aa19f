//! A [`Job`]: one write as the writer runs it and the syncer answers it, and [`Write`], the job
//! a store method hands the writer (its closure, its outcome, and its caller).
//!
//! The trait is here, not in the writer, so that the syncer (which answers jobs) and the writer
//! (which runs them, and hands them to the syncer) both depend on it and not on each other.

use std::sync::Arc;

use rusqlite::Connection;
use tokio::sync::oneshot;

use super::super::{StoreError, StoreResult};
use super::cache::{AccountCache, Edit};

/// A write. [`Job::run`] may be called twice: a batch first runs without savepoints, and if one
/// of its jobs fails it is rolled back and run again with each job in its own savepoint (see
/// `writer/batch.rs`). So `run` only touches the connection and keeps its latest outcome;
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

/// Answers every job of a batch with the same outcome.
pub(super) fn answer(jobs: Vec<Box<dyn Job>>, outcome: &StoreResult<()>) {
    for job in jobs {
        job.answer(outcome);
    }
}

/// What a write closure returns: the caller's value and the cache change it made, if any.
pub(super) type Outcome<T> = StoreResult<(T, Option<Edit>)>;

/// A write closure with the channel its caller waits on.
pub(super) struct Write<T, F> {
    f: F,
    outcome: Option<Outcome<T>>,
    caller: oneshot::Sender<StoreResult<T>>,
    cache: Arc<AccountCache>,
}

impl<T, F> Write<T, F>
where
    F: Fn(&Connection) -> Outcome<T>,
{
    /// A job for `f`, applying its edit to `cache` once committed and answering on `caller`.
    pub(super) fn new(
        f: F,
        caller: oneshot::Sender<StoreResult<T>>,
        cache: Arc<AccountCache>,
    ) -> Self {
        Self { f, outcome: None, caller, cache }
    }
}

impl<T, F> Job for Write<T, F>
where
    T: Send,
    F: Fn(&Connection) -> Outcome<T> + Send,
{
    fn run(&mut self, conn: &Connection) -> bool {
        let outcome = (self.f)(conn);
        let ok = outcome.is_ok();
        self.outcome = Some(outcome);
        ok
    }

    fn committed(&mut self) {
        if let Some(Ok((_, edit))) = &mut self.outcome {
            if let Some(edit) = edit.take() {
                self.cache.apply(edit);
            }
        }
    }

    fn answer(self: Box<Self>, batch: &StoreResult<()>) {
        let Self { outcome, caller, .. } = *self;
        let outcome =
            outcome.unwrap_or_else(|| Err(StoreError::backend_message("write never ran")));
        let result = batch.clone().and(outcome).map(|(value, _)| value);
        // The caller may have given up waiting; nothing to do then.
        let _ = caller.send(result);
    }
}
