//! Starred messages: the flag, set per message, and the list the `star` query pages.

use rusqlite::{params, Connection};

use super::super::{MessageKey, StoreResult, StoredMessage};
use super::accounts;
use super::convert::limit;
use super::messages::{from_row, COLUMNS};

/// Sets the flag of the account's messages with these keys; returns how many exist.
pub(super) fn set(
    conn: &Connection,
    phone: &str,
    keys: &[MessageKey],
    starred: bool,
) -> StoreResult<usize> {
    let account = accounts::id_of(conn, phone)?;
    let mut stmt = conn.prepare_cached(
        "UPDATE messages SET starred = ?5
         WHERE account_id = ?1 AND chat_jid = ?2 AND msg_id = ?3 AND from_me = ?4",
    )?;
    let mut found = 0;
    for key in keys {
        found += stmt.execute(params![account, key.chat_jid, key.id, key.from_me, starred])?;
    }
    Ok(found)
}

/// The latest `count` starred messages (of one chat, or all), oldest first.
pub(super) fn list(
    conn: &Connection,
    phone: &str,
    chat_jid: Option<&str>,
    count: u32,
) -> StoreResult<Vec<StoredMessage>> {
    let account = accounts::id_of(conn, phone)?;
    // `starred` repeated in the query lets SQLite use the partial index.
    let sql = format!(
        "SELECT {COLUMNS} FROM messages m
         WHERE m.account_id = ?1 AND m.starred AND (?2 IS NULL OR m.chat_jid = ?2)
         ORDER BY m.seq DESC LIMIT ?3 + 0"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params![account, chat_jid, limit(count)], from_row)?;
    let mut page = rows.map(|raw| raw?.build()).collect::<StoreResult<Vec<_>>>()?;
    page.reverse();
    Ok(page)
}
