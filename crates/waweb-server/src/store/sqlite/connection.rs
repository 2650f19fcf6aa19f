//! Opening connections with the settings durability and concurrency depend on.

use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

use super::super::{StoreError, StoreResult};

/// How long a connection waits for a lock held by another connection before failing.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// The size (bytes) the WAL file is truncated to when it rewinds after having grown beyond it:
/// above the log length the checkpointer rewinds at ([`super::checkpointer::REWIND_BYTES`]), so
/// that a steady load reuses the file instead of cutting and regrowing it.
pub(super) const WAL_SIZE_LIMIT: i64 = 160 << 20;

/// The page size of a new database file (an existing file keeps its own).
///
/// A relay touches a few index pages per copy, and a commit writes every touched page whole into
/// the WAL, so smaller pages mean fewer bytes to checksum, write and checkpoint. 2 KiB gave the
/// highest relay peak of the sizes tried, with history paging unchanged (docs/PERFORMANCE.md,
/// "How the figures moved").
const PAGE_SIZE: i64 = 2048;

/// Prepared statements kept per connection; the store uses a few dozen distinct ones.
const STATEMENT_CACHE: usize = 64;

/// Opens the write connection of a database file: WAL, `synchronous=NORMAL` (the syncer makes
/// each commit durable before it is acknowledged), foreign keys.
pub(super) fn open_writer(path: &Path) -> StoreResult<Connection> {
    let conn = Connection::open(path)?;
    // Only takes effect before the file's first write (the switch to WAL below).
    conn.pragma_update(None, "page_size", PAGE_SIZE)?;
    let mode: String = conn.pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(StoreError::Backend(format!("cannot enable WAL (journal_mode is {mode})")));
    }
    configure_writer(&conn)?;
    Ok(conn)
}

/// Opens a private in-memory database with the writer's settings.
pub(super) fn open_writer_in_memory() -> StoreResult<Connection> {
    let conn = Connection::open_in_memory()?;
    configure_writer(&conn)?;
    Ok(conn)
}

fn configure_writer(conn: &Connection) -> StoreResult<()> {
    // In WAL mode NORMAL writes a commit's frames without syncing them (SQLite still syncs the
    // log's header after a rewind and both files around a checkpoint). Durability comes from the
    // syncer, which syncs the log before any commit is acknowledged, so an acknowledged write
    // survives a crash or power loss, not only a process kill.
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.pragma_update(None, "foreign_keys", true)?;
    // Never checkpoint at commit: the checkpointer thread does it on its own connection.
    conn.pragma_update(None, "wal_autocheckpoint", 0)?;
    // A log that grew during a burst is cut back to this size when it next rewinds.
    conn.pragma_update(None, "journal_size_limit", WAL_SIZE_LIMIT)?;
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    // 8 MiB of page cache (negative = KiB). At the end of a write transaction in which a page
    // split renumbered pages, SQLite walks its whole cache (the split parks a page at the
    // lock-byte page's number, past the end of any file under 1 GiB, and the end of the
    // transaction drops cached pages past the end). That is about a third of the commits under
    // relay load, so a big cache costs the writer: with 64 MiB the walk was 7% of its time at the
    // peak (`perf`), with 8 MiB under 2% at the peak and 5% at half of it. Pages that do not fit
    // are read back from the operating system's cache.
    conn.pragma_update(None, "cache_size", -8_192)?;
    configure_common(conn)
}

/// Opens the checkpointer's connection: it only ever runs `wal_checkpoint`.
pub(super) fn open_checkpointer(path: &Path) -> StoreResult<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags)?;
    // The copy into the database file is synced before the log may be reused.
    conn.pragma_update(None, "synchronous", "FULL")?;
    configure_common(&conn)?;
    Ok(conn)
}

/// Opens a read-only connection to a database file the writer already set up.
pub(super) fn open_reader(path: &Path) -> StoreResult<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags)?;
    // Read-write flags so the reader can map the WAL index; `query_only` forbids writes anyway.
    conn.pragma_update(None, "query_only", true)?;
    configure_common(&conn)?;
    Ok(conn)
}

fn configure_common(conn: &Connection) -> StoreResult<()> {
    conn.busy_timeout(BUSY_TIMEOUT)?;
    conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
    Ok(())
}
