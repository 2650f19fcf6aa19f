//! The encoder's strings: tokens, raw bytes, packed numbers and JID pairs, each written in the
//! most compact form the rules in `mod.rs` allow.

use super::super::tags::{BINARY_20, BINARY_32, BINARY_8, HEX_8, JID_PAIR, NIBBLE_8, PACKED_MAX};
use super::super::tokens::{self, S_WHATSAPP_NET};
use super::super::{jid, packed, NodeStr};

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
pub(super) fn bytes_token(b: &[u8]) -> Option<u8> {
    if b == jid::USER_SERVER.as_bytes() {
        Some(S_WHATSAPP_NET)
    } else {
        tokens::index_of_bytes(b)
    }
}

/// A description or attribute key: token, else raw.
#[inline]
pub(super) fn write_plain(s: &NodeStr, out: &mut Vec<u8>) {
    match token_of(s) {
        Some(t) => out.push(t),
        None => write_raw(s.as_bytes(), out),
    }
}

/// Bytes in a description or key position (a JID part): token, else raw.
pub(super) fn write_plain_bytes(b: &[u8], out: &mut Vec<u8>) {
    match bytes_token(b) {
        Some(t) => out.push(t),
        None => write_raw(b, out),
    }
}

/// An attribute value: token → JID → nibble → hex → raw.
#[inline]
pub(super) fn write_value(s: &NodeStr, out: &mut Vec<u8>) {
    if let Some(t) = token_of(s) {
        out.push(t);
        return;
    }
    write_text_value(s.as_bytes(), s.head_word(), out);
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
pub(super) fn write_raw(b: &[u8], out: &mut Vec<u8>) {
    let (header, used) = raw_header(b.len());
    out.extend_from_slice(&header);
    out.truncate(out.len() - (header.len() - used));
    out.extend_from_slice(b);
}

/// The `BINARY_*` header for `len` bytes and how many of its bytes are used (`len` was
/// checked by [`string_bound_len`]).
#[inline]
pub(super) fn raw_header(len: usize) -> ([u8; 5], usize) {
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
pub(super) fn packed_tag(b: &[u8]) -> Option<u8> {
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
