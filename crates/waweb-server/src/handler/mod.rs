//! Requests of a logged-in session, one file per query or action family.
//!
//! The connection task calls [`binary`] for every decrypted node and [`json`] for every JSON
//! query, and sends the [`Reply`] on the request's tag. Handlers may queue pushes for this and
//! other connections through the hub while they run; the connection must send the reply before
//! it sends the pushes queued meanwhile (acks follow the answer they belong to).
//!
//! Every store call is made with the asking session's account, so a session only ever reads or
//! changes its own account's data; other accounts are touched only through a relay, a receipt or
//! a presence push, and only as the protocol says.
//!
//! * `query` — binary queries: [`lists`] (chats, contacts), `history` (message pages), and
//!   the types answered empty or `501`.
//! * `action` — binary actions: [`presence`], `read` (receipts), `chat` (archive, mute, pin),
//!   `profile` (block list, about, push name) and `relay`.
//! * `group` — groups: the `group` action, `group_info` (their metadata), `group_invite`
//!   (invite links), `group_notice` (telling members of a change) and `group_relay` (a message
//!   to a group).
//! * `json_query` — JSON queries (`exist`, `Status`, presence subscription, …).
//! * [`Turn`] — the order of a connection's relays in flight.

mod action;
mod chat;
mod common;
mod group;
mod group_info;
mod group_invite;
mod group_notice;
mod group_relay;
mod history;
mod json_query;
pub mod lists;
mod media_query;
mod picture;
pub mod presence;
mod profile;
mod query;
mod read;
mod relay;
mod turn;

use serde_json::Value;
use waweb_proto::binary::Node;
use waweb_proto::json::query::JsonQuery;

pub(crate) use common::blocks;
pub use common::{stored_payload, Failure};
pub use relay::relay_chat;
pub use turn::{Turn, TurnChain};

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

/// Turns a handler's outcome into the reply: failures become `{"status":code}`.
fn settle(outcome: common::Handled) -> Reply {
    outcome.unwrap_or_else(|Failure(code)| common::status(code))
}

/// Answers a decrypted binary request: `query` nodes with a `response` node, `action` nodes with
/// `{"status":…}`, anything else with `{"status":400}`.
pub async fn binary<S: Store>(shared: &Shared<S>, me: &Me, tag: &str, node: Node) -> Reply {
    binary_in_turn(shared, me, tag, node, &mut Turn::alone()).await
}

/// [`binary`] for a relay that runs alongside others of the same connection: `turn` keeps them
/// in request order (see [`Turn`]).
pub async fn binary_in_turn<S: Store>(
    shared: &Shared<S>,
    me: &Me,
    tag: &str,
    node: Node,
    turn: &mut Turn,
) -> Reply {
    tracing::debug!(tag, description = %node.description, "binary request");
    settle(match node.description.as_str() {
        "query" => query::answer(shared, me, &node).await,
        "action" => action::perform(shared, me, &node, turn).await,
        _ => Err(Failure(400)),
    })
}

/// Whether a request is a relay (`action type=relay`): the one request a connection may run
/// alongside others, in [`Turn`]s; every other request waits for the relays before it.
pub fn is_relay(node: &Node) -> bool {
    waweb_proto::action::relay::RelayRequest::is_relay(node)
}

/// Answers a JSON query or action.
pub async fn json<S: Store>(shared: &Shared<S>, me: &Me, tag: &str, q: JsonQuery) -> Reply {
    tracing::debug!(tag, "json request");
    settle(json_query::answer(shared, me, q).await)
}
