//! Small pieces every handler shares: replies, store failures, message nodes, the blocklist
//! check. (JID spellings are the core's: `waweb_proto::binary::jid`.)

use serde_json::json;
use waweb_proto::action::batch::MessageBatch;
use waweb_proto::binary::jid::person_number;
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

/// Whether `blocklist` (JIDs, in either spelling) names the user `phone`.
pub fn blocks(blocklist: &[String], phone: &str) -> bool {
    blocklist.iter().any(|j| person_number(j).as_deref() == Some(phone))
}

/// A stored message's `WebMessageInfo` as the account's browser is served it: with its current
/// status and star (the bytes of a `message` node in pages and history pushes).
pub fn stored_payload(m: &StoredMessage) -> Vec<u8> {
    envelope::served(&m.info, m.from_me, m.status, m.starred)
}

/// The `["action",{"add":"relay"},[["message",null,info]]]` push of a new message.
pub fn live_push(info: Vec<u8>) -> Node {
    MessageBatch::live(info).into_node()
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
    fn the_blocklist_matches_either_spelling() {
        let list = vec!["15550000002@s.whatsapp.net".to_owned(), "1-2@g.us".to_owned()];
        assert!(blocks(&list, "15550000002"));
        assert!(!blocks(&list, "15550000001"));
        assert!(blocks(&["15550000001@c.us".to_owned()], "15550000001"));
    }

    #[test]
    fn store_errors_map_to_statuses() {
        assert_eq!(Failure::from(StoreError::NotFound { what: "x" }), Failure(404));
        assert_eq!(Failure::from(StoreError::Closed), Failure(500));
    }
}
