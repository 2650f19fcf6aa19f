//! The node value: what a WABinary stream decodes to and what the encoder takes.

use super::NodeStr;

/// The content of a node: nothing, a list of child nodes, or raw bytes.
///
/// String content decoded from a token, a packed string or a JID is kept as its UTF-8 bytes.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Content {
    /// No content (the list size is odd).
    #[default]
    None,
    /// Child nodes, in order.
    Nodes(Vec<Node>),
    /// Raw bytes (a protobuf, a JPEG, UTF-8 text...).
    Bytes(Vec<u8>),
}

/// One node: a description (the "tag name"), ordered attributes and a content.
///
/// Attributes keep their wire order; keys are unique in practice but not enforced.
///
/// ```
/// use waweb_proto::binary::{Content, Node};
/// let n = Node::new("presence").attr("type", "available");
/// assert_eq!(n.get_attr("type"), Some("available"));
/// assert_eq!(n.content, Content::None);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Node {
    /// The node's description, e.g. `action`, `query`, `message`.
    pub description: NodeStr,
    /// Attributes, in wire order.
    pub attrs: Vec<(NodeStr, NodeStr)>,
    /// The content.
    pub content: Content,
}

impl Node {
    /// A node with a description, no attributes and no content.
    pub fn new(description: impl Into<NodeStr>) -> Self {
        Node { description: description.into(), attrs: Vec::new(), content: Content::None }
    }

    /// Adds an attribute (builder style).
    pub fn attr(mut self, key: impl Into<NodeStr>, value: impl Into<NodeStr>) -> Self {
        self.attrs.push((key.into(), value.into()));
        self
    }

    /// Sets child nodes as the content (builder style).
    pub fn children(mut self, children: Vec<Node>) -> Self {
        self.content = Content::Nodes(children);
        self
    }

    /// Sets raw bytes as the content (builder style).
    pub fn bytes(mut self, bytes: impl Into<Vec<u8>>) -> Self {
        self.content = Content::Bytes(bytes.into());
        self
    }

    /// The value of the first attribute named `key`.
    pub fn get_attr(&self, key: &str) -> Option<&str> {
        self.attrs.iter().find(|(k, _)| k.as_bytes() == key.as_bytes()).map(|(_, v)| v.as_str())
    }

    /// Whether the attribute `key` is exactly `"true"`: anything else, or none, is false (what
    /// both ends have always read).
    pub fn attr_is_true(&self, key: &str) -> bool {
        self.get_attr(key) == Some("true")
    }

    /// The child nodes, or an empty slice when the content is not a list.
    pub fn child_nodes(&self) -> &[Node] {
        match &self.content {
            Content::Nodes(n) => n,
            _ => &[],
        }
    }

    /// The byte content, if any.
    pub fn content_bytes(&self) -> Option<&[u8]> {
        match &self.content {
            Content::Bytes(b) => Some(b),
            _ => None,
        }
    }
}

/// `"true"` or `"false"`, as a boolean attribute is written.
pub(crate) fn bool_str(on: bool) -> &'static str {
    if on {
        "true"
    } else {
        "false"
    }
}
