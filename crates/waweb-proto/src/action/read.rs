//! Read receipts from the reader's side (docs/PROTOCOL.md §8.5, §8.7, §8.9):
//! `["read",{"jid","index"?,"owner"?,"count"?},null]` (a chat read up to a message, or marked
//! unread with `count:"-2"`; the same node with only `jid` tells the account's other devices),
//! and `["received",{"type":"played","index","from"},null]` (a voice note played).

use crate::binary::Node;

use super::error::{attr, expect, ActionError};
use super::MessageRef;

/// The `count` of a `read`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadCount {
    /// `"-2"`: mark the chat unread instead.
    MarkUnread,
    /// How many messages were read (our client sends 1; the server does not look at it).
    Messages(u32),
}

/// One `read` action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Read {
    /// The chat.
    pub jid: String,
    /// The newest message read (`index`, `owner`); without, the whole chat.
    pub index: Option<MessageRef>,
    /// `count`; `None` when absent or neither `-2` nor a number (the server ignores it then).
    pub count: Option<ReadCount>,
}

impl Read {
    /// The short form pushed to the account's other devices: `["read",{"jid"},null]`.
    pub fn elsewhere(jid: &str) -> Self {
        Read { jid: jid.to_owned(), index: None, count: None }
    }

    /// Whether this marks the chat unread.
    pub fn marks_unread(&self) -> bool {
        self.count == Some(ReadCount::MarkUnread)
    }

    /// `["read",{"jid","index"?,"owner"?,"count"?},null]`, attributes in that order.
    pub fn to_node(&self) -> Node {
        let mut node = Node::new("read").attr("jid", self.jid.as_str());
        if let Some(index) = &self.index {
            node = index.add_to(node);
        }
        match self.count {
            Some(ReadCount::MarkUnread) => node.attr("count", "-2"),
            Some(ReadCount::Messages(n)) => node.attr("count", n.to_string()),
            None => node,
        }
    }

    /// Reads a `read` node; `jid` is required.
    pub fn from_node(node: &Node) -> Result<Self, ActionError> {
        expect(node, "read")?;
        let jid = attr(node, "jid")?.to_owned();
        let count = match node.get_attr("count") {
            Some("-2") => Some(ReadCount::MarkUnread),
            Some(n) => n.parse().ok().map(ReadCount::Messages),
            None => None,
        };
        Ok(Read { jid, index: MessageRef::of(node), count })
    }
}

/// `["received",{"type":"played","index","from"},null]`: I played the voice note `index` that
/// `from` sent me.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Played {
    /// The message id.
    pub index: String,
    /// Its author's JID (the chat).
    pub from: String,
}

impl Played {
    /// `["received",{"type":"played","index","from"},null]`.
    pub fn to_node(&self) -> Node {
        Node::new("received")
            .attr("type", "played")
            .attr("index", self.index.as_str())
            .attr("from", self.from.as_str())
    }

    /// Reads a `received` node: a `type` other than `played` is
    /// [`ActionError::InvalidAttr`]`("type")` (a receipt this family does not hold), then
    /// `index` and `from` are required.
    pub fn from_node(node: &Node) -> Result<Self, ActionError> {
        expect(node, "received")?;
        if node.get_attr("type") != Some("played") {
            return Err(ActionError::InvalidAttr("type"));
        }
        let index = attr(node, "index")?.to_owned();
        Ok(Played { index, from: attr(node, "from")?.to_owned() })
    }
}
