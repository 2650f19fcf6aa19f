//! Messages of an account: insert (idempotent), lookup, status, history pages.

use rusqlite::{params, Connection, OptionalExtension, Row};

use super::super::{
    Cursor, Direction, InsertOutcome, MessageKey, NewMessage, Receipts, StoreError, StoreResult,
    StoredMessage, WebMessageInfoStatus,
};
use super::accounts;
use super::chats::{self, Unread};
use super::convert::{limit, sql_u64, u64_of};
use crate::store::message::{status_column, status_from_column};

/// The columns [`from_row`] reads, in order, qualified by the `m` alias.
pub(super) const COLUMNS: &str = "m.seq, m.chat_jid, m.msg_id, m.from_me, m.timestamp, m.status, \
                                  m.participant, m.push_name, m.info, m.starred, \
                                  m.delivered_t, m.read_t, m.played_t";

pub(super) const NOT_FOUND: StoreError = StoreError::NotFound { what: "message" };

/// The raw columns of a message row, before the unsigned checks.
pub(super) struct RawMessage {
    seq: i64,
    chat_jid: String,
    id: String,
    from_me: bool,
    timestamp: i64,
    status: i64,
    participant: Option<String>,
    push_name: Option<String>,
    info: Vec<u8>,
    starred: bool,
    receipts: [Option<i64>; 3],
}

/// Reads the [`COLUMNS`] of one row.
pub(super) fn from_row(r: &Row<'_>) -> rusqlite::Result<RawMessage> {
    Ok(RawMessage {
        seq: r.get(0)?,
        chat_jid: r.get(1)?,
        id: r.get(2)?,
        from_me: r.get(3)?,
        timestamp: r.get(4)?,
        status: r.get(5)?,
        participant: r.get(6)?,
        push_name: r.get(7)?,
        info: r.get(8)?,
        starred: r.get(9)?,
        receipts: [r.get(10)?, r.get(11)?, r.get(12)?],
    })
}

impl RawMessage {
    /// Checks the unsigned columns.
    pub(super) fn build(self) -> StoreResult<StoredMessage> {
        Ok(StoredMessage {
            seq: self.seq,
            chat_jid: self.chat_jid,
            id: self.id,
            from_me: self.from_me,
            timestamp: u64_of(self.timestamp, "message")?,
            status: status_from_column(self.status)?,
            participant: self.participant,
            push_name: self.push_name,
            info: self.info,
            starred: self.starred,
            receipts: receipts(self.receipts)?,
        })
    }
}

/// The receipt times as stored (each unsigned, or absent).
fn receipts([delivered, read, played]: [Option<i64>; 3]) -> StoreResult<Receipts> {
    let time = |t: Option<i64>| t.map(|t| u64_of(t, "message")).transpose();
    Ok(Receipts { delivered: time(delivered)?, read: time(read)?, played: time(played)? })
}

/// Stores one message (creating its chat) for an account known by phone.
pub(super) fn insert(
    conn: &Connection,
    phone: &str,
    message: &NewMessage,
) -> StoreResult<InsertOutcome> {
    let account = accounts::id_of(conn, phone)?;
    let outcome = insert_for(conn, account, message)?;
    if let InsertOutcome::Inserted(_) = outcome {
        let t = sql_u64(message.timestamp, "timestamp")?;
        chats::note_message(conn, account, &message.chat_jid, t, Unread::Keep)?;
    }
    Ok(outcome)
}

/// Whether the account removed a message of its own with this id in this chat.
fn spent(conn: &Connection, account: i64, chat: &str, id: &str) -> StoreResult<bool> {
    let sql = "SELECT 1 FROM spent_ids WHERE account_id = ?1 AND chat_jid = ?2 AND msg_id = ?3";
    Ok(conn.prepare_cached(sql)?.exists(params![account, chat, id])?)
}

/// Stores one message row only, unless its key is taken; `Conflict` for an id of the account's
/// own that a removed message had (see `removal`).
pub(super) fn insert_for(
    conn: &Connection,
    account: i64,
    m: &NewMessage,
) -> StoreResult<InsertOutcome> {
    if m.id.is_empty() {
        return Err(StoreError::Invalid { field: "id", reason: "empty message id" });
    }
    if m.from_me && spent(conn, account, &m.chat_jid, &m.id)? {
        return Err(StoreError::Conflict("this message id was used by a message since removed"));
    }
    let timestamp = sql_u64(m.timestamp, "timestamp")?;
    // The same rule as a new message's `StoredMessage`: the levels it is stored at count from
    // its timestamp.
    let receipts = Receipts::at_insert(m.status, m.timestamp);
    let at = |reached: Option<u64>| reached.map(|_| timestamp);
    let inserted = conn
        .prepare_cached(
            "INSERT INTO messages (account_id, chat_jid, msg_id, from_me, timestamp, status,
                                   participant, push_name, info, delivered_t, read_t, played_t)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
             ON CONFLICT (account_id, chat_jid, msg_id, from_me) DO NOTHING",
        )?
        .execute(params![
            account,
            m.chat_jid,
            m.id,
            m.from_me,
            timestamp,
            status_column(m.status),
            m.participant,
            m.push_name,
            m.info,
            at(receipts.delivered),
            at(receipts.read),
            at(receipts.played),
        ])?;
    if inserted == 1 {
        return Ok(InsertOutcome::Inserted(conn.last_insert_rowid()));
    }
    let key = MessageKey { chat_jid: m.chat_jid.clone(), id: m.id.clone(), from_me: m.from_me };
    seq_of(conn, account, &key)?.map(InsertOutcome::Duplicate).ok_or(NOT_FOUND)
}

/// The sequence number of the account's message with this key, if any.
pub(super) fn seq_of(
    conn: &Connection,
    account: i64,
    key: &MessageKey,
) -> StoreResult<Option<i64>> {
    Ok(conn
        .prepare_cached(
            "SELECT seq FROM messages
             WHERE account_id = ?1 AND chat_jid = ?2 AND msg_id = ?3 AND from_me = ?4",
        )?
        .query_row(params![account, key.chat_jid, key.id, key.from_me], |r| r.get(0))
        .optional()?)
}

/// One message by key.
pub(super) fn find(
    conn: &Connection,
    phone: &str,
    key: &MessageKey,
) -> StoreResult<Option<StoredMessage>> {
    let account = accounts::id_of(conn, phone)?;
    let sql = format!(
        "SELECT {COLUMNS} FROM messages m
         WHERE m.account_id = ?1 AND m.chat_jid = ?2 AND m.msg_id = ?3 AND m.from_me = ?4"
    );
    let raw = conn
        .prepare_cached(&sql)?
        .query_row(params![account, key.chat_jid, key.id, key.from_me], from_row)
        .optional()?;
    raw.map(RawMessage::build).transpose()
}

/// Raises the status of a message, noting when each level was first reached; returns the
/// stored status.
pub(super) fn set_status(
    conn: &Connection,
    phone: &str,
    key: &MessageKey,
    status: WebMessageInfoStatus,
    at: u64,
) -> StoreResult<WebMessageInfoStatus> {
    set_status_for(conn, accounts::id_of(conn, phone)?, key, status, at)
}

/// [`set_status`] for an account known by internal id.
pub(super) fn set_status_for(
    conn: &Connection,
    account: i64,
    key: &MessageKey,
    status: WebMessageInfoStatus,
    at: u64,
) -> StoreResult<WebMessageInfoStatus> {
    let at = sql_u64(at, "at")?;
    let stored: Option<i64> = conn
        .prepare_cached(
            "UPDATE messages SET status = max(status, ?5),
                delivered_t = CASE WHEN ?5 >= ?7 THEN coalesce(delivered_t, ?6) ELSE delivered_t END,
                read_t = CASE WHEN ?5 >= ?8 THEN coalesce(read_t, ?6) ELSE read_t END,
                played_t = CASE WHEN ?5 >= ?9 THEN coalesce(played_t, ?6) ELSE played_t END
             WHERE account_id = ?1 AND chat_jid = ?2 AND msg_id = ?3 AND from_me = ?4
             RETURNING status",
        )?
        .query_row(
            params![
                account,
                key.chat_jid,
                key.id,
                key.from_me,
                status_column(status),
                at,
                status_column(WebMessageInfoStatus::DeliveryAck),
                status_column(WebMessageInfoStatus::Read),
                status_column(WebMessageInfoStatus::Played)
            ],
            |r| r.get(0),
        )
        .optional()?;
    let stored = stored.ok_or(NOT_FOUND)?;
    status_from_column(stored)
}

/// A page of history, oldest first.
pub(super) fn history(
    conn: &Connection,
    phone: &str,
    chat_jid: &str,
    cursor: Option<&Cursor>,
    direction: Direction,
    count: u32,
) -> StoreResult<Vec<StoredMessage>> {
    let account = accounts::id_of(conn, phone)?;
    let (sql_bound, order, bound) = match (cursor, direction) {
        (None, _) => ("", "DESC", i64::MAX),
        (Some(cursor), direction) => {
            let key = MessageKey {
                chat_jid: chat_jid.to_owned(),
                id: cursor.id.clone(),
                from_me: cursor.from_me,
            };
            let seq = seq_of(conn, account, &key)?.ok_or(NOT_FOUND)?;
            match direction {
                Direction::Before => ("AND m.seq < ?3", "DESC", seq),
                Direction::After => ("AND m.seq > ?3", "ASC", seq),
            }
        }
    };
    let sql = format!(
        "SELECT {COLUMNS} FROM messages m
         WHERE m.account_id = ?1 AND m.chat_jid = ?2 {sql_bound}
         ORDER BY m.seq {order} LIMIT ?4 + 0"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params![account, chat_jid, bound, limit(count)], from_row)?;
    let mut page = rows.map(|raw| raw?.build()).collect::<StoreResult<Vec<_>>>()?;
    if order == "DESC" {
        page.reverse();
    }
    Ok(page)
}

/// The newest message of every chat, in chat-list order.
pub(super) fn last_per_chat(conn: &Connection, phone: &str) -> StoreResult<Vec<StoredMessage>> {
    let account = accounts::id_of(conn, phone)?;
    let sql = format!(
        "SELECT {COLUMNS} FROM chats c
         JOIN messages m ON m.seq = (SELECT max(seq) FROM messages
                                     WHERE account_id = c.account_id AND chat_jid = c.jid)
         WHERE c.account_id = ?1
         ORDER BY c.t DESC, c.jid"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map([account], from_row)?;
    rows.map(|raw| raw?.build()).collect()
}
