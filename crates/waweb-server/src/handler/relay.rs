//! The relay: a message from this account to another one (docs/PROTOCOL.md §8.9).
//!
//! The server checks the `WebMessageInfo` (own message, to a user of this server), stores both
//! copies durably with its own time (the recipient's queued for its web session), then pushes the recipient's copy to the recipient's live
//! sessions (`action add=relay`), tells the sender's other sessions, and sends the sender the
//! delivery ack (`ack:2`): the recipient's simulated phone is always reachable. The answer
//! `{"status":200,"t":…}` is the reply; the connection sends it on the message's tag before it
//! drains the pushes queued here, which keeps the documented order (answer, push, ack).

use serde_json::json;
use waweb_proto::action::relay::RelayRequest;
use waweb_proto::binary::jid::{person_jid, person_number, person_store_jid, to_c_us};
use waweb_proto::binary::Node;
use waweb_proto::json::msg::{Ack, MsgAck};
use waweb_proto::json::push::ServerPush;
use waweb_proto::message::{self, envelope};

use super::common::{blocks, Failure, Handled};
use super::common::{json_push, live_push, node_push, now_s};
use super::{group_relay, Reply, Turn};
use crate::context::{Me, Shared};
use crate::hub::Delivery;
use crate::store::WebMessageInfoStatus;
use crate::store::{DeliveryId, InsertOutcome, MessageKey, NewMessage, Relay, RelayOutcome, Store};

/// What a relay request asks for, once checked.
pub(super) struct Outgoing {
    /// `key.id`.
    pub(super) id: String,
    /// The recipient's phone number, or the group's JID.
    pub(super) recipient: String,
    /// Whether `recipient` is a group.
    pub(super) group: bool,
    /// The client's `WebMessageInfo`.
    pub(super) bytes: Vec<u8>,
}

impl Outgoing {
    /// The chat the message goes to, as the store spells it: the group's JID, or the
    /// recipient's `…@s.whatsapp.net`.
    fn chat_jid(&self) -> String {
        if self.group {
            self.recipient.clone()
        } else {
            person_store_jid(&self.recipient)
        }
    }
}

/// Reads and checks the `message` child of `action type=relay`.
fn outgoing(node: &Node) -> Result<Outgoing, Failure> {
    let bytes = RelayRequest::message_of(node).ok_or(Failure(400))?;
    let info = message::decode(bytes).map_err(|_| Failure(400))?;
    // System messages come from the server alone: a relayed one would let a member fake a
    // removal or a new subject on the other members' screens.
    if info.message_stub_type.is_some() || !info.message_stub_parameters.is_empty() {
        return Err(Failure(400));
    }
    let key = info.key.ok_or(Failure(400))?;
    // Only the account's own messages can be relayed: a client never speaks for someone else.
    if key.from_me != Some(true) {
        return Err(Failure(400));
    }
    let id = key.id.filter(|id| !id.is_empty()).ok_or(Failure(400))?;
    let remote = key.remote_jid.ok_or(Failure(400))?;
    let bytes = bytes.to_vec();
    if waweb_proto::binary::jid::is_group(&remote) {
        return Ok(Outgoing { id, recipient: remote, group: true, bytes });
    }
    let recipient = person_number(&remote).ok_or(Failure(400))?;
    Ok(Outgoing { id, recipient, group: false, bytes })
}

/// The chat a relay request writes to (the group's JID or the recipient's
/// `…@s.whatsapp.net`), if the request is well formed: what orders relays on a store that does
/// not order writes.
pub fn relay_chat(node: &Node) -> Option<String> {
    outgoing(node).ok().map(|out| out.chat_jid())
}

/// A copy to store for one side.
fn copy(
    chat: &str,
    id: &str,
    from_me: bool,
    t: u64,
    status: WebMessageInfoStatus,
    info: Vec<u8>,
) -> NewMessage {
    NewMessage {
        chat_jid: chat.to_owned(),
        id: id.to_owned(),
        from_me,
        timestamp: t,
        status,
        participant: None,
        push_name: None,
        info,
    }
}

/// `{"status":200,"t":t}`.
pub(super) fn accepted(t: u64) -> Handled {
    Ok(Reply::Json(json!({ "status": 200, "t": t })))
}

/// Handles `["action",{"type":"relay",…},[["message",null,<WMI>]]]`, storing and delivering
/// in `turn` (see [`Turn`]).
pub(super) async fn relay<S: Store>(
    shared: &Shared<S>,
    me: &Me,
    node: &Node,
    turn: &mut Turn,
) -> Handled {
    turn.wait_to_queue().await;
    let out = outgoing(node)?;
    if out.group {
        return group_relay::relay(shared, me, &out, turn).await;
    }
    let store = shared.store.as_ref();
    // Served from the store's memory: no database read on the relay path. An unknown recipient
    // has no blocklist: `NotFound`, answered 404.
    let blocked = store.blocklist(&out.recipient).await?;
    let t = now_s();
    let sender_jid = person_store_jid(&me.account);
    let recipient_jid = out.chat_jid();
    if blocks(&blocked, &me.account) {
        // Accepted from the sender, never delivered: one tick, as on a real phone.
        let info = envelope::sender_copy(
            &out.bytes,
            &recipient_jid,
            &out.id,
            t,
            WebMessageInfoStatus::ServerAck,
        )
        .ok_or(Failure(400))?;
        let mine = copy(&recipient_jid, &out.id, true, t, WebMessageInfoStatus::ServerAck, info);
        return match turn.queue(store.insert_message(&me.account, mine)).await? {
            InsertOutcome::Inserted(_) => accepted(t),
            InsertOutcome::Duplicate(_) => accepted(original_time(shared, me, &out).await?),
        };
    }
    let sent = envelope::sender_copy(
        &out.bytes,
        &recipient_jid,
        &out.id,
        t,
        WebMessageInfoStatus::DeliveryAck,
    );
    let pushname = account_pushname(shared, &me.account).await?;
    let received = envelope::recipient_copy(&out.bytes, &sender_jid, &out.id, t, &pushname);
    let (Some(sent), Some(received)) = (sent, received) else {
        return Err(Failure(400));
    };
    let mut recipient_copy =
        copy(&sender_jid, &out.id, false, t, WebMessageInfoStatus::DeliveryAck, received);
    recipient_copy.push_name = Some(pushname);
    let sender_copy =
        copy(&recipient_jid, &out.id, true, t, WebMessageInfoStatus::DeliveryAck, sent);
    // The pushes carry only what is in the copies: built now, the relay moves into the store.
    let pushes = Pushes { received: served(&recipient_copy), sent: served(&sender_copy) };
    let relay = Relay {
        sender: me.account.clone(),
        recipient: out.recipient.clone(),
        sender_copy,
        recipient_copy,
        // Always queued: the recipient's connection acknowledges what it wrote to its socket.
        recipient_online: false,
    };
    let recipient_seq = match turn.queue(store.relay(relay)).await? {
        RelayOutcome::Stored { recipient_seq, .. } => recipient_seq,
        RelayOutcome::Duplicate { .. } => {
            return accepted(original_time(shared, me, &out).await?);
        }
    };
    turn.wait_to_deliver().await;
    let push = live_push(pushes.received);
    deliver_copy(shared, &out.recipient, DeliveryId(recipient_seq), push);
    tell_sender(shared, me, &out, pushes.sent, t);
    turn.delivered();
    accepted(t)
}

/// The `WebMessageInfo`s pushed for a relay.
struct Pushes {
    received: Vec<u8>,
    sent: Vec<u8>,
}

/// The bytes a copy is pushed as (what [`stored_payload`](super::common::stored_payload) makes
/// of it once stored: a new message is not starred).
pub(super) fn served(copy: &NewMessage) -> Vec<u8> {
    envelope::served(&copy.info, copy.from_me, copy.status, false)
}

/// Pushes a stored copy, queued for `recipient` as entry `id`, to the recipient's live
/// sessions on every node. The copy stays queued until a connection wrote it to its socket
/// and acknowledged it (see [`Delivery::Relayed`]): with several nodes, no node knows whether
/// the recipient is online, so the store's queue, not a local count, decides what the next
/// sync still owes.
pub(super) fn deliver_copy<S: Store>(
    shared: &Shared<S>,
    recipient: &str,
    id: DeliveryId,
    push: Node,
) {
    shared.hub.deliver(recipient, Delivery::Relayed { node: push, queued: id });
}

/// Echoes the message to the sender's other sessions and sends the sender the delivery ack.
pub(super) fn tell_sender<S: Store>(
    shared: &Shared<S>,
    me: &Me,
    out: &Outgoing,
    sent: Vec<u8>,
    t: u64,
) {
    let echo = live_push(sent);
    shared.hub.deliver_except(&me.account, me.connection, node_push(echo));
    let to = to_c_us(&out.chat_jid());
    let ack = MsgAck::single(out.id.clone(), Ack::Delivered, person_jid(&me.account), to, t);
    shared.hub.deliver(&me.account, json_push(ServerPush::Msg(ack)));
}

/// The time a repeated relay was first accepted with.
pub(super) async fn original_time<S: Store>(
    shared: &Shared<S>,
    me: &Me,
    out: &Outgoing,
) -> Result<u64, Failure> {
    let key = MessageKey { chat_jid: out.chat_jid(), id: out.id.clone(), from_me: true };
    let first = shared.store.find_message(&me.account, key).await?;
    first.map(|m| m.timestamp).ok_or(Failure(500))
}

/// The push name stored for an account (the session's may be older).
pub(super) async fn account_pushname<S: Store>(
    shared: &Shared<S>,
    account: &str,
) -> Result<String, Failure> {
    let account = shared.store.account(account).await?.ok_or(Failure(404))?;
    Ok(account.pushname)
}
