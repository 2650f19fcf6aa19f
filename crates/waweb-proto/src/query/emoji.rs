//! The emoji usage list (docs/PROTOCOL.md §8.3): `["query",{"type":"emoji"},null]`, answered with
//! `["response",{"type":"emoji"},[["item",{"code","value"},null]…]]`.

use super::{expect, QueryError};
use crate::binary::Node;

/// `["query",{"type":"emoji"},null]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct EmojiQuery;

impl EmojiQuery {
    /// The request node (without `epoch`).
    pub fn to_node(&self) -> Node {
        Node::new("query").attr("type", "emoji")
    }

    /// Reads the request.
    pub fn from_node(node: &Node) -> Result<Self, QueryError> {
        expect(node, "query", "emoji")?;
        Ok(EmojiQuery)
    }
}

/// One emoji and how much it is used: `["item",{"code","value"},null]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Emoji {
    /// The emoji itself.
    pub code: String,
    /// Its weight, a decimal such as `"1.0"`.
    pub value: String,
}

/// The answer: emoji by use.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct EmojiList {
    /// The items, in the server's order.
    pub items: Vec<Emoji>,
}

impl EmojiList {
    /// The `response` node; an empty list has no content.
    pub fn to_node(&self) -> Node {
        let node = Node::new("response").attr("type", "emoji");
        if self.items.is_empty() {
            return node;
        }
        let items = self
            .items
            .iter()
            .map(|e| {
                Node::new("item").attr("code", e.code.as_str()).attr("value", e.value.as_str())
            })
            .collect();
        node.children(items)
    }

    /// Reads the answer. A child without `code` or `value` is skipped, whatever its name.
    pub fn from_node(node: &Node) -> Result<Self, QueryError> {
        expect(node, "response", "emoji")?;
        let item = |n: &Node| {
            Some(Emoji {
                code: n.get_attr("code")?.to_owned(),
                value: n.get_attr("value")?.to_owned(),
            })
        };
        Ok(EmojiList { items: node.child_nodes().iter().filter_map(item).collect() })
    }
}
