//! `--store` and `--store-pool`: which storage backend a server-side command uses.

use anyhow::Context;
use waweb_server::store::{AnyStore, StoreLocation};

/// Where the accounts, chats and messages are stored.
#[derive(Debug, Clone, clap::Args)]
pub struct StoreArgs {
    /// The store: `sqlite` (the default: `waweb.db` in the data directory) or a PostgreSQL
    /// database, postgres://USER:PASSWORD@HOST:PORT/DATABASE (password and port optional), which several servers may
    /// share. No TLS to PostgreSQL: leave sslmode out or set sslmode=disable.
    #[arg(long = "store", env = "WAWEB_STORE", value_name = "sqlite|URL", hide_env_values = true)]
    pub store: Option<String>,
    /// Connections to PostgreSQL kept in the pool (a postgres:// store only).
    #[arg(
        long = "store-pool",
        env = "WAWEB_STORE_POOL",
        value_name = "N",
        default_value_t = 16,
        value_parser = clap::value_parser!(u16).range(1..=512)
    )]
    pub pool: u16,
}

impl StoreArgs {
    /// Sets the configuration's store.
    pub fn apply(&self, config: &mut waweb_server::Config) {
        config.store.clone_from(&self.store);
        config.store_pool_size = usize::from(self.pool);
    }

    /// The location for a data directory's configuration.
    pub fn location(&self, config: &waweb_server::Config) -> anyhow::Result<StoreLocation> {
        let mut config = config.clone();
        self.apply(&mut config);
        config.store_location().context("bad --store")
    }
}

/// Opens the store at `location`, saying which one failed.
pub async fn open(location: &StoreLocation) -> anyhow::Result<AnyStore> {
    let what = match location {
        StoreLocation::Sqlite(path) => format!("the database {}", path.display()),
        StoreLocation::Postgres { .. } => "the PostgreSQL store".to_owned(),
    };
    AnyStore::open(location).await.with_context(|| format!("cannot open {what}"))
}
