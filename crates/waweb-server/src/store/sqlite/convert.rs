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
            _ => StoreError::backend(e.to_string(), e),
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
///
/// Write the placeholder as `LIMIT ?N + 0`, never a bare `LIMIT ?N`: SQLite marks a statement
/// whose `LIMIT` is a bare parameter as expired at every bind and parses it again at its next
/// step, which made the prepared-statement cache useless for every paged read.
pub(super) fn limit(count: u32) -> i64 {
    i64::from(count)
}

#[cfg(test)]
mod tests {
    use rusqlite::{Connection, StatementStatus};

    /// How often a cached statement was parsed again over three runs.
    fn reparses(conn: &Connection, sql: &str) -> i32 {
        for _ in 0..3 {
            let mut stmt = conn.prepare_cached(sql).unwrap();
            let rows: Vec<i64> = stmt.query_map([1, 2], |r| r.get(0)).unwrap().flatten().collect();
            assert_eq!(rows, vec![1]);
        }
        conn.prepare_cached(sql).unwrap().get_status(StatementStatus::RePrepare)
    }

    #[test]
    fn a_bare_limit_parameter_is_parsed_again_at_every_run_and_plus_zero_is_not() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch("CREATE TABLE t (a INTEGER, b INTEGER); INSERT INTO t VALUES (1, 1);")
            .unwrap();
        assert_eq!(reparses(&conn, "SELECT b FROM t WHERE a = ?1 ORDER BY b LIMIT ?2"), 3);
        assert_eq!(reparses(&conn, "SELECT b FROM t WHERE a = ?1 ORDER BY b LIMIT ?2 + 0"), 0);
    }

    #[test]
    fn no_store_query_has_a_bare_limit_parameter() {
        let mut dirs = vec![std::path::PathBuf::from(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/src/store/sqlite"
        ))];
        let mut checked = 0;
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    dirs.push(path);
                } else {
                    checked += bare_limits_checked(&path);
                }
            }
        }
        assert!(checked >= 2, "the paged queries were not found");
    }

    /// Asserts that every `LIMIT ?` of the file is followed by ` + 0`; how many it saw.
    fn bare_limits_checked(path: &std::path::Path) -> usize {
        // The test above names the bare form on purpose.
        if path.ends_with("convert.rs") {
            return 0;
        }
        let source = std::fs::read_to_string(path).unwrap();
        let mut checked = 0;
        for (at, _) in source.match_indices("LIMIT ?") {
            let rest =
                source[at + "LIMIT ?".len()..].trim_start_matches(|c: char| c.is_ascii_digit());
            assert!(rest.starts_with(" + 0"), "bare LIMIT parameter in {}", path.display());
            checked += 1;
        }
        checked
    }
}
