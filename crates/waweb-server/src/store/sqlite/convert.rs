//! Conversions between the store's types and SQLite values, and the mapping of SQLite errors.

use rusqlite::ffi::ErrorCode;

use super::super::{StoreError, StoreResult};

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::Error as E;
        match &e {
            E::SqliteFailure(f, _)
                if matches!(f.code, ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase) =>
            {
                StoreError::Corrupt("database file")
            }
            E::FromSqlConversionFailure(..)
            | E::InvalidColumnType(..)
            | E::IntegralValueOutOfRange(..) => StoreError::Corrupt("row"),
            _ => StoreError::Backend(e.to_string()),
        }
    }
}

/// Whether `e` is a UNIQUE or PRIMARY KEY violation.
pub(super) fn is_unique_violation(e: &rusqlite::Error) -> bool {
    const UNIQUE: i32 = rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE;
    const PRIMARY_KEY: i32 = rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY;
    matches!(e, rusqlite::Error::SqliteFailure(f, _)
        if f.extended_code == UNIQUE || f.extended_code == PRIMARY_KEY)
}

/// An unsigned number as an SQLite integer, refused above `i64::MAX`.
pub(super) fn sql_u64(value: u64, field: &'static str) -> StoreResult<i64> {
    i64::try_from(value).map_err(|_| StoreError::Invalid { field, reason: "above i64::MAX" })
}

/// An SQLite integer read back as an unsigned number; a negative one means damaged data.
pub(super) fn u64_of(value: i64, what: &'static str) -> StoreResult<u64> {
    u64::try_from(value).map_err(|_| StoreError::Corrupt(what))
}

/// A `u32` count as an SQLite `LIMIT`.
pub(super) fn limit(count: u32) -> i64 {
    i64::from(count)
}
