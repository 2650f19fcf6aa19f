//! The relay: one call of the `waweb_relay` function (`migrations.rs`), so one round trip and
//! one implicit transaction per relay, whatever it stores.

use super::super::{Relay, RelayOutcome, StoreError, StoreResult};
use super::convert::{get, has_state, is_deadlock, sql_u64, DUPLICATE_STATE};
use super::db::Db;
use super::messages;
use crate::store::message::status_column;

/// Attempts at a relay that PostgreSQL chose as a deadlock's victim (the chat rows are locked
/// in a fixed order, so only unusual mixes of writes can get there).
const ATTEMPTS: usize = 3;

/// Runs a relay as one statement.
pub(super) async fn relay(db: &Db, relay: &Relay) -> StoreResult<RelayOutcome> {
    let (sent, received) = (&relay.sender_copy, &relay.recipient_copy);
    messages::check(sent)?;
    messages::check(received)?;
    let (s_ts, r_ts) =
        (sql_u64(sent.timestamp, "timestamp")?, sql_u64(received.timestamp, "timestamp")?);
    let (s_status, r_status) = (status_column(sent.status), status_column(received.status));
    let sql = "SELECT o_duplicate, o_sender_seq, o_recipient_seq FROM waweb_relay(
                   $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)";
    let mut attempt = 0;
    loop {
        attempt += 1;
        let answered = db
            .query_opt_raw(
                sql,
                &[
                    &relay.sender,
                    &relay.recipient,
                    &relay.recipient_online,
                    &sent.chat_jid,
                    &sent.id,
                    &s_ts,
                    &s_status,
                    &sent.participant,
                    &sent.push_name,
                    &sent.info,
                    &received.chat_jid,
                    &received.id,
                    &r_ts,
                    &r_status,
                    &received.participant,
                    &received.push_name,
                    &received.info,
                ],
            )
            .await?;
        let row = match answered {
            Ok(row) => row.ok_or(StoreError::Corrupt("relay answer"))?,
            Err(e) if has_state(&e, DUPLICATE_STATE) => return duplicate(db, relay).await,
            Err(e) if is_deadlock(&e) && attempt < ATTEMPTS => continue,
            Err(e) => return Err(e.into()),
        };
        let sender_seq: i64 = get(&row, 1)?;
        if get::<bool>(&row, 0)? {
            return Ok(RelayOutcome::Duplicate { sender_seq });
        }
        return Ok(RelayOutcome::Stored { sender_seq, recipient_seq: get(&row, 2)? });
    }
}

/// A concurrent relay of the same message won: the first one's sequence number.
async fn duplicate(db: &Db, relay: &Relay) -> StoreResult<RelayOutcome> {
    let sender = super::accounts::id_of(db, &relay.sender).await?;
    let seq = messages::seq_of(db, sender, &relay.sender_copy.key()).await?;
    Ok(RelayOutcome::Duplicate { sender_seq: seq.ok_or(messages::NOT_FOUND)? })
}
