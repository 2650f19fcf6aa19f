//! The answers that carry nothing (docs/PROTOCOL.md §8.1, §8.3): an empty `response` of the
//! query's type, for the lists a server keeps nothing in (`status`, `quick_reply`, `label`…),
//! and the end of a search, `["response",{"type":"search","last":"true"},null]`.

use super::{expect, expect_node, QueryError, QueryType};
use crate::binary::node::bool_str;
use crate::binary::Node;

/// `["response",{"type":T},null]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EmptyResponse {
    /// The query type it answers.
    pub kind: QueryType,
}

impl EmptyResponse {
    /// The `response` node.
    pub fn to_node(&self) -> Node {
        Node::new("response").attr("type", self.kind.as_str())
    }

    /// Reads the answer: a known `type`; any content is an error.
    pub fn from_node(node: &Node) -> Result<Self, QueryError> {
        expect_node(node, "response")?;
        let Some(kind) = QueryType::of(node) else {
            let got = node.get_attr("type").map(str::to_owned);
            return Err(QueryError::WrongType { expected: "a query type", got });
        };
        if node.content != crate::binary::Content::None {
            return Err(QueryError::Content("response"));
        }
        Ok(EmptyResponse { kind })
    }
}

/// A page of search results with none in it: `["response",{"type":"search","last":…},null]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SearchResponse {
    /// No more pages (`last:"true"`).
    pub last: bool,
}

impl SearchResponse {
    /// The `response` node.
    pub fn to_node(&self) -> Node {
        Node::new("response").attr("type", "search").attr("last", bool_str(self.last))
    }

    /// Reads the answer; `last` other than `"true"` means more pages.
    pub fn from_node(node: &Node) -> Result<Self, QueryError> {
        expect(node, "response", "search")?;
        Ok(SearchResponse { last: node.attr_is_true("last") })
    }
}
