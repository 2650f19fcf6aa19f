//! A group message stored for several members in one write: the sender's copy (its chat
//! cleared of unread), each member's copy (its chat noted, queued unless the member is online),
//! and whom the message went to, for its receipts.

use rusqlite::Connection;

use super::super::group::{FanOut, FanOutOutcome};
use super::super::{InsertOutcome, StoreResult};
use super::accounts::NOT_FOUND as NO_ACCOUNT;
use super::cache::AccountCache;
use super::chats::{self, Unread};
use super::convert::sql_u64;
use super::{deliveries, group_receipts, messages};

/// Stores a group message for the sender (if any) and each member copy; copies of accounts
/// removed meanwhile are skipped.
pub(super) fn fan_out(
    conn: &Connection,
    cache: &AccountCache,
    fan_out: &FanOut,
) -> StoreResult<FanOutOutcome> {
    let mut sender_seq = None;
    if let Some((phone, own)) = &fan_out.sender {
        let sender = cache.id_of(conn, phone)?.ok_or(NO_ACCOUNT)?;
        let seq = match messages::insert_for(conn, sender, own)? {
            InsertOutcome::Inserted(seq) => seq,
            InsertOutcome::Duplicate(_) => return Ok(FanOutOutcome::Duplicate),
        };
        let t = sql_u64(own.timestamp, "timestamp")?;
        chats::note_message(conn, sender, &own.chat_jid, t, Unread::Clear)?;
        sender_seq = Some(seq);
    }
    let unread = if fan_out.unread { Unread::Increment } else { Unread::Keep };
    let mut seqs = Vec::with_capacity(fan_out.copies.len());
    for copy in &fan_out.copies {
        let Some(account) = cache.id_of(conn, &copy.phone)? else {
            seqs.push(None);
            continue;
        };
        let seq = match messages::insert_for(conn, account, &copy.message)? {
            InsertOutcome::Inserted(seq) => {
                let t = sql_u64(copy.message.timestamp, "timestamp")?;
                chats::note_message(conn, account, &copy.message.chat_jid, t, unread)?;
                if !copy.online {
                    deliveries::enqueue(conn, account, seq)?;
                }
                seq
            }
            // Another member's message with the same id: this one is not stored, so it is
            // neither pushed nor counted.
            InsertOutcome::Duplicate(_) => {
                seqs.push(None);
                continue;
            }
        };
        seqs.push(Some(seq));
    }
    if let Some(seq) = sender_seq {
        let recipients = fan_out.stored_recipients(&seqs);
        group_receipts::note_send(conn, seq, &recipients)?;
    }
    Ok(FanOutOutcome::Stored(seqs))
}
