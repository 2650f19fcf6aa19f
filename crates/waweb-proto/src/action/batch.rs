//! Message batches the server pushes: `["action",{"add":KIND,"last"?},[["message",null,<WMI>]…]]`
//! (docs/PROTOCOL.md §8.7, §8.8, §8.9). A new message is `add:"relay"`; the initial sync sends
//! `add:"last"` then `add:"before"` batches, the final one with `last:"true"`.

use crate::binary::Node;

use super::error::{attr, expect, ActionError};

/// Why a batch of messages arrived: its `add` attribute.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum BatchKind {
    /// A new message (`add:relay`): incoming, or ours from another device.
    Live,
    /// The latest message of each chat (initial sync).
    Last,
    /// Earlier messages (initial sync).
    Before,
    /// Newer messages.
    After,
    /// A message changed.
    Update,
    /// Unread messages.
    Unread,
    /// Another `add` value.
    Other(String),
}

impl BatchKind {
    /// The kind an `add` value names.
    pub fn from_add(add: &str) -> BatchKind {
        match add {
            "relay" => BatchKind::Live,
            "last" => BatchKind::Last,
            "before" => BatchKind::Before,
            "after" => BatchKind::After,
            "update" => BatchKind::Update,
            "unread" => BatchKind::Unread,
            other => BatchKind::Other(other.to_string()),
        }
    }

    /// The `add` value.
    pub fn as_add(&self) -> &str {
        match self {
            BatchKind::Live => "relay",
            BatchKind::Last => "last",
            BatchKind::Before => "before",
            BatchKind::After => "after",
            BatchKind::Update => "update",
            BatchKind::Unread => "unread",
            BatchKind::Other(other) => other,
        }
    }
}

/// A batch of messages, each a `WebMessageInfo` as its bytes (decoded by whoever reads them:
/// the server forwards content it does not model, see [`crate::message::envelope`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageBatch {
    /// `add`.
    pub kind: BatchKind,
    /// `last:"true"`: the final `before` batch of the initial sync.
    pub last: bool,
    /// The `message` children's bytes, in order.
    pub messages: Vec<Vec<u8>>,
}

impl MessageBatch {
    /// A batch of `kind` that is not the last one.
    pub fn new(kind: BatchKind, messages: Vec<Vec<u8>>) -> Self {
        MessageBatch { kind, last: false, messages }
    }

    /// A live message (`add:"relay"`), what a relay pushes.
    pub fn live(message: Vec<u8>) -> Self {
        Self::new(BatchKind::Live, vec![message])
    }

    /// `["action",{"add","last":"true"?},[["message",null,<bytes>]…]]`.
    pub fn to_node(&self) -> Node {
        self.clone().into_node()
    }

    /// [`MessageBatch::to_node`] without copying the messages.
    pub fn into_node(self) -> Node {
        let mut node = Node::new("action").attr("add", self.kind.as_add());
        if self.last {
            node = node.attr("last", "true");
        }
        node.children(self.messages.into_iter().map(message_node).collect())
    }

    /// Reads an `action` node with an `add` attribute (any other attribute is not looked at).
    /// Children other than `message` are skipped; a `message` without bytes counts as empty
    /// bytes (which decode as an empty `WebMessageInfo`), as clients have always read it.
    pub fn from_node(node: &Node) -> Result<Self, ActionError> {
        let (kind, last) = Self::head_of(node)?;
        let messages = message_payloads(node).map(<[u8]>::to_vec).collect();
        Ok(MessageBatch { kind, last, messages })
    }

    /// The kind and `last` flag of a batch node, without copying its messages: a reader that
    /// decodes them takes them from [`message_payloads`].
    pub fn head_of(node: &Node) -> Result<(BatchKind, bool), ActionError> {
        expect(node, "action")?;
        Ok((BatchKind::from_add(attr(node, "add")?), node.attr_is_true("last")))
    }
}

/// `["message",null,<WebMessageInfo>]`, the one form a message takes in a node.
pub fn message_node(bytes: Vec<u8>) -> Node {
    Node::new("message").bytes(bytes)
}

/// The `WebMessageInfo` bytes of the `message` children of `node` (batches, history pushes and
/// query pages alike), in order; a `message` without byte content gives empty bytes.
pub fn message_payloads(node: &Node) -> impl Iterator<Item = &[u8]> {
    node.child_nodes()
        .iter()
        .filter(|n| n.description == "message")
        .map(|n| n.content_bytes().unwrap_or_default())
}
