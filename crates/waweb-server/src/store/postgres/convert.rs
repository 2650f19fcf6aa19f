//! Conversions between the store's types and PostgreSQL values, and the mapping of PostgreSQL
//! errors onto [`StoreError`].

use tokio_postgres::error::SqlState;

use super::super::{StoreError, StoreResult};

/// SQLSTATE the server-side functions raise for "no such account" (`migrations.rs`).
pub(super) const NO_ACCOUNT_STATE: &str = "WW404";
/// SQLSTATE they raise for an own message id that a removed message had.
pub(super) const SPENT_STATE: &str = "WW409";
/// SQLSTATE they raise when a concurrent relay stored the same message first.
pub(super) const DUPLICATE_STATE: &str = "WW200";

impl From<tokio_postgres::Error> for StoreError {
    fn from(e: tokio_postgres::Error) -> Self {
        match e.code().map(SqlState::code) {
            Some(NO_ACCOUNT_STATE) => return StoreError::NotFound { what: "account" },
            Some(SPENT_STATE) => {
                return StoreError::Conflict("this message id was used by a message since removed")
            }
            _ => {}
        }
        let code = e.code();
        if code == Some(&SqlState::CHARACTER_NOT_IN_REPERTOIRE)
            || code == Some(&SqlState::UNTRANSLATABLE_CHARACTER)
        {
            // PostgreSQL text holds no NUL character, SQLite's does: refused as input, not a
            // failure of the database.
            return StoreError::Invalid { field: "text", reason: "contains a NUL character" };
        }
        if code == Some(&SqlState::FOREIGN_KEY_VIOLATION) {
            // What a row referenced was removed meanwhile (by another request or node).
            let constraint = e.as_db_error().and_then(|d| d.constraint()).unwrap_or("");
            let what = if constraint.contains("group_jid") { "group" } else { "account" };
            return StoreError::NotFound { what };
        }
        StoreError::backend(describe(&e), e)
    }
}

impl From<deadpool_postgres::PoolError> for StoreError {
    fn from(e: deadpool_postgres::PoolError) -> Self {
        use deadpool_postgres::PoolError as P;
        match e {
            P::Closed => StoreError::Closed,
            P::Backend(e) => e.into(),
            other => StoreError::backend(format!("PostgreSQL connection pool: {other}"), other),
        }
    }
}

/// The error with every source under it: `tokio_postgres::Error`'s own text is only its kind
/// ("db error", "error connecting to server"), the cause is in the chain. The message says it
/// all (logs print only the message); the error itself is kept as the source.
pub(super) fn describe(e: &(dyn std::error::Error + 'static)) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}

/// Whether `e` is a UNIQUE or PRIMARY KEY violation.
pub(super) fn is_unique_violation(e: &tokio_postgres::Error) -> bool {
    e.code() == Some(&SqlState::UNIQUE_VIOLATION)
}

/// Whether `e` is the state a server-side function raised.
pub(super) fn has_state(e: &tokio_postgres::Error, state: &str) -> bool {
    e.code().map(SqlState::code) == Some(state)
}

/// Whether PostgreSQL broke a deadlock by failing this transaction (worth one more try).
pub(super) fn is_deadlock(e: &tokio_postgres::Error) -> bool {
    e.code() == Some(&SqlState::T_R_DEADLOCK_DETECTED)
}

/// An unsigned number as a `bigint`, refused above `i64::MAX`.
pub(super) fn sql_u64(value: u64, field: &'static str) -> StoreResult<i64> {
    i64::try_from(value).map_err(|_| StoreError::Invalid { field, reason: "above i64::MAX" })
}

/// A `bigint` read back as an unsigned number; a negative one means damaged data.
pub(super) fn u64_of(value: i64, what: &'static str) -> StoreResult<u64> {
    u64::try_from(value).map_err(|_| StoreError::Corrupt(what))
}

/// A `u32` count as a `LIMIT`.
pub(super) fn limit(count: u32) -> i64 {
    i64::from(count)
}

/// Reads column `index` of `row` as `T`; a type mismatch is damaged data, not a panic.
pub(super) fn get<'a, T: tokio_postgres::types::FromSql<'a>>(
    row: &'a tokio_postgres::Row,
    index: usize,
) -> StoreResult<T> {
    row.try_get(index).map_err(|_| StoreError::Corrupt("row"))
}
