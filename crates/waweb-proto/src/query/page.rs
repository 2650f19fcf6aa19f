//! A page of messages: `["response",{"type":"message"|"star"},[["message",null,<WMI>]…]]`, the
//! answer to a [`HistoryQuery`](super::history::HistoryQuery) (docs/PROTOCOL.md §8.4) or a
//! [`StarQuery`](super::star::StarQuery) (§8.3). Each message is the `WebMessageInfo` protobuf,
//! kept here as bytes: decoding it is [`crate::message`]'s business.

use super::{expect_node, QueryError};
use crate::action::batch::{message_node, message_payloads};
use crate::binary::Node;

/// Which query a page answers (the `type` attribute).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageKind {
    /// `type:"message"`: a history page.
    Message,
    /// `type:"star"`: starred messages.
    Star,
}

impl PageKind {
    /// The `type` attribute's spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            PageKind::Message => "message",
            PageKind::Star => "star",
        }
    }
}

/// A page of messages, oldest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessagePage {
    /// What it answers.
    pub kind: PageKind,
    /// The encoded `WebMessageInfo` of each message.
    pub messages: Vec<Vec<u8>>,
}

impl MessagePage {
    /// The `response` node; an empty page has no content (`["response",{"type":…},null]`),
    /// which for history also marks the start of the chat.
    pub fn to_node(&self) -> Node {
        self.clone().into_node()
    }

    /// [`MessagePage::to_node`] without copying the messages.
    pub fn into_node(self) -> Node {
        let node = Node::new("response").attr("type", self.kind.as_str());
        if self.messages.is_empty() {
            node
        } else {
            node.children(self.messages.into_iter().map(message_node).collect())
        }
    }

    /// Reads a page. Children other than `message` are skipped; a `message` without byte
    /// content counts as empty bytes (which then fail to decode as a message, or not, as the
    /// reader's decoder decides).
    pub fn from_node(node: &Node) -> Result<Self, QueryError> {
        expect_node(node, "response")?;
        let kind = match node.get_attr("type") {
            Some("message") => PageKind::Message,
            Some("star") => PageKind::Star,
            got => {
                return Err(QueryError::WrongType {
                    expected: "message",
                    got: got.map(str::to_owned),
                })
            }
        };
        let messages = message_payloads(node).map(<[u8]>::to_vec).collect();
        Ok(MessagePage { kind, messages })
    }
}
