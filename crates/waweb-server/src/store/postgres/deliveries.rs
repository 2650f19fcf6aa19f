//! The per-account queue of relayed messages not yet pushed to a web session. A queue entry
//! references its message, so removing a message removes its place in the queue.

use super::super::{DeliveryId, PendingDelivery, StoreError, StoreResult};
use super::convert::limit;
use super::db::Db;
use super::messages;

/// Queues a stored message for the account's web session.
pub(super) async fn enqueue(db: &Db, account: i64, seq: i64) -> StoreResult<()> {
    db.execute(
        "INSERT INTO pending (account_id, message_seq) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        &[&account, &seq],
    )
    .await?;
    Ok(())
}

/// Queues a message already stored in the account (found by its sequence number).
pub(super) async fn enqueue_stored(db: &Db, account: i64, id: DeliveryId) -> StoreResult<()> {
    // The message must be the account's own: the queue never points into another account.
    let found = db
        .query_opt(
            "WITH queued AS (
                INSERT INTO pending (account_id, message_seq)
                SELECT account_id, seq FROM messages WHERE seq = $2 AND account_id = $1
                ON CONFLICT DO NOTHING RETURNING 1)
             SELECT 1 FROM messages WHERE seq = $2 AND account_id = $1",
            &[&account, &id.0],
        )
        .await?;
    found.map(|_| ()).ok_or(StoreError::NotFound { what: "message" })
}

/// The oldest `count` queued messages.
pub(super) async fn pending(
    db: &Db,
    account: i64,
    count: u32,
) -> StoreResult<Vec<PendingDelivery>> {
    // Joining on the account too keeps a stray queue row from exposing another's message.
    let sql = format!(
        "SELECT {} FROM pending p
         JOIN messages m ON m.seq = p.message_seq AND m.account_id = p.account_id
         WHERE p.account_id = $1 ORDER BY p.message_seq LIMIT $2",
        messages::COLUMNS
    );
    let rows = db.query(&sql, &[&account, &limit(count)]).await?;
    rows.iter()
        .map(|row| {
            let message = messages::build(row)?;
            Ok(PendingDelivery { id: DeliveryId(message.seq), message })
        })
        .collect()
}

/// Removes delivered entries; returns how many were queued.
pub(super) async fn ack(db: &Db, account: i64, ids: &[DeliveryId]) -> StoreResult<usize> {
    let mut removed = 0;
    for id in ids {
        removed += db
            .execute(
                "DELETE FROM pending WHERE account_id = $1 AND message_seq = $2",
                &[&account, &id.0],
            )
            .await?;
    }
    Ok(usize::try_from(removed).unwrap_or(usize::MAX))
}
