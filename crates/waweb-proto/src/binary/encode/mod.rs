//! The WABinary encoder: [`Node`] → bytes, in the most compact legal form, as the real server
//! wrote it (docs/PROTOCOL.md, test vectors B3 "compact").
//!
//! * Description and attribute keys: the token if there is one, else raw bytes.
//! * Attribute values, first form that applies: token → JID pair (`JID_PAIR`, the user part
//!   nibble-packed, else hex-packed, else token or raw; the server part token or raw) →
//!   `NIBBLE_8` (only `0-9`, `-`, `.`) → `HEX_8` (only `0-9`, `A-F`; lower case is written raw
//!   because it would read back upper case) → raw `BINARY_8/20/32`. Packed forms hold at most
//!   254 characters. A string is a JID when it has an `@` after its first character; it is
//!   split at the first `@`.
//! * `c.us` anywhere (and `s.whatsapp.net`, which is a token) is written as token 80, which the
//!   decoder reads as `c.us`: so `decode(encode(n)) == n` for every node whose strings never
//!   equal `s.whatsapp.net` nor use it as a JID server; those come back spelled `c.us`.
//! * The empty string is written `fc 00` (an empty `BINARY_8`) so it reads back as `""`; the
//!   official writer would drop such an attribute. An empty description is written the same way
//!   but no decoder accepts it.
//! * Content: child nodes → a list; bytes → `BINARY_8` (< 256), `BINARY_20` (< 2^20) or
//!   `BINARY_32`; [`Content::None`] → no content slot.
//! * List sizes: 0 → `LIST_EMPTY`, < 256 → `LIST_8`, else `LIST_16`; a node with more than
//!   32766 attributes or a list of more than 65535 children cannot be written.
//!
//! The encoder first walks the node to validate it and bound its size, reserves that much once,
//! then writes without further allocation. This file holds the API, the size bound and the
//! node structure; `strings.rs` writes the strings.

mod strings;

use super::tags::{LIST_16, LIST_8, LIST_EMPTY};
use super::{Content, Node, NodeStr};
use strings::{write_plain, write_value};

use strings::write_raw;

/// Why a node cannot be encoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EncodeError {
    /// A list (a node's items or a child list) longer than `LIST_16` can count.
    #[error("a list of {len} items does not fit LIST_16 (at most 65535)")]
    ListTooLong {
        /// The number of items.
        len: usize,
    },
    /// A string or byte content longer than `BINARY_32` can count.
    #[error("{len} bytes do not fit BINARY_32")]
    TooLarge {
        /// The length in bytes.
        len: usize,
    },
}

/// Encodes `node` into a new vector.
///
/// # Panics
///
/// If the node cannot be encoded (see [`EncodeError`]); nodes from [`super::decode()`] and
/// [`super::display::from_json`] always can. Use [`try_encode`] for nodes built from untrusted
/// sizes.
///
/// ```
/// use waweb_proto::binary::{encode, Node};
/// let bytes = encode(&Node::new("query").attr("type", "contacts").attr("epoch", "1"));
/// assert_eq!(bytes, [0xf8, 0x05, 0x44, 0x5b, 0x17, 0x6b, 0xff, 0x81, 0x1f]);
/// ```
pub fn encode(node: &Node) -> Vec<u8> {
    let mut out = Vec::new();
    encode_into(node, &mut out);
    out
}

/// Appends the encoding of `node` to `out`.
///
/// # Panics
///
/// As [`encode`].
pub fn encode_into(node: &Node, out: &mut Vec<u8>) {
    if let Err(e) = try_encode_into(node, out) {
        panic!("cannot encode node <{}>: {e}", node.description);
    }
}

/// Encodes `node` into a new vector, or says why it cannot be.
pub fn try_encode(node: &Node) -> Result<Vec<u8>, EncodeError> {
    let mut out = Vec::new();
    try_encode_into(node, &mut out)?;
    Ok(out)
}

/// Appends the encoding of `node` to `out`, or says why it cannot be (then `out` is unchanged).
pub fn try_encode_into(node: &Node, out: &mut Vec<u8>) -> Result<(), EncodeError> {
    let bound = size_bound(node)?;
    out.reserve(bound);
    write_node(node, out);
    Ok(())
}

/// Worst-case bytes for a string: a `BINARY_32` header, or a JID pair of two raw halves.
const STRING_OVERHEAD: usize = 11;
/// Worst-case bytes for a list header (`LIST_16`).
const LIST_OVERHEAD: usize = 3;
const MAX_LIST: usize = u16::MAX as usize;

/// Validates `node` and returns an upper bound of its encoded size.
fn size_bound(node: &Node) -> Result<usize, EncodeError> {
    list_len(node_list_size(node))?;
    let mut size = LIST_OVERHEAD + string_bound(&node.description)?;
    for (k, v) in &node.attrs {
        size += string_bound(k)? + string_bound(v)?;
    }
    size += match &node.content {
        Content::None => 0,
        Content::Bytes(b) => string_bound_len(b.len())?,
        Content::Nodes(children) => {
            list_len(children.len())?;
            let mut sum = LIST_OVERHEAD;
            for child in children {
                sum += size_bound(child)?;
            }
            sum
        }
    };
    Ok(size)
}

fn node_list_size(node: &Node) -> usize {
    let content = usize::from(!matches!(node.content, Content::None));
    node.attrs.len().saturating_mul(2).saturating_add(1 + content)
}

fn list_len(len: usize) -> Result<usize, EncodeError> {
    if len > MAX_LIST {
        Err(EncodeError::ListTooLong { len })
    } else {
        Ok(len)
    }
}

fn string_bound(s: &NodeStr) -> Result<usize, EncodeError> {
    string_bound_len(s.as_bytes().len())
}

fn string_bound_len(len: usize) -> Result<usize, EncodeError> {
    if u32::try_from(len).is_err() {
        return Err(EncodeError::TooLarge { len });
    }
    Ok(len + STRING_OVERHEAD)
}

fn write_node(node: &Node, out: &mut Vec<u8>) {
    write_list_start(node_list_size(node), out);
    write_plain(&node.description, out);
    for (k, v) in &node.attrs {
        write_plain(k, out);
        write_value(v, out);
    }
    match &node.content {
        Content::None => {}
        Content::Bytes(b) => write_raw(b, out),
        Content::Nodes(children) => {
            write_list_start(children.len(), out);
            for child in children {
                write_node(child, out);
            }
        }
    }
}

#[inline]
fn write_list_start(len: usize, out: &mut Vec<u8>) {
    let (header, used) = list_header(len);
    // One fixed-size copy, then the unused bytes are cut off again.
    out.extend_from_slice(&header);
    out.truncate(out.len() - (header.len() - used));
}

/// The list header for `len` items and how many of its bytes are used. Sizes were validated
/// by [`size_bound`], so the casts below never truncate.
#[inline]
fn list_header(len: usize) -> ([u8; 3], usize) {
    match len {
        0 => ([LIST_EMPTY, 0, 0], 1),
        1..=255 => ([LIST_8, len as u8, 0], 2),
        _ => {
            let [hi, lo] = (len as u16).to_be_bytes();
            ([LIST_16, hi, lo], 3)
        }
    }
}
