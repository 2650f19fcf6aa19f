//! [`ViewStr`]: a string of a node view, borrowed from the input in its wire form (a token, a
//! packed string, raw UTF-8 bytes or a JID pair) and turned into text only when it is read.

use std::borrow::Cow;
use std::fmt;

use super::super::jid::USER_SERVER;
use super::super::packed::{self, HEX_ALPHABET, NIBBLE_ALPHABET};
use super::super::tags::{HEX_8, NIBBLE_8};
use super::super::tokens::{self, S_WHATSAPP_NET};
use super::super::NodeStr;

/// One string item as it was on the wire, checked by the decoder. Not a JID pair.
#[derive(Debug, Clone, Copy)]
pub(super) enum Atom<'a> {
    /// A dictionary index; 80 (`s.whatsapp.net`) reads as `c.us`.
    Token(u8),
    /// A `NIBBLE_8` or `HEX_8` body of `len` characters; `compact` when it is exactly what the
    /// encoder writes for its text as a packed string.
    Packed { hex: bool, len: usize, bytes: &'a [u8], compact: bool },
    /// `BINARY_*` bytes, valid UTF-8; `compact` when the length header is the shortest one.
    Raw { text: &'a [u8], compact: bool },
}

/// A string item: one [`Atom`] or a JID pair of two (the user part may be null).
#[derive(Debug, Clone, Copy)]
pub(super) enum Str<'a> {
    Atom(Atom<'a>),
    Jid { user: Option<Atom<'a>>, server: Atom<'a> },
}

/// The text of token `index`, `c.us` for 80 (as the decoder reads it).
pub(super) fn token_text(index: u8) -> &'static [u8] {
    if index == S_WHATSAPP_NET {
        USER_SERVER.as_bytes()
    } else {
        tokens::token(index).unwrap_or_default().as_bytes()
    }
}

impl<'a> Atom<'a> {
    fn len(&self) -> usize {
        match self {
            Atom::Token(i) => token_text(*i).len(),
            Atom::Packed { len, .. } => *len,
            Atom::Raw { text, .. } => text.len(),
        }
    }

    /// Calls `f` with the text; a packed string is unpacked on the stack.
    pub(super) fn with_text<R>(&self, f: impl FnOnce(&[u8]) -> R) -> R {
        match self {
            Atom::Token(i) => f(token_text(*i)),
            Atom::Raw { text, .. } => f(text),
            Atom::Packed { hex, len, bytes, .. } => {
                // At most 127 bytes of two characters; the nibbles were checked when decoding.
                let mut buf = [0u8; 254];
                let alphabet = if *hex { &HEX_ALPHABET } else { &NIBBLE_ALPHABET };
                let _ = packed::unpack(bytes, alphabet, &mut buf);
                f(buf.get(..*len).unwrap_or_default())
            }
        }
    }

    /// The text when it needs no unpacking.
    fn borrowed(&self) -> Option<&'a [u8]> {
        match self {
            Atom::Token(i) => Some(token_text(*i)),
            Atom::Raw { text, .. } => Some(text),
            Atom::Packed { .. } => None,
        }
    }
}

impl<'a> Str<'a> {
    /// The empty string, read back for an offset that holds no string (never stored).
    pub(super) const EMPTY: Str<'static> = Str::Atom(Atom::Raw { text: b"", compact: false });

    /// The length of the text in bytes.
    pub(super) fn len(&self) -> usize {
        match self {
            Str::Atom(a) => a.len(),
            Str::Jid { user: Some(u), server } => u.len() + 1 + server.len(),
            Str::Jid { user: None, server } => server.len(),
        }
    }

    /// Calls `f` with the pieces of the text, in order.
    pub(super) fn for_each_piece(&self, mut f: impl FnMut(&[u8])) {
        match self {
            Str::Atom(a) => a.with_text(f),
            Str::Jid { user, server } => {
                if let Some(u) = user {
                    u.with_text(&mut f);
                    f(b"@");
                }
                server.with_text(f);
            }
        }
    }

    /// Appends the text to `out`.
    pub(super) fn write_to(&self, out: &mut Vec<u8>) {
        self.for_each_piece(|p| out.extend_from_slice(p));
    }

    /// True if the text is `other`.
    pub(super) fn eq_bytes(&self, other: &[u8]) -> bool {
        if self.len() != other.len() {
            return false;
        }
        let (mut rest, mut equal) = (other, true);
        self.for_each_piece(|p| match rest.split_at_checked(p.len()) {
            Some((head, tail)) if head == p => rest = tail,
            _ => equal = false,
        });
        equal
    }

    /// The owned string [`super::super::decode()`] gives for this item; `scratch` is reused.
    pub(super) fn owned(&self, scratch: &mut Vec<u8>) -> NodeStr {
        match self {
            Str::Atom(Atom::Token(i)) if *i != S_WHATSAPP_NET => {
                NodeStr::from_token(*i).unwrap_or_default()
            }
            _ => {
                scratch.clear();
                self.write_to(scratch);
                // Every piece is UTF-8 (checked or ASCII), so this never falls back to "".
                NodeStr::from(std::str::from_utf8(scratch).unwrap_or_default())
            }
        }
    }
}

/// A string of a node view (a description, an attribute key or value): it borrows the input
/// and is turned into text only when read.
///
/// It reads exactly as the owned decoder's [`NodeStr`] for the same item: token 80 as `c.us`,
/// a packed string unpacked (its odd flag dropping the padding), a JID pair as `user@server`.
///
/// ```
/// use waweb_proto::binary::view::{decode_view, StrForm};
/// // <chat jid="33612345678@c.us">, the user part nibble-packed.
/// let bytes = [0xf8, 0x03, 0x13, 0x2d, 0xfa, 0xff, 0x86, 0x33, 0x61, 0x23, 0x45, 0x67, 0x8f, 0x50];
/// let tree = decode_view(&bytes).unwrap();
/// let jid = tree.root().get_attr("jid").unwrap();
/// assert_eq!(jid, "33612345678@c.us");
/// assert_eq!(jid.form(), StrForm::Jid);
/// assert_eq!(jid.to_string(), "33612345678@c.us");
/// assert_eq!(jid.as_str(), None); // packed: no borrowed text
/// ```
#[derive(Clone, Copy)]
pub struct ViewStr<'a>(pub(super) Str<'a>);

/// The wire form of a [`ViewStr`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StrForm {
    /// A dictionary token, with its index (80, `s.whatsapp.net`, reads as `c.us`).
    Token(u8),
    /// A `NIBBLE_8` packed string.
    Nibble,
    /// A `HEX_8` packed string.
    Hex,
    /// Raw `BINARY_*` UTF-8 bytes.
    Raw,
    /// A JID pair.
    Jid,
}

impl<'a> ViewStr<'a> {
    /// How the string was written on the wire.
    pub fn form(&self) -> StrForm {
        match self.0 {
            Str::Atom(Atom::Token(i)) => StrForm::Token(i),
            Str::Atom(Atom::Packed { hex: true, .. }) => StrForm::Hex,
            Str::Atom(Atom::Packed { hex: false, .. }) => StrForm::Nibble,
            Str::Atom(Atom::Raw { .. }) => StrForm::Raw,
            Str::Jid { .. } => StrForm::Jid,
        }
    }

    /// The two parts of a JID pair (the user part is `None` when the wire held a null there:
    /// the string is then the server alone); `None` for any other form.
    pub fn jid_parts(&self) -> Option<(Option<ViewStr<'a>>, ViewStr<'a>)> {
        match self.0 {
            Str::Jid { user, server } => {
                Some((user.map(|u| ViewStr(Str::Atom(u))), ViewStr(Str::Atom(server))))
            }
            Str::Atom(_) => None,
        }
    }

    /// The tag (`NIBBLE_8` or `HEX_8`) and packed bytes of a packed string.
    pub fn packed(&self) -> Option<(u8, &'a [u8])> {
        match self.0 {
            Str::Atom(Atom::Packed { hex, bytes, .. }) => {
                Some((if hex { HEX_8 } else { NIBBLE_8 }, bytes))
            }
            _ => None,
        }
    }

    /// The length of the text in bytes (computed without unpacking).
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// True for the empty string.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The text without a copy, when the wire holds it as is (a token or raw bytes); `None`
    /// for packed strings and JID pairs, which [`Self::to_cow`] builds.
    pub fn as_str(&self) -> Option<&'a str> {
        match self.0 {
            Str::Atom(a) => a.borrowed().and_then(|b| std::str::from_utf8(b).ok()),
            Str::Jid { .. } => None,
        }
    }

    /// The text, borrowed when possible.
    pub fn to_cow(&self) -> Cow<'a, str> {
        match self.as_str() {
            Some(s) => Cow::Borrowed(s),
            None => Cow::Owned(self.to_string()),
        }
    }

    /// Appends the text's bytes to `out`.
    pub fn write_to(&self, out: &mut Vec<u8>) {
        self.0.write_to(out);
    }

    /// The owned string, equal to the one [`super::super::decode()`] gives for the same item.
    pub fn to_node_str(&self) -> NodeStr {
        self.0.owned(&mut Vec::new())
    }
}

impl fmt::Display for ViewStr<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut result = Ok(());
        self.0.for_each_piece(|p| {
            if result.is_ok() {
                result = f.write_str(std::str::from_utf8(p).unwrap_or_default());
            }
        });
        result
    }
}

impl fmt::Debug for ViewStr<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.to_string(), f)
    }
}

impl PartialEq<str> for ViewStr<'_> {
    fn eq(&self, other: &str) -> bool {
        self.0.eq_bytes(other.as_bytes())
    }
}

impl PartialEq<&str> for ViewStr<'_> {
    fn eq(&self, other: &&str) -> bool {
        self.0.eq_bytes(other.as_bytes())
    }
}

impl PartialEq<NodeStr> for ViewStr<'_> {
    fn eq(&self, other: &NodeStr) -> bool {
        self.0.eq_bytes(other.as_bytes())
    }
}

/// Equal texts, whatever their wire forms.
impl PartialEq for ViewStr<'_> {
    fn eq(&self, other: &ViewStr<'_>) -> bool {
        match other.as_str() {
            Some(text) => self.0.eq_bytes(text.as_bytes()),
            None => {
                let mut text = Vec::with_capacity(other.len());
                other.write_to(&mut text);
                self.0.eq_bytes(&text)
            }
        }
    }
}

impl Eq for ViewStr<'_> {}
