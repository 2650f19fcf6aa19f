//! The envelope of every binary action: the client's request
//! `["action",{"type":"set"|"relay","epoch"?},[child…]]` (docs/PROTOCOL.md §8.1, §8.5) and the
//! push a phone sends its browser, `["action",null,[child…]]` (§8.7).

use crate::binary::Node;

use super::error::{expect, ActionError};

/// The `type` of an action request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RequestKind {
    /// `type:"set"`: every other action. A request without `type` is read as one.
    Set,
    /// `type:"relay"`: a message to send (§8.9, [`super::relay`]).
    Relay,
}

impl RequestKind {
    /// The `type` attribute.
    pub fn as_str(self) -> &'static str {
        match self {
            RequestKind::Set => "set",
            RequestKind::Relay => "relay",
        }
    }

    /// The kind of an `action` node: `set` when it has no `type`, an error for a `type` other
    /// than `set` or `relay`, or a node that is no `action`.
    pub fn of(node: &Node) -> Result<RequestKind, ActionError> {
        expect(node, "action")?;
        match node.get_attr("type") {
            Some("set") | None => Ok(RequestKind::Set),
            Some("relay") => Ok(RequestKind::Relay),
            Some(_) => Err(ActionError::InvalidAttr("type")),
        }
    }
}

/// A client's action request: its kind, its `epoch` (opaque, §8.1) and its children.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionRequest {
    /// `type`.
    pub kind: RequestKind,
    /// `epoch`, when the sender has put it in (the client's driver adds it at sending time).
    pub epoch: Option<String>,
    /// The actions, in order (one in practice; a relay's is the `message`).
    pub children: Vec<Node>,
}

impl ActionRequest {
    /// `["action",{"type":"set"},[child]]`, the one-child request every `set` action is.
    pub fn set(child: Node) -> Self {
        ActionRequest { kind: RequestKind::Set, epoch: None, children: vec![child] }
    }

    /// The same request with an `epoch`.
    pub fn with_epoch(mut self, epoch: impl Into<String>) -> Self {
        self.epoch = Some(epoch.into());
        self
    }

    /// `["action",{"type","epoch"?},[child…]]`, attributes in that order.
    pub fn to_node(&self) -> Node {
        self.clone().into_node()
    }

    /// [`ActionRequest::to_node`] without copying the children.
    pub fn into_node(self) -> Node {
        let mut node = Node::new("action").attr("type", self.kind.as_str());
        if let Some(epoch) = self.epoch {
            node = node.attr("epoch", epoch);
        }
        node.children(self.children)
    }

    /// Reads an action request (see [`RequestKind::of`]); a content that is no list gives no
    /// children.
    pub fn from_node(node: &Node) -> Result<Self, ActionError> {
        let kind = RequestKind::of(node)?;
        let epoch = node.get_attr("epoch").map(str::to_owned);
        Ok(ActionRequest { kind, epoch, children: node.child_nodes().to_vec() })
    }
}

/// `["action",null,[child…]]`: what a phone (here, the server) pushes to tell a browser of a
/// change made elsewhere — a chat read, archived or cleared on another device (§8.5, §8.7) —
/// and how it reports the battery ([`super::battery`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionPush {
    /// The changes, each the node the other device sent or its short form.
    pub children: Vec<Node>,
}

impl ActionPush {
    /// `["action",null,[children…]]`.
    pub fn to_node(&self) -> Node {
        self.clone().into_node()
    }

    /// [`ActionPush::to_node`] without copying the children.
    pub fn into_node(self) -> Node {
        Node::new("action").children(self.children)
    }

    /// Reads an `action` node without `add` (those are message batches,
    /// [`super::batch::MessageBatch`]); its attributes are not looked at.
    pub fn from_node(node: &Node) -> Result<Self, ActionError> {
        expect(node, "action")?;
        if node.get_attr("add").is_some() {
            return Err(ActionError::InvalidAttr("add"));
        }
        Ok(ActionPush { children: node.child_nodes().to_vec() })
    }
}
