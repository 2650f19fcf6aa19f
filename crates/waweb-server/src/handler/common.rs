//! Small pieces every handler shares: JID spellings, replies, store failures, message nodes.

use serde_json::json;
use waweb_proto::action::batch::{self, MessageBatch};
use waweb_proto::binary::jid::Jid;
use waweb_proto::binary::Node;
use waweb_proto::json::push::ServerPush;
use waweb_proto::message::envelope;

use super::Reply;
use crate::hub::Delivery;
use crate::store::{StoreError, StoredMessage};

/// A request that cannot be served, with the status to answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Failure(pub u16);

impl From<StoreError> for Failure {
    fn from(e: StoreError) -> Self {
        let status = e.status();
        if status >= 500 {
            tracing::warn!(error = %e, "storage failed while serving a request");
        }
        Failure(status)
    }
}

/// What a handler produces: the reply, or the status of a failure.
pub type Handled = Result<Reply, Failure>;

/// `{"status":code}`.
pub fn status(code: u16) -> Reply {
    Reply::Json(json!({ "status": code }))
}

/// `{"status":200}`.
pub fn ok() -> Handled {
    Ok(status(200))
}

/// Unix seconds now.
pub fn now_s() -> u64 {
    crate::context::now_ms() / 1000
}

/// The phone number of a user JID in either spelling, if `jid` is one.
pub fn user_phone(jid: &str) -> Option<String> {
    let jid = Jid::parse(jid)?;
    let digits = !jid.user.is_empty() && jid.user.bytes().all(|b| b.is_ascii_digit());
    (jid.is_user() && digits).then_some(jid.user)
}

/// Whether `blocklist` (JIDs, in either spelling) names the user `phone`.
pub fn blocks(blocklist: &[String], phone: &str) -> bool {
    blocklist.iter().any(|j| user_phone(j).as_deref() == Some(phone))
}

/// A user's JID as nodes and JSON frames spell it (`<phone>@c.us`).
pub fn wire_jid(phone: &str) -> String {
    format!("{phone}@c.us")
}

/// A user's JID as protobufs and the store spell it (`<phone>@s.whatsapp.net`).
pub fn store_jid(phone: &str) -> String {
    format!("{phone}@s.whatsapp.net")
}

/// The store's spelling of a chat JID received on the wire (users normalised, others as-is).
pub fn chat_key(jid: &str) -> String {
    waweb_proto::binary::jid::to_whatsapp_net(jid)
}

/// The wire spelling of a stored JID.
pub fn wire(jid: &str) -> String {
    waweb_proto::binary::jid::to_c_us(jid)
}

/// A `["message",null,<WebMessageInfo>]` node for a stored message, with its current status
/// and star.
pub fn message_node(m: &StoredMessage) -> Node {
    batch::message_node(envelope::served(&m.info, m.from_me, m.status, m.starred))
}

/// The `["action",{"add":"relay"},[["message",null,info]]]` push of a new message.
pub fn live_push(info: Vec<u8>) -> Node {
    MessageBatch::live(info).to_node()
}

/// A JSON push, ready for [`crate::hub::Hub::deliver`].
pub fn json_push(push: impl Into<ServerPush>) -> Delivery {
    Delivery::Json(push.into())
}

/// A binary push, ready for [`crate::hub::Hub::deliver`].
pub fn node_push(node: Node) -> Delivery {
    Delivery::Node(node)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_phones_in_both_spellings_only() {
        assert_eq!(user_phone("15550000001@c.us").as_deref(), Some("15550000001"));
        assert_eq!(user_phone("15550000001@s.whatsapp.net").as_deref(), Some("15550000001"));
        for bad in ["1-2@g.us", "status@broadcast", "abc@c.us", "c.us", "", "1@x"] {
            assert_eq!(user_phone(bad), None, "{bad}");
        }
        assert_eq!(chat_key("1@c.us"), "1@s.whatsapp.net");
        assert_eq!(wire("1@s.whatsapp.net"), "1@c.us");
    }

    #[test]
    fn store_errors_map_to_statuses() {
        assert_eq!(Failure::from(StoreError::NotFound { what: "x" }), Failure(404));
        assert_eq!(Failure::from(StoreError::Closed), Failure(500));
    }
}
