//! Telling a group's members about a change: a system ("stub") message stored in each one's
//! chat with the group, pushed live or queued like any message, and the `Chat` push clients
//! read some changes from (docs/PROTOCOL.md §8.10).

use serde_json::{json, Value};
use waweb_proto::binary::jid::{person_jid, person_store_jid};
use waweb_proto::binary::Node;
use waweb_proto::json::push::ServerPush;
use waweb_proto::message::{self, MessageKey, WebMessageInfo, WebMessageInfoStubType};

use super::common::{json_push, live_push, Failure};
use super::relay::deliver_copy;
use crate::context::Shared;
use crate::store::WebMessageInfoStatus;
use crate::store::{DeliveryId, FanOut, FanOutOutcome, Group, MemberCopy, NewMessage, Store};

/// One change as the members hear of it.
pub(super) struct Notice {
    gid: String,
    id: String,
    actor: String,
    t: u64,
    info: Vec<u8>,
    push: Option<Value>,
}

impl Notice {
    /// A system message of kind `stub` with `parameters`, by `actor` (a phone number) at `t`.
    pub(super) fn new(
        group: &Group,
        actor: &str,
        t: u64,
        stub: WebMessageInfoStubType,
        parameters: Vec<String>,
    ) -> Self {
        // Random, so that two notices of the same second (a leave and the promotion it caused)
        // never share a message key.
        let id = format!("{:016X}", rand::random::<u64>());
        let info = WebMessageInfo {
            key: Some(MessageKey {
                remote_jid: Some(group.jid.clone()),
                from_me: Some(false),
                id: Some(id.clone()),
                participant: Some(person_store_jid(actor)),
            }),
            message_timestamp: Some(t),
            participant: Some(person_store_jid(actor)),
            message_stub_type: Some(stub as i32),
            message_stub_parameters: parameters,
            ..Default::default()
        };
        let info = message::encode(&info);
        Self { gid: group.jid.clone(), id, actor: actor.to_owned(), t, info, push: None }
    }

    /// Adds the push `["Chat",{"id":gid,"cmd":"action","data":[kind,actor,payload]}]`.
    pub(super) fn with_push(mut self, kind: &str, payload: Value) -> Self {
        let data = json!([kind, person_jid(&self.actor), payload]);
        self.push = Some(json!(["Chat", { "id": self.gid, "cmd": "action", "data": data }]));
        self
    }

    fn copy_for(&self, phone: &str) -> MemberCopy {
        let message = NewMessage {
            chat_jid: self.gid.clone(),
            id: self.id.clone(),
            from_me: false,
            timestamp: self.t,
            status: WebMessageInfoStatus::DeliveryAck,
            participant: Some(person_store_jid(&self.actor)),
            push_name: None,
            info: self.info.clone(),
        };
        // Always queued: see `deliver_copy`.
        MemberCopy { phone: phone.to_owned(), message, online: false }
    }
}

/// Stores the notice for each of `audience` (phone numbers), pushes it to them (see
/// [`deliver`]), then sends the `Chat` push, if any.
pub(super) async fn tell<S: Store>(
    shared: &Shared<S>,
    audience: &[String],
    notice: Notice,
) -> Result<(), Failure> {
    let copies: Vec<MemberCopy> = audience.iter().map(|p| notice.copy_for(p)).collect();
    let recipients: Vec<String> = copies.iter().map(|c| c.phone.clone()).collect();
    let fan_out = FanOut { sender: None, copies, unread: false };
    let FanOutOutcome::Stored(seqs) = shared.store.fan_out(fan_out).await? else {
        return Err(Failure(500));
    };
    let push = live_push(notice.info.clone());
    deliver(shared, &recipients, seqs, &push);
    if let Some(chat) = &notice.push {
        for phone in audience {
            shared.hub.deliver(phone, json_push(ServerPush::Other(chat.clone())));
        }
    }
    Ok(())
}

/// Pushes stored group copies to their members' live sessions: `recipients` are phone numbers
/// and `seqs` the copies' sequence numbers, as the fan-out returned them. Each copy is
/// delivered as a one-to-one relay's is (see [`deliver_copy`]).
pub(super) fn deliver<S: Store>(
    shared: &Shared<S>,
    recipients: &[String],
    seqs: Vec<Option<i64>>,
    push: &Node,
) {
    for (phone, seq) in recipients.iter().zip(seqs) {
        if let Some(seq) = seq {
            deliver_copy(shared, phone, DeliveryId(seq), push.clone());
        }
    }
}
