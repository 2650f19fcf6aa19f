//! The [`Job`] a store method hands the writer: its closure, its outcome, and its caller.

use std::sync::Arc;

use rusqlite::Connection;
use tokio::sync::oneshot;

use super::super::{StoreError, StoreResult};
use super::cache::{AccountCache, Edit};
use super::writer::Job;

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
