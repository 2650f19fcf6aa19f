//! Messages of an account: insert (idempotent), lookup, status, history pages.

use tokio_postgres::Row;

use super::super::{
    Cursor, Direction, InsertOutcome, MessageKey, NewMessage, Receipts, StoreError, StoreResult,
    StoredMessage, WebMessageInfoStatus,
};
use super::chats::{self, Unread};
use super::convert::{get, limit, sql_u64, u64_of};
use super::db::Db;
use crate::store::message::{status_column, status_from_column};

/// The columns [`build`] reads, in order, qualified by the `m` alias.
pub(super) const COLUMNS: &str = "m.seq, m.chat_jid, m.msg_id, m.from_me, m.timestamp, m.status, \
                                  m.participant, m.push_name, m.info, m.starred, \
                                  m.delivered_t, m.read_t, m.played_t";

pub(super) const NOT_FOUND: StoreError = StoreError::NotFound { what: "message" };

const SPENT: StoreError =
    StoreError::Conflict("this message id was used by a message since removed");

/// Reads the [`COLUMNS`] of one row, checking the unsigned ones.
pub(super) fn build(r: &Row) -> StoreResult<StoredMessage> {
    let time = |i: usize| -> StoreResult<Option<u64>> {
        get::<Option<i64>>(r, i)?.map(|t| u64_of(t, "message")).transpose()
    };
    Ok(StoredMessage {
        seq: get(r, 0)?,
        chat_jid: get(r, 1)?,
        id: get(r, 2)?,
        from_me: get(r, 3)?,
        timestamp: u64_of(get(r, 4)?, "message")?,
        status: status_from_column(get::<i16>(r, 5)?.into())?,
        participant: get(r, 6)?,
        push_name: get(r, 7)?,
        info: get(r, 8)?,
        starred: get(r, 9)?,
        receipts: Receipts { delivered: time(10)?, read: time(11)?, played: time(12)? },
    })
}

/// What an insert needs to know first, in one round trip: the account, whether the key is
/// taken (its `seq`), and whether the id is spent.
struct Probe {
    account: i64,
    existing: Option<i64>,
    spent: bool,
}

async fn probe(db: &Db, phone: &str, m: &NewMessage) -> StoreResult<Probe> {
    let row = db
        .query_opt(
            "SELECT a.id,
                    (SELECT seq FROM messages WHERE account_id = a.id AND chat_jid = $2
                        AND msg_id = $3 AND from_me = $4),
                    $4 AND EXISTS (SELECT 1 FROM spent_ids WHERE account_id = a.id
                                      AND chat_jid = $2 AND msg_id = $3)
             FROM accounts a WHERE a.phone = $1",
            &[&phone, &m.chat_jid, &m.id, &m.from_me],
        )
        .await?
        .ok_or(super::accounts::NOT_FOUND)?;
    Ok(Probe { account: get(&row, 0)?, existing: get(&row, 1)?, spent: get(&row, 2)? })
}

/// Stores one message (creating its chat) for an account known by phone. The caller's
/// transaction is rolled back on a duplicate found only at the insert (a concurrent one).
pub(super) async fn insert(db: &mut Db, phone: &str, m: &NewMessage) -> StoreResult<InsertOutcome> {
    check(m)?;
    let probe = probe(db, phone, m).await?;
    if let Some(seq) = probe.existing {
        return Ok(InsertOutcome::Duplicate(seq));
    }
    if probe.spent {
        return Err(SPENT);
    }
    let t = sql_u64(m.timestamp, "timestamp")?;
    chats::note_message(db, probe.account, &m.chat_jid, t, Unread::Keep).await?;
    match insert_row(db, probe.account, m).await? {
        Some(seq) => Ok(InsertOutcome::Inserted(seq)),
        None => {
            let seq = seq_of(db, probe.account, &m.key()).await?.ok_or(NOT_FOUND)?;
            db.undo(InsertOutcome::Duplicate(seq)).await
        }
    }
}

/// Refuses what cannot be stored before anything is written.
pub(super) fn check(m: &NewMessage) -> StoreResult<()> {
    if m.id.is_empty() {
        return Err(StoreError::Invalid { field: "id", reason: "empty message id" });
    }
    sql_u64(m.timestamp, "timestamp")?;
    Ok(())
}

/// Stores one message row of an account whose chat row the caller locked, unless its key is
/// taken; `Conflict` for an id of the account's own that a removed message had.
pub(super) async fn insert_for(
    db: &Db,
    account: i64,
    m: &NewMessage,
) -> StoreResult<InsertOutcome> {
    check(m)?;
    if m.from_me {
        let spent = db
            .query_opt(
                "SELECT 1 FROM spent_ids WHERE account_id = $1 AND chat_jid = $2 AND msg_id = $3",
                &[&account, &m.chat_jid, &m.id],
            )
            .await?;
        if spent.is_some() {
            return Err(SPENT);
        }
    }
    match insert_row(db, account, m).await? {
        Some(seq) => Ok(InsertOutcome::Inserted(seq)),
        None => seq_of(db, account, &m.key()).await?.map(InsertOutcome::Duplicate).ok_or(NOT_FOUND),
    }
}

/// The INSERT itself: the new `seq`, or `None` if the key is taken.
async fn insert_row(db: &Db, account: i64, m: &NewMessage) -> StoreResult<Option<i64>> {
    let timestamp = sql_u64(m.timestamp, "timestamp")?;
    // The same rule as a new message's `StoredMessage`: the levels it is stored at count from
    // its timestamp.
    let receipts = Receipts::at_insert(m.status, m.timestamp);
    let at = |reached: Option<u64>| reached.map(|_| timestamp);
    let (delivered, read, played) =
        (at(receipts.delivered), at(receipts.read), at(receipts.played));
    let status = status_column(m.status);
    let row = db
        .query_opt(
            "INSERT INTO messages (account_id, chat_jid, msg_id, from_me, timestamp, status,
                                   participant, push_name, info, delivered_t, read_t, played_t)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
             ON CONFLICT (account_id, chat_jid, msg_id, from_me) DO NOTHING
             RETURNING seq",
            &[
                &account,
                &m.chat_jid,
                &m.id,
                &m.from_me,
                &timestamp,
                &status,
                &m.participant,
                &m.push_name,
                &m.info,
                &delivered,
                &read,
                &played,
            ],
        )
        .await?;
    row.map(|r| get(&r, 0)).transpose()
}

/// The sequence number of the account's message with this key, if any.
pub(super) async fn seq_of(db: &Db, account: i64, key: &MessageKey) -> StoreResult<Option<i64>> {
    let row = db
        .query_opt(
            "SELECT seq FROM messages
             WHERE account_id = $1 AND chat_jid = $2 AND msg_id = $3 AND from_me = $4",
            &[&account, &key.chat_jid, &key.id, &key.from_me],
        )
        .await?;
    row.map(|r| get(&r, 0)).transpose()
}

/// One message by key.
pub(super) async fn find(
    db: &Db,
    account: i64,
    key: &MessageKey,
) -> StoreResult<Option<StoredMessage>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM messages m
         WHERE m.account_id = $1 AND m.chat_jid = $2 AND m.msg_id = $3 AND m.from_me = $4"
    );
    let row = db.query_opt(&sql, &[&account, &key.chat_jid, &key.id, &key.from_me]).await?;
    row.as_ref().map(build).transpose()
}

/// Raises the status of a message, noting when each level was first reached; returns the
/// stored status.
pub(super) async fn set_status_for(
    db: &Db,
    account: i64,
    key: &MessageKey,
    status: WebMessageInfoStatus,
    at: u64,
) -> StoreResult<WebMessageInfoStatus> {
    let at = sql_u64(at, "at")?;
    let status = status_column(status);
    let levels = [
        WebMessageInfoStatus::DeliveryAck,
        WebMessageInfoStatus::Read,
        WebMessageInfoStatus::Played,
    ]
    .map(status_column);
    let row = db
        .query_opt(
            "UPDATE messages SET status = greatest(status, $5),
                delivered_t = CASE WHEN $5 >= $7 THEN coalesce(delivered_t, $6) ELSE delivered_t END,
                read_t = CASE WHEN $5 >= $8 THEN coalesce(read_t, $6) ELSE read_t END,
                played_t = CASE WHEN $5 >= $9 THEN coalesce(played_t, $6) ELSE played_t END
             WHERE account_id = $1 AND chat_jid = $2 AND msg_id = $3 AND from_me = $4
             RETURNING status",
            &[
                &account, &key.chat_jid, &key.id, &key.from_me, &status, &at, &levels[0],
                &levels[1], &levels[2],
            ],
        )
        .await?
        .ok_or(NOT_FOUND)?;
    status_from_column(get::<i16>(&row, 0)?.into())
}

/// A page of history, oldest first.
pub(super) async fn history(
    db: &Db,
    account: i64,
    chat_jid: &str,
    cursor: Option<&Cursor>,
    direction: Direction,
    count: u32,
) -> StoreResult<Vec<StoredMessage>> {
    let (bound_sql, order, bound) = match cursor {
        None => ("", "DESC", i64::MAX),
        Some(cursor) => {
            let key = MessageKey {
                chat_jid: chat_jid.to_owned(),
                id: cursor.id.clone(),
                from_me: cursor.from_me,
            };
            let seq = seq_of(db, account, &key).await?.ok_or(NOT_FOUND)?;
            match direction {
                Direction::Before => ("AND m.seq < $3", "DESC", seq),
                Direction::After => ("AND m.seq > $3", "ASC", seq),
            }
        }
    };
    // `$3` appears in every variant so the statement's parameters are the same.
    let sql = format!(
        "SELECT {COLUMNS} FROM messages m
         WHERE m.account_id = $1 AND m.chat_jid = $2 {bound_sql} AND $3::bigint IS NOT NULL
         ORDER BY m.seq {order} LIMIT $4"
    );
    let rows = db.query(&sql, &[&account, &chat_jid, &bound, &limit(count)]).await?;
    let mut page = rows.iter().map(build).collect::<StoreResult<Vec<_>>>()?;
    if order == "DESC" {
        page.reverse();
    }
    Ok(page)
}

/// The newest message of every chat, in chat-list order.
pub(super) async fn last_per_chat(db: &Db, account: i64) -> StoreResult<Vec<StoredMessage>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM chats c
         JOIN LATERAL (SELECT * FROM messages WHERE account_id = c.account_id AND chat_jid = c.jid
                       ORDER BY seq DESC LIMIT 1) m ON true
         WHERE c.account_id = $1
         ORDER BY c.t DESC, c.jid"
    );
    db.query(&sql, &[&account]).await?.iter().map(build).collect()
}
