//! The WABinary decoder: bytes → [`Node`].
//!
//! It follows the official client's reader (docs/PROTOCOL.md) and accepts what every known
//! client encoder writes (raw strings, packed JID users, Baileys' `s.whatsapp.net`), with these
//! choices where the sources differ or the input is hostile:
//!
//! * The token `s.whatsapp.net` (80) reads as `c.us` wherever a string is read (description,
//!   attribute keys and values, JID parts, string content), as the official reader does.
//! * A JID pair whose user part is `LIST_EMPTY` reads as the server part alone (`fa 00 50` →
//!   `c.us`), as the official reader does; a null server part is an error. JID parts may not be
//!   JID pairs themselves (no encoder writes that, and it would allow unbounded recursion).
//! * Attributes whose value is `LIST_EMPTY` (null) are omitted; a null key is an invalid node.
//! * Byte content (`BINARY_8/20/32`) is kept as raw bytes; any other string-like content (a
//!   token, packed string or JID) is kept as its UTF-8 bytes. Strings read from `BINARY_*` in a
//!   string position must be UTF-8.
//! * A packed string (`NIBBLE_8`/`HEX_8`) whose odd flag is set drops its last character; the
//!   nibble 15 reads as `\0` and 12-14 are errors (the padding nibble is checked too).
//! * `JID_AD` (247), double-byte tokens (236-239), token indices 1 and ≥ 176 and the unused tags
//!   240-246 are errors; so is `STREAM_END` (2) anywhere.
//! * Robustness: every declared length or count is checked against the bytes left **before**
//!   anything is allocated, pre-allocation is capped, and nesting is bounded by [`MAX_DEPTH`]
//!   with an explicit depth counter. Exactly one node is decoded; trailing bytes are an error.
//!
//! This file reads the node structure (lists, attributes, content); `strings.rs` reads the
//! string items, `fast.rs` the commonest attributes in one go, and `error.rs` holds
//! [`DecodeError`].

mod error;
mod fast;
mod strings;

pub use error::DecodeError;

use super::tags::{BINARY_20, BINARY_32, BINARY_8, LIST_16, LIST_8, LIST_EMPTY, STREAM_END};
use super::{Content, Node, NodeStr};

/// The deepest node nesting accepted (the root node is level 1). Real traffic nests at most
/// four levels (`action` → `contacts` → `message`).
pub const MAX_DEPTH: usize = 64;

/// The smallest encoding of a valid node (`f8 01` and a one-byte token description), used to
/// reject child counts the input cannot possibly hold.
pub(crate) const MIN_NODE_LEN: usize = 3;
/// Child and attribute vectors never reserve more than this up front, whatever the input
/// claims; longer lists grow as they are read.
const PREALLOC_CAP: usize = 1024;

/// Decodes exactly one node from `data`; trailing bytes are an error.
///
/// ```
/// use waweb_proto::binary::{decode, Node};
/// let node = decode(&[0xf8, 0x03, 0x41, 0x5b, 0x0e]).unwrap();
/// assert_eq!(node, Node::new("presence").attr("type", "available"));
/// ```
pub fn decode(data: &[u8]) -> Result<Node, DecodeError> {
    let mut decoder = Decoder::new(data);
    let node = decoder.read_node()?;
    decoder.finish()?;
    Ok(node)
}

/// A cursor over a WABinary byte string.
///
/// [`decode`] is the usual entry point; the decoder is public for callers that want the offset
/// where a node ended, or that read several nodes laid end to end.
#[derive(Debug, Clone)]
pub struct Decoder<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> Decoder<'a> {
    /// A decoder at the start of `data`.
    pub fn new(data: &'a [u8]) -> Self {
        Decoder { data, pos: 0 }
    }

    /// The offset of the next unread byte.
    pub fn offset(&self) -> usize {
        self.pos
    }

    /// How many bytes are left.
    pub fn remaining(&self) -> usize {
        self.data.len() - self.pos
    }

    /// Reads one node.
    pub fn read_node(&mut self) -> Result<Node, DecodeError> {
        let mut node = Node::default();
        self.node(1, &mut node)?;
        Ok(node)
    }

    /// Succeeds if every byte has been read.
    pub fn finish(self) -> Result<(), DecodeError> {
        if self.pos == self.data.len() {
            Ok(())
        } else {
            Err(DecodeError::TrailingBytes { offset: self.pos })
        }
    }

    /// Reads one node into `dst`, an empty node.
    ///
    /// Nodes, like strings, are decoded in place (here, into the slot of the parent's child
    /// list): a node returned by value is stored, then loaded and stored again into the list.
    fn node(&mut self, depth: usize, dst: &mut Node) -> Result<(), DecodeError> {
        let start = self.pos;
        if depth > MAX_DEPTH {
            return Err(DecodeError::TooDeep { offset: start });
        }
        let tag = self.byte()?;
        let size = self.list_size(tag, start)?;
        if size == 0 {
            return Err(DecodeError::InvalidNode { offset: start, reason: "list size 0" });
        }
        // Each of the `size` items takes at least one byte.
        self.ensure(size, start)?;
        self.description(&mut dst.description)?;
        self.attributes((size - 1) / 2, &mut dst.attrs)?;
        if size % 2 == 0 {
            self.content(depth, &mut dst.content)?;
        }
        Ok(())
    }

    fn description(&mut self, dst: &mut NodeStr) -> Result<(), DecodeError> {
        let offset = self.pos;
        let tag = self.byte()?;
        if !self.string(tag, offset, dst)? {
            Err(DecodeError::InvalidNode { offset, reason: "null description" })
        } else if dst.is_empty() {
            Err(DecodeError::InvalidNode { offset, reason: "empty description" })
        } else {
            Ok(())
        }
    }

    /// Reads `count` attributes into `attrs` (empty), leaving out those whose value is null.
    ///
    /// Strings are decoded in place, into a slot pushed first: building them on the stack and
    /// moving them into the vector costs more than decoding them, as the move reloads bytes that
    /// were just written.
    fn attributes(
        &mut self,
        count: usize,
        attrs: &mut Vec<(NodeStr, NodeStr)>,
    ) -> Result<(), DecodeError> {
        attrs.reserve_exact(count.min(PREALLOC_CAP));
        for _ in 0..count {
            attrs.push((NodeStr::EMPTY, NodeStr::EMPTY));
            let Some((key, value)) = attrs.last_mut() else {
                break;
            };
            if !self.fast_attribute(key, value) && !self.attribute(key, value)? {
                attrs.pop();
            }
        }
        Ok(())
    }

    /// Reads one attribute into `key` and `value`; `false` if its value is null.
    #[inline]
    fn attribute(&mut self, key: &mut NodeStr, value: &mut NodeStr) -> Result<bool, DecodeError> {
        let key_offset = self.pos;
        let tag = self.byte()?;
        let has_key = self.string(tag, key_offset, key)?;
        let value_offset = self.pos;
        let tag = self.byte()?;
        let has_value = self.string(tag, value_offset, value)?;
        if !has_key {
            return Err(DecodeError::InvalidNode {
                offset: key_offset,
                reason: "null attribute key",
            });
        }
        Ok(has_value)
    }

    /// Reads the content of a node at `depth` into `dst`.
    fn content(&mut self, depth: usize, dst: &mut Content) -> Result<(), DecodeError> {
        let offset = self.pos;
        let tag = self.byte()?;
        *dst = match tag {
            LIST_EMPTY | LIST_8 | LIST_16 => {
                let count = self.list_size(tag, offset)?;
                self.ensure(count.saturating_mul(MIN_NODE_LEN), offset)?;
                let mut nodes = Vec::with_capacity(count.min(PREALLOC_CAP));
                for _ in 0..count {
                    nodes.push(Node::default());
                    if let Some(child) = nodes.last_mut() {
                        self.node(depth + 1, child)?;
                    }
                }
                Content::Nodes(nodes)
            }
            BINARY_8 | BINARY_20 | BINARY_32 => Content::Bytes(self.binary(tag, offset)?.to_vec()),
            _ => {
                let mut text = NodeStr::EMPTY;
                if self.string(tag, offset, &mut text)? {
                    Content::Bytes(text.as_bytes().to_vec())
                } else {
                    // Only LIST_EMPTY reads as null, and it was taken as an empty list above.
                    Content::Nodes(Vec::new())
                }
            }
        };
        Ok(())
    }

    pub(crate) fn list_size(&mut self, tag: u8, offset: usize) -> Result<usize, DecodeError> {
        match tag {
            LIST_EMPTY => Ok(0),
            LIST_8 => Ok(usize::from(self.byte()?)),
            LIST_16 => Ok(usize::from(u16::from_be_bytes(self.array::<2>()?))),
            STREAM_END => Err(DecodeError::StreamEnd { offset }),
            _ => Err(DecodeError::InvalidListTag { tag, offset }),
        }
    }

    pub(crate) fn byte(&mut self) -> Result<u8, DecodeError> {
        match self.data.get(self.pos) {
            Some(&b) => {
                self.pos += 1;
                Ok(b)
            }
            None => Err(DecodeError::Truncated { offset: self.pos }),
        }
    }

    pub(crate) fn array<const N: usize>(&mut self) -> Result<[u8; N], DecodeError> {
        let rest = self.data.get(self.pos..).unwrap_or_default();
        match rest.first_chunk::<N>() {
            Some(a) => {
                self.pos += N;
                Ok(*a)
            }
            None => Err(DecodeError::Truncated { offset: self.data.len() }),
        }
    }

    /// Fails unless at least `needed` bytes are left; `offset` is the item being checked.
    pub(crate) fn ensure(&self, needed: usize, offset: usize) -> Result<(), DecodeError> {
        let remaining = self.remaining();
        if needed > remaining {
            Err(DecodeError::LengthBeyondInput { needed, remaining, offset })
        } else {
            Ok(())
        }
    }

    /// Takes the next `len` bytes of an item starting at `offset`.
    pub(crate) fn take(&mut self, len: usize, offset: usize) -> Result<&'a [u8], DecodeError> {
        let rest = self.data.get(self.pos..).unwrap_or_default();
        match rest.split_at_checked(len) {
            Some((bytes, _)) => {
                self.pos += len;
                Ok(bytes)
            }
            None => {
                Err(DecodeError::LengthBeyondInput { needed: len, remaining: rest.len(), offset })
            }
        }
    }
}
