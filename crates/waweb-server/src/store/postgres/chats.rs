//! Chats of an account: the list, upserts, attribute changes, and the bookkeeping a new
//! message does (which also takes the chat's row lock: see the module docs of `super`).

use tokio_postgres::Row;

use super::super::{Chat, ChatUpdate, StoreError, StoreResult};
use super::convert::{get, sql_u64, u64_of};
use super::db::Db;

const COLUMNS: &str = "jid, t, unread, mute_until, modify_tag, archived, pinned, spam, name";
const NOT_FOUND: StoreError = StoreError::NotFound { what: "chat" };

fn build(r: &Row) -> StoreResult<Chat> {
    Ok(Chat {
        jid: get(r, 0)?,
        t: u64_of(get(r, 1)?, "chat")?,
        unread: get(r, 2)?,
        mute_until: u64_of(get(r, 3)?, "chat")?,
        modify_tag: u64_of(get(r, 4)?, "chat")?,
        archived: get(r, 5)?,
        pinned: u64_of(get(r, 6)?, "chat")?,
        spam: get(r, 7)?,
        name: get(r, 8)?,
    })
}

/// The chats of an account, newest activity first.
pub(super) async fn list(db: &Db, account: i64) -> StoreResult<Vec<Chat>> {
    let sql = format!("SELECT {COLUMNS} FROM chats WHERE account_id = $1 ORDER BY t DESC, jid");
    db.query(&sql, &[&account]).await?.iter().map(build).collect()
}

/// One chat.
pub(super) async fn get_for(db: &Db, account: i64, jid: &str) -> StoreResult<Option<Chat>> {
    let sql = format!("SELECT {COLUMNS} FROM chats WHERE account_id = $1 AND jid = $2");
    db.query_opt(&sql, &[&account, &jid]).await?.as_ref().map(build).transpose()
}

/// Inserts or replaces a chat of an account known by internal id.
pub(super) async fn upsert_for(db: &Db, account: i64, chat: &Chat) -> StoreResult<()> {
    let (t, mute) = (sql_u64(chat.t, "t")?, sql_u64(chat.mute_until, "mute_until")?);
    let (tag, pinned) = (sql_u64(chat.modify_tag, "modify_tag")?, sql_u64(chat.pinned, "pinned")?);
    db.execute(
        "INSERT INTO chats (account_id, jid, t, unread, mute_until, modify_tag, archived, pinned,
                            spam, name)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
         ON CONFLICT (account_id, jid) DO UPDATE SET
            t = excluded.t, unread = excluded.unread, mute_until = excluded.mute_until,
            modify_tag = excluded.modify_tag, archived = excluded.archived,
            pinned = excluded.pinned, spam = excluded.spam, name = excluded.name",
        &[
            &account,
            &chat.jid,
            &t,
            &chat.unread,
            &mute,
            &tag,
            &chat.archived,
            &pinned,
            &chat.spam,
            &chat.name,
        ],
    )
    .await?;
    Ok(())
}

/// Applies one attribute change, bumps `modify_tag`, and returns the chat (one statement).
pub(super) async fn update(
    db: &Db,
    account: i64,
    jid: &str,
    update: &ChatUpdate,
) -> StoreResult<Chat> {
    let returning = format!("RETURNING {COLUMNS}");
    let set = |column: &str| {
        format!(
            "UPDATE chats SET {column} = $3, modify_tag = modify_tag + 1
             WHERE account_id = $1 AND jid = $2 {returning}"
        )
    };
    let row = match update {
        ChatUpdate::Archive(on) => db.query_opt(&set("archived"), &[&account, &jid, on]).await?,
        ChatUpdate::Spam(on) => db.query_opt(&set("spam"), &[&account, &jid, on]).await?,
        ChatUpdate::Mute(until) => {
            let until = sql_u64(*until, "mute_until")?;
            db.query_opt(&set("mute_until"), &[&account, &jid, &until]).await?
        }
        ChatUpdate::Pin(at) => {
            let at = sql_u64(*at, "pinned")?;
            db.query_opt(&set("pinned"), &[&account, &jid, &at]).await?
        }
        ChatUpdate::Read => db.query_opt(&set("unread"), &[&account, &jid, &0_i64]).await?,
        ChatUpdate::MarkUnread => db.query_opt(&set("unread"), &[&account, &jid, &-1_i64]).await?,
        ChatUpdate::Name(name) => db.query_opt(&set("name"), &[&account, &jid, name]).await?,
    };
    build(&row.ok_or(NOT_FOUND)?)
}

/// How a new message changes its chat's unread count.
#[derive(Clone, Copy)]
pub(super) enum Unread {
    /// Left as it is (a message stored as-is).
    Keep,
    /// Reset to 0: the account wrote in the chat, so it has seen it.
    Clear,
    /// One more unread (a "marked unread" chat counts from 1).
    Increment,
}

/// Creates the chat if needed and locks its row until the transaction ends. Every message
/// insert runs after this on its chat, so messages of one chat take their `seq` one
/// transaction at a time.
pub(super) async fn lock(db: &Db, account: i64, jid: &str, t: i64) -> StoreResult<()> {
    db.query_one("SELECT waweb_lock_chat($1, $2, $3)", &[&account, &jid, &t]).await?;
    Ok(())
}

/// Creates the chat if needed and moves its `t` forward to `t` (which also locks it).
pub(super) async fn note_message(
    db: &Db,
    account: i64,
    jid: &str,
    t: i64,
    unread: Unread,
) -> StoreResult<()> {
    let sql = match unread {
        Unread::Keep => {
            "INSERT INTO chats (account_id, jid, t) VALUES ($1, $2, $3)
             ON CONFLICT (account_id, jid) DO UPDATE SET t = greatest(chats.t, excluded.t)"
        }
        Unread::Clear => {
            "INSERT INTO chats (account_id, jid, t) VALUES ($1, $2, $3)
             ON CONFLICT (account_id, jid) DO UPDATE
             SET t = greatest(chats.t, excluded.t), unread = 0"
        }
        Unread::Increment => {
            "INSERT INTO chats (account_id, jid, t, unread) VALUES ($1, $2, $3, 1)
             ON CONFLICT (account_id, jid) DO UPDATE SET t = greatest(chats.t, excluded.t),
                unread = CASE WHEN chats.unread < 0 THEN 1 ELSE chats.unread + 1 END"
        }
    };
    db.execute(sql, &[&account, &jid, &t]).await?;
    Ok(())
}
