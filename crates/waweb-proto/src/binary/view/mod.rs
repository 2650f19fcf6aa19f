//! A borrowed, allocation-light view of a decoded node tree, for reading big payloads fast.
//!
//! [`decode()`](super::decode()) builds an owned [`Node`](super::Node) tree: one vector of
//! attributes and one of children per node, and every string turned into text. That is the
//! right shape for building and changing nodes, but code that only reads a big sync payload
//! (a chat list, a message history batch), a capture tool that prints what went by, or a proxy
//! that looks at a few attributes and forwards the node, pays for text and allocations it never
//! uses. [`decode_view`] builds a [`Tree`] instead:
//!
//! * two flat vectors for the whole tree, one of node records and one of attributes; a node's
//!   children are consecutive records (a range), reached through cheap [`NodeRef`] handles;
//! * strings ([`ViewStr`]) stay in the input in their wire form (a token index, packed bytes,
//!   raw UTF-8, a JID pair) and become text only when read;
//! * the same rules, results and errors as [`decode()`](super::decode()) for every input
//!   (`NodeRef::to_node` gives the same [`Node`](super::Node)), checked when the tree is built.
//!
//! [`encode_view`] writes a node back in the compact form, byte for byte what
//! [`encode()`](super::encode()) writes for its owned node. The decoder notes which nodes
//! already held that form (what the server and the encoder write): those are copied as they
//! were read, so forwarding a node costs about a `memcpy`.
//!
//! Trade-offs: the tree borrows the input, so it cannot outlive it; strings are re-read from
//! the input on each access (cheap, but a packed string is unpacked each time it is read as
//! text); the decoder does the compact-form check even if the tree is never encoded; and a
//! tree is read-only (use `to_node` to change one).
//!
//! `decode.rs` builds the tree, `parse.rs` reads strings (`nibbles.rs` checks packed ones), `canon.rs` holds the compact-form
//! checks, `node_ref.rs` the navigation API, `string.rs` [`ViewStr`], `encode.rs` the encoder.

mod canon;
mod decode;
mod encode;
mod nibbles;
mod node_ref;
mod parse;
mod string;

pub use decode::decode_view;
pub use encode::{encode_view, encode_view_into};
pub use node_ref::{Attrs, Children, ContentRef, NodeRef};
pub use string::{StrForm, ViewStr};

use std::fmt;

/// A decoded node tree that borrows its input; see the module documentation.
///
/// ```
/// use waweb_proto::binary::{encode, Node};
/// use waweb_proto::binary::view::decode_view;
/// let node = Node::new("action").children(vec![
///     Node::new("chat").attr("jid", "33612345678@c.us").attr("count", "2"),
///     Node::new("chat").attr("jid", "33698765432@c.us").attr("count", "0"),
/// ]);
/// let bytes = encode(&node);
/// let tree = decode_view(&bytes).unwrap();
/// let jids: Vec<String> =
///     tree.root().children().map(|c| c.get_attr("jid").unwrap().to_string()).collect();
/// assert_eq!(jids, ["33612345678@c.us", "33698765432@c.us"]);
/// assert_eq!(tree.node_count(), 3);
/// assert_eq!(tree.to_node(), node);
/// ```
#[derive(Clone)]
pub struct Tree<'a> {
    data: &'a [u8],
    /// The root first; the children of a node are consecutive records.
    nodes: Vec<NodeRec>,
    /// Every node's attributes, each node's consecutive, null-valued ones left out.
    attrs: Vec<AttrRec>,
}

impl<'a> Tree<'a> {
    /// The root node.
    pub fn root(&self) -> NodeRef<'_> {
        NodeRef::new(self, 0)
    }

    /// The input the tree was decoded from.
    pub fn input(&self) -> &'a [u8] {
        self.data
    }

    /// The number of nodes in the tree, the root included.
    pub fn node_count(&self) -> usize {
        self.nodes.len()
    }

    /// The owned node, equal to what [`decode()`](super::decode()) gives for the same input.
    pub fn to_node(&self) -> super::Node {
        self.root().to_node()
    }
}

impl fmt::Debug for Tree<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.root(), f)
    }
}

/// One node of a tree. Offsets are into the input.
#[derive(Debug, Clone, Copy)]
struct NodeRec {
    /// The node's first byte (its list tag) and the byte after its last.
    start: usize,
    end: usize,
    /// The description item.
    desc: usize,
    /// Its attributes: `attrs[first_attr..first_attr + attr_count]`.
    first_attr: usize,
    attr_count: usize,
    /// The input bytes of the node are what the encoder writes for it.
    compact: bool,
    content: ContentRec,
}

impl NodeRec {
    /// A placeholder, filled in when the node is read.
    const EMPTY: NodeRec = NodeRec {
        start: 0,
        end: 0,
        desc: 0,
        first_attr: 0,
        attr_count: 0,
        compact: false,
        content: ContentRec::None,
    };
}

#[derive(Debug, Clone, Copy)]
enum ContentRec {
    None,
    /// Children: `nodes[first..first + count]`.
    Nodes {
        first: usize,
        count: usize,
    },
    /// `BINARY_*` content: `data[at..end]`.
    Bytes {
        at: usize,
        end: usize,
    },
    /// Any other string item as content, at this offset.
    Text(usize),
}

/// One attribute: the offsets of its key and value items.
#[derive(Debug, Clone, Copy)]
struct AttrRec {
    key: usize,
    value: usize,
}
