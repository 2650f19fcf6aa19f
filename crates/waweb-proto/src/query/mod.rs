//! Binary queries and their answers: `["query",{"type":T,…},null]` from the client, answered on
//! the same tag with a `["response",{…},…]` node (docs/PROTOCOL.md §8.1, §8.3).
//!
//! One file per query type, each holding the request, its answer and the records the answer
//! carries, with `to_node` (what a sender writes) and `from_node` (what a receiver reads):
//!
//! * [`chats`] — `type=chat`: the chat list and its `chat` items (§8.3, §8.8).
//! * [`contacts`] — `type=contacts`: the contact list and its `user` items (§8.3, §8.8).
//! * [`history`] — `type=message`: a history page before or after a message (§8.4).
//! * [`star`] — `type=star`: the starred messages (§8.3).
//! * [`page`] — the `response` holding `message` nodes that both of these answer.
//! * [`message_info`] — `type=message_info`: who got, read and played a message (§8.3).
//! * [`group`] — `type=group`: a group's metadata as a node (§8.3, §8.10).
//! * [`media`] — `type=media`: a fresh URL for a media message's blob (§10.3).
//! * [`emoji`] — `type=emoji`: the emoji usage list (§8.3).
//! * [`empty`] — the answers that carry nothing: an empty `response` of a type, and `search`.
//!
//! The `epoch` attribute every request carries is added by the sending session and ignored by
//! these readers (§8.1). Policy (page sizes, who may ask what, which types a server answers)
//! belongs to the server; only the shape on the wire is here. Parsing never panics: a missing
//! or malformed attribute is a [`QueryError`], or the default each reader documents.

use std::str::FromStr;

use thiserror::Error;

use crate::binary::Node;

pub mod chats;
pub mod contacts;
pub mod emoji;
pub mod empty;
pub mod group;
pub mod history;
pub mod media;
pub mod message_info;
pub mod page;
pub mod star;

/// Why a node is not the query or answer it was read as.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum QueryError {
    /// The node's description is not the expected one (`query`, `response`, `chat`…).
    #[error("expected a `{expected}` node, got `{got}`")]
    WrongNode {
        /// The description expected.
        expected: &'static str,
        /// The description found.
        got: String,
    },
    /// The `type` attribute is absent or names another query.
    #[error("expected type `{expected}`, got {got:?}")]
    WrongType {
        /// The type expected.
        expected: &'static str,
        /// The type found, if any.
        got: Option<String>,
    },
    /// A required attribute is absent.
    #[error("missing attribute `{0}`")]
    Missing(&'static str),
    /// An attribute is present with a value the protocol does not allow.
    #[error("attribute `{name}` has an invalid value {value:?}")]
    Invalid {
        /// The attribute.
        name: &'static str,
        /// Its value.
        value: String,
    },
    /// A node's content is not of the kind its shape calls for (bytes where children belong…).
    #[error("unexpected content in a `{0}` node")]
    Content(&'static str),
}

/// Every query type a client sends, as spelled in the `type` attribute (§8.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum QueryType {
    /// `chat`: the chat list.
    Chat,
    /// `contacts`: the contact list.
    Contacts,
    /// `message`: a history page.
    Message,
    /// `star`: starred messages.
    Star,
    /// `message_info`: receipts of one message.
    MessageInfo,
    /// `group`: a group's metadata.
    Group,
    /// `media`: a new URL for a media message.
    Media,
    /// `emoji`: the emoji usage list.
    Emoji,
    /// `status`: status updates ("stories").
    Status,
    /// `quick_reply` (business).
    QuickReply,
    /// `label` (business).
    Label,
    /// `media_message`.
    MediaMessage,
    /// `search`: message search.
    Search,
    /// `url`.
    Url,
    /// `identity`.
    Identity,
    /// `preview`.
    Preview,
    /// `resume`.
    Resume,
    /// `receipt`.
    Receipt,
    /// `action`.
    Action,
}

impl QueryType {
    /// Every type, in the order of the table of §8.3.
    pub const ALL: [QueryType; 19] = [
        QueryType::Chat,
        QueryType::Contacts,
        QueryType::Status,
        QueryType::Emoji,
        QueryType::QuickReply,
        QueryType::Label,
        QueryType::Message,
        QueryType::Search,
        QueryType::Group,
        QueryType::Media,
        QueryType::MessageInfo,
        QueryType::Star,
        QueryType::MediaMessage,
        QueryType::Url,
        QueryType::Identity,
        QueryType::Preview,
        QueryType::Resume,
        QueryType::Receipt,
        QueryType::Action,
    ];

    /// The `type` attribute's spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            QueryType::Chat => "chat",
            QueryType::Contacts => "contacts",
            QueryType::Message => "message",
            QueryType::Star => "star",
            QueryType::MessageInfo => "message_info",
            QueryType::Group => "group",
            QueryType::Media => "media",
            QueryType::Emoji => "emoji",
            QueryType::Status => "status",
            QueryType::QuickReply => "quick_reply",
            QueryType::Label => "label",
            QueryType::MediaMessage => "media_message",
            QueryType::Search => "search",
            QueryType::Url => "url",
            QueryType::Identity => "identity",
            QueryType::Preview => "preview",
            QueryType::Resume => "resume",
            QueryType::Receipt => "receipt",
            QueryType::Action => "action",
        }
    }

    /// The type a spelling names, if it is a known one.
    pub fn parse(s: &str) -> Option<QueryType> {
        QueryType::ALL.into_iter().find(|t| t.as_str() == s)
    }

    /// The type of a `query` node (its `type` attribute), if it is a known one.
    pub fn of(node: &Node) -> Option<QueryType> {
        node.get_attr("type").and_then(QueryType::parse)
    }
}

/// Checks that `node` is `[description,{"type":kind,…},…]`.
fn expect(node: &Node, description: &'static str, kind: &'static str) -> Result<(), QueryError> {
    if node.description != description {
        return Err(QueryError::WrongNode {
            expected: description,
            got: node.description.to_string(),
        });
    }
    expect_type(node, kind)
}

/// Checks that the `type` attribute of `node` is `kind`.
fn expect_type(node: &Node, kind: &'static str) -> Result<(), QueryError> {
    match node.get_attr("type") {
        Some(t) if t == kind => Ok(()),
        got => Err(QueryError::WrongType { expected: kind, got: got.map(str::to_owned) }),
    }
}

/// Checks the description of a node that has no `type`.
fn expect_node(node: &Node, description: &'static str) -> Result<(), QueryError> {
    if node.description == description {
        Ok(())
    } else {
        Err(QueryError::WrongNode { expected: description, got: node.description.to_string() })
    }
}

/// A required attribute.
fn required<'a>(node: &'a Node, name: &'static str) -> Result<&'a str, QueryError> {
    node.get_attr(name).ok_or(QueryError::Missing(name))
}

/// An optional attribute, owned.
fn optional(node: &Node, name: &str) -> Option<String> {
    node.get_attr(name).map(str::to_owned)
}

/// A required number.
fn number<T: FromStr>(node: &Node, name: &'static str) -> Result<T, QueryError> {
    let value = required(node, name)?;
    value.parse().map_err(|_| QueryError::Invalid { name, value: value.to_owned() })
}

/// A number read leniently: `None` if absent or not a number.
fn lenient<T: FromStr>(node: &Node, name: &str) -> Option<T> {
    node.get_attr(name).and_then(|v| v.parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_type_reads_back_from_its_spelling() {
        for t in QueryType::ALL {
            assert_eq!(QueryType::parse(t.as_str()), Some(t));
        }
        assert_eq!(QueryType::parse("chats"), None);
        let node = Node::new("query").attr("type", "message_info");
        assert_eq!(QueryType::of(&node), Some(QueryType::MessageInfo));
        assert_eq!(QueryType::of(&Node::new("query")), None);
    }

    #[test]
    fn shape_checks_name_what_is_wrong() {
        let node = Node::new("response").attr("type", "chat");
        assert_eq!(expect(&node, "response", "chat"), Ok(()));
        assert!(matches!(expect(&node, "query", "chat"), Err(QueryError::WrongNode { .. })));
        assert_eq!(
            expect(&node, "response", "contacts"),
            Err(QueryError::WrongType { expected: "contacts", got: Some("chat".into()) })
        );
        assert_eq!(number::<u32>(&node, "count"), Err(QueryError::Missing("count")));
        let bad = Node::new("x").attr("count", "-1");
        assert!(matches!(number::<u32>(&bad, "count"), Err(QueryError::Invalid { .. })));
        assert_eq!(lenient::<u32>(&bad, "count"), None);
    }
}
