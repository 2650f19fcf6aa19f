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

use super::packed::{self, HEX_ALPHABET, NIBBLE_ALPHABET};
use super::tags::{
    BINARY_20, BINARY_32, BINARY_8, DICTIONARY_0, DICTIONARY_3, HEX_8, JID_AD, JID_PAIR, LIST_16,
    LIST_8, LIST_EMPTY, NIBBLE_8, STREAM_END,
};
use super::tokens::S_WHATSAPP_NET;
use super::{Content, Node, NodeStr};

/// The deepest node nesting accepted (the root node is level 1). Real traffic nests at most
/// four levels (`action` → `contacts` → `message`).
pub const MAX_DEPTH: usize = 64;

/// The smallest encoding of a valid node (`f8 01` and a one-byte token description), used to
/// reject child counts the input cannot possibly hold.
const MIN_NODE_LEN: usize = 3;
/// Child and attribute vectors never reserve more than this up front, whatever the input
/// claims; longer lists grow as they are read.
const PREALLOC_CAP: usize = 1024;

/// Why a byte string is not a valid node. Offsets are from the start of the input.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    /// The input ended where another byte was required.
    #[error("input ends at byte {offset} in the middle of a node")]
    Truncated {
        /// Where the missing byte should have been (the input length).
        offset: usize,
    },
    /// A tag byte that has no meaning (1 outside a token position, 240-246).
    #[error("unknown tag {tag:#04x} at byte {offset}")]
    UnknownTag {
        /// The tag byte.
        tag: u8,
        /// Where it is.
        offset: usize,
    },
    /// The `STREAM_END` tag (2), never valid inside a node.
    #[error("unexpected stream end (tag 0x02) at byte {offset}")]
    StreamEnd {
        /// Where it is.
        offset: usize,
    },
    /// A double-byte token tag (236-239); the double-byte dictionary is empty in this protocol.
    #[error("double-byte token tag {tag:#04x} at byte {offset}: that dictionary is unused")]
    UnusedDictionary {
        /// The tag byte.
        tag: u8,
        /// Where it is.
        offset: usize,
    },
    /// A single-byte token index with no token (1, or 176-235).
    #[error("invalid token index {index} at byte {offset}")]
    InvalidToken {
        /// The index.
        index: u8,
        /// Where it is.
        offset: usize,
    },
    /// An agent/device JID (`JID_AD`, 247), which only multi-device era clients write.
    #[error("agent/device JID (tag 0xf7) at byte {offset} is not supported")]
    UnsupportedJidAd {
        /// Where it is.
        offset: usize,
    },
    /// A declared length or item count needs more bytes than are left.
    #[error("item at byte {offset} needs {needed} bytes but only {remaining} are left")]
    LengthBeyondInput {
        /// The smallest number of bytes the declaration implies.
        needed: usize,
        /// The bytes left after the length field.
        remaining: usize,
        /// Where the item (its tag) starts.
        offset: usize,
    },
    /// Nodes nested deeper than [`MAX_DEPTH`].
    #[error("nodes nested deeper than {MAX_DEPTH} levels at byte {offset}")]
    TooDeep {
        /// Where the node that is too deep starts.
        offset: usize,
    },
    /// A node that breaks the grammar: list size 0, a null or empty description, a null
    /// attribute key.
    #[error("invalid node at byte {offset}: {reason}")]
    InvalidNode {
        /// Where the offending item starts.
        offset: usize,
        /// What is wrong.
        reason: &'static str,
    },
    /// A tag where a list size was expected that is not `LIST_EMPTY`/`LIST_8`/`LIST_16`.
    #[error("tag {tag:#04x} at byte {offset} is not a list size")]
    InvalidListTag {
        /// The tag byte.
        tag: u8,
        /// Where it is.
        offset: usize,
    },
    /// A list tag where a string was expected (a description, attribute or JID part).
    #[error("list tag {tag:#04x} at byte {offset} where a string was expected")]
    UnexpectedList {
        /// The tag byte.
        tag: u8,
        /// Where it is.
        offset: usize,
    },
    /// A packed digit string holding a nibble 12, 13 or 14.
    #[error("invalid packed nibble {nibble} at byte {offset}")]
    InvalidNibble {
        /// The nibble value.
        nibble: u8,
        /// The byte holding it.
        offset: usize,
    },
    /// Raw bytes read as a string that are not UTF-8.
    #[error("string at byte {offset} is not valid UTF-8")]
    InvalidUtf8 {
        /// Where the string item starts.
        offset: usize,
    },
    /// A JID pair with a null server part or a JID pair nested in another.
    #[error("invalid JID pair at byte {offset}: {reason}")]
    InvalidJid {
        /// Where the offending part starts.
        offset: usize,
        /// What is wrong.
        reason: &'static str,
    },
    /// Bytes left over after the node.
    #[error("trailing bytes after the node, from byte {offset}")]
    TrailingBytes {
        /// Where the first extra byte is.
        offset: usize,
    },
}

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
        self.node(1)
    }

    /// Succeeds if every byte has been read.
    pub fn finish(self) -> Result<(), DecodeError> {
        if self.pos == self.data.len() {
            Ok(())
        } else {
            Err(DecodeError::TrailingBytes { offset: self.pos })
        }
    }

    fn node(&mut self, depth: usize) -> Result<Node, DecodeError> {
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
        let mut description = NodeStr::EMPTY;
        self.description(&mut description)?;
        let attr_count = (size - 1) / 2;
        let attrs = self.attributes(attr_count)?;
        let content = if size % 2 == 1 { Content::None } else { self.content(depth)? };
        Ok(Node { description, attrs, content })
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

    /// Reads `count` attributes, leaving out those whose value is null.
    ///
    /// Strings are decoded in place, into a slot pushed first: building them on the stack and
    /// moving them into the vector costs more than decoding them, as the move reloads bytes that
    /// were just written.
    fn attributes(&mut self, count: usize) -> Result<Vec<(NodeStr, NodeStr)>, DecodeError> {
        let mut attrs = Vec::with_capacity(count.min(PREALLOC_CAP));
        for _ in 0..count {
            attrs.push((NodeStr::EMPTY, NodeStr::EMPTY));
            let Some((key, value)) = attrs.last_mut() else {
                break;
            };
            if !self.attribute(key, value)? {
                attrs.pop();
            }
        }
        Ok(attrs)
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

    fn content(&mut self, depth: usize) -> Result<Content, DecodeError> {
        let offset = self.pos;
        let tag = self.byte()?;
        match tag {
            LIST_EMPTY | LIST_8 | LIST_16 => {
                let count = self.list_size(tag, offset)?;
                self.children(count, depth, offset)
            }
            BINARY_8 | BINARY_20 | BINARY_32 => {
                Ok(Content::Bytes(self.binary(tag, offset)?.to_vec()))
            }
            _ => {
                let mut text = NodeStr::EMPTY;
                if self.string(tag, offset, &mut text)? {
                    Ok(Content::Bytes(text.as_bytes().to_vec()))
                } else {
                    // Only LIST_EMPTY reads as null, and it was taken as an empty list above.
                    Ok(Content::Nodes(Vec::new()))
                }
            }
        }
    }

    fn children(
        &mut self,
        count: usize,
        depth: usize,
        offset: usize,
    ) -> Result<Content, DecodeError> {
        self.ensure(count.saturating_mul(MIN_NODE_LEN), offset)?;
        let mut nodes = Vec::with_capacity(count.min(PREALLOC_CAP));
        for _ in 0..count {
            nodes.push(self.node(depth + 1)?);
        }
        Ok(Content::Nodes(nodes))
    }

    fn list_size(&mut self, tag: u8, offset: usize) -> Result<usize, DecodeError> {
        match tag {
            LIST_EMPTY => Ok(0),
            LIST_8 => Ok(usize::from(self.byte()?)),
            LIST_16 => Ok(usize::from(u16::from_be_bytes(self.array::<2>()?))),
            STREAM_END => Err(DecodeError::StreamEnd { offset }),
            _ => Err(DecodeError::InvalidListTag { tag, offset }),
        }
    }

    /// Reads the string introduced by `tag` (already consumed, at `offset`) into `dst`;
    /// `false` (and `dst` untouched) for null.
    #[inline]
    fn string(&mut self, tag: u8, offset: usize, dst: &mut NodeStr) -> Result<bool, DecodeError> {
        // Tokens are most strings: keep their path short and inlined.
        if tag != S_WHATSAPP_NET {
            if let Some(t) = NodeStr::from_token(tag) {
                *dst = t;
                return Ok(true);
            }
        }
        self.other_string(tag, offset, dst)
    }

    /// [`Self::string`] for everything but a plain token.
    #[inline]
    fn other_string(
        &mut self,
        tag: u8,
        offset: usize,
        dst: &mut NodeStr,
    ) -> Result<bool, DecodeError> {
        *dst = match tag {
            LIST_EMPTY => return Ok(false),
            STREAM_END => return Err(DecodeError::StreamEnd { offset }),
            S_WHATSAPP_NET => C_US,
            DICTIONARY_0..=DICTIONARY_3 => {
                return Err(DecodeError::UnusedDictionary { tag, offset })
            }
            1..DICTIONARY_0 => match NodeStr::from_token(tag) {
                Some(t) => t,
                None => return Err(DecodeError::InvalidToken { index: tag, offset }),
            },
            JID_PAIR => return self.jid_pair(dst).map(|()| true),
            NIBBLE_8 | HEX_8 => return self.packed(tag, offset, dst).map(|()| true),
            BINARY_8 | BINARY_20 | BINARY_32 => {
                let bytes = self.binary(tag, offset)?;
                match std::str::from_utf8(bytes) {
                    Ok(s) => NodeStr::from(s),
                    Err(_) => return Err(DecodeError::InvalidUtf8 { offset }),
                }
            }
            LIST_8 | LIST_16 => return Err(DecodeError::UnexpectedList { tag, offset }),
            JID_AD => return Err(DecodeError::UnsupportedJidAd { offset }),
            _ => return Err(DecodeError::UnknownTag { tag, offset }),
        };
        Ok(true)
    }

    /// Reads the two parts of a JID pair (the tag is consumed) into `dst`.
    #[inline]
    fn jid_pair(&mut self, dst: &mut NodeStr) -> Result<(), DecodeError> {
        let mut user = NodeStr::EMPTY;
        let has_user = self.jid_part(&mut user)?;
        let server_offset = self.pos;
        if !self.jid_part(dst)? {
            return Err(DecodeError::InvalidJid { offset: server_offset, reason: "null server" });
        }
        if has_user {
            let jid = NodeStr::concat(&user, '@', dst);
            *dst = jid;
        }
        Ok(())
    }

    #[inline]
    fn jid_part(&mut self, dst: &mut NodeStr) -> Result<bool, DecodeError> {
        let offset = self.pos;
        let tag = self.byte()?;
        if tag == JID_PAIR {
            return Err(DecodeError::InvalidJid { offset, reason: "nested JID pair" });
        }
        self.string(tag, offset, dst)
    }

    /// Reads a NIBBLE_8 or HEX_8 body (the tag is consumed).
    #[inline]
    fn packed(&mut self, tag: u8, offset: usize, dst: &mut NodeStr) -> Result<(), DecodeError> {
        let header = self.byte()?;
        let start = self.pos;
        let bytes = self.take(usize::from(header & 0x7f), offset)?;
        // The odd flag drops the padding character.
        let len = (bytes.len() * 2).saturating_sub(usize::from(header >> 7));
        if let Some(buf) = packed::unpack_short(bytes, tag == HEX_8, len) {
            *dst = NodeStr::from_inline_buf(len, buf);
            return Ok(());
        }
        let alphabet = if tag == NIBBLE_8 { &NIBBLE_ALPHABET } else { &HEX_ALPHABET };
        let unpack = |text: &mut [u8]| {
            packed::unpack(bytes, alphabet, text).map_err(|bad| DecodeError::InvalidNibble {
                nibble: bad.nibble,
                offset: start + bad.index,
            })
        };
        if let Some(inline) = NodeStr::inline_with(len, |buf| unpack(buf)) {
            *dst = inline?;
            return Ok(());
        }
        let mut text = vec![0u8; bytes.len() * 2];
        unpack(&mut text)?;
        text.truncate(len);
        // Both alphabets are ASCII, so this always succeeds.
        match String::from_utf8(text) {
            Ok(s) => {
                *dst = NodeStr::from(s);
                Ok(())
            }
            Err(_) => Err(DecodeError::InvalidNibble { nibble: 0, offset: start }),
        }
    }

    /// Reads the length and body of a BINARY_8/20/32 item (the tag is consumed).
    fn binary(&mut self, tag: u8, offset: usize) -> Result<&'a [u8], DecodeError> {
        let len = match tag {
            BINARY_8 => usize::from(self.byte()?),
            BINARY_20 => {
                let [b0, b1, b2] = self.array::<3>()?;
                (usize::from(b0 & 0x0f) << 16) | (usize::from(b1) << 8) | usize::from(b2)
            }
            _ => u32::from_be_bytes(self.array::<4>()?) as usize,
        };
        self.take(len, offset)
    }

    fn byte(&mut self) -> Result<u8, DecodeError> {
        match self.data.get(self.pos) {
            Some(&b) => {
                self.pos += 1;
                Ok(b)
            }
            None => Err(DecodeError::Truncated { offset: self.pos }),
        }
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], DecodeError> {
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
    fn ensure(&self, needed: usize, offset: usize) -> Result<(), DecodeError> {
        let remaining = self.remaining();
        if needed > remaining {
            Err(DecodeError::LengthBeyondInput { needed, remaining, offset })
        } else {
            Ok(())
        }
    }

    /// Takes the next `len` bytes of an item starting at `offset`.
    fn take(&mut self, len: usize, offset: usize) -> Result<&'a [u8], DecodeError> {
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

/// What token 80 (`s.whatsapp.net`) reads as.
const C_US: NodeStr = NodeStr::const_inline(super::jid::USER_SERVER);
