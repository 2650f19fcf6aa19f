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
//! then writes without further allocation.

use super::tags::{
    BINARY_20, BINARY_32, BINARY_8, HEX_8, JID_PAIR, LIST_16, LIST_8, LIST_EMPTY, NIBBLE_8,
    PACKED_MAX,
};
use super::tokens::{self, S_WHATSAPP_NET};
use super::{jid, packed, Content, Node, NodeStr};

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

pub(crate) fn string_bound_len(len: usize) -> Result<usize, EncodeError> {
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
pub(crate) fn write_list_start(len: usize, out: &mut Vec<u8>) {
    let (header, used) = list_header(len);
    // One fixed-size copy, then the unused bytes are cut off again.
    out.extend_from_slice(&header);
    out.truncate(out.len() - (header.len() - used));
}

/// The list header for `len` items and how many of its bytes are used. Sizes were validated
/// by [`size_bound`], so the casts below never truncate.
#[inline]
pub(crate) fn list_header(len: usize) -> ([u8; 3], usize) {
    match len {
        0 => ([LIST_EMPTY, 0, 0], 1),
        1..=255 => ([LIST_8, len as u8, 0], 2),
        _ => {
            let [hi, lo] = (len as u16).to_be_bytes();
            ([LIST_16, hi, lo], 3)
        }
    }
}

/// The token for `s`: the one it was decoded from, else a dictionary look-up (straight from
/// the inline buffer for short strings).
#[inline]
fn token_of(s: &NodeStr) -> Option<u8> {
    if let Some(t) = s.token() {
        return Some(t);
    }
    match s.token_key() {
        Some(C_US_KEY) => Some(S_WHATSAPP_NET),
        Some(key) => tokens::index_of_key(key),
        None => bytes_token(s.as_bytes()),
    }
}

const C_US_KEY: u128 = tokens::key_of(jid::USER_SERVER.as_bytes());

/// The token for `b`, counting `c.us` as token 80.
#[inline]
pub(crate) fn bytes_token(b: &[u8]) -> Option<u8> {
    if b == jid::USER_SERVER.as_bytes() {
        Some(S_WHATSAPP_NET)
    } else {
        tokens::index_of_bytes(b)
    }
}

/// A description or attribute key: token, else raw.
#[inline]
fn write_plain(s: &NodeStr, out: &mut Vec<u8>) {
    match token_of(s) {
        Some(t) => out.push(t),
        None => write_raw(s.as_bytes(), out),
    }
}

/// Bytes in a description or key position (a JID part): token, else raw.
pub(crate) fn write_plain_bytes(b: &[u8], out: &mut Vec<u8>) {
    match bytes_token(b) {
        Some(t) => out.push(t),
        None => write_raw(b, out),
    }
}

/// An attribute value: token → JID → nibble → hex → raw.
#[inline]
fn write_value(s: &NodeStr, out: &mut Vec<u8>) {
    if let Some(t) = token_of(s) {
        out.push(t);
        return;
    }
    write_text_value(s.as_bytes(), s.head_word(), out);
}

/// An attribute value given as its bytes (see [`write_value`]).
pub(crate) fn write_value_bytes(b: &[u8], out: &mut Vec<u8>) {
    match bytes_token(b) {
        Some(t) => out.push(t),
        None => write_text_value(b, None, out),
    }
}

/// An attribute value that is not a token; `head` is its [`NodeStr::head_word`], if known.
#[inline]
fn write_text_value(b: &[u8], head: Option<(u128, usize)>, out: &mut Vec<u8>) {
    // A packable string has no `@`, so it is not a JID: testing it first changes no result
    // and spares the search for `@` in numbers. Short numbers take a word-at-a-time path.
    if let Some(digits) = head.and_then(|(word, len)| packed::pack_digits(word, len)) {
        return write_packed_digits(b.len(), digits, out);
    }
    if let Some(tag) = packed_tag(b) {
        return write_packed(tag, b, out);
    }
    match b.iter().position(|&c| c == b'@') {
        Some(at) if at > 0 => {
            let (user, server) = b.split_at(at);
            out.push(JID_PAIR);
            let user_word = head.map(|(word, _)| word & packed::lane_mask(at));
            match user_word.and_then(|word| packed::pack_digits(word, at)) {
                Some(digits) => write_packed_digits(at, digits, out),
                None => write_jid_user(user, out),
            }
            write_plain_bytes(server.get(1..).unwrap_or_default(), out);
        }
        _ => write_raw(b, out),
    }
}

fn write_jid_user(user: &[u8], out: &mut Vec<u8>) {
    match packed_tag(user) {
        Some(tag) => write_packed(tag, user, out),
        None => write_plain_bytes(user, out),
    }
}

/// Writes the `NIBBLE_8` form of `len` digits packed by [`packed::pack_digits`].
#[inline]
fn write_packed_digits(len: usize, digits: u64, out: &mut Vec<u8>) {
    let n = len.div_ceil(2);
    let header = n as u8 | if len % 2 == 1 { 0x80 } else { 0 };
    out.extend_from_slice(&[NIBBLE_8, header]);
    // One fixed-size copy, then the unused bytes are cut off again.
    out.extend_from_slice(&digits.to_le_bytes());
    out.truncate(out.len() - (8 - n));
}

#[inline]
pub(crate) fn write_raw(b: &[u8], out: &mut Vec<u8>) {
    let (header, used) = raw_header(b.len());
    out.extend_from_slice(&header);
    out.truncate(out.len() - (header.len() - used));
    out.extend_from_slice(b);
}

/// The `BINARY_*` header for `len` bytes and how many of its bytes are used (`len` was
/// checked by [`string_bound_len`]).
#[inline]
pub(crate) fn raw_header(len: usize) -> ([u8; 5], usize) {
    if len < 1 << 8 {
        ([BINARY_8, len as u8, 0, 0, 0], 2)
    } else if len < 1 << 20 {
        ([BINARY_20, (len >> 16) as u8, (len >> 8) as u8, len as u8, 0], 4)
    } else {
        let [a, b, c, d] = (len as u32).to_be_bytes();
        ([BINARY_32, a, b, c, d], 5)
    }
}

/// Per byte: the 4-bit packed value, plus whether it belongs to the nibble and hex alphabets.
const NIBBLE_CLASS: u8 = 0x10;
const HEX_CLASS: u8 = 0x20;
const PACK_TABLE: [u8; 256] = pack_table();

const fn pack_table() -> [u8; 256] {
    let mut t = [0u8; 256];
    let mut d = 0;
    while d < 10 {
        t[(b'0' + d) as usize] = d | NIBBLE_CLASS | HEX_CLASS;
        d += 1;
    }
    t[b'-' as usize] = 10 | NIBBLE_CLASS;
    t[b'.' as usize] = 11 | NIBBLE_CLASS;
    let mut h = 0;
    while h < 6 {
        t[(b'A' + h) as usize] = (10 + h) | HEX_CLASS;
        h += 1;
    }
    t
}

/// The packed form `b` fits, nibble first: `None` if empty, too long or outside both alphabets.
#[inline]
pub(crate) fn packed_tag(b: &[u8]) -> Option<u8> {
    if b.is_empty() || b.len() > PACKED_MAX {
        return None;
    }
    let mut class = NIBBLE_CLASS | HEX_CLASS;
    for &c in b {
        class &= PACK_TABLE[usize::from(c)];
        if class == 0 {
            return None;
        }
    }
    if class & NIBBLE_CLASS != 0 {
        Some(NIBBLE_8)
    } else {
        Some(HEX_8)
    }
}

/// Writes `b` (checked by [`packed_tag`]) two characters a byte, padding an odd length with 15.
fn write_packed(tag: u8, b: &[u8], out: &mut Vec<u8>) {
    let odd = b.len() % 2 == 1;
    let header = b.len().div_ceil(2) as u8 | if odd { 0x80 } else { 0 };
    out.extend_from_slice(&[tag, header]);
    let value = |c: u8| PACK_TABLE[usize::from(c)] & 0x0f;
    let pairs = b.chunks_exact(2);
    let last = pairs.remainder().first().map(|&c| value(c) << 4 | 0x0f);
    out.extend(pairs.map(|p| value(p[0]) << 4 | value(p[1])));
    out.extend(last);
}
