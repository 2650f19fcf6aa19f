//! Presence and chat states, `["presence",{"type","to"?},null]` (docs/PROTOCOL.md §8.5): online
//! or offline, and typing, paused or recording towards a chat. What the server pushes back is
//! the JSON `Presence` ([`crate::json::presence`]).

use crate::binary::Node;

use super::error::{attr, expect, ActionError};

/// A chat state: what the user does in a chat.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ChatState {
    /// `composing`: typing.
    Composing,
    /// `paused`: stopped typing.
    Paused,
    /// `recording`: recording a voice note.
    Recording,
}

impl ChatState {
    /// The `type` attribute (also the `type` of the `Presence` push it becomes).
    pub fn as_str(self) -> &'static str {
        match self {
            ChatState::Composing => "composing",
            ChatState::Paused => "paused",
            ChatState::Recording => "recording",
        }
    }
}

/// One `presence` action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PresenceAction {
    /// `type:"available"`: I am online.
    Available,
    /// `type:"unavailable"`: I am offline.
    Unavailable,
    /// A chat state towards `to` (a user's JID or a group's).
    ChatState {
        /// What the user does.
        state: ChatState,
        /// The chat, as sent.
        to: String,
    },
}

impl PresenceAction {
    /// `["presence",{"type","to"?},null]`.
    pub fn to_node(&self) -> Node {
        match self {
            PresenceAction::Available => Node::new("presence").attr("type", "available"),
            PresenceAction::Unavailable => Node::new("presence").attr("type", "unavailable"),
            PresenceAction::ChatState { state, to } => {
                Node::new("presence").attr("type", state.as_str()).attr("to", to.as_str())
            }
        }
    }

    /// Reads a `presence` node: a chat state needs `to`; another `type` is an error.
    pub fn from_node(node: &Node) -> Result<Self, ActionError> {
        expect(node, "presence")?;
        let state = match attr(node, "type")? {
            "available" => return Ok(PresenceAction::Available),
            "unavailable" => return Ok(PresenceAction::Unavailable),
            "composing" => ChatState::Composing,
            "paused" => ChatState::Paused,
            "recording" => ChatState::Recording,
            _ => return Err(ActionError::InvalidAttr("type")),
        };
        Ok(PresenceAction::ChatState { state, to: attr(node, "to")?.to_owned() })
    }
}
