//! "Delete for me": removing messages, emptying a chat, deleting a chat. A removed message also
//! leaves the delivery queue, so it is never pushed afterwards.
//!
//! Emptying or deleting a chat, or removing an account, may remove any number of messages, and
//! every write waits for the one writer; so those remove [`CHUNK`] messages per write job, and
//! other accounts' writes run between the jobs. The messages of a chat to remove are fixed when
//! the request starts (by sequence number): one that arrives meanwhile stays, and a deleted chat
//! that received one lives on.
//!
//! The ids of the account's own removed messages stay spent (`spent_ids`): a relay that reuses
//! one is refused, since the recipient still holds the first message under that id.

use rusqlite::{params, Connection, ToSql};

use super::super::{ClearScope, MessageKey, StoreError, StoreResult};
use super::accounts;
use super::messages::{seq_of, NOT_FOUND};
use super::SqliteStore;

/// Messages removed per write job. A chat's messages sit together in the table and in both
/// indexes, so a chunk costs little more than its commit; chunks of this size keep each write job
/// short enough that relays queued behind it are not held up noticeably.
pub(super) const CHUNK: usize = 2_000;

const NO_CHAT: StoreError = StoreError::NotFound { what: "chat" };

/// Which messages of a chat a clear or a delete removes: those up to `up_to` (a sequence
/// number), starred ones only with `starred`.
#[derive(Debug, Clone)]
pub(super) struct Doomed {
    chat: String,
    up_to: i64,
    starred: bool,
}

/// Removes the account's messages with these keys; returns how many existed.
pub(super) fn messages(conn: &Connection, phone: &str, keys: &[MessageKey]) -> StoreResult<usize> {
    let account = accounts::id_of(conn, phone)?;
    let mut removed = 0;
    for key in keys {
        if let Some(seq) = seq_of(conn, account, key)? {
            if key.from_me {
                conn.prepare_cached(
                    "INSERT OR IGNORE INTO spent_ids (account_id, chat_jid, msg_id)
                     VALUES (?1, ?2, ?3)",
                )?
                .execute(params![account, key.chat_jid, key.id])?;
            }
            conn.prepare_cached("DELETE FROM pending WHERE account_id = ?1 AND message_seq = ?2")?
                .execute(params![account, seq])?;
            removed += conn
                .prepare_cached("DELETE FROM messages WHERE account_id = ?1 AND seq = ?2")?
                .execute(params![account, seq])?;
        }
    }
    Ok(removed)
}

/// Starts emptying a chat: marks it read and changed, and says which messages go.
pub(super) fn start_clear(
    conn: &Connection,
    phone: &str,
    chat: &str,
    scope: &ClearScope,
) -> StoreResult<Doomed> {
    let account = accounts::id_of(conn, phone)?;
    let changed = conn
        .prepare_cached(
            "UPDATE chats SET unread = 0, modify_tag = modify_tag + 1
             WHERE account_id = ?1 AND jid = ?2",
        )?
        .execute(params![account, chat])?;
    if changed == 0 {
        return Err(NO_CHAT);
    }
    let up_to = match &scope.up_to {
        None => last_seq(conn, account, chat)?,
        Some(cursor) => {
            let key = MessageKey {
                chat_jid: chat.to_owned(),
                id: cursor.id.clone(),
                from_me: cursor.from_me,
            };
            seq_of(conn, account, &key)?.ok_or(NOT_FOUND)?
        }
    };
    Ok(Doomed { chat: chat.to_owned(), up_to, starred: scope.starred })
}

/// Starts deleting a chat: every message it has now goes. `NotFound` if there is no chat.
pub(super) fn start_delete(conn: &Connection, phone: &str, chat: &str) -> StoreResult<Doomed> {
    let account = accounts::id_of(conn, phone)?;
    let exists = conn
        .prepare_cached("SELECT 1 FROM chats WHERE account_id = ?1 AND jid = ?2")?
        .exists(params![account, chat])?;
    if !exists {
        return Err(NO_CHAT);
    }
    Ok(Doomed { chat: chat.to_owned(), up_to: last_seq(conn, account, chat)?, starred: true })
}

/// Removes up to [`CHUNK`] of the doomed messages, the oldest; how many it removed.
pub(super) fn remove_chunk(conn: &Connection, phone: &str, doomed: &Doomed) -> StoreResult<usize> {
    let account = accounts::id_of(conn, phone)?;
    let chunk = "SELECT seq FROM messages
                 WHERE account_id = ?1 AND chat_jid = ?2 AND seq <= ?3 AND (?4 OR NOT starred)
                 ORDER BY seq LIMIT ?5 + 0";
    let args = params![account, doomed.chat, doomed.up_to, doomed.starred, CHUNK as i64];
    conn.prepare_cached(&format!(
        "INSERT OR IGNORE INTO spent_ids (account_id, chat_jid, msg_id)
         SELECT account_id, chat_jid, msg_id FROM messages
         WHERE account_id = ?1 AND from_me AND seq IN ({chunk})"
    ))?
    .execute(args)?;
    delete_chunk(conn, chunk, args)
}

/// Removes up to [`CHUNK`] of the account's messages ahead of the account's own removal (whose
/// cascade then has little left to do); how many it removed.
pub(super) fn account_chunk(conn: &Connection, phone: &str) -> StoreResult<usize> {
    let account = accounts::id_of(conn, phone)?;
    // Any order: the account's index prefix finds them without a sort.
    let chunk = "SELECT seq FROM messages WHERE account_id = ?1 LIMIT ?2 + 0";
    delete_chunk(conn, chunk, params![account, CHUNK as i64])
}

/// Deletes the messages `chunk` selects (a query of their `seq`, whose `?1` is the account),
/// first their queue entries; how many messages it deleted. Nothing changes between the two
/// statements, so both see the same chunk.
fn delete_chunk(conn: &Connection, chunk: &str, args: &[&dyn ToSql]) -> StoreResult<usize> {
    conn.prepare_cached(&format!(
        "DELETE FROM pending WHERE account_id = ?1 AND message_seq IN ({chunk})"
    ))?
    .execute(args)?;
    let sql = format!("DELETE FROM messages WHERE account_id = ?1 AND seq IN ({chunk})");
    Ok(conn.prepare_cached(&sql)?.execute(args)?)
}

/// Ends a delete: the chat row goes, unless a message arrived in it meanwhile.
pub(super) fn finish_delete(conn: &Connection, phone: &str, doomed: &Doomed) -> StoreResult<()> {
    let account = accounts::id_of(conn, phone)?;
    conn.prepare_cached(
        "DELETE FROM chats WHERE account_id = ?1 AND jid = ?2
           AND NOT EXISTS (SELECT 1 FROM messages WHERE account_id = ?1 AND chat_jid = ?2)",
    )?
    .execute(params![account, doomed.chat])?;
    Ok(())
}

/// The newest message of a chat (0 if it has none).
fn last_seq(conn: &Connection, account: i64, chat: &str) -> StoreResult<i64> {
    Ok(conn
        .prepare_cached(
            "SELECT coalesce(max(seq), 0) FROM messages WHERE account_id = ?1 AND chat_jid = ?2",
        )?
        .query_row(params![account, chat], |r| r.get(0))?)
}

impl SqliteStore {
    /// Runs `chunk` (which removes up to [`CHUNK`] messages) as one write job after
    /// another until it removes fewer; how many it removed in all.
    pub(super) async fn in_chunks<F>(&self, chunk: F) -> StoreResult<usize>
    where
        F: Fn(&rusqlite::Connection) -> StoreResult<usize> + Clone + Send + 'static,
    {
        let mut total = 0;
        loop {
            let removed = self.write(chunk.clone()).await?;
            total += removed;
            if removed < CHUNK {
                return Ok(total);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::sqlite::{connection, messages, migrations};
    use crate::store::{NewMessage, WebMessageInfoStatus};

    const CHAT: &str = "2@s.whatsapp.net";

    fn db() -> Connection {
        let mut conn = connection::open_writer_in_memory().unwrap();
        migrations::apply(&mut conn).unwrap();
        conn.execute("INSERT INTO accounts (phone, pushname, created_ms) VALUES ('1', 'a', 0)", [])
            .unwrap();
        conn
    }

    fn add(conn: &Connection, id: usize) {
        let m = NewMessage {
            chat_jid: CHAT.into(),
            id: format!("M{id}"),
            from_me: true,
            timestamp: 1,
            status: WebMessageInfoStatus::Pending,
            participant: None,
            push_name: None,
            info: vec![1],
        };
        messages::insert(conn, "1", &m).unwrap();
    }

    fn count(conn: &Connection, sql: &str) -> i64 {
        conn.query_row(sql, [], |r| r.get(0)).unwrap()
    }

    #[test]
    fn a_delete_goes_chunk_by_chunk_and_spares_a_chat_that_got_a_new_message() {
        let conn = db();
        for id in 0..CHUNK + 10 {
            add(&conn, id);
        }
        let doomed = start_delete(&conn, "1", CHAT).unwrap();
        // A message arrives while the chunks go.
        add(&conn, 999_999);
        assert_eq!(remove_chunk(&conn, "1", &doomed).unwrap(), CHUNK);
        assert_eq!(remove_chunk(&conn, "1", &doomed).unwrap(), 10);
        assert_eq!(remove_chunk(&conn, "1", &doomed).unwrap(), 0);
        finish_delete(&conn, "1", &doomed).unwrap();
        assert_eq!(count(&conn, "SELECT count(*) FROM messages"), 1);
        assert_eq!(count(&conn, "SELECT count(*) FROM chats"), 1, "the new message keeps it");

        // Without one, the chat goes at the end.
        let doomed = start_delete(&conn, "1", CHAT).unwrap();
        assert_eq!(remove_chunk(&conn, "1", &doomed).unwrap(), 1);
        finish_delete(&conn, "1", &doomed).unwrap();
        assert_eq!(count(&conn, "SELECT count(*) FROM chats"), 0);
    }
}
