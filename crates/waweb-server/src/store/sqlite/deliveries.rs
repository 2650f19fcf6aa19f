//! The per-account queue of relayed messages not yet pushed to a web session.

use rusqlite::{params, Connection, OptionalExtension};

use super::super::{DeliveryId, PendingDelivery, StoreError, StoreResult};
use super::convert::limit;
use super::{accounts, messages};

/// Queues a stored message for the account's web session.
pub(super) fn enqueue(conn: &Connection, account: i64, seq: i64) -> StoreResult<()> {
    conn.prepare_cached(
        "INSERT INTO pending (account_id, message_seq) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
    )?
    .execute(params![account, seq])?;
    Ok(())
}

/// Queues a message already stored in the account (found by its sequence number).
pub(super) fn enqueue_stored(conn: &Connection, phone: &str, id: DeliveryId) -> StoreResult<()> {
    let account = accounts::id_of(conn, phone)?;
    // The message must be the account's own: the queue never points into another account.
    let queued = conn
        .prepare_cached(
            "INSERT INTO pending (account_id, message_seq)
             SELECT account_id, seq FROM messages WHERE seq = ?2 AND account_id = ?1
             ON CONFLICT DO NOTHING",
        )?
        .execute(params![account, id.0])?;
    if queued == 0 && !is_queued(conn, account, id.0)? {
        return Err(StoreError::NotFound { what: "message" });
    }
    Ok(())
}

fn is_queued(conn: &Connection, account: i64, seq: i64) -> StoreResult<bool> {
    let found = conn
        .prepare_cached("SELECT 1 FROM pending WHERE account_id = ?1 AND message_seq = ?2")?
        .query_row(params![account, seq], |_| Ok(()))
        .optional()?;
    Ok(found.is_some())
}

/// The oldest `count` queued messages.
pub(super) fn pending(
    conn: &Connection,
    phone: &str,
    count: u32,
) -> StoreResult<Vec<PendingDelivery>> {
    let account = accounts::id_of(conn, phone)?;
    // Joining on the account too keeps a stray queue row from exposing another's message.
    let sql = format!(
        "SELECT {} FROM pending p
         JOIN messages m ON m.seq = p.message_seq AND m.account_id = p.account_id
         WHERE p.account_id = ?1 ORDER BY p.message_seq LIMIT ?2 + 0",
        messages::COLUMNS
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params![account, limit(count)], messages::from_row)?;
    rows.map(|raw| {
        let message = raw?.build()?;
        Ok(PendingDelivery { id: DeliveryId(message.seq), message })
    })
    .collect()
}

/// Removes delivered entries; returns how many were queued.
pub(super) fn ack(conn: &Connection, phone: &str, ids: &[DeliveryId]) -> StoreResult<usize> {
    let account = accounts::id_of(conn, phone)?;
    let mut stmt =
        conn.prepare_cached("DELETE FROM pending WHERE account_id = ?1 AND message_seq = ?2")?;
    let mut removed = 0;
    for id in ids {
        removed += stmt.execute(params![account, id.0])?;
    }
    Ok(removed)
}
