//! Accounts: create, read, list, remove, and the profile fields (push name, "about").

use rusqlite::{params, Connection, OptionalExtension};

use super::super::{
    check_phone, check_pushname, check_status_text, Account, StoreError, StoreResult,
};
use super::convert::{is_unique_violation, sql_u64, u64_of};

pub(super) const NOT_FOUND: StoreError = StoreError::NotFound { what: "account" };

/// The internal id of the account with this phone number; `NotFound` if there is none.
pub(super) fn id_of(conn: &Connection, phone: &str) -> StoreResult<i64> {
    find_id(conn, phone)?.ok_or(NOT_FOUND)
}

/// The internal id of the account with this phone number, if there is one.
pub(super) fn find_id(conn: &Connection, phone: &str) -> StoreResult<Option<i64>> {
    Ok(conn
        .prepare_cached("SELECT id FROM accounts WHERE phone = ?1")?
        .query_row([phone], |r| r.get(0))
        .optional()?)
}

/// The internal id and push name of an account.
pub(super) fn id_and_pushname(conn: &Connection, phone: &str) -> StoreResult<(i64, String)> {
    conn.prepare_cached("SELECT id, pushname FROM accounts WHERE phone = ?1")?
        .query_row([phone], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?
        .ok_or(NOT_FOUND)
}

/// Inserts a new account and returns its internal id.
pub(super) fn create(conn: &Connection, account: &Account) -> StoreResult<i64> {
    check_phone(&account.phone)?;
    check_pushname(&account.pushname)?;
    check_status_text(&account.status_text)?;
    let created = sql_u64(account.created_ms, "created_ms")?;
    let inserted = conn
        .prepare_cached(
            "INSERT INTO accounts (phone, pushname, status_text, created_ms) VALUES (?1, ?2, ?3, ?4)",
        )?
        .execute(params![account.phone, account.pushname, account.status_text, created]);
    match inserted {
        Ok(_) => Ok(conn.last_insert_rowid()),
        Err(e) if is_unique_violation(&e) => Err(StoreError::AlreadyExists { what: "account" }),
        Err(e) => Err(e.into()),
    }
}

/// One account with its internal id, if there is one (an account the cache does not know).
pub(super) fn one(conn: &Connection, phone: &str) -> StoreResult<Option<(i64, Account)>> {
    let sql = "SELECT id, phone, pushname, status_text, created_ms FROM accounts WHERE phone = ?1";
    let row = conn.prepare_cached(sql)?.query_row([phone], row_of).optional()?;
    row.map(account_of).transpose()
}

type Row = (i64, String, String, String, i64);

fn row_of(r: &rusqlite::Row<'_>) -> rusqlite::Result<Row> {
    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
}

fn account_of((id, phone, pushname, status_text, created): Row) -> StoreResult<(i64, Account)> {
    Ok((id, Account { phone, pushname, status_text, created_ms: u64_of(created, "account")? }))
}

/// Every account with its internal id (loading the cache, listing).
pub(super) fn all(conn: &Connection) -> StoreResult<Vec<(i64, Account)>> {
    let sql = "SELECT id, phone, pushname, status_text, created_ms FROM accounts ORDER BY phone";
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt.query_map([], row_of)?;
    rows.map(|row| account_of(row?)).collect()
}

/// Deletes an account; the foreign keys cascade to all its rows.
pub(super) fn remove(conn: &Connection, phone: &str) -> StoreResult<()> {
    let removed = conn.prepare_cached("DELETE FROM accounts WHERE phone = ?1")?.execute([phone])?;
    if removed == 0 {
        return Err(NOT_FOUND);
    }
    Ok(())
}

/// Sets the push name.
pub(super) fn set_pushname(conn: &Connection, phone: &str, pushname: &str) -> StoreResult<()> {
    check_pushname(pushname)?;
    let sql = "UPDATE accounts SET pushname = ?2 WHERE phone = ?1";
    let changed = conn.prepare_cached(sql)?.execute([phone, pushname])?;
    if changed == 0 {
        return Err(NOT_FOUND);
    }
    Ok(())
}

/// Sets the "about" text.
pub(super) fn set_status_text(conn: &Connection, phone: &str, text: &str) -> StoreResult<()> {
    check_status_text(text)?;
    let sql = "UPDATE accounts SET status_text = ?2 WHERE phone = ?1";
    let changed = conn.prepare_cached(sql)?.execute([phone, text])?;
    if changed == 0 {
        return Err(NOT_FOUND);
    }
    Ok(())
}
