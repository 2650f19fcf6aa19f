//! Profile pictures, one row per account.

use rusqlite::{params, Connection, OptionalExtension};

use super::super::{Picture, StoreResult};
use super::accounts;

/// The account's picture.
pub(super) fn get(conn: &Connection, phone: &str) -> StoreResult<Option<Picture>> {
    let account = accounts::id_of(conn, phone)?;
    Ok(conn
        .prepare_cached("SELECT tag, image, preview FROM pictures WHERE account_id = ?1")?
        .query_row([account], |r| {
            Ok(Picture { tag: r.get(0)?, image: r.get(1)?, preview: r.get(2)? })
        })
        .optional()?)
}

/// The account's picture's tag.
pub(super) fn tag(conn: &Connection, phone: &str) -> StoreResult<Option<String>> {
    let account = accounts::id_of(conn, phone)?;
    Ok(conn
        .prepare_cached("SELECT tag FROM pictures WHERE account_id = ?1")?
        .query_row([account], |r| r.get(0))
        .optional()?)
}

/// Sets or replaces the account's picture; the tag it got (above the previous one).
pub(super) fn set(conn: &Connection, phone: &str, picture: &Picture) -> StoreResult<String> {
    let account = accounts::id_of(conn, phone)?;
    Ok(conn
        .prepare_cached(
            "INSERT INTO pictures (account_id, tag, image, preview) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (account_id) DO UPDATE SET
                tag = CAST(max(CAST(excluded.tag AS INTEGER), CAST(tag AS INTEGER) + 1) AS TEXT),
                image = excluded.image, preview = excluded.preview
             RETURNING tag",
        )?
        .query_row(params![account, picture.tag, picture.image, picture.preview], |r| r.get(0))?)
}

/// Removes the account's picture; whether there was one.
pub(super) fn remove(conn: &Connection, phone: &str) -> StoreResult<bool> {
    let account = accounts::id_of(conn, phone)?;
    let removed =
        conn.prepare_cached("DELETE FROM pictures WHERE account_id = ?1")?.execute([account])?;
    Ok(removed > 0)
}
