//! Starred messages (docs/PROTOCOL.md §8.3): `["query",{"type":"star","count"?,"jid"?},null]`,
//! answered with a [`MessagePage`](super::page::MessagePage) of type `star`, oldest first.

use super::{expect, lenient, optional, QueryError};
use crate::binary::Node;

/// `query type=star`: the latest `count` starred messages of the chat `jid`, or of every chat.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct StarQuery {
    /// How many at most; `None` if absent or not a number (the server picks).
    pub count: Option<u32>,
    /// One chat, or every chat.
    pub jid: Option<String>,
}

impl StarQuery {
    /// The request node, attributes in the order `type, count, jid` (without `epoch`).
    pub fn to_node(&self) -> Node {
        let mut node = Node::new("query").attr("type", "star");
        if let Some(count) = self.count {
            node = node.attr("count", count.to_string());
        }
        if let Some(jid) = &self.jid {
            node = node.attr("jid", jid.as_str());
        }
        node
    }

    /// Reads the request; it has no required attribute.
    pub fn from_node(node: &Node) -> Result<Self, QueryError> {
        expect(node, "query", "star")?;
        Ok(StarQuery { count: lenient(node, "count"), jid: optional(node, "jid") })
    }
}
