//! The blocklist of an account.

use rusqlite::{params, Connection};

use super::super::StoreResult;
use super::accounts;

/// Every blocklist entry as (account id, JID), sorted (loading the cache).
pub(super) fn all(conn: &Connection) -> StoreResult<Vec<(i64, String)>> {
    let mut stmt =
        conn.prepare("SELECT account_id, jid FROM blocklist ORDER BY account_id, jid")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// One account's blocklist, sorted.
pub(super) fn of(conn: &Connection, account: i64) -> StoreResult<Vec<String>> {
    let mut stmt =
        conn.prepare_cached("SELECT jid FROM blocklist WHERE account_id = ?1 ORDER BY jid")?;
    let rows = stmt.query_map([account], |r| r.get(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Replaces the blocklist (duplicates collapse).
pub(super) fn set(conn: &Connection, phone: &str, jids: &[String]) -> StoreResult<()> {
    let account = accounts::id_of(conn, phone)?;
    insert(conn, account, jids, true)
}

/// Adds JIDs to an account's blocklist, first emptying it if `replace`.
pub(super) fn insert(
    conn: &Connection,
    account: i64,
    jids: &[String],
    replace: bool,
) -> StoreResult<()> {
    if replace {
        conn.prepare_cached("DELETE FROM blocklist WHERE account_id = ?1")?.execute([account])?;
    }
    let mut stmt = conn.prepare_cached(
        "INSERT INTO blocklist (account_id, jid) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
    )?;
    for jid in jids {
        stmt.execute(params![account, jid])?;
    }
    Ok(())
}
