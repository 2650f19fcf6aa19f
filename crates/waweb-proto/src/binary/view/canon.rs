//! Whether a string item already is, byte for byte, what the owned encoder writes for its text
//! at its place (`binary/encode.rs`): then re-encoding it is a copy. Each rule below restates
//! which branch of the encoder a text takes, using the encoder's own token look-up
//! ([`bytes_token`]) and packed-form choice ([`packed_tag`]).

use super::super::encode::{bytes_token, packed_tag};
use super::super::packed;
use super::super::tokens;
use super::string::{token_text, Atom, Str};

/// A description or attribute key: the encoder writes a token, else raw bytes.
#[inline]
pub(super) fn plain(s: &Str) -> bool {
    match s {
        // A string read from a token keeps its index, which the encoder writes back (and 80
        // reads as `c.us`, which it writes as 80).
        Str::Atom(Atom::Token(_)) => true,
        Str::Atom(Atom::Raw { text, compact }) => *compact && bytes_token(text).is_none(),
        Str::Atom(Atom::Packed { .. }) | Str::Jid { .. } => false,
    }
}

/// An attribute value: token → packed → JID pair → raw.
#[inline(always)]
pub(super) fn value(s: &Str) -> bool {
    match s {
        Str::Atom(Atom::Token(_)) => true,
        Str::Atom(a @ Atom::Packed { compact, len, .. }) => *compact && !packed_token(a, *len),
        Str::Atom(Atom::Raw { text, compact }) => {
            // A JID if its first `@` is not its first character.
            let jid = text.first() != Some(&b'@') && has_at(text);
            *compact && !jid && bytes_token(text).is_none() && packed_tag(text).is_none()
        }
        // With a user part that has no `@`, the text splits back into the same two parts, and
        // it cannot be a token (no token holds an `@`, checked below).
        Str::Jid { user: Some(user), server } => {
            jid_user(user) && jid_server(server) && u32::try_from(s.len()).is_ok()
        }
        // The text is the server part alone, which the encoder never writes as a pair.
        Str::Jid { user: None, .. } => false,
    }
}

/// True if `text` holds an `@`: eight bytes at a time, as names and ids are short for
/// `memchr`.
#[inline]
fn has_at(text: &[u8]) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    let found = |w: u64| {
        let x = w ^ (ONES * u64::from(b'@'));
        // A zero byte in `x` (an `@` in `w`), with no false positive for whole words.
        x.wrapping_sub(ONES) & !x & (ONES << 7) != 0
    };
    let chunks = text.chunks_exact(8);
    let tail = chunks.remainder();
    for c in chunks {
        if c.first_chunk::<8>().is_some_and(|c| found(u64::from_le_bytes(*c))) {
            return true;
        }
    }
    // The tail, padded with zeros (not an `@`).
    packed::load_le(tail).is_some_and(found)
}

/// A JID user part: packed if it can be, else token, else raw; never empty nor with an `@`.
#[inline]
fn jid_user(a: &Atom) -> bool {
    match a {
        Atom::Packed { compact, .. } => *compact,
        Atom::Token(i) => {
            let text = token_text(*i);
            !text.contains(&b'@') && packed_tag(text).is_none() && bytes_token(text) == Some(*i)
        }
        Atom::Raw { text, compact } => {
            *compact
                && !text.is_empty()
                && !text.contains(&b'@')
                && packed_tag(text).is_none()
                && bytes_token(text).is_none()
        }
    }
}

/// A JID server part: token, else raw.
#[inline]
fn jid_server(a: &Atom) -> bool {
    match a {
        Atom::Token(i) => bytes_token(token_text(*i)) == Some(*i),
        Atom::Raw { text, compact } => *compact && bytes_token(text).is_none(),
        Atom::Packed { .. } => false,
    }
}

/// True if the text of a packed string is a token (which the encoder writes as one). Only
/// lengths some token made of packable characters has are looked up.
#[inline]
fn packed_token(a: &Atom, len: usize) -> bool {
    PACKABLE_TOKEN_LENS >> len.min(63) & 1 == 1 && a.with_text(|t| bytes_token(t).is_some())
}

/// Bit `n` is set if a token of `n` bytes holds only characters a packed string can (digits,
/// `-`, `.`, `A-F` and `\0`).
const PACKABLE_TOKEN_LENS: u64 = packable_token_lens(&tokens::TABLE);

const fn packable_token_lens(table: &[&str]) -> u64 {
    let mut mask = 0u64;
    let mut i = 0;
    while i < table.len() {
        let t = table[i].as_bytes();
        let mut j = 0;
        let mut packable = !t.is_empty() && t.len() < 63;
        while j < t.len() {
            packable &= matches!(t[j], b'0'..=b'9' | b'-' | b'.' | b'A'..=b'F' | 0);
            j += 1;
        }
        if packable {
            mask |= 1 << t.len();
        }
        i += 1;
    }
    mask
}

const fn no_token_has_an_at(table: &[&str]) -> bool {
    let mut i = 0;
    while i < table.len() {
        let t = table[i].as_bytes();
        let mut j = 0;
        while j < t.len() {
            if t[j] == b'@' {
                return false;
            }
            j += 1;
        }
        i += 1;
    }
    true
}

// A JID pair's text (with its `@`) is then never a token: see `value`.
const _: () = assert!(no_token_has_an_at(&tokens::TABLE));

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn has_at_finds_an_at_anywhere() {
        for len in 0..40 {
            let mut text = vec![b'?'; len];
            assert!(!has_at(&text));
            for at in 0..len {
                text[at] = b'@';
                assert!(has_at(&text), "{len} {at}");
                // Bytes one off `@` are not taken for it.
                text[at] = b'@' + 1;
                assert!(!has_at(&text));
                text[at] = b'@' - 1;
                assert!(!has_at(&text));
                text[at] = 0xc0;
                assert!(!has_at(&text));
                text[at] = b'?';
            }
        }
    }
}
