//! Who got, read and played one of our messages (docs/PROTOCOL.md §8.3, §8.10):
//! `["query",{"type":"message_info","index":id,"jid":chat},null]`, answered with
//! `["response",{"type":"message_info"},[["read",null,[["user",{"jid","t"},null]…]],
//! ["delivery",…],["played",…]]]`, each list only once someone reached it.

use super::{expect, expect_node, number, required, QueryError};
use crate::binary::Node;

/// `query type=message_info` for the message `id` in the chat `jid`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageInfoQuery {
    /// The chat.
    pub jid: String,
    /// The message id (`index`).
    pub id: String,
}

impl MessageInfoQuery {
    /// The request node, attributes in the order `type, index, jid` (without `epoch`).
    pub fn to_node(&self) -> Node {
        Node::new("query")
            .attr("type", "message_info")
            .attr("index", self.id.as_str())
            .attr("jid", self.jid.as_str())
    }

    /// Reads the request; `jid` and `index` are required.
    pub fn from_node(node: &Node) -> Result<Self, QueryError> {
        expect(node, "query", "message_info")?;
        let jid = required(node, "jid")?.to_owned();
        Ok(MessageInfoQuery { jid, id: required(node, "index")?.to_owned() })
    }
}

/// Someone who reached a level: `["user",{"jid","t"},null]`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Receipt {
    /// Who (`…@c.us`).
    pub jid: String,
    /// When they first reached it, unix seconds.
    pub t: u64,
}

impl Receipt {
    /// The `user` node.
    pub fn to_node(&self) -> Node {
        Node::new("user").attr("jid", self.jid.as_str()).attr("t", self.t.to_string())
    }

    /// Reads a `user` node: a non-empty `jid` and a numeric `t` are required.
    pub fn from_node(node: &Node) -> Result<Self, QueryError> {
        expect_node(node, "user")?;
        let jid = required(node, "jid")?;
        if jid.is_empty() {
            return Err(QueryError::Invalid { name: "jid", value: String::new() });
        }
        Ok(Receipt { jid: jid.to_owned(), t: number(node, "t")? })
    }
}

/// The answer: who got, read and played the message.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MessageInfo {
    /// The `read` list.
    pub read: Vec<Receipt>,
    /// The `delivery` list.
    pub delivered: Vec<Receipt>,
    /// The `played` list (voice notes).
    pub played: Vec<Receipt>,
}

impl MessageInfo {
    /// True when nobody is on any list.
    pub fn is_empty(&self) -> bool {
        self.read.is_empty() && self.delivered.is_empty() && self.played.is_empty()
    }

    /// The `response` node: the lists `read`, `delivery`, `played` in that order, each only if
    /// someone is on it; no content at all if none is.
    pub fn to_node(&self) -> Node {
        let lists: Vec<Node> =
            [("read", &self.read), ("delivery", &self.delivered), ("played", &self.played)]
                .into_iter()
                .filter(|(_, users)| !users.is_empty())
                .map(|(name, users)| {
                    Node::new(name).children(users.iter().map(Receipt::to_node).collect())
                })
                .collect();
        let node = Node::new("response").attr("type", "message_info");
        if lists.is_empty() {
            node
        } else {
            node.children(lists)
        }
    }

    /// Reads the answer. Lists of a kind not known here are skipped and lists of the same kind
    /// add up; byte content where lists or users belong, or a malformed user, is an error.
    pub fn from_node(node: &Node) -> Result<Self, QueryError> {
        expect(node, "response", "message_info")?;
        if node.content_bytes().is_some() {
            return Err(QueryError::Content("response"));
        }
        let mut info = MessageInfo::default();
        for list in node.child_nodes() {
            let into = match list.description.as_str() {
                "read" => &mut info.read,
                "delivery" => &mut info.delivered,
                "played" => &mut info.played,
                _ => continue,
            };
            if list.content_bytes().is_some() {
                return Err(QueryError::Content("receipt list"));
            }
            for user in list.child_nodes() {
                into.push(Receipt::from_node(user)?);
            }
        }
        Ok(info)
    }
}
