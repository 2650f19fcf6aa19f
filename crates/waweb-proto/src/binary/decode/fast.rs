//! The decoder's fast path for the commonest attribute shapes: a token key, and a value that is
//! a token, a short ASCII `BINARY_8` string, or a JID of up to 16 bytes made of such a string
//! and a token server.
//! That is every attribute of a chat list and of most pushes, whichever client encoded them.
//!
//! It reads straight from the input with one bounds check per item and no `Result` in the way;
//! anything else, and anything within [`INLINE_CAP`] bytes of the end of the input, returns
//! `false` with nothing consumed, and the general reader (`mod.rs`, `strings.rs`) takes the
//! attribute, errors included. So the fast path decides nothing the general one would decide
//! differently: it only accepts what the general reader reads the same way.

use super::super::node_str::INLINE_CAP;
use super::super::tags::{BINARY_8, JID_PAIR};
use super::super::tokens::S_WHATSAPP_NET;
use super::super::NodeStr;
use super::strings::C_US;
use super::Decoder;

#[cfg(test)]
mod tests;

impl Decoder<'_> {
    /// Reads one attribute of a common shape into `key` and `value` (both empty); `false`
    /// (nothing consumed, `key` and `value` still empty) for any other.
    #[inline]
    pub(super) fn fast_attribute(&mut self, key: &mut NodeStr, value: &mut NodeStr) -> bool {
        let rest = self.data.get(self.pos..).unwrap_or_default();
        let Some((&[k, tag], after)) = rest.split_first_chunk::<2>() else {
            return false;
        };
        let Some(k) = plain_token(k) else {
            return false;
        };
        let read = if let Some(v) = plain_token(tag) {
            put(value, v);
            0
        } else if tag == BINARY_8 {
            match short_ascii(after) {
                Some((v, read)) => {
                    put(value, v);
                    read
                }
                None => return false,
            }
        } else if tag == JID_PAIR {
            match short_jid(after) {
                Some((v, read)) => {
                    put(value, v);
                    read
                }
                None => return false,
            }
        } else {
            return false;
        };
        put(key, k);
        self.pos += 2 + read;
        true
    }
}

/// Puts `new` into `slot`, an empty string. `*slot = new` would first call the drop glue of
/// the old value, and `new`, ready in registers, would be stored on the stack around that call
/// and read back with differently aligned loads, which stalls; here it is stored once, where
/// it belongs, and the old value (inline, so there is nothing to free) is dropped after.
#[inline(always)]
fn put(slot: &mut NodeStr, new: NodeStr) {
    let old = std::mem::replace(slot, new);
    if old.is_heap() {
        drop(old);
    } else {
        std::mem::forget(old);
    }
}

/// The string of a tag byte that is a token and reads as itself: every token but 80
/// (`s.whatsapp.net`, which reads as `c.us`).
#[inline]
fn plain_token(tag: u8) -> Option<NodeStr> {
    if tag == S_WHATSAPP_NET {
        None
    } else {
        NodeStr::from_token(tag)
    }
}

/// A `BINARY_8` body (`after` starts at its length byte) of at most [`INLINE_CAP`] ASCII bytes,
/// with at least that many bytes of input after the length byte; and the bytes it takes.
#[inline(always)]
fn short_ascii(after: &[u8]) -> Option<(NodeStr, usize)> {
    let (&[len], text) = after.split_first_chunk::<1>()?;
    let len = usize::from(len);
    let s = NodeStr::from_ascii_window(text.first_chunk::<INLINE_CAP>()?, len)?;
    Some((s, 1 + len))
}

/// A JID pair body (`after` starts after `JID_PAIR`) whose user is a [`short_ascii`] string and
/// whose server is a token (80 reading as `c.us`), 16 bytes at most in all; and the bytes it
/// takes.
#[inline(always)]
fn short_jid(after: &[u8]) -> Option<(NodeStr, usize)> {
    let (&[tag, len], text) = after.split_first_chunk::<2>()?;
    if tag != BINARY_8 {
        return None;
    }
    let len = usize::from(len);
    let window = text.first_chunk::<INLINE_CAP>()?;
    let server = match *text.get(len)? {
        S_WHATSAPP_NET => C_US,
        t => NodeStr::from_token(t)?,
    };
    // A longer JID (a group's) is left to the general reader: putting it together here from
    // two strings would send this path's values through memory too.
    let jid = NodeStr::ascii_jid(window, len, server.as_bytes())?;
    Some((jid, 1 + 1 + len + 1))
}
