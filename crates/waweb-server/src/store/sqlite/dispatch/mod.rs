//! `impl Store for SqliteStore` and the traits it gathers, one file per concept: where each method
//! runs (a job for the writer thread, or a pooled reader) and which concept's file holds its SQL.

mod accounts;
mod chats;
mod groups;
mod messages;
mod sessions;

use crate::store::sqlite::cache::Edit;
use crate::store::sqlite::{seed, SqliteStore};
use crate::store::{SeedAccount, SeedReport, Store, StoreResult};

impl Store for SqliteStore {
    /// One writer task applies the writes in the order they joined its queue, which a write
    /// does at its first poll.
    fn orders_writes(&self) -> bool {
        true
    }

    async fn seed(&self, accounts: Vec<SeedAccount>) -> StoreResult<SeedReport> {
        self.write_edit(false, move |c| {
            seed::seed(c, &accounts).map(|(report, added)| (report, Edit::Added(added)))
        })
        .await
    }

    async fn close(&self) -> StoreResult<()> {
        self.shutdown().await
    }
}
