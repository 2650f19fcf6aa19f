//! Binary actions, one file per family, each a typed value with `to_node` (what the sender
//! writes) and `from_node` (what the receiver reads), so that both ends share one definition
//! of every action the client sends and every action push the server sends
//! (docs/PROTOCOL.md §8.1, §8.5, §8.7, §8.9, §8.10):
//!
//! * [`request`] — the envelope `["action",{"type":"set"|"relay","epoch"},[child…]]`, and the
//!   `["action",null,[child…]]` push that tells a browser of a change made elsewhere;
//! * [`relay`] — `action type=relay`: a message to send;
//! * [`batch`] — `["action",{"add":…},[message…]]`: messages pushed (live, initial sync…);
//! * [`presence`] — online, offline and chat states;
//! * [`read`] — read receipts (`read`) and voice notes played (`received type=played`);
//! * [`chat`] — archive, mute, pin, star, clear, delete, and spam reports;
//! * [`profile`] — block list, "about" text, push name, pictures;
//! * [`group`] — creating and changing groups;
//! * [`battery`] — the phone's battery;
//! * [`frequent`] — the contacts the phone talks to most.
//!
//! `from_node` is total: a malformed node is an [`ActionError`], never a panic; where today's
//! readers take a default (an absent flag is `false`) the type says so. Policy — who may do
//! what, limits, the status a refusal gets — stays with the server.
//!
//! ```
//! use waweb_proto::action::presence::{ChatState, PresenceAction};
//! use waweb_proto::action::request::ActionRequest;
//! use waweb_proto::binary::encode;
//!
//! let typing = PresenceAction::ChatState { state: ChatState::Composing, to: "1@c.us".into() };
//! let request = ActionRequest::set(typing.to_node()).with_epoch("4");
//! let node = request.to_node();
//! assert_eq!(PresenceAction::from_node(&node.child_nodes()[0]), Ok(typing));
//! assert_eq!(encode(&node)[..3], [0xf8, 0x06, 0x09]);
//! ```

pub mod batch;
pub mod battery;
pub mod chat;
mod error;
pub mod frequent;
pub mod group;
pub mod presence;
pub mod profile;
pub mod read;
pub mod relay;
pub mod request;

use crate::binary::node::bool_str;
use crate::binary::Node;

pub use error::ActionError;
pub use request::{ActionPush, ActionRequest, RequestKind};

/// A message named by its id and whether it is the account's own: the `index` and `owner`
/// attributes of `read`, `item` and `clear`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct MessageRef {
    /// `index`: the message id.
    pub id: String,
    /// `owner:"true"`: sent by the account (anything else, or no attribute: received).
    pub from_me: bool,
}

impl MessageRef {
    /// A reference to the message `id`.
    pub fn new(id: impl Into<String>, from_me: bool) -> Self {
        MessageRef { id: id.into(), from_me }
    }

    /// The `index`/`owner` of `node`, if it has an `index`.
    pub fn of(node: &Node) -> Option<MessageRef> {
        let id = node.get_attr("index")?.to_owned();
        Some(MessageRef { id, from_me: node.attr_is_true("owner") })
    }

    /// `node` with `index` and `owner` added.
    pub fn add_to(&self, node: Node) -> Node {
        node.attr("index", self.id.as_str()).attr("owner", bool_str(self.from_me))
    }
}

#[cfg(test)]
mod tests;
