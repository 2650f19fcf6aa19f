//! The pool of read connections.

use std::path::PathBuf;
use std::sync::Mutex;

use rusqlite::Connection;

use super::super::StoreResult;
use super::connection;

/// Read connections to one database file, opened on demand and kept up to a bound.
pub(super) struct ReadPool {
    path: PathBuf,
    idle: Mutex<Vec<Connection>>,
    keep: usize,
}

impl ReadPool {
    /// A pool that keeps at most `keep` idle connections.
    pub(super) fn new(path: PathBuf, keep: usize) -> Self {
        Self { path, idle: Mutex::new(Vec::with_capacity(keep)), keep }
    }

    /// Runs `f` in one read transaction on a pooled connection (blocking).
    pub(super) fn run<T>(&self, f: impl FnOnce(&Connection) -> StoreResult<T>) -> StoreResult<T> {
        let conn = self.take()?;
        let result = in_read_transaction(&conn, f);
        // A connection whose transaction could not end is not fit for reuse.
        if conn.is_autocommit() {
            self.give(conn);
        }
        result
    }

    fn take(&self) -> StoreResult<Connection> {
        let pooled = self.idle.lock().unwrap_or_else(|e| e.into_inner()).pop();
        match pooled {
            Some(conn) => Ok(conn),
            None => connection::open_reader(&self.path),
        }
    }

    fn give(&self, conn: Connection) {
        let mut idle = self.idle.lock().unwrap_or_else(|e| e.into_inner());
        if idle.len() < self.keep {
            idle.push(conn);
        }
    }
}

fn in_read_transaction<T>(
    conn: &Connection,
    f: impl FnOnce(&Connection) -> StoreResult<T>,
) -> StoreResult<T> {
    conn.prepare_cached("BEGIN")?.execute([])?;
    let result = f(conn);
    // Nothing was written: ending the snapshot is all COMMIT does here.
    conn.prepare_cached("COMMIT")?.execute([])?;
    result
}
