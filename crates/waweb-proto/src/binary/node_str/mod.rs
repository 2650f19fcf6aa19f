//! [`NodeStr`]: the owned string of node descriptions and attribute keys and values.
//!
//! Decoding a chat list means thousands of short strings: dictionary tokens (`jid`, `type`,
//! `false`...), phone numbers, timestamps, `user@c.us` JIDs. Giving each its own `String` made
//! the decoder spend most of its time in the allocator. A `NodeStr` is 24 bytes, like a
//! `String`, and holds
//!
//! * a dictionary token as its index (no copy, and the encoder writes the index back as is);
//! * up to [`INLINE_CAP`] bytes inline (no allocation);
//! * anything longer in a `Box<str>`.
//!
//! It reads as a `&str` (`Deref`), compares, orders and hashes exactly like one, and converts
//! from `&str`, `String` and friends, so code written for `String` fields keeps working.
//! The crate forbids `unsafe`, so an inline string is re-checked as UTF-8 when it is read as a
//! `&str` (a few nanoseconds for 22 bytes); the codec itself only reads bytes
//! ([`NodeStr::as_bytes`]), which costs nothing.
//!
//! This file holds the type and its own methods; `traits.rs` its standard trait impls;
//! `words.rs` the decoder's constructors that build a string from machine words.

mod traits;
mod words;

use super::{packed, tokens};

/// The longest string stored without an allocation.
pub const INLINE_CAP: usize = 22;

/// An immutable string for node descriptions and attributes (see the module documentation).
///
/// ```
/// use waweb_proto::binary::NodeStr;
/// let s = NodeStr::from("33612345678@c.us");
/// assert_eq!(s, "33612345678@c.us");
/// assert_eq!(s.len(), 16);
/// assert!(!s.is_heap());
/// let token = NodeStr::from_token(9).unwrap();
/// assert_eq!(token, "action");
/// assert_eq!(token.token(), Some(9));
/// assert_eq!(token, NodeStr::from("action"));
/// ```
#[derive(Clone)]
pub struct NodeStr(Repr);

#[derive(Clone)]
enum Repr {
    /// First, so that the empty string is all zero bytes (cheap to write). `buf[..len]` is
    /// the UTF-8 text, `len <= INLINE_CAP` and the bytes after it are zero
    /// (so the first 16 bytes are the token look-up key, see [`NodeStr::token_key`]); all
    /// checked by the constructors.
    Inline {
        len: u8,
        buf: [u8; INLINE_CAP],
    },
    /// A dictionary index whose token is not empty (checked by the constructor).
    Token(u8),
    Heap(Box<str>),
}

impl NodeStr {
    /// The empty string.
    pub const EMPTY: NodeStr = NodeStr(Repr::Inline { len: 0, buf: [0; INLINE_CAP] });

    /// The dictionary token at `index`, or `None` if the index holds no token.
    #[inline]
    pub fn from_token(index: u8) -> Option<NodeStr> {
        tokens::is_token(index).then_some(NodeStr(Repr::Token(index)))
    }

    /// The dictionary index this string was made from with [`NodeStr::from_token`] (the
    /// decoder does so for every token it reads but 80, `s.whatsapp.net`, which reads as the
    /// text `c.us`). A string equal to a token but built from text answers `None`; use
    /// [`tokens::index_of`] to look it up.
    #[inline]
    pub fn token(&self) -> Option<u8> {
        match self.0 {
            Repr::Token(i) => Some(i),
            _ => None,
        }
    }

    /// The [`tokens::index_of_key`] key of a string of 1 to 15 bytes, if it is stored inline:
    /// read straight from the zero-padded buffer.
    #[inline]
    pub(crate) fn token_key(&self) -> Option<u128> {
        match self.head_word() {
            Some((word, len)) if (1..16).contains(&len) => Some(word | (len as u128) << 120),
            _ => None,
        }
    }

    /// An inline string of at most 16 bytes as a little-endian word (zero after its end) and
    /// its length.
    #[inline]
    pub(crate) fn head_word(&self) -> Option<(u128, usize)> {
        match &self.0 {
            Repr::Inline { len, buf } if *len <= 16 => {
                Some((u128::from_le_bytes(*buf.first_chunk::<16>()?), usize::from(*len)))
            }
            _ => None,
        }
    }

    /// An inline string of the first `len` bytes of `buf`, which must be UTF-8 and followed by
    /// zeros only (as [`super::packed::unpack_short`] returns it).
    #[inline]
    pub(crate) fn from_inline_buf(len: usize, buf: [u8; INLINE_CAP]) -> NodeStr {
        debug_assert!(
            len <= INLINE_CAP && buf.get(len..).is_some_and(|t| t.iter().all(|&b| b == 0))
        );
        debug_assert!(std::str::from_utf8(&buf).is_ok());
        NodeStr(Repr::Inline { len: len.min(INLINE_CAP) as u8, buf })
    }

    /// An inline string of `len` bytes written by `fill` into a zeroed buffer; `None` if `len`
    /// does not fit. `fill` must write UTF-8 (the decoder writes packed-alphabet ASCII and JID
    /// parts) and may write past `len`: those bytes are zeroed again. Were it to write anything
    /// else, the string would read as empty: never unsound, as this crate has no `unsafe`.
    #[inline]
    pub(crate) fn inline_with<E>(
        len: usize,
        fill: impl FnOnce(&mut [u8; INLINE_CAP]) -> Result<(), E>,
    ) -> Option<Result<NodeStr, E>> {
        if len > INLINE_CAP {
            return None;
        }
        let mut buf = [0u8; INLINE_CAP];
        if let Err(e) = fill(&mut buf) {
            return Some(Err(e));
        }
        // A fixed-length loop (vectorised) rather than a `memset` call for a few bytes.
        for (i, b) in buf.iter_mut().enumerate() {
            if i >= len {
                *b = 0;
            }
        }
        debug_assert!(std::str::from_utf8(&buf).is_ok());
        Some(Ok(NodeStr(Repr::Inline { len: len as u8, buf })))
    }

    /// True when the text lives in its own heap allocation (longer than [`INLINE_CAP`]).
    pub fn is_heap(&self) -> bool {
        matches!(self.0, Repr::Heap(_))
    }

    /// The UTF-8 bytes of the string; free for every representation.
    #[inline]
    pub fn as_bytes(&self) -> &[u8] {
        match &self.0 {
            Repr::Token(i) => tokens::token(*i).unwrap_or_default().as_bytes(),
            Repr::Inline { len, buf } => buf.get(..usize::from(*len)).unwrap_or_default(),
            Repr::Heap(s) => s.as_bytes(),
        }
    }

    /// The string.
    #[inline]
    pub fn as_str(&self) -> &str {
        match &self.0 {
            Repr::Token(i) => tokens::token(*i).unwrap_or_default(),
            // Only UTF-8 is ever stored inline, so this never falls back to "".
            Repr::Inline { .. } => std::str::from_utf8(self.as_bytes()).unwrap_or_default(),
            Repr::Heap(s) => s,
        }
    }

    /// The length in bytes.
    #[inline]
    pub fn len(&self) -> usize {
        self.as_bytes().len()
    }

    /// True for the empty string.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// An inline string of the first `len` bytes of `window`, which must be UTF-8 (the bytes
    /// after `len` are zeroed here). The decoder's path for short raw strings: one fixed-size
    /// copy out of the input and a masked tail, rather than a variable-length copy into a
    /// buffer that is then read back whole (a store-forwarding stall per string).
    #[inline]
    pub(crate) fn from_window(window: &[u8; INLINE_CAP], len: usize) -> NodeStr {
        let mut buf = *window;
        // A fixed-length loop (vectorised) rather than a `memset` call for a few bytes.
        for (i, b) in buf.iter_mut().enumerate() {
            if i >= len {
                *b = 0;
            }
        }
        NodeStr(Repr::Inline { len: len.min(INLINE_CAP) as u8, buf })
    }

    /// The string as a little-endian word (zero after its end) and its length, for strings of
    /// at most 16 bytes stored inline or as a token.
    #[inline]
    fn word(&self) -> Option<(u128, usize)> {
        match &self.0 {
            Repr::Token(i) => {
                let t = tokens::token(*i)?.as_bytes();
                let (lo, hi) = t.split_at(t.len().min(8));
                let word =
                    u128::from(packed::load_le(lo)?) | u128::from(packed::load_le(hi)?) << 64;
                Some((word, t.len()))
            }
            _ => self.head_word(),
        }
    }

    /// `a`, `sep` and `b` end to end (a JID from its parts), inline when it fits.
    pub fn concat(a: &NodeStr, sep: char, b: &NodeStr) -> NodeStr {
        // Most JIDs (`<12 digits>@c.us`) fit one word: put them together in a register.
        if let (Some(wa), Some(wb), Ok(sep)) = (a.word(), b.word(), u8::try_from(sep)) {
            if let Some((word, len)) = words::join_word(wa, sep, wb).filter(|_| sep.is_ascii()) {
                return NodeStr::from_word(word, len);
            }
        }
        let (a, b) = (a.as_bytes(), b.as_bytes());
        let mut sep_buf = [0u8; 4];
        let sep = sep.encode_utf8(&mut sep_buf).as_bytes();
        let len = a.len() + sep.len() + b.len();
        if len <= INLINE_CAP {
            let mut buf = [0u8; INLINE_CAP];
            let mut at = 0;
            for part in [a, sep, b] {
                if let Some(dst) = buf.get_mut(at..at + part.len()) {
                    dst.copy_from_slice(part);
                }
                at += part.len();
            }
            // Three UTF-8 strings end to end are UTF-8.
            return NodeStr(Repr::Inline { len: len as u8, buf });
        }
        let mut s = Vec::with_capacity(len);
        for part in [a, sep, b] {
            s.extend_from_slice(part);
        }
        NodeStr::from(String::from_utf8(s).unwrap_or_default())
    }

    /// `s` stored inline, for constants; fails to compile if `s` is longer than [`INLINE_CAP`].
    pub(crate) const fn const_inline(s: &'static str) -> NodeStr {
        let b = s.as_bytes();
        assert!(b.len() <= INLINE_CAP, "too long to be inline");
        let mut buf = [0u8; INLINE_CAP];
        let mut i = 0;
        while i < b.len() {
            buf[i] = b[i];
            i += 1;
        }
        NodeStr(Repr::Inline { len: b.len() as u8, buf })
    }
}

/// `bytes` (UTF-8, which the callers guarantee) stored inline, if short enough.
#[inline]
fn inline(bytes: &[u8]) -> Option<NodeStr> {
    let mut buf = [0u8; INLINE_CAP];
    buf.get_mut(..bytes.len())?.copy_from_slice(bytes);
    Some(NodeStr(Repr::Inline { len: bytes.len() as u8, buf }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn is_as_small_as_a_string() {
        assert_eq!(std::mem::size_of::<NodeStr>(), std::mem::size_of::<String>());
    }

    #[test]
    fn inline_with_pads_with_zeros() {
        let s = NodeStr::inline_with::<()>(3, |b| {
            b.fill(b'F');
            Ok(())
        });
        let s = s.unwrap().unwrap();
        assert_eq!(s, "FFF");
        assert_eq!(s.token_key(), Some(0x464646 | 3 << 120));
        assert!(NodeStr::inline_with::<()>(INLINE_CAP + 1, |_| Ok(())).is_none());
        assert_eq!(NodeStr::inline_with(2, |_| Err(7)), Some(Err(7)));
        assert_eq!(NodeStr::from("a".repeat(16)).token_key(), None);
        assert_eq!(NodeStr::from_token(9).unwrap().token_key(), None);
    }

    /// Every pair of lengths around the one-word path (up to 16 bytes in all) and past it,
    /// including a first part that leaves no room after the separator (a 15-byte user and an
    /// empty server, found by the `request` fuzz target: the shift overflowed).
    #[test]
    fn concat_is_the_parts_end_to_end_at_every_length() {
        for la in 0..=20 {
            for lb in 0..=20 {
                let (a, b) = ("1".repeat(la), "s".repeat(lb));
                let jid =
                    NodeStr::concat(&NodeStr::from(a.as_str()), '@', &NodeStr::from(b.as_str()));
                assert_eq!(jid, format!("{a}@{b}"), "user {la} bytes, server {lb} bytes");
            }
        }
    }
}
