//! Accounts: create, read, list, remove, and the profile fields (push name, "about").

use super::super::{
    check_phone, check_pushname, check_status_text, Account, StoreError, StoreResult,
};
use super::convert::{get, is_unique_violation, sql_u64, u64_of};
use super::db::Db;

pub(super) const NOT_FOUND: StoreError = StoreError::NotFound { what: "account" };

/// The internal id of the account with this phone number; `NotFound` if there is none.
pub(super) async fn id_of(db: &Db, phone: &str) -> StoreResult<i64> {
    find_id(db, phone).await?.ok_or(NOT_FOUND)
}

/// The internal id of the account with this phone number, if there is one.
pub(super) async fn find_id(db: &Db, phone: &str) -> StoreResult<Option<i64>> {
    let row = db.query_opt("SELECT id FROM accounts WHERE phone = $1", &[&phone]).await?;
    row.map(|r| get(&r, 0)).transpose()
}

/// Inserts a new account and returns its internal id.
pub(super) async fn create(db: &Db, account: &Account) -> StoreResult<i64> {
    check_phone(&account.phone)?;
    check_pushname(&account.pushname)?;
    check_status_text(&account.status_text)?;
    let created = sql_u64(account.created_ms, "created_ms")?;
    let sql = "INSERT INTO accounts (phone, pushname, status_text, created_ms)
               VALUES ($1, $2, $3, $4) RETURNING id";
    let params: [&(dyn tokio_postgres::types::ToSql + Sync); 4] =
        [&account.phone, &account.pushname, &account.status_text, &created];
    match db.query_opt_raw(sql, &params).await? {
        Ok(Some(row)) => get(&row, 0),
        Ok(None) => Err(StoreError::Corrupt("account id")),
        Err(e) if is_unique_violation(&e) => Err(StoreError::AlreadyExists { what: "account" }),
        Err(e) => Err(e.into()),
    }
}

const COLUMNS: &str = "phone, pushname, status_text, created_ms";

fn account_of(row: &tokio_postgres::Row) -> StoreResult<Account> {
    Ok(Account {
        phone: get(row, 0)?,
        pushname: get(row, 1)?,
        status_text: get(row, 2)?,
        created_ms: u64_of(get(row, 3)?, "account")?,
    })
}

/// One account, if it exists.
pub(super) async fn one(db: &Db, phone: &str) -> StoreResult<Option<Account>> {
    let sql = format!("SELECT {COLUMNS} FROM accounts WHERE phone = $1");
    db.query_opt(&sql, &[&phone]).await?.as_ref().map(account_of).transpose()
}

/// Every account, by phone number.
pub(super) async fn all(db: &Db) -> StoreResult<Vec<Account>> {
    let sql = format!("SELECT {COLUMNS} FROM accounts ORDER BY phone");
    db.query(&sql, &[]).await?.iter().map(account_of).collect()
}

/// The "about" text.
pub(super) async fn status_text(db: &Db, phone: &str) -> StoreResult<String> {
    let row = db.query_opt("SELECT status_text FROM accounts WHERE phone = $1", &[&phone]).await?;
    get(&row.ok_or(NOT_FOUND)?, 0)
}

/// Deletes an account; the foreign keys cascade to all its rows.
pub(super) async fn remove(db: &Db, phone: &str) -> StoreResult<()> {
    if db.execute("DELETE FROM accounts WHERE phone = $1", &[&phone]).await? == 0 {
        return Err(NOT_FOUND);
    }
    Ok(())
}

/// Sets the push name.
pub(super) async fn set_pushname(db: &Db, phone: &str, pushname: &str) -> StoreResult<()> {
    check_pushname(pushname)?;
    let sql = "UPDATE accounts SET pushname = $2 WHERE phone = $1";
    if db.execute(sql, &[&phone, &pushname]).await? == 0 {
        return Err(NOT_FOUND);
    }
    Ok(())
}

/// Sets the "about" text.
pub(super) async fn set_status_text(db: &Db, phone: &str, text: &str) -> StoreResult<()> {
    check_status_text(text)?;
    let sql = "UPDATE accounts SET status_text = $2 WHERE phone = $1";
    if db.execute(sql, &[&phone, &text]).await? == 0 {
        return Err(NOT_FOUND);
    }
    Ok(())
}
