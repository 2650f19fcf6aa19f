//! "Delete for me": removing messages, emptying a chat, deleting a chat. A removed message also
//! leaves the delivery queue, so it is never pushed afterwards.

use rusqlite::{params, Connection};

use super::super::{ClearScope, MessageKey, StoreError, StoreResult};
use super::accounts;
use super::messages::{seq_of, NOT_FOUND};

const NO_CHAT: StoreError = StoreError::NotFound { what: "chat" };

/// Removes the account's messages with these keys; returns how many existed.
pub(super) fn messages(conn: &Connection, phone: &str, keys: &[MessageKey]) -> StoreResult<usize> {
    let account = accounts::id_of(conn, phone)?;
    let mut removed = 0;
    for key in keys {
        if let Some(seq) = seq_of(conn, account, key)? {
            conn.prepare_cached("DELETE FROM pending WHERE account_id = ?1 AND message_seq = ?2")?
                .execute(params![account, seq])?;
            removed += conn
                .prepare_cached("DELETE FROM messages WHERE account_id = ?1 AND seq = ?2")?
                .execute(params![account, seq])?;
        }
    }
    Ok(removed)
}

/// Empties a chat as `scope` says; returns how many messages were removed.
pub(super) fn clear(
    conn: &Connection,
    phone: &str,
    chat_jid: &str,
    scope: &ClearScope,
) -> StoreResult<usize> {
    let account = accounts::id_of(conn, phone)?;
    let changed = conn
        .prepare_cached(
            "UPDATE chats SET unread = 0, modify_tag = modify_tag + 1
             WHERE account_id = ?1 AND jid = ?2",
        )?
        .execute(params![account, chat_jid])?;
    if changed == 0 {
        return Err(NO_CHAT);
    }
    let up_to = match &scope.up_to {
        None => i64::MAX,
        Some(cursor) => {
            let key = MessageKey {
                chat_jid: chat_jid.to_owned(),
                id: cursor.id.clone(),
                from_me: cursor.from_me,
            };
            seq_of(conn, account, &key)?.ok_or(NOT_FOUND)?
        }
    };
    // The same condition twice: first the queue entries of the doomed messages, then them.
    let doomed = "account_id = ?1 AND chat_jid = ?2 AND seq <= ?3 AND (?4 OR NOT starred)";
    conn.prepare_cached(&format!(
        "DELETE FROM pending WHERE account_id = ?1 AND message_seq IN
             (SELECT seq FROM messages WHERE {doomed})"
    ))?
    .execute(params![account, chat_jid, up_to, scope.starred])?;
    let removed = conn
        .prepare_cached(&format!("DELETE FROM messages WHERE {doomed}"))?
        .execute(params![account, chat_jid, up_to, scope.starred])?;
    Ok(removed)
}

/// Deletes a chat and all its messages.
pub(super) fn chat(conn: &Connection, phone: &str, chat_jid: &str) -> StoreResult<()> {
    let account = accounts::id_of(conn, phone)?;
    let deleted = conn
        .prepare_cached("DELETE FROM chats WHERE account_id = ?1 AND jid = ?2")?
        .execute(params![account, chat_jid])?;
    if deleted == 0 {
        return Err(NO_CHAT);
    }
    conn.prepare_cached(
        "DELETE FROM pending WHERE account_id = ?1 AND message_seq IN
             (SELECT seq FROM messages WHERE account_id = ?1 AND chat_jid = ?2)",
    )?
    .execute(params![account, chat_jid])?;
    conn.prepare_cached("DELETE FROM messages WHERE account_id = ?1 AND chat_jid = ?2")?
        .execute(params![account, chat_jid])?;
    Ok(())
}
