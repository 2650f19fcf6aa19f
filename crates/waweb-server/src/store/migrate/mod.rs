//! `waweb migrate`: copies a SQLite store, whole, into an empty PostgreSQL store.
//!
//! Everything goes in **one PostgreSQL transaction**: a failure (or an interruption) leaves the
//! target as empty as it was, and the migration is simply run again; it is not resumable
//! midway. Rows keep their ids: the accounts' ids and the messages' `seq` are copied as they
//! are, so every chat keeps its order, every queue entry and group receipt its message; the
//! identity sequences then continue after the highest copied value. The target must be empty
//! (no account, group or session): a migration never merges into live data.
//!
//! The source is first opened as a [`SqliteStore`] (which brings an older file to the current
//! schema) and then read on a read-only connection, in batches of [`BATCH`] rows, each batch one
//! `INSERT … SELECT * FROM unnest(…)`.

mod columns;

use std::path::Path;

use tokio_postgres::NoTls;

use super::postgres::{parse_url, PgOptions, PgStore};
use super::sqlite::SqliteStore;
use super::{Store, StoreError, StoreResult};
use columns::{Batch, TABLES};

/// Rows per INSERT.
pub const BATCH: usize = 1_000;

/// How far a migration is, for a progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MigrationProgress {
    /// The table being copied.
    pub table: &'static str,
    /// Rows copied so far, all tables together.
    pub done: u64,
    /// Rows to copy in all.
    pub total: u64,
}

/// What a migration copied: rows per table, in copy order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MigrationReport {
    /// `(table, rows)`.
    pub tables: Vec<(&'static str, u64)>,
}

impl MigrationReport {
    /// Rows copied in all.
    pub fn rows(&self) -> u64 {
        self.tables.iter().map(|(_, rows)| rows).sum()
    }
}

/// Copies the SQLite store at `sqlite` into the empty PostgreSQL store at `url` (created or
/// migrated to the current schema first), calling `progress` after each batch.
pub async fn sqlite_to_postgres(
    sqlite: &Path,
    url: &str,
    options: PgOptions,
    mut progress: impl FnMut(MigrationProgress),
) -> StoreResult<MigrationReport> {
    if !sqlite.is_file() {
        return Err(StoreError::NotFound { what: "SQLite database" });
    }
    // Brings the file to the current schema, then lets go of it.
    SqliteStore::open(sqlite)?.close().await?;
    PgStore::open(url, options.clone()).await?.close().await?;
    let source = rusqlite::Connection::open_with_flags(
        sqlite,
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    // One snapshot of the source for the whole copy.
    source.execute_batch("BEGIN")?;
    let total = count(&source)?;

    let (mut client, connection) = parse_url(url, &options)?.connect(NoTls).await?;
    let driver = tokio::spawn(connection);
    let copied = async {
        let tx = client.transaction().await?;
        ensure_empty(&tx).await?;
        let mut report = MigrationReport::default();
        let mut done = 0;
        for table in TABLES {
            let mut rows = 0;
            let mut statement = source.prepare(table.source)?;
            let mut cursor = statement.query([])?;
            let mut batch = Batch::new(table, BATCH);
            loop {
                let row = cursor.next()?;
                if let Some(row) = row {
                    batch.push(row)?;
                }
                if batch.len() == BATCH || (row.is_none() && batch.len() > 0) {
                    tx.execute(&batch.sql(), &batch.params()).await?;
                    let n = u64::try_from(batch.len()).unwrap_or(u64::MAX);
                    (rows, done) = (rows + n, done + n);
                    progress(MigrationProgress { table: table.name, done, total });
                    batch = Batch::new(table, BATCH);
                }
                if row.is_none() {
                    break;
                }
            }
            report.tables.push((table.name, rows));
        }
        tx.batch_execute(
            "SELECT setval(pg_get_serial_sequence('accounts', 'id'),
                           coalesce((SELECT max(id) FROM accounts), 0) + 1, false);
             SELECT setval(pg_get_serial_sequence('messages', 'seq'),
                           coalesce((SELECT max(seq) FROM messages), 0) + 1, false);",
        )
        .await?;
        tx.commit().await?;
        Ok::<_, StoreError>(report)
    }
    .await;
    drop(client);
    let _ = driver.await;
    copied
}

/// Rows to copy in all.
fn count(source: &rusqlite::Connection) -> StoreResult<u64> {
    let mut total = 0;
    for table in TABLES {
        let sql = format!("SELECT count(*) FROM ({})", table.source);
        let n: i64 = source.query_row(&sql, [], |r| r.get(0))?;
        total += u64::try_from(n).unwrap_or(0);
    }
    Ok(total)
}

/// Refuses a target that holds anything.
async fn ensure_empty(tx: &tokio_postgres::Transaction<'_>) -> StoreResult<()> {
    let row = tx
        .query_one(
            "SELECT EXISTS (SELECT 1 FROM accounts) OR EXISTS (SELECT 1 FROM groups)
                    OR EXISTS (SELECT 1 FROM messages)",
            &[],
        )
        .await?;
    if row.try_get::<_, bool>(0).map_err(|_| StoreError::Corrupt("row"))? {
        return Err(StoreError::Conflict(
            "the PostgreSQL store is not empty: migrate into an empty database or schema",
        ));
    }
    Ok(())
}
