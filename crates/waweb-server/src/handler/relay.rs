//! The relay: a message from this account to another one (docs/PROTOCOL.md §8.9).
//!
//! The server checks the `WebMessageInfo` (own message, to a user of this server), stores both
//! copies durably with its own time, then pushes the recipient's copy to the recipient's live
//! sessions (`action add=relay`), tells the sender's other sessions, and sends the sender the
//! delivery ack (`ack:2`): the recipient's simulated phone is always reachable. The answer
//! `{"status":200,"t":…}` is the reply; the connection sends it on the message's tag before it
//! drains the pushes queued here, which keeps the documented order (answer, push, ack).

use serde_json::json;
use waweb_proto::binary::Node;
use waweb_proto::json::msg::{Ack, MsgAck};
use waweb_proto::json::push::ServerPush;
use waweb_proto::message;

use super::common::{add_action, json_push, message_node, node_push, now_s, store_jid, user_phone};
use super::common::{wire_jid, Failure, Handled};
use super::{wmi, Reply};
use crate::context::{Me, Shared};
use crate::store::{DeliveryId, InsertOutcome, MessageKey, NewMessage, Relay, RelayOutcome, Store};
use crate::store::{StoredMessage, STATUS_DELIVERY_ACK, STATUS_SERVER_ACK};

/// What a relay request asks for, once checked.
struct Outgoing {
    id: String,
    recipient: String,
    bytes: Vec<u8>,
}

/// Reads and checks the `message` child of `action type=relay`.
fn outgoing(node: &Node) -> Result<Outgoing, Failure> {
    let bytes = node
        .child_nodes()
        .iter()
        .find(|c| c.description == "message")
        .and_then(Node::content_bytes)
        .ok_or(Failure(400))?;
    let info = message::decode(bytes).map_err(|_| Failure(400))?;
    let key = info.key.ok_or(Failure(400))?;
    // Only the account's own messages can be relayed: a client never speaks for someone else.
    if key.from_me != Some(true) {
        return Err(Failure(400));
    }
    let id = key.id.filter(|id| !id.is_empty()).ok_or(Failure(400))?;
    let remote = key.remote_jid.ok_or(Failure(400))?;
    if waweb_proto::binary::jid::is_group(&remote) {
        return Err(Failure(501));
    }
    let recipient = user_phone(&remote).ok_or(Failure(400))?;
    Ok(Outgoing { id, recipient, bytes: bytes.to_vec() })
}

/// A copy to store for one side.
fn copy(chat: &str, id: &str, from_me: bool, t: u64, status: u8, info: Vec<u8>) -> NewMessage {
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
fn accepted(t: u64) -> Handled {
    Ok(Reply::Json(json!({ "status": 200, "t": t })))
}

/// Handles `["action",{"type":"relay",…},[["message",null,<WMI>]]]`.
pub(super) async fn relay<S: Store>(shared: &Shared<S>, me: &Me, node: &Node) -> Handled {
    let out = outgoing(node)?;
    let store = shared.store.as_ref();
    // Three independent reads: run them side by side on the read pool.
    let (recipient, blocked, pushname) = tokio::join!(
        store.account(&out.recipient),
        store.blocklist(&out.recipient),
        account_pushname(shared, &me.account)
    );
    let (recipient, blocked) = (recipient?.ok_or(Failure(404))?, blocked?);
    let t = now_s();
    let sender_jid = store_jid(&me.account);
    let recipient_jid = store_jid(&out.recipient);
    if blocked.iter().any(|j| user_phone(j).as_deref() == Some(me.account.as_str())) {
        // Accepted from the sender, never delivered: one tick, as on a real phone.
        let info = wmi::sender_copy(&out.bytes, &recipient_jid, &out.id, t, STATUS_SERVER_ACK)
            .ok_or(Failure(400))?;
        let mine = copy(&recipient_jid, &out.id, true, t, STATUS_SERVER_ACK, info);
        return match store.insert_message(&me.account, mine).await? {
            InsertOutcome::Inserted(_) => accepted(t),
            InsertOutcome::Duplicate(_) => accepted(original_time(shared, me, &out).await?),
        };
    }
    let sent = wmi::sender_copy(&out.bytes, &recipient_jid, &out.id, t, STATUS_DELIVERY_ACK);
    let pushname = pushname?;
    let received = wmi::recipient_copy(&out.bytes, &sender_jid, &out.id, t, &pushname);
    let (Some(sent), Some(received)) = (sent, received) else {
        return Err(Failure(400));
    };
    let mut recipient_copy = copy(&sender_jid, &out.id, false, t, STATUS_DELIVERY_ACK, received);
    recipient_copy.push_name = Some(pushname);
    let relay = Relay {
        sender: me.account.clone(),
        recipient: recipient.phone.clone(),
        sender_copy: copy(&recipient_jid, &out.id, true, t, STATUS_DELIVERY_ACK, sent),
        recipient_copy,
    };
    let recipient_seq = match store.relay(relay.clone()).await? {
        RelayOutcome::Stored { recipient_seq, .. } => recipient_seq,
        RelayOutcome::Duplicate { .. } => {
            return accepted(original_time(shared, me, &out).await?);
        }
    };
    deliver(shared, me, &relay, recipient_seq, t);
    accepted(t)
}

/// Pushes the new message to both sides and the delivery ack to the sender.
fn deliver<S: Store>(shared: &Shared<S>, me: &Me, relay: &Relay, recipient_seq: i64, t: u64) {
    let received = StoredMessage::from_new(relay.recipient_copy.clone(), recipient_seq);
    let push = add_action("relay", vec![message_node(&received)]);
    if shared.hub.deliver(&relay.recipient, node_push(push)) > 0 {
        // Forgetting the pending delivery is a second commit; it stays off the ack's path. If
        // it is lost (crash in between), the message is pushed once more at the recipient's next
        // sync, with the same id: at-least-once, which clients already handle.
        let store = shared.store.clone();
        let recipient = relay.recipient.clone();
        tokio::spawn(async move {
            if let Err(e) = store.ack_delivered(&recipient, vec![DeliveryId(recipient_seq)]).await {
                tracing::warn!(error = %e, "cannot mark a live delivery as done");
            }
        });
    }
    let sent = StoredMessage::from_new(relay.sender_copy.clone(), 0);
    let echo = add_action("relay", vec![message_node(&sent)]);
    shared.hub.deliver_except(&me.account, Some(me.connection), node_push(echo));
    let ack = MsgAck::single(
        relay.sender_copy.id.clone(),
        Ack::Delivered,
        wire_jid(&me.account),
        wire_jid(&relay.recipient),
        t,
    );
    shared.hub.deliver(&me.account, json_push(ServerPush::Msg(ack)));
}

/// The time a repeated relay was first accepted with.
async fn original_time<S: Store>(
    shared: &Shared<S>,
    me: &Me,
    out: &Outgoing,
) -> Result<u64, Failure> {
    let key = MessageKey { chat_jid: store_jid(&out.recipient), id: out.id.clone(), from_me: true };
    let first = shared.store.find_message(&me.account, key).await?;
    first.map(|m| m.timestamp).ok_or(Failure(500))
}

/// The push name stored for an account (the session's may be older).
async fn account_pushname<S: Store>(shared: &Shared<S>, account: &str) -> Result<String, Failure> {
    let account = shared.store.account(account).await?.ok_or(Failure(404))?;
    Ok(account.pushname)
}
