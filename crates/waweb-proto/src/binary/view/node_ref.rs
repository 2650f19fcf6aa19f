//! [`NodeRef`], a handle on one node of a [`Tree`], and its iterators: the navigation API.

use std::borrow::Cow;
use std::fmt;
use std::ops::Range;

use super::super::{Content, Node};
use super::parse::read_at;
use super::string::{Str, ViewStr};
use super::{AttrRec, ContentRec, NodeRec, Tree};

/// A node of a [`Tree`]: a reference and an index, cheap to copy.
///
/// ```
/// use waweb_proto::binary::{encode, Node};
/// use waweb_proto::binary::view::{decode_view, ContentRef};
/// let node = Node::new("message").attr("id", "3EB0A1").bytes(vec![1, 2, 3]);
/// let bytes = encode(&node);
/// let tree = decode_view(&bytes).unwrap();
/// let message = tree.root();
/// assert_eq!(message.description(), "message");
/// assert_eq!(message.get_attr("id").unwrap(), "3EB0A1");
/// assert!(message.get_attr("to").is_none());
/// assert_eq!(message.content_bytes().as_deref(), Some(&[1u8, 2, 3][..]));
/// assert!(matches!(message.content(), ContentRef::Bytes(b) if b == [1, 2, 3]));
/// assert_eq!(message.children().len(), 0);
/// assert_eq!(message.raw(), &bytes[..]);
/// ```
#[derive(Clone, Copy)]
pub struct NodeRef<'t> {
    tree: &'t Tree<'t>,
    rec: &'t NodeRec,
}

/// The content of a node of a view.
#[derive(Debug, Clone)]
pub enum ContentRef<'t> {
    /// No content.
    None,
    /// Child nodes (possibly none: an empty list).
    Nodes(Children<'t>),
    /// Raw `BINARY_*` bytes.
    Bytes(&'t [u8]),
    /// A string item as content (a token, packed string or JID pair), which the owned decoder
    /// keeps as its text's bytes.
    Text(ViewStr<'t>),
}

impl<'t> NodeRef<'t> {
    pub(super) fn new(tree: &'t Tree<'t>, index: usize) -> Self {
        NodeRef { tree, rec: tree.nodes.get(index).unwrap_or(&NodeRec::EMPTY) }
    }

    fn str_at(&self, at: usize) -> ViewStr<'t> {
        ViewStr(read_at(self.tree.data, at).0)
    }

    /// The description (the "tag name").
    pub fn description(&self) -> ViewStr<'t> {
        self.str_at(self.rec.desc)
    }

    /// The attributes in wire order (those with a null value left out, as by the decoder).
    pub fn attrs(&self) -> Attrs<'t> {
        let range = self.rec.first_attr..self.rec.first_attr + self.rec.attr_count;
        Attrs { data: self.tree.data, attrs: self.tree.attrs.get(range).unwrap_or_default().iter() }
    }

    /// The value of the first attribute named `key`.
    pub fn get_attr(&self, key: &str) -> Option<ViewStr<'t>> {
        let data = self.tree.data;
        let attr = self.attrs().attrs.find(|a| read_at(data, a.key).0.eq_bytes(key.as_bytes()))?;
        Some(ViewStr(read_at(data, attr.value).0))
    }

    /// The child nodes; none when the content is not a list.
    pub fn children(&self) -> Children<'t> {
        let range = match self.rec.content {
            ContentRec::Nodes { first, count } => first..first + count,
            _ => 0..0,
        };
        Children { tree: self.tree, range }
    }

    /// The `index`-th child node.
    pub fn child(&self, index: usize) -> Option<NodeRef<'t>> {
        self.children().nth(index)
    }

    /// The first child node whose description is `description`.
    pub fn find_child(&self, description: &str) -> Option<NodeRef<'t>> {
        self.children().find(|c| c.description() == description)
    }

    /// The content.
    pub fn content(&self) -> ContentRef<'t> {
        match self.rec.content {
            ContentRec::None => ContentRef::None,
            ContentRec::Nodes { .. } => ContentRef::Nodes(self.children()),
            ContentRec::Bytes { at, end } => {
                ContentRef::Bytes(self.tree.data.get(at..end).unwrap_or_default())
            }
            ContentRec::Text(at) => ContentRef::Text(self.str_at(at)),
        }
    }

    /// The byte content as [`Node::content_bytes`] gives it: raw bytes, or the text of string
    /// content (borrowed unless it had to be unpacked).
    pub fn content_bytes(&self) -> Option<Cow<'t, [u8]>> {
        match self.content() {
            ContentRef::Bytes(b) => Some(Cow::Borrowed(b)),
            ContentRef::Text(s) => Some(match s.as_str() {
                Some(text) => Cow::Borrowed(text.as_bytes()),
                None => Cow::Owned(s.to_string().into_bytes()),
            }),
            ContentRef::None | ContentRef::Nodes(_) => None,
        }
    }

    /// The node's bytes in the input, as they were received.
    pub fn raw(&self) -> &'t [u8] {
        self.tree.data.get(self.rec.start..self.rec.end).unwrap_or_default()
    }

    /// True if [`Self::raw`] already is the compact form: encoding the node copies it.
    pub fn is_compact(&self) -> bool {
        self.rec.compact
    }

    /// The owned node, equal to what [`decode()`](super::super::decode()) gives for it.
    pub fn to_node(&self) -> Node {
        self.build(&mut Vec::new())
    }

    fn build(&self, scratch: &mut Vec<u8>) -> Node {
        let description = read_at(self.tree.data, self.rec.desc).0.owned(scratch);
        let attrs = self.attrs().map(|(k, v)| (k.0.owned(scratch), v.0.owned(scratch)));
        let attrs = attrs.collect();
        let content = match self.content() {
            ContentRef::None => Content::None,
            ContentRef::Nodes(children) => {
                Content::Nodes(children.map(|c| c.build(scratch)).collect())
            }
            ContentRef::Bytes(b) => Content::Bytes(b.to_vec()),
            ContentRef::Text(s) => Content::Bytes(text_bytes(&s.0)),
        };
        Node { description, attrs, content }
    }

    pub(super) fn tree(&self) -> &'t Tree<'t> {
        self.tree
    }

    pub(super) fn record(&self) -> &'t NodeRec {
        self.rec
    }
}

fn text_bytes(s: &Str) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len());
    s.write_to(&mut out);
    out
}

/// Shows the node as its owned form does.
impl fmt::Debug for NodeRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.to_node(), f)
    }
}

/// The attributes of a node, as `(key, value)` pairs; see [`NodeRef::attrs`].
#[derive(Debug, Clone)]
pub struct Attrs<'t> {
    data: &'t [u8],
    attrs: std::slice::Iter<'t, AttrRec>,
}

impl<'t> Iterator for Attrs<'t> {
    type Item = (ViewStr<'t>, ViewStr<'t>);

    fn next(&mut self) -> Option<Self::Item> {
        let a = self.attrs.next()?;
        Some((ViewStr(read_at(self.data, a.key).0), ViewStr(read_at(self.data, a.value).0)))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.attrs.size_hint()
    }
}

impl ExactSizeIterator for Attrs<'_> {}

/// The child nodes of a node; see [`NodeRef::children`].
#[derive(Clone)]
pub struct Children<'t> {
    tree: &'t Tree<'t>,
    range: Range<usize>,
}

impl fmt::Debug for Children<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.clone()).finish()
    }
}

impl<'t> Iterator for Children<'t> {
    type Item = NodeRef<'t>;

    fn next(&mut self) -> Option<NodeRef<'t>> {
        self.range.next().map(|i| NodeRef::new(self.tree, i))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.range.size_hint()
    }

    fn nth(&mut self, n: usize) -> Option<NodeRef<'t>> {
        self.range.nth(n).map(|i| NodeRef::new(self.tree, i))
    }
}

impl DoubleEndedIterator for Children<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        self.range.next_back().map(|i| NodeRef::new(self.tree, i))
    }
}

impl ExactSizeIterator for Children<'_> {}
