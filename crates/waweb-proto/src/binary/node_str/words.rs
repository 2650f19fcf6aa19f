//! The decoder's constructors of [`NodeStr`] that build a string from machine words: an ASCII
//! string or a `user@server` JID straight out of the input, with no store per byte and no
//! intermediate string (see `decode/fast.rs`).

use super::super::packed;
use super::{NodeStr, Repr, INLINE_CAP};

/// The top bit of every byte of a word: set in a byte that is not ASCII.
const HIGH_BITS: u128 = 0x8080_8080_8080_8080_8080_8080_8080_8080;

impl NodeStr {
    /// [`NodeStr::from_window`] for ASCII text only: `None` (nothing built) if any of the first
    /// `len` bytes of `window` is not ASCII, or `len` does not fit. The window is handled as
    /// two words (its first 16 bytes and its last 8), masked and checked for high bits
    /// without a branch or a store per byte.
    #[inline]
    pub(crate) fn from_ascii_window(window: &[u8; INLINE_CAP], len: usize) -> Option<NodeStr> {
        if len > INLINE_CAP {
            return None;
        }
        let head = u128::from_le_bytes(*window.first_chunk::<16>()?) & packed::lane_mask(len);
        // Bytes 14..22; the two that overlap `head` are shifted out.
        let tail = u64::from_le_bytes(*window.last_chunk::<8>()?) >> 16;
        let tail = tail & packed::lane_mask(len.saturating_sub(16)) as u64;
        if (head | u128::from(tail)) & HIGH_BITS != 0 {
            return None;
        }
        let mut buf = [0u8; INLINE_CAP];
        let (front, back) = buf.split_at_mut(16);
        front.copy_from_slice(&head.to_le_bytes());
        back.copy_from_slice(tail.to_le_bytes().get(..INLINE_CAP - 16)?);
        Some(NodeStr(Repr::Inline { len: len as u8, buf }))
    }

    /// The JID `user@server` whose user is the first `user_len` bytes of `window` (ASCII) and
    /// whose server is `server` (ASCII, at most 8 bytes), put together in one word; `None`
    /// (nothing built) unless all of it is ASCII and fits 16 bytes. The decoder's path for a
    /// `<number>@c.us` JID: no intermediate string is stored and read back.
    #[inline]
    pub(crate) fn ascii_jid(
        window: &[u8; INLINE_CAP],
        user_len: usize,
        server: &[u8],
    ) -> Option<NodeStr> {
        let user = u128::from_le_bytes(*window.first_chunk::<16>()?) & packed::lane_mask(user_len);
        let server_word = u128::from(packed::load_le(server)?);
        let (word, len) = join_word((user, user_len), b'@', (server_word, server.len()))?;
        if word & HIGH_BITS != 0 {
            return None;
        }
        Some(NodeStr::from_word(word, len))
    }

    /// The string of `len` bytes (at most 16) held by a little-endian word.
    pub(super) fn from_word(word: u128, len: usize) -> NodeStr {
        let mut buf = [0u8; INLINE_CAP];
        if let Some(head) = buf.first_chunk_mut::<16>() {
            *head = word.to_le_bytes();
        }
        NodeStr(Repr::Inline { len: len.min(16) as u8, buf })
    }
}

/// Two strings held by little-endian words (zero after their ends, with their lengths) and a
/// byte between them, end to end in one word, and its length; `None` unless the second is not
/// empty and the whole fits 16 bytes (an empty second part would start at bit 128, past the
/// word's end: no shift reaches there).
pub(super) fn join_word(a: (u128, usize), sep: u8, b: (u128, usize)) -> Option<(u128, usize)> {
    let ((wa, la), (wb, lb)) = (a, b);
    let len = la + 1 + lb;
    if lb == 0 || len > 16 {
        return None;
    }
    Some((wa | u128::from(sep) << (8 * la) | wb << (8 * (la + 1)), len))
}
