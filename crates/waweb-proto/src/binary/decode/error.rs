//! [`DecodeError`]: why a byte string is not a valid node, with the offset of the fault.

use super::MAX_DEPTH;

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
