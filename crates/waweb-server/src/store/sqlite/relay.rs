//! The relay transaction: both copies, both chats, both contacts, and the delivery queue (only
//! for a recipient without a live session: an online one gets the copy pushed after the commit).

use rusqlite::Connection;

use super::super::{InsertOutcome, Relay, RelayOutcome, StoreResult};
use super::cache::AccountCache;
use super::chats::{self, Unread};
use super::convert::sql_u64;
use super::{contacts, deliveries, messages};

/// Runs a relay; the caller's savepoint makes it all or nothing.
pub(super) fn relay(
    conn: &Connection,
    cache: &AccountCache,
    relay: &Relay,
) -> StoreResult<RelayOutcome> {
    let (sender, sender_name) = cache.id_and_pushname(conn, &relay.sender)?;
    let (recipient, recipient_name) = cache.id_and_pushname(conn, &relay.recipient)?;

    let sender_seq = match messages::insert_for(conn, sender, &relay.sender_copy)? {
        InsertOutcome::Inserted(seq) => seq,
        InsertOutcome::Duplicate(seq) => return Ok(RelayOutcome::Duplicate { sender_seq: seq }),
    };
    let sent = &relay.sender_copy;
    chats::note_message(
        conn,
        sender,
        &sent.chat_jid,
        sql_u64(sent.timestamp, "timestamp")?,
        Unread::Clear,
    )?;
    contacts::note_push_name(conn, sender, &sent.chat_jid, &recipient_name)?;

    let received = &relay.recipient_copy;
    let recipient_seq = match messages::insert_for(conn, recipient, received)? {
        InsertOutcome::Inserted(seq) => {
            let t = sql_u64(received.timestamp, "timestamp")?;
            chats::note_message(conn, recipient, &received.chat_jid, t, Unread::Increment)?;
            if !relay.recipient_online {
                deliveries::enqueue(conn, recipient, seq)?;
            }
            seq
        }
        // Already there (stored by another path): neither count nor deliver it twice.
        InsertOutcome::Duplicate(seq) => seq,
    };
    contacts::note_push_name(conn, recipient, &received.chat_jid, &sender_name)?;
    Ok(RelayOutcome::Stored { sender_seq, recipient_seq })
}
