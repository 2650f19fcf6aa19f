//! Where the store lives, as `--store` names it: the SQLite file in the data directory (the
//! default) or a PostgreSQL database.

use std::path::{Path, PathBuf};

use super::postgres::{self, PgOptions, PgStore};
use super::sqlite::SqliteStore;
use super::{AnyStore, StoreError, StoreResult};

/// A backend and where its data is.
#[derive(Clone, PartialEq, Eq)]
pub enum StoreLocation {
    /// A SQLite database file.
    Sqlite(PathBuf),
    /// A PostgreSQL database (its URL may hold a password: never printed, see `Debug`).
    Postgres {
        /// `postgres://…`.
        url: String,
        /// Connections in the pool.
        pool_size: usize,
    },
}

impl std::fmt::Debug for StoreLocation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StoreLocation::Sqlite(path) => f.debug_tuple("Sqlite").field(path).finish(),
            StoreLocation::Postgres { pool_size, .. } => f
                .debug_struct("Postgres")
                .field("url", &"<redacted>")
                .field("pool_size", pool_size)
                .finish(),
        }
    }
}

impl StoreLocation {
    /// Reads a `--store` value: absent or `sqlite` is the SQLite file `sqlite_file` (in the
    /// data directory), `postgres://…` (or `postgresql://…`) a PostgreSQL database.
    pub fn parse(store: Option<&str>, sqlite_file: &Path, pool_size: usize) -> StoreResult<Self> {
        match store.map(str::trim) {
            None | Some("") | Some("sqlite") => Ok(StoreLocation::Sqlite(sqlite_file.to_owned())),
            Some(url) if postgres::is_postgres_url(url) => {
                // Refused now, with the reason, rather than at the first connection.
                postgres::parse_url(url, &PgOptions { pool_size, ..PgOptions::default() })?;
                Ok(StoreLocation::Postgres { url: url.to_owned(), pool_size })
            }
            Some(_) => Err(StoreError::Invalid {
                field: "--store",
                reason: "expected `sqlite` or a postgres://USER@HOST:PORT/DATABASE URL",
            }),
        }
    }

    /// Whether this is the PostgreSQL backend.
    pub fn is_postgres(&self) -> bool {
        matches!(self, StoreLocation::Postgres { .. })
    }
}

impl AnyStore {
    /// Opens the store at `location` (creating or migrating its schema).
    pub async fn open(location: &StoreLocation) -> StoreResult<Self> {
        match location {
            StoreLocation::Sqlite(path) => Ok(AnyStore::Sqlite(SqliteStore::open(path)?)),
            StoreLocation::Postgres { url, pool_size } => {
                let options = PgOptions { pool_size: *pool_size, ..PgOptions::default() };
                Ok(AnyStore::Postgres(PgStore::open(url, options).await?))
            }
        }
    }
}
