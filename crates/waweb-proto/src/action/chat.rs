//! Chat actions (docs/PROTOCOL.md §8.5): `["chat",{"type","jid",…},[item…]?]` — archive, mute,
//! pin, spam, star and unstar messages, "delete for me" (`clear`), delete the chat — and the
//! spam report `["spam",{"jid"},null]`. The server pushes star, clear and delete on to the
//! account's other devices as they came ([`super::ActionPush`]).

use crate::binary::node::bool_str;
use crate::binary::Node;

use super::error::{attr, expect, ActionError};
use super::MessageRef;

/// What a `chat` action does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChatChange {
    /// `archive` (`true`) or `unarchive`.
    Archive(bool),
    /// `mute` until `mute` (unix seconds); `None` (no attribute) unmutes.
    Mute(Option<u64>),
    /// `pin` at `pin` (unix seconds); `None` (no attribute) unpins.
    Pin(Option<u64>),
    /// `spam`: the chat is spam.
    Spam,
    /// `star` (`on`) or `unstar` these messages.
    Star {
        /// Star or unstar.
        on: bool,
        /// The `item` children.
        items: Vec<MessageRef>,
    },
    /// `clear`: delete the listed messages for me, or, with none, empty the chat up to
    /// `up_to` (all of it without).
    Clear {
        /// The `item` children.
        items: Vec<MessageRef>,
        /// `index`/`owner`: the newest message to remove.
        up_to: Option<MessageRef>,
        /// `star`: whether starred messages go too (`None`: no attribute, they stay).
        star: Option<bool>,
    },
    /// `delete`: the chat and its messages, for me.
    Delete,
}

/// One `chat` action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChatAction {
    /// The chat.
    pub jid: String,
    /// What to do.
    pub change: ChatChange,
}

impl ChatAction {
    /// `["chat",{"jid","type",…},[item…]?]`: `jid` and `type` first, then the attributes of
    /// the change; `item` children for star and clear.
    pub fn to_node(&self) -> Node {
        let node = Node::new("chat").attr("jid", self.jid.as_str());
        let seconds = |node: Node, key: &str, v: &Option<u64>| match v {
            Some(s) => node.attr(key, s.to_string()),
            None => node,
        };
        match &self.change {
            ChatChange::Archive(true) => node.attr("type", "archive"),
            ChatChange::Archive(false) => node.attr("type", "unarchive"),
            ChatChange::Mute(until) => seconds(node.attr("type", "mute"), "mute", until),
            ChatChange::Pin(at) => seconds(node.attr("type", "pin"), "pin", at),
            ChatChange::Spam => node.attr("type", "spam"),
            ChatChange::Star { on, items } => {
                let kind = if *on { "star" } else { "unstar" };
                with_items(node.attr("type", kind), items)
            }
            ChatChange::Clear { items, up_to, star } => {
                let mut node = node.attr("type", "clear");
                if let Some(up_to) = up_to {
                    node = up_to.add_to(node);
                }
                if let Some(star) = star {
                    node = node.attr("star", bool_str(*star));
                }
                with_items(node, items)
            }
            ChatChange::Delete => node.attr("type", "delete"),
        }
    }

    /// Reads a `chat` node: `jid` first, then `type`; a `mute`/`pin` time must be a number;
    /// every child of a star or clear must be an `item` with a non-empty `index`.
    pub fn from_node(node: &Node) -> Result<Self, ActionError> {
        expect(node, "chat")?;
        let jid = attr(node, "jid")?.to_owned();
        let seconds = |key: &'static str| match node.get_attr(key) {
            None => Ok(None),
            Some(v) => v.parse().map(Some).map_err(|_| ActionError::InvalidAttr(key)),
        };
        let change = match node.get_attr("type") {
            Some("archive") => ChatChange::Archive(true),
            Some("unarchive") => ChatChange::Archive(false),
            Some("mute") => ChatChange::Mute(seconds("mute")?),
            Some("pin") => ChatChange::Pin(seconds("pin")?),
            Some("spam") => ChatChange::Spam,
            Some(kind @ ("star" | "unstar")) => {
                ChatChange::Star { on: kind == "star", items: items(node)? }
            }
            Some("clear") => ChatChange::Clear {
                items: items(node)?,
                up_to: MessageRef::of(node),
                star: node.get_attr("star").map(|v| v == "true"),
            },
            Some("delete") => ChatChange::Delete,
            Some(_) => return Err(ActionError::InvalidAttr("type")),
            None => return Err(ActionError::MissingAttr("type")),
        };
        Ok(ChatAction { jid, change })
    }
}

fn with_items(node: Node, items: &[MessageRef]) -> Node {
    if items.is_empty() {
        return node;
    }
    node.children(items.iter().map(|i| i.add_to(Node::new("item"))).collect())
}

/// The `["item",{"index","owner"},null]` children.
fn items(node: &Node) -> Result<Vec<MessageRef>, ActionError> {
    node.child_nodes()
        .iter()
        .map(|item| match MessageRef::of(item) {
            Some(m) if item.description == "item" && !m.id.is_empty() => Ok(m),
            _ => Err(ActionError::MissingChild("item")),
        })
        .collect()
}

/// `["spam",{"jid"},null]`: a spam report about the chat `jid`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpamReport {
    /// The chat.
    pub jid: String,
}

impl SpamReport {
    /// `["spam",{"jid"},null]`.
    pub fn to_node(&self) -> Node {
        Node::new("spam").attr("jid", self.jid.as_str())
    }

    /// Reads a `spam` node; `jid` is required.
    pub fn from_node(node: &Node) -> Result<Self, ActionError> {
        expect(node, "spam")?;
        Ok(SpamReport { jid: attr(node, "jid")?.to_owned() })
    }
}
