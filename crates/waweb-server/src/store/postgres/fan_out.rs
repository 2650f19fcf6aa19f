//! A group message stored for several members in one transaction: the sender's copy (its chat
//! cleared of unread), each member's copy (its chat noted, queued unless the member is online),
//! and whom the message went to, for its receipts.

use super::super::group::{FanOut, FanOutOutcome};
use super::super::{InsertOutcome, StoreResult};
use super::accounts::{find_id, NOT_FOUND as NO_ACCOUNT};
use super::chats::{self, Unread};
use super::convert::sql_u64;
use super::db::Db;
use super::{deliveries, group_receipts, messages};

/// Stores a group message for the sender (if any) and each member copy; copies of accounts
/// removed meanwhile are skipped. The members' chats are locked in phone order (the same in
/// every fan-out to the group, so two of them never wait for each other in a circle).
pub(super) async fn fan_out(db: &mut Db, fan_out: &FanOut) -> StoreResult<FanOutOutcome> {
    let mut order: Vec<(&str, Option<usize>)> =
        fan_out.copies.iter().enumerate().map(|(i, c)| (c.phone.as_str(), Some(i))).collect();
    if let Some((phone, own)) = &fan_out.sender {
        messages::check(own)?;
        order.push((phone.as_str(), None));
    }
    order.sort_by(|a, b| a.0.cmp(b.0));
    let unread = if fan_out.unread { Unread::Increment } else { Unread::Keep };
    let mut seqs: Vec<Option<i64>> = vec![None; fan_out.copies.len()];
    let mut sender_seq = None;
    for (phone, copy) in order {
        let Some(index) = copy else {
            let Some((_, own)) = &fan_out.sender else { continue };
            let sender = find_id(db, phone).await?.ok_or(NO_ACCOUNT)?;
            let t = sql_u64(own.timestamp, "timestamp")?;
            chats::lock(db, sender, &own.chat_jid, t).await?;
            match messages::insert_for(db, sender, own).await? {
                InsertOutcome::Inserted(seq) => sender_seq = Some(seq),
                // Nothing of this fan-out stays, whatever was stored before in this loop.
                InsertOutcome::Duplicate(_) => return db.undo(FanOutOutcome::Duplicate).await,
            }
            chats::note_message(db, sender, &own.chat_jid, t, Unread::Clear).await?;
            continue;
        };
        let Some(copy) = fan_out.copies.get(index) else { continue };
        let Some(account) = find_id(db, phone).await? else { continue };
        let t = sql_u64(copy.message.timestamp, "timestamp")?;
        chats::lock(db, account, &copy.message.chat_jid, t).await?;
        // Another member's message with the same id: this one is not stored, so it is neither
        // pushed nor counted.
        if let InsertOutcome::Inserted(seq) =
            messages::insert_for(db, account, &copy.message).await?
        {
            chats::note_message(db, account, &copy.message.chat_jid, t, unread).await?;
            if !copy.online {
                deliveries::enqueue(db, account, seq).await?;
            }
            if let Some(slot) = seqs.get_mut(index) {
                *slot = Some(seq);
            }
        }
    }
    if let Some(seq) = sender_seq {
        let recipients = fan_out.stored_recipients(&seqs);
        group_receipts::note_send(db, seq, &recipients).await?;
    }
    Ok(FanOutOutcome::Stored(seqs))
}
