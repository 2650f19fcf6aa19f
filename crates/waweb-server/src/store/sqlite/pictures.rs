//! Profile pictures: one row per account in `pictures`, one per group in `group_pictures`.
//! Every function takes the owner as a phone number or a group's JID.

use rusqlite::types::Value;
use rusqlite::{params, Connection, OptionalExtension};

use super::super::{Picture, PictureKey, StoreError, StoreResult};
use super::accounts;

/// Where an owner's picture lives: its table, key column and key.
struct Row {
    table: &'static str,
    key: &'static str,
    value: Value,
}

/// The row of `owner`'s picture; `NotFound` for an unknown account or group.
fn row_of(conn: &Connection, owner: &str) -> StoreResult<Row> {
    if !owner.ends_with("@g.us") {
        let account = accounts::id_of(conn, owner)?;
        return Ok(Row { table: "pictures", key: "account_id", value: account.into() });
    }
    if !conn.prepare_cached("SELECT 1 FROM groups WHERE jid = ?1")?.exists([owner])? {
        return Err(StoreError::NotFound { what: "group" });
    }
    Ok(Row { table: "group_pictures", key: "group_jid", value: owner.to_owned().into() })
}

/// The owner's picture.
pub(super) fn get(conn: &Connection, owner: &str) -> StoreResult<Option<Picture>> {
    let Row { table, key, value } = row_of(conn, owner)?;
    let sql = format!("SELECT tag, secret, image, preview FROM {table} WHERE {key} = ?1");
    Ok(conn
        .prepare_cached(&sql)?
        .query_row([value], |r| {
            Ok(Picture { tag: r.get(0)?, secret: r.get(1)?, image: r.get(2)?, preview: r.get(3)? })
        })
        .optional()?)
}

/// The owner's picture's tag and secret.
pub(super) fn key(conn: &Connection, owner: &str) -> StoreResult<Option<PictureKey>> {
    let Row { table, key, value } = row_of(conn, owner)?;
    let sql = format!("SELECT tag, secret FROM {table} WHERE {key} = ?1");
    Ok(conn
        .prepare_cached(&sql)?
        .query_row([value], |r| Ok(PictureKey { tag: r.get(0)?, secret: r.get(1)? }))
        .optional()?)
}

/// Sets or replaces the owner's picture; the tag it got (above the previous one).
pub(super) fn set(conn: &Connection, owner: &str, picture: &Picture) -> StoreResult<String> {
    let Row { table, key, value } = row_of(conn, owner)?;
    let sql = format!(
        "INSERT INTO {table} ({key}, tag, secret, image, preview) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT ({key}) DO UPDATE SET
            tag = CAST(max(CAST(excluded.tag AS INTEGER), CAST(tag AS INTEGER) + 1) AS TEXT),
            secret = excluded.secret, image = excluded.image, preview = excluded.preview
         RETURNING tag"
    );
    if picture.secret.len() < 32 {
        return Err(StoreError::Invalid { field: "picture secret", reason: "under 128 bits" });
    }
    let args = params![value, picture.tag, picture.secret, picture.image, picture.preview];
    Ok(conn.prepare_cached(&sql)?.query_row(args, |r| r.get(0))?)
}

/// Removes the owner's picture; whether there was one.
pub(super) fn remove(conn: &Connection, owner: &str) -> StoreResult<bool> {
    let Row { table, key, value } = row_of(conn, owner)?;
    let sql = format!("DELETE FROM {table} WHERE {key} = ?1");
    Ok(conn.prepare_cached(&sql)?.execute([value])? > 0)
}
