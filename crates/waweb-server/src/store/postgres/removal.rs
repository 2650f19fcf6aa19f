//! "Delete for me": removing messages, emptying a chat, deleting a chat, and an account's
//! messages ahead of its removal. A removed message also leaves the delivery queue (its entry
//! cascades), so it is never pushed afterwards.
//!
//! As in the SQLite backend, big removals go [`CHUNK`] messages per transaction so that they
//! hold no lock for long, and the messages of a chat to remove are fixed when the request
//! starts: `start_*` reads the chat's newest `seq` while holding the chat's row lock, and a
//! message of that chat committed later has a higher `seq` (module docs of `super`), so it
//! stays. The ids of the account's own removed messages stay spent (`spent_ids`).

use super::super::{ClearScope, MessageKey, StoreError, StoreResult};
use super::convert::get;
use super::db::Db;
use super::messages::{seq_of, NOT_FOUND};

/// Messages removed per transaction.
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
pub(super) async fn messages(db: &Db, account: i64, keys: &[MessageKey]) -> StoreResult<usize> {
    let mut removed = 0;
    for key in keys {
        let Some(seq) = seq_of(db, account, key).await? else { continue };
        if key.from_me {
            db.execute(
                "INSERT INTO spent_ids (account_id, chat_jid, msg_id) VALUES ($1, $2, $3)
                 ON CONFLICT DO NOTHING",
                &[&account, &key.chat_jid, &key.id],
            )
            .await?;
        }
        removed += db
            .execute("DELETE FROM messages WHERE account_id = $1 AND seq = $2", &[&account, &seq])
            .await?;
    }
    Ok(usize::try_from(removed).unwrap_or(usize::MAX))
}

/// Starts emptying a chat: marks it read and changed, and says which messages go.
pub(super) async fn start_clear(
    db: &Db,
    account: i64,
    chat: &str,
    scope: &ClearScope,
) -> StoreResult<Doomed> {
    let changed = db
        .execute(
            "UPDATE chats SET unread = 0, modify_tag = modify_tag + 1
             WHERE account_id = $1 AND jid = $2",
            &[&account, &chat],
        )
        .await?;
    if changed == 0 {
        return Err(NO_CHAT);
    }
    let up_to = match &scope.up_to {
        None => last_seq(db, account, chat).await?,
        Some(cursor) => {
            let key = MessageKey {
                chat_jid: chat.to_owned(),
                id: cursor.id.clone(),
                from_me: cursor.from_me,
            };
            seq_of(db, account, &key).await?.ok_or(NOT_FOUND)?
        }
    };
    Ok(Doomed { chat: chat.to_owned(), up_to, starred: scope.starred })
}

/// Starts deleting a chat: every message it has now goes. `NotFound` if there is no chat.
pub(super) async fn start_delete(db: &Db, account: i64, chat: &str) -> StoreResult<Doomed> {
    let locked = db
        .query_opt(
            "SELECT 1 FROM chats WHERE account_id = $1 AND jid = $2 FOR UPDATE",
            &[&account, &chat],
        )
        .await?;
    if locked.is_none() {
        return Err(NO_CHAT);
    }
    let up_to = last_seq(db, account, chat).await?;
    Ok(Doomed { chat: chat.to_owned(), up_to, starred: true })
}

/// Removes up to [`CHUNK`] of the doomed messages, the oldest; how many it removed.
pub(super) async fn remove_chunk(db: &Db, account: i64, doomed: &Doomed) -> StoreResult<usize> {
    let chunk = i64::try_from(CHUNK).unwrap_or(i64::MAX);
    let removed = db
        .query_one(
            "WITH doomed AS (
                DELETE FROM messages WHERE seq IN (
                    SELECT seq FROM messages
                    WHERE account_id = $1 AND chat_jid = $2 AND seq <= $3 AND ($4 OR NOT starred)
                    ORDER BY seq LIMIT $5)
                RETURNING account_id, chat_jid, msg_id, from_me),
             spent AS (
                INSERT INTO spent_ids (account_id, chat_jid, msg_id)
                SELECT account_id, chat_jid, msg_id FROM doomed WHERE from_me
                ON CONFLICT DO NOTHING)
             SELECT count(*) FROM doomed",
            &[&account, &doomed.chat, &doomed.up_to, &doomed.starred, &chunk],
        )
        .await?;
    Ok(usize::try_from(get::<i64>(&removed, 0)?).unwrap_or(usize::MAX))
}

/// Removes up to [`CHUNK`] of the account's messages ahead of the account's own removal (whose
/// cascade then has little left to do); how many it removed.
pub(super) async fn account_chunk(db: &Db, account: i64) -> StoreResult<usize> {
    let chunk = i64::try_from(CHUNK).unwrap_or(i64::MAX);
    let removed = db
        .execute(
            "DELETE FROM messages WHERE seq IN (
                SELECT seq FROM messages WHERE account_id = $1 LIMIT $2)",
            &[&account, &chunk],
        )
        .await?;
    Ok(usize::try_from(removed).unwrap_or(usize::MAX))
}

/// Ends a delete: the chat row goes, unless a message arrived in it meanwhile.
pub(super) async fn finish_delete(db: &Db, account: i64, doomed: &Doomed) -> StoreResult<()> {
    db.execute(
        "DELETE FROM chats c WHERE account_id = $1 AND jid = $2
           AND NOT EXISTS (SELECT 1 FROM messages WHERE account_id = $1 AND chat_jid = $2)",
        &[&account, &doomed.chat],
    )
    .await?;
    Ok(())
}

/// The newest message of a chat (0 if it has none).
async fn last_seq(db: &Db, account: i64, chat: &str) -> StoreResult<i64> {
    let row = db
        .query_one(
            "SELECT coalesce(max(seq), 0)::bigint FROM messages WHERE account_id = $1 AND chat_jid = $2",
            &[&account, &chat],
        )
        .await?;
    get(&row, 0)
}
