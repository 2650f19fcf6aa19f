//! Requests of a logged-in session, one file per query or action (filled in by the server work).
//!
//! The connection task calls [`binary`] for every decrypted node and [`json`] for every JSON
//! query, and sends the [`Reply`] on the request's tag.

use serde_json::Value;
use waweb_proto::binary::Node;
use waweb_proto::json::query::JsonQuery;

use crate::context::{Me, Shared};
use crate::store::Store;

/// How a request is answered on its tag.
#[derive(Debug, Clone, PartialEq)]
pub enum Reply {
    /// An encrypted `response` node (queries).
    Node(Node),
    /// A text JSON answer (actions: `{"status":200}`; relays: `{"status":200,"t":…}`).
    Json(Value),
    /// No answer (fire-and-forget requests).
    Nothing,
}

/// Answers a decrypted binary request.
pub async fn binary<S: Store>(_shared: &Shared<S>, _me: &Me, _tag: &str, _node: Node) -> Reply {
    Reply::Json(serde_json::json!({"status": 501}))
}

/// Answers a JSON query or action.
pub async fn json<S: Store>(_shared: &Shared<S>, _me: &Me, _tag: &str, _q: JsonQuery) -> Reply {
    Reply::Json(serde_json::json!({"status": 501}))
}
