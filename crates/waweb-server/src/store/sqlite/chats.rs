//! Chats of an account: the list, upserts, attribute changes, and the bookkeeping a new
//! message does.

use rusqlite::{params, Connection, OptionalExtension, Row};

use super::super::{Chat, ChatUpdate, StoreError, StoreResult};
use super::accounts;
use super::convert::{sql_u64, u64_of};

const COLUMNS: &str = "jid, t, unread, mute_until, modify_tag, archived, pinned, spam, name";

/// The raw columns of a chat row, before the unsigned checks.
type RawChat = (String, i64, i64, i64, i64, bool, i64, bool, Option<String>);

fn from_row(r: &Row<'_>) -> rusqlite::Result<RawChat> {
    Ok((
        r.get(0)?,
        r.get(1)?,
        r.get(2)?,
        r.get(3)?,
        r.get(4)?,
        r.get(5)?,
        r.get(6)?,
        r.get(7)?,
        r.get(8)?,
    ))
}

fn build(raw: RawChat) -> StoreResult<Chat> {
    let (jid, t, unread, mute_until, modify_tag, archived, pinned, spam, name) = raw;
    Ok(Chat {
        jid,
        t: u64_of(t, "chat")?,
        unread,
        mute_until: u64_of(mute_until, "chat")?,
        modify_tag: u64_of(modify_tag, "chat")?,
        archived,
        pinned: u64_of(pinned, "chat")?,
        spam,
        name,
    })
}

/// The chats of an account, newest activity first.
pub(super) fn list(conn: &Connection, phone: &str) -> StoreResult<Vec<Chat>> {
    let account = accounts::id_of(conn, phone)?;
    let sql = format!("SELECT {COLUMNS} FROM chats WHERE account_id = ?1 ORDER BY t DESC, jid");
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map([account], from_row)?;
    rows.map(|raw| build(raw?)).collect()
}

/// One chat.
pub(super) fn get(conn: &Connection, phone: &str, jid: &str) -> StoreResult<Option<Chat>> {
    let account = accounts::id_of(conn, phone)?;
    get_for(conn, account, jid)
}

fn get_for(conn: &Connection, account: i64, jid: &str) -> StoreResult<Option<Chat>> {
    let sql = format!("SELECT {COLUMNS} FROM chats WHERE account_id = ?1 AND jid = ?2");
    let raw = conn.prepare_cached(&sql)?.query_row(params![account, jid], from_row).optional()?;
    raw.map(build).transpose()
}

/// Inserts or replaces a chat.
pub(super) fn upsert(conn: &Connection, phone: &str, chat: &Chat) -> StoreResult<()> {
    let account = accounts::id_of(conn, phone)?;
    upsert_for(conn, account, chat)
}

/// Inserts or replaces a chat of an account known by internal id.
pub(super) fn upsert_for(conn: &Connection, account: i64, chat: &Chat) -> StoreResult<()> {
    conn.prepare_cached(
        "INSERT INTO chats (account_id, jid, t, unread, mute_until, modify_tag, archived, pinned,
                            spam, name)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
         ON CONFLICT (account_id, jid) DO UPDATE SET
            t = excluded.t, unread = excluded.unread, mute_until = excluded.mute_until,
            modify_tag = excluded.modify_tag, archived = excluded.archived,
            pinned = excluded.pinned, spam = excluded.spam, name = excluded.name",
    )?
    .execute(params![
        account,
        chat.jid,
        sql_u64(chat.t, "t")?,
        chat.unread,
        sql_u64(chat.mute_until, "mute_until")?,
        sql_u64(chat.modify_tag, "modify_tag")?,
        chat.archived,
        sql_u64(chat.pinned, "pinned")?,
        chat.spam,
        chat.name,
    ])?;
    Ok(())
}

/// Applies one attribute change, bumps `modify_tag`, and returns the chat.
pub(super) fn update(
    conn: &Connection,
    phone: &str,
    jid: &str,
    update: &ChatUpdate,
) -> StoreResult<Chat> {
    let account = accounts::id_of(conn, phone)?;
    let (set, value): (&str, rusqlite::types::Value) = match update {
        ChatUpdate::Archive(on) => ("archived = ?3", i64::from(*on).into()),
        ChatUpdate::Mute(until) => ("mute_until = ?3", sql_u64(*until, "mute_until")?.into()),
        ChatUpdate::Pin(at) => ("pinned = ?3", sql_u64(*at, "pinned")?.into()),
        ChatUpdate::Spam(on) => ("spam = ?3", i64::from(*on).into()),
        ChatUpdate::Read => ("unread = ?3", 0_i64.into()),
        ChatUpdate::MarkUnread => ("unread = ?3", (-1_i64).into()),
        ChatUpdate::Name(name) => ("name = ?3", name.clone().into()),
    };
    let sql = format!(
        "UPDATE chats SET {set}, modify_tag = modify_tag + 1 WHERE account_id = ?1 AND jid = ?2"
    );
    let changed = conn.prepare_cached(&sql)?.execute(params![account, jid, value])?;
    if changed == 0 {
        return Err(StoreError::NotFound { what: "chat" });
    }
    get_for(conn, account, jid)?.ok_or(StoreError::NotFound { what: "chat" })
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

/// Creates the chat if needed and moves its `t` forward to `t`.
pub(super) fn note_message(
    conn: &Connection,
    account: i64,
    jid: &str,
    t: i64,
    unread: Unread,
) -> StoreResult<()> {
    let sql = match unread {
        Unread::Keep => {
            "INSERT INTO chats (account_id, jid, t) VALUES (?1, ?2, ?3)
             ON CONFLICT (account_id, jid) DO UPDATE SET t = max(t, excluded.t)"
        }
        Unread::Clear => {
            "INSERT INTO chats (account_id, jid, t) VALUES (?1, ?2, ?3)
             ON CONFLICT (account_id, jid) DO UPDATE SET t = max(t, excluded.t), unread = 0"
        }
        Unread::Increment => {
            "INSERT INTO chats (account_id, jid, t, unread) VALUES (?1, ?2, ?3, 1)
             ON CONFLICT (account_id, jid) DO UPDATE SET t = max(t, excluded.t),
                unread = CASE WHEN unread < 0 THEN 1 ELSE unread + 1 END"
        }
    };
    conn.prepare_cached(sql)?.execute(params![account, jid, t])?;
    Ok(())
}
