//! The PostgreSQL backend: several waweb nodes sharing one database.
//!
//! # Connections
//!
//! [`PgStore`] holds a bounded pool of connections (`deadpool-postgres` over `tokio-postgres`,
//! [`PgOptions::pool_size`], 16 by default); a request takes one for its length and returns it.
//! Requests beyond the pool's size wait for a connection, at most [`POOL_WAIT`]. There is no
//! TLS: the database is reached over a trusted network or a local socket, and a URL that asks
//! for TLS (`sslmode=require`, `verify-ca`, `verify-full`, or `prefer`) is refused at open
//! rather than silently used in clear.
//!
//! # No caches
//!
//! Every answer comes from the database. The SQLite backend keeps accounts, blocklists and
//! groups in memory, which is correct only because one process owns its file and sees every
//! write; here another node may create, change or remove any of them at any time, so a cached
//! "absent" or a cached blocklist would be wrong.
//!
//! # Writes
//!
//! Each write is one transaction (READ COMMITTED) that locks the rows it changes; the relay
//! is one call of a server-side function (`migrations.rs`), so one round trip. The trait's
//! write order ("in the order first polled") is kept per account: a write takes its place in
//! one of [`LANES`] FIFO lanes, chosen by its account (phone number, client id or group JID),
//! at its first poll, and holds it until it commits. Writes of one account on one node are
//! thus applied in order; writes of different accounts run in parallel on the pool. Across
//! nodes there is no order to keep: one account's web session lives on one node.
//!
//! # Message order
//!
//! `messages.seq` comes from a sequence, drawn when the row is inserted; with several writers
//! a lower `seq` may commit after a higher one. What makes it an order nonetheless:
//!
//! * **Within one chat, `seq` order is commit order.** Every insert of a message first locks
//!   its chat's row (creating the chat if needed) and draws the `seq` while holding that lock,
//!   until commit. Two messages of one chat are thus drawn one transaction after the other, so
//!   a reader that has seen a message of a chat will never later see an older `seq` appear in
//!   that chat. History pages (`seq` before/after a cursor, in one chat), the newest message
//!   of a chat, and the "messages there when the clear started" rule of chat removal all rely
//!   on this only.
//! * **Across chats, `seq` is only roughly the insertion order.** The delivery queue of an
//!   account (ordered by `seq`, across its chats) may see an entry appear behind one it has
//!   already read; that is harmless, since the queue is drained by acknowledgement, not by a
//!   cursor: the late entry is pushed with the next batch. The starred list across chats is
//!   ordered the same way.
//!
//! A relay locks its two chat rows in account-id order, and a group message locks its members'
//! chats in phone-number order, so two of them never wait for each other in a circle; a
//! deadlock PostgreSQL still detects (an unusual mix of writes) fails the relay's attempt,
//! which is retried.
//!
//! # Schema
//!
//! The tables of the SQLite schema (see [`crate::store`]), with `bigint` identity ids (never
//! reused), `COLLATE "C"` text, and the queue and the group receipts referencing their message
//! (`ON DELETE CASCADE`). Versioned migrations: see `migrations.rs`.

mod accounts;
mod blocklist;
mod chats;
mod chunked;
mod contacts;
mod convert;
mod db;
mod deliveries;
mod dispatch;
mod fan_out;
mod group_receipts;
mod groups;
mod messages;
mod migrations;
mod pictures;
mod relay;
mod removal;
mod seed;
mod sessions;
mod starred;

use std::future::Future;
use std::hash::{Hash, Hasher};
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod, Runtime};
use tokio::sync::{mpsc, oneshot};
use tokio_postgres::config::SslMode;
use tokio_postgres::NoTls;

use self::db::Db;
use super::{StoreError, StoreResult};

/// The pool's size unless told otherwise.
pub const DEFAULT_POOL_SIZE: usize = 16;
/// The most connections a pool may have (PostgreSQL's own default `max_connections` is 100).
pub const MAX_POOL_SIZE: usize = 512;
/// How many write lanes keep each account's writes in order.
pub const LANES: usize = 64;
/// How long a request waits for a free connection before failing.
pub const POOL_WAIT: Duration = Duration::from_secs(30);
/// Writes that may wait in one lane before callers wait to submit.
const LANE_QUEUE: usize = 256;
/// How long opening one connection may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// How to open a [`PgStore`].
#[derive(Debug, Clone)]
pub struct PgOptions {
    /// Connections in the pool (1 to [`MAX_POOL_SIZE`]).
    pub pool_size: usize,
    /// The schema the store's tables live in (it must exist); `None`: the server's
    /// `search_path` (normally `public`). Letters, digits and `_` only.
    pub schema: Option<String>,
    /// The name the connections show in `pg_stat_activity` (tells nodes apart); `waweb` if
    /// `None`.
    pub application_name: Option<String>,
}

impl Default for PgOptions {
    fn default() -> Self {
        Self { pool_size: DEFAULT_POOL_SIZE, schema: None, application_name: None }
    }
}

/// A [`Store`](super::Store) in a PostgreSQL database, shareable by several nodes.
pub struct PgStore {
    pool: Pool,
    lanes: Vec<mpsc::Sender<Job>>,
    closed: AtomicBool,
}

/// One write, run by its lane's task with the pool.
type Job = Box<dyn FnOnce(Pool) -> Pin<Box<dyn Future<Output = ()> + Send>> + Send>;

/// Runs a lane's writes one after the other, until the store is dropped.
async fn drain(pool: Pool, mut jobs: mpsc::Receiver<Job>) {
    while let Some(job) = jobs.recv().await {
        job(pool.clone()).await;
    }
}

impl std::fmt::Debug for PgStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgStore").field("pool", &self.pool.status()).finish_non_exhaustive()
    }
}

/// Whether `url` names a PostgreSQL database (`postgres://` or `postgresql://`).
pub fn is_postgres_url(url: &str) -> bool {
    url.starts_with("postgres://") || url.starts_with("postgresql://")
}

/// Parses a `postgres://` URL, refusing what this backend would not honour.
pub fn parse_url(url: &str, options: &PgOptions) -> StoreResult<tokio_postgres::Config> {
    const BAD_URL: StoreError = StoreError::Invalid {
        field: "PostgreSQL URL",
        reason: "expected postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?sslmode=disable]",
    };
    if !is_postgres_url(url) {
        return Err(BAD_URL);
    }
    let query = url.split_once('?').map_or("", |(_, q)| q);
    for pair in query.split('&') {
        if let Some(("sslmode", mode)) = pair.split_once('=') {
            if mode != "disable" {
                return Err(StoreError::Invalid {
                    field: "PostgreSQL URL",
                    reason: "TLS to PostgreSQL is not supported: use sslmode=disable (or leave \
                             it out) and reach the database over a trusted network or a socket",
                });
            }
        }
    }
    let mut config: tokio_postgres::Config = url.parse().map_err(|_| BAD_URL)?;
    config.ssl_mode(SslMode::Disable);
    config.application_name(options.application_name.as_deref().unwrap_or("waweb"));
    config.connect_timeout(CONNECT_TIMEOUT);
    if let Some(schema) = &options.schema {
        let valid = !schema.is_empty()
            && schema.len() <= 63
            && schema.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
        if !valid {
            return Err(StoreError::Invalid {
                field: "schema",
                reason: "letters, digits and _ only, at most 63",
            });
        }
        let existing = config.get_options().map(str::to_owned).unwrap_or_default();
        config.options(format!("{existing} -c search_path={schema}").trim_start());
    }
    Ok(config)
}

impl PgStore {
    /// Connects to the database at `url`, applies pending migrations, and keeps a pool of
    /// connections. Fails if the database cannot be reached.
    pub async fn open(url: &str, options: PgOptions) -> StoreResult<Self> {
        if !(1..=MAX_POOL_SIZE).contains(&options.pool_size) {
            return Err(StoreError::Invalid { field: "pool size", reason: "from 1 to 512" });
        }
        let config = parse_url(url, &options)?;
        let manager = Manager::from_config(
            config,
            NoTls,
            ManagerConfig { recycling_method: RecyclingMethod::Fast },
        );
        let pool = Pool::builder(manager)
            .max_size(options.pool_size)
            .runtime(Runtime::Tokio1)
            .wait_timeout(Some(POOL_WAIT))
            .create_timeout(Some(CONNECT_TIMEOUT))
            .build()
            .map_err(|e| StoreError::backend(format!("PostgreSQL connection pool: {e}"), e))?;
        let mut db = Db::get(&pool).await.map_err(unreachable_database)?;
        migrations::apply(&mut db).await?;
        drop(db);
        let lanes = (0..LANES)
            .map(|_| {
                let (lane, jobs) = mpsc::channel(LANE_QUEUE);
                tokio::spawn(drain(pool.clone(), jobs));
                lane
            })
            .collect();
        Ok(Self { pool, lanes, closed: AtomicBool::new(false) })
    }

    /// The connection pool, for the media blobs kept in the same database
    /// ([`crate::media::pg`]).
    pub(crate) fn pool(&self) -> &Pool {
        &self.pool
    }

    /// The schema version this build writes.
    pub fn schema_version() -> i64 {
        migrations::supported_version()
    }

    /// `Closed` once [`close`](super::Store::close) was called.
    fn ensure_open(&self) -> StoreResult<()> {
        if self.closed.load(Ordering::Acquire) {
            Err(StoreError::Closed)
        } else {
            Ok(())
        }
    }

    /// A connection for a read (no transaction: each read is one statement, or a lookup of the
    /// account and then one statement).
    async fn read(&self) -> StoreResult<Db> {
        self.ensure_open()?;
        Db::get(&self.pool).await
    }

    /// Runs `f` as a write of `key`'s account, in its lane (see the module docs), on a
    /// connection in a transaction if `begin` (else a single statement is its own); `f` ends
    /// the transaction with [`Db::finish`].
    async fn write<T, F, Fut>(&self, key: &str, begin: bool, f: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: FnOnce(Db) -> Fut + Send + 'static,
        Fut: Future<Output = StoreResult<T>> + Send + 'static,
    {
        self.ensure_open()?;
        let (answer, answered) = oneshot::channel();
        let job: Job = Box::new(move |pool| {
            Box::pin(async move {
                let done = async {
                    let mut db = Db::get(&pool).await?;
                    if begin {
                        db.begin().await?;
                    }
                    f(db).await
                };
                // The caller may have gone: nobody to tell.
                let _ = answer.send(done.await);
            })
        });
        let lane = &self.lanes[lane_of(key)];
        // Unconstrained: a task that used up its cooperative budget would otherwise not join
        // the lane's queue at its first poll (see `Store`).
        tokio::task::unconstrained(lane.send(job)).await.map_err(|_| StoreError::Closed)?;
        answered.await.map_err(|_| StoreError::Closed)?
    }

    /// Waits for every write already in a lane, then closes the pool.
    async fn shutdown(&self) -> StoreResult<()> {
        self.closed.store(true, Ordering::Release);
        for lane in &self.lanes {
            let (done, finished) = oneshot::channel::<()>();
            let marker: Job = Box::new(move |_| {
                Box::pin(async move {
                    let _ = done.send(());
                })
            });
            if lane.send(marker).await.is_ok() {
                let _ = finished.await;
            }
        }
        self.pool.close();
        Ok(())
    }
}

/// The lane of an account.
fn lane_of(key: &str) -> usize {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    key.hash(&mut hasher);
    usize::try_from(hasher.finish() % LANES as u64).unwrap_or(0)
}

/// The error of a first connection that failed, saying what to check.
fn unreachable_database(e: StoreError) -> StoreError {
    match e {
        StoreError::Backend(failure) => {
            let text = failure.text().to_owned();
            StoreError::Backend(failure.reworded(format!(
                "cannot connect to PostgreSQL ({text}); check that it runs, and the URL's host, \
                 port, user and database"
            )))
        }
        other => other,
    }
}
