//! The relay request, `["action",{"type":"relay","epoch"},[["message",null,<WMI>]]]`: a message
//! the client sends, answered `{"status":200,"t":…}` on the message id's tag (docs/PROTOCOL.md
//! §8.9). The server pushes it on as a [`super::batch::MessageBatch`] of kind `relay`, its
//! envelope edited by [`crate::message::envelope`].

use crate::binary::Node;

use super::batch::message_node;
use super::error::ActionError;
use super::request::RequestKind;

/// One relay request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelayRequest {
    /// `epoch` (opaque, §8.1), when given.
    pub epoch: Option<String>,
    /// The `WebMessageInfo`, as the client encoded it.
    pub message: Vec<u8>,
}

impl RelayRequest {
    /// `["action",{"type":"relay","epoch"?},[["message",null,<bytes>]]]`.
    pub fn to_node(&self) -> Node {
        self.clone().into_node()
    }

    /// [`RelayRequest::to_node`] without copying the message.
    pub fn into_node(self) -> Node {
        let mut node = Node::new("action").attr("type", "relay");
        if let Some(epoch) = self.epoch {
            node = node.attr("epoch", epoch);
        }
        node.children(vec![message_node(self.message)])
    }

    /// Reads a relay: an `action type=relay` whose first `message` child has bytes (children
    /// before it with other names are skipped).
    pub fn from_node(node: &Node) -> Result<Self, ActionError> {
        if RequestKind::of(node)? != RequestKind::Relay {
            return Err(ActionError::InvalidAttr("type"));
        }
        let message = Self::message_of(node).ok_or(ActionError::MissingChild("message"))?;
        let epoch = node.get_attr("epoch").map(str::to_owned);
        Ok(RelayRequest { epoch, message: message.to_vec() })
    }

    /// The bytes of the first `message` child, without copying them.
    pub fn message_of(node: &Node) -> Option<&[u8]> {
        node.child_nodes().iter().find(|c| c.description == "message")?.content_bytes()
    }

    /// Whether `node` is a relay request (the one request a server may run alongside others).
    pub fn is_relay(node: &Node) -> bool {
        RequestKind::of(node) == Ok(RequestKind::Relay)
    }
}
