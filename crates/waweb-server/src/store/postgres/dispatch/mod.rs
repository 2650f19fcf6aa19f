//! `impl Store for PgStore` and the traits it gathers, one file per concept: how each method runs
//! (a pooled connection; a write also its account's lane and a transaction) and which concept's
//! file holds its SQL.

mod accounts;
mod chats;
mod groups;
mod messages;
mod sessions;

use crate::store::postgres::{seed, PgStore};
use crate::store::{SeedAccount, SeedReport, Store, StoreResult};

impl Store for PgStore {
    async fn seed(&self, accounts: Vec<SeedAccount>) -> StoreResult<SeedReport> {
        self.write("", true, move |mut db| async move {
            let seeded = seed::seed(&db, &accounts).await;
            db.finish(seeded).await
        })
        .await
    }

    async fn close(&self) -> StoreResult<()> {
        self.shutdown().await
    }
}
