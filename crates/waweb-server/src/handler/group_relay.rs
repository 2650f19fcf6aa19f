//! A message relayed to a group (docs/PROTOCOL.md §8.10): stored for the sender and every other
//! member in one write, then pushed to the members online, as the one-to-one relay does for its
//! recipient. Only members write, and only admins in an announce-only group (401 otherwise).

use waweb_proto::binary::jid::person_store_jid;
use waweb_proto::message::envelope;

use super::common::{live_push, now_s};
use super::common::{Failure, Handled};
use super::group_notice::deliver;
use super::relay::{accepted, account_pushname, original_time, served, tell_sender, Outgoing};
use super::Turn;
use crate::context::{Me, Shared};
use crate::store::WebMessageInfoStatus;
use crate::store::{FanOut, FanOutOutcome, MemberCopy, NewMessage, Store};

/// The most bytes one message to a group may store in all its copies: a 64 KiB message for the
/// 257 members of a full group, 512 KiB for 32. Each copy is its own buffer until stored, and a
/// connection may have 32 relays in flight.
const MAX_FAN_OUT_BYTES: usize = 16 << 20;

/// Relays `out` (whose `recipient` is a group JID) in `turn`.
pub(super) async fn relay<S: Store>(
    shared: &Shared<S>,
    me: &Me,
    out: &Outgoing,
    turn: &mut Turn,
) -> Handled {
    let store = shared.store.as_ref();
    let group = store.group(&out.recipient).await?.ok_or(Failure(404))?;
    if !group.may_write(&me.account) {
        return Err(Failure(401));
    }
    // Each member gets a copy, all stored in one write: bound what one message may cost.
    if out.bytes.len().saturating_mul(group.members.len()) > MAX_FAN_OUT_BYTES {
        return Err(Failure(413));
    }
    let t = now_s();
    let sender_jid = person_store_jid(&me.account);
    let pushname = account_pushname(shared, &me.account).await?;
    let sent = envelope::sender_copy(
        &out.bytes,
        &group.jid,
        &out.id,
        t,
        WebMessageInfoStatus::DeliveryAck,
    );
    let received = envelope::group_copy(&out.bytes, &group.jid, &sender_jid, &out.id, t, &pushname);
    let (Some(sent), Some(received)) = (sent, received) else {
        return Err(Failure(400));
    };
    let message = |from_me: bool, info: Vec<u8>| NewMessage {
        chat_jid: group.jid.clone(),
        id: out.id.clone(),
        from_me,
        timestamp: t,
        status: WebMessageInfoStatus::DeliveryAck,
        participant: (!from_me).then(|| sender_jid.clone()),
        push_name: (!from_me).then(|| pushname.clone()),
        info,
    };
    let copies: Vec<MemberCopy> = group
        .members
        .iter()
        .filter(|m| m.phone != me.account)
        .map(|m| MemberCopy {
            phone: m.phone.clone(),
            message: message(false, received.clone()),
            // Always queued: see `deliver_copy`.
            online: false,
        })
        .collect();
    let push = live_push(received.clone());
    let sender_copy = message(true, sent);
    // The echo carries only what is in the copy: built now, the copy moves into the store.
    let echo = served(&sender_copy);
    let fan_out = FanOut { sender: Some((me.account.clone(), sender_copy)), copies, unread: true };
    let recipients: Vec<String> = fan_out.copies.iter().map(|c| c.phone.clone()).collect();
    let seqs = match turn.queue(store.fan_out(fan_out)).await? {
        FanOutOutcome::Stored(seqs) => seqs,
        FanOutOutcome::Duplicate => return accepted(original_time(shared, me, out).await?),
    };
    turn.wait_to_deliver().await;
    deliver(shared, &recipients, seqs, &push);
    tell_sender(shared, me, out, echo, t);
    turn.delivered();
    accepted(t)
}
