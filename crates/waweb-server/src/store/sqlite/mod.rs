//! The SQLite backend: one file, WAL, group commit, an in-memory account cache.
//!
//! # Writes: group commit
//!
//! One connection, owned by a dedicated OS thread (see `writer/`), performs every write. Callers
//! send it a job over a bounded channel and await a `oneshot` answer. The thread runs each job
//! as it takes it from the channel, inside one open transaction, and commits once for the whole
//! batch. One `fsync` of the WAL is shared by the whole batch: that is what turns ~1 ms per
//! durable write into thousands of durable relays per second. A failed commit fails the whole
//! batch.
//!
//! The batch is committed when the channel is empty and the syncer (below) has nothing left to
//! sync, after 512 jobs, or when a job asks for it. A commit made while the syncer is busy waits
//! for the next sync anyway, and each commit writes every page it touched into the log again;
//! what holding the batch costs is that its commit no longer overlaps the running sync.
//! `docs/PERFORMANCE.md` has what it changed, and what it costs with few writers.
//!
//! # Durability: the syncer
//!
//! The commit itself does not wait for the disk (`synchronous=NORMAL`). The writer hands the
//! committed batch to a syncer thread (see `syncer.rs`), which `fdatasync`s the WAL and only then
//! answers each caller, while the writer already runs the next batch; one sync covers every
//! batch committed since the previous one. A caller is never told a write succeeded before it is
//! on disk, as with `synchronous=FULL`, but the writer no longer idles during each sync (the
//! relay peak this gained is in `docs/PERFORMANCE.md`).
//! Readers may see a commit a few milliseconds before it is durable. In-memory databases have no
//! syncer: their jobs are answered at commit.
//!
//! A job that fails must fail alone. Per-job savepoints would do that, but cost two statements
//! and a copy of every page each job touches first, for every job; so a batch first runs without
//! them, and only when a job fails is the transaction rolled back and the batch run again with
//! each job in its own `SAVEPOINT` (jobs are `Fn` closures that only touch the connection, so
//! running one twice is harmless). Jobs that change an account can end their batch early (see
//! below).
//!
//! The writer is a `std` thread, not a task, so it needs no runtime and never blocks one; it
//! finishes the queued jobs and stops when the store is closed or dropped.
//!
//! # Checkpoints
//!
//! The writer runs with `wal_autocheckpoint=0`: a commit never turns into a checkpoint (which
//! used to stall it for milliseconds). A checkpointer thread with its own connection (see
//! `checkpointer/`) runs `PASSIVE` checkpoints: once the log reaches the rewind point (the writer
//! reports its length after each commit), or a second after the previous copy if it is shorter,
//! since a copy writes each page once however often the log rewrote it. At the rewind point it
//! catches up and then lets the writer copy the last few frames between two batches, so that the
//! next transaction rewinds the log: the WAL stays bounded under sustained load. At close the
//! checkpointer stops first, then the writer checkpoints and closes its connection.
//!
//! # The account cache
//!
//! Every account (row id, profile, blocklist) is kept in memory (see `cache.rs`), loaded at
//! open. Since every write goes through the writer, the store knows each change: a write that
//! changes an account returns an edit that is applied right after its commit succeeded, before
//! the next batch runs (in commit order, on the writer thread). `account`, `accounts`,
//! `status_text` and `blocklist` are then answered from memory without a thread hop, and the
//! relay and group jobs take account ids (and push names) from it (`AccountCache::id_of`). An
//! account created earlier in the same batch, or by another process, is not cached, so a miss
//! falls back to SQL (the account list is always read from the table); a
//! removal ends its batch, so a later job never uses the removed account's cached id (which a
//! new account may reuse).
//!
//! # Reads
//!
//! Other reads run on a small pool of separate connections (see `readers.rs`), each inside a read
//! transaction so a multi-statement read sees one snapshot. WAL lets them run while the writer
//! writes, without ever waiting for it. They run right on the calling task's thread: every read
//! the server makes is a short indexed lookup or a bounded page (at most a few hundred rows), and
//! handing it to a blocking-pool thread cost two cross-thread wake-ups, more than the read itself
//! (measured: a restore storm went from 1.3k to 2.7k handshakes/s and the server's CPU per relay
//! dropped by 40% when reads stopped hopping). An in-memory database cannot be shared between
//! connections, so [`SqliteStore::open_in_memory`] sends reads to the writer thread too.

mod accounts;
mod blocklist;
mod cache;
mod chats;
mod checkpointer;
mod connection;
mod contacts;
mod convert;
mod deliveries;
mod dispatch;
mod fan_out;
mod group_cache;
mod group_receipts;
mod groups;
mod job;
mod messages;
mod migrations;
mod pictures;
mod readers;
mod relay;
mod removal;
mod seed;
mod sessions;
mod starred;
mod syncer;
mod writer;

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;

use rusqlite::Connection;
use tokio::sync::{mpsc, oneshot};

use self::cache::{AccountCache, Edit};
use self::checkpointer::Checkpointer;
use self::readers::ReadPool;
use self::syncer::Syncer;
use self::writer::Request;
use super::{StoreError, StoreResult};

/// How many idle read connections are kept open between reads (one per thread that reads).
const READ_POOL_SIZE: usize = 16;

/// How many write jobs may wait for the writer before callers wait to submit.
const WRITE_QUEUE: usize = 4 * writer::MAX_BATCH;

/// A [`Store`](super::Store) in one SQLite database file.
pub struct SqliteStore {
    /// Taken (dropped) on drop, which tells the writer to finish and stop.
    jobs: Option<mpsc::Sender<Request>>,
    writer: Option<JoinHandle<()>>,
    reads: Reads,
    /// Every account's profile and blocklist, kept equal to the committed rows.
    cache: Arc<AccountCache>,
    /// The groups read so far.
    groups: group_cache::GroupCache,
    closed: AtomicBool,
}

/// Where reads run.
enum Reads {
    /// On their own connections (file databases): at most one per runtime thread is ever busy,
    /// since a read never yields.
    Pool(ReadPool),
    /// On the writer's connection (in-memory databases).
    Writer,
}

impl SqliteStore {
    /// Opens (creating it if needed) the database at `path`, applies pending migrations and
    /// starts the writer thread.
    pub fn open(path: impl AsRef<Path>) -> StoreResult<Self> {
        let path = path.as_ref();
        let mut conn = connection::open_writer(path)?;
        migrations::apply(&mut conn)?;
        let pool = ReadPool::new(path.to_path_buf(), READ_POOL_SIZE);
        let (jobs, queue) = mpsc::channel(WRITE_QUEUE);
        let helpers = writer::Helpers {
            checkpointer: Some(Checkpointer::start(path)?),
            syncer: Some(Syncer::for_database(path, writer::waker(&jobs))?),
        };
        Self::start(conn, (jobs, queue), Reads::Pool(pool), helpers)
    }

    /// Opens a fresh private in-memory database (for tests); it vanishes with the store.
    pub fn open_in_memory() -> StoreResult<Self> {
        let mut conn = connection::open_writer_in_memory()?;
        migrations::apply(&mut conn)?;
        let channel = mpsc::channel(WRITE_QUEUE);
        Self::start(conn, channel, Reads::Writer, writer::Helpers::default())
    }

    fn start(
        conn: Connection,
        (jobs, queue): (mpsc::Sender<Request>, mpsc::Receiver<Request>),
        reads: Reads,
        helpers: writer::Helpers,
    ) -> StoreResult<Self> {
        let cache = Arc::new(AccountCache::load(&conn)?);
        let writer = writer::spawn(conn, queue, helpers)?;
        Ok(Self {
            jobs: Some(jobs),
            writer: Some(writer),
            reads,
            cache,
            groups: group_cache::GroupCache::default(),
            closed: AtomicBool::new(false),
        })
    }

    /// Runs `f` on the writer connection as part of the next group commit, and resolves once
    /// that commit is durable.
    async fn write<T, F>(&self, f: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: Fn(&Connection) -> StoreResult<T> + Send + 'static,
    {
        self.submit(false, move |c| f(c).map(|t| (t, None))).await
    }

    /// Like [`write`](Self::write) for a write that changes cached account data: `f` also
    /// returns the [`Edit`], applied to the cache once the commit succeeded. With `ends_batch`
    /// the commit follows this job at once, so later jobs see the cache after the edit (an
    /// account removal: a later job must not use its cached id, which a new account may reuse).
    async fn write_edit<T, F>(&self, ends_batch: bool, f: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: Fn(&Connection) -> StoreResult<(T, Edit)> + Send + 'static,
    {
        self.submit(ends_batch, move |c| f(c).map(|(t, edit)| (t, Some(edit)))).await
    }

    async fn submit<T, F>(&self, ends_batch: bool, f: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: Fn(&Connection) -> job::Outcome<T> + Send + 'static,
    {
        let jobs = self.jobs.as_ref().ok_or(StoreError::Closed)?;
        let (caller, answered) = oneshot::channel();
        let job = Box::new(job::Write::new(f, caller, Arc::clone(&self.cache)));
        let request = Request::Job { job, ends_batch };
        // Queued at the first poll, or waiting in line for room: tokio's bounded channel hands
        // out room in the order asked, which keeps writes in first-poll order (see `Store`).
        // Unconstrained: once a task has used up its cooperative budget, tokio resources answer
        // `Pending` without doing anything, and a write would then not join the line at its
        // first poll.
        let send = tokio::task::unconstrained(jobs.send(request));
        send.await.map_err(|_| StoreError::Closed)?;
        answered.await.map_err(|_| StoreError::Closed)?
    }

    /// Runs `f` on the cached entry of an account, without touching the database; on a miss,
    /// on the account's rows if another process created it (`None` if there is no such account).
    fn cached<T>(&self, phone: &str, f: impl FnOnce(&cache::Entry) -> T) -> StoreResult<Option<T>> {
        self.ensure_open()?;
        match (self.cache.try_with(phone, f), &self.reads) {
            (Ok(found), _) => Ok(Some(found)),
            // An in-memory database has no other writer.
            (Err(_), Reads::Writer) => Ok(None),
            (Err(f), Reads::Pool(pool)) => {
                Ok(pool.run(|c| cache::from_table(c, phone))?.as_ref().map(f))
            }
        }
    }

    /// Every account, by phone number: from the table for a file (which another process may
    /// have changed), from the cache in memory.
    async fn listed(&self) -> StoreResult<Vec<super::Account>> {
        self.ensure_open()?;
        match &self.reads {
            Reads::Writer => Ok(self.cache.list()),
            Reads::Pool(pool) => {
                Ok(pool.run(accounts::all)?.into_iter().map(|(_, account)| account).collect())
            }
        }
    }

    /// `Closed` once [`close`](super::Store::close) was called: reads stop with the writes.
    fn ensure_open(&self) -> StoreResult<()> {
        if self.closed.load(Ordering::Acquire) {
            Err(StoreError::Closed)
        } else {
            Ok(())
        }
    }

    /// Runs `f` on a read connection, in one read transaction, on the calling thread.
    async fn read<T, F>(&self, f: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: Fn(&Connection) -> StoreResult<T> + Send + 'static,
    {
        self.ensure_open()?;
        match &self.reads {
            Reads::Writer => self.write(f).await,
            Reads::Pool(pool) => pool.run(f),
        }
    }

    /// Asks the writer to finish what is queued and stop, and waits until it has.
    async fn shutdown(&self) -> StoreResult<()> {
        self.closed.store(true, Ordering::Release);
        let jobs = self.jobs.as_ref().ok_or(StoreError::Closed)?;
        let (done, stopped) = oneshot::channel();
        if jobs.send(Request::Close(done)).await.is_err() {
            // Already stopped by an earlier close.
            return Ok(());
        }
        stopped.await.map_err(|_| StoreError::Closed)
    }
}

impl Drop for SqliteStore {
    fn drop(&mut self) {
        // Dropping the only sender ends the writer's queue: it commits what is left and exits.
        self.jobs = None;
        if let Some(writer) = self.writer.take() {
            if writer.join().is_err() {
                tracing::error!("store writer thread panicked");
            }
        }
    }
}
