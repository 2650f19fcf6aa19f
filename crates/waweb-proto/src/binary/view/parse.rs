//! Reading one string item (a token, packed string, raw bytes or JID pair) into a borrowed
//! [`Str`], with the owned decoder's checks and errors (`decode/strings.rs`, whose cursor
//! primitives it uses): the tag dispatch below follows its `string` step for step.
//!
//! The same reader serves twice: when a tree is built (its checks decide the error) and when a
//! stored string is read back from its offset ([`read_at`]; it was checked then).

use super::super::decode::{DecodeError, Decoder};
use super::super::encode::raw_header;
use super::super::packed::{self, NIBBLE_ALPHABET};
use super::super::tags::{
    BINARY_20, BINARY_32, BINARY_8, DICTIONARY_0, DICTIONARY_3, HEX_8, JID_AD, JID_PAIR, LIST_16,
    LIST_8, LIST_EMPTY, NIBBLE_8, STREAM_END,
};
use super::super::tokens::{self, S_WHATSAPP_NET};
use super::canon;
use super::nibbles::Scan;
use super::string::{Atom, Str};

/// The owned decoder's cursor, plus the input it reads (to look at length headers).
pub(super) struct Reader<'a> {
    pub(super) cur: Decoder<'a>,
    data: &'a [u8],
}

impl<'a> Reader<'a> {
    pub(super) fn new(data: &'a [u8]) -> Self {
        Reader { cur: Decoder::new(data), data }
    }

    /// The input from `from` to `to`.
    #[inline]
    pub(super) fn range(&self, from: usize, to: usize) -> Option<&'a [u8]> {
        self.data.get(from..to)
    }

    /// True if the bytes from `from` to the cursor are `expected` (a compact header).
    #[inline]
    pub(super) fn read_since(&self, from: usize, expected: Option<&[u8]>) -> bool {
        short_eq(self.range(from, self.cur.offset()), expected)
    }

    /// Reads the string introduced by `tag` (consumed, at `offset`) and says what the tree
    /// builder needs to know of it: null, empty, compact at its place (an attribute value if
    /// `VALUE`, else a description or key).
    ///
    /// Tokens are answered inline; the rest goes to a function of its own, into which the
    /// reading is inlined so that the [`Str`] stays in registers: returned through memory, it
    /// cost more than reading it.
    #[inline]
    pub(super) fn check<const VALUE: bool>(
        &mut self,
        tag: u8,
        offset: usize,
    ) -> Result<Seen, DecodeError> {
        if tag != S_WHATSAPP_NET && tokens::is_token(tag) {
            return Ok(Seen { null: false, empty: false, compact: true });
        }
        self.check_other::<VALUE>(tag, offset)
    }

    #[inline(never)]
    fn check_other<const VALUE: bool>(
        &mut self,
        tag: u8,
        offset: usize,
    ) -> Result<Seen, DecodeError> {
        Ok(match self.string(tag, offset)? {
            None => Seen { null: true, empty: true, compact: false },
            Some(s) => Seen {
                null: false,
                empty: s.len() == 0,
                compact: if VALUE { canon::value(&s) } else { canon::plain(&s) },
            },
        })
    }

    /// Reads the string introduced by `tag` (consumed, at `offset`); `None` for null.
    ///
    /// Everything below is inlined into the tree builder, so that the [`Str`] it returns
    /// never goes through memory: hence no recursion (a JID part is read by [`Self::atom`]).
    #[inline(always)]
    pub(super) fn string(
        &mut self,
        tag: u8,
        offset: usize,
    ) -> Result<Option<Str<'a>>, DecodeError> {
        if tag == JID_PAIR {
            return self.jid_pair().map(Some);
        }
        Ok(self.atom(tag, offset)?.map(Str::Atom))
    }

    /// [`Self::string`] for anything but a JID pair, which is refused as nested.
    #[inline(always)]
    fn atom(&mut self, tag: u8, offset: usize) -> Result<Option<Atom<'a>>, DecodeError> {
        // Tokens are most strings: keep their path short.
        if tag != S_WHATSAPP_NET && tokens::is_token(tag) {
            return Ok(Some(Atom::Token(tag)));
        }
        self.other_atom(tag, offset)
    }

    #[inline(always)]
    fn other_atom(&mut self, tag: u8, offset: usize) -> Result<Option<Atom<'a>>, DecodeError> {
        Ok(Some(match tag {
            LIST_EMPTY => return Ok(None),
            STREAM_END => return Err(DecodeError::StreamEnd { offset }),
            S_WHATSAPP_NET => Atom::Token(tag),
            DICTIONARY_0..=DICTIONARY_3 => {
                return Err(DecodeError::UnusedDictionary { tag, offset })
            }
            1..DICTIONARY_0 if tokens::is_token(tag) => Atom::Token(tag),
            1..DICTIONARY_0 => return Err(DecodeError::InvalidToken { index: tag, offset }),
            // Only a JID part gets here with this tag (see `string`).
            JID_PAIR => return Err(DecodeError::InvalidJid { offset, reason: "nested JID pair" }),
            NIBBLE_8 | HEX_8 => self.packed(tag, offset)?,
            BINARY_8 | BINARY_20 | BINARY_32 => self.raw(tag, offset)?,
            LIST_8 | LIST_16 => return Err(DecodeError::UnexpectedList { tag, offset }),
            JID_AD => return Err(DecodeError::UnsupportedJidAd { offset }),
            _ => return Err(DecodeError::UnknownTag { tag, offset }),
        }))
    }

    /// The two parts of a JID pair (the tag is consumed).
    #[inline(always)]
    fn jid_pair(&mut self) -> Result<Str<'a>, DecodeError> {
        let user = self.jid_part()?;
        let server_offset = self.cur.offset();
        match self.jid_part()? {
            Some(server) => Ok(Str::Jid { user, server }),
            None => Err(DecodeError::InvalidJid { offset: server_offset, reason: "null server" }),
        }
    }

    #[inline(always)]
    fn jid_part(&mut self) -> Result<Option<Atom<'a>>, DecodeError> {
        let offset = self.cur.offset();
        let tag = self.cur.byte()?;
        self.atom(tag, offset)
    }

    /// A NIBBLE_8 or HEX_8 body (the tag is consumed).
    #[inline(always)]
    fn packed(&mut self, tag: u8, offset: usize) -> Result<Atom<'a>, DecodeError> {
        let header = self.cur.byte()?;
        let start = self.cur.offset();
        let bytes = self.cur.take(usize::from(header & 0x7f), offset)?;
        let odd = header >> 7 == 1;
        let hex = tag == HEX_8;
        // Most packed strings are at most eight bytes long, and followed by more input: one
        // load then, whatever their length.
        let window = self.data.get(start..start + 8).and_then(|w| w.first_chunk::<8>());
        let scan = match window {
            Some(w) if bytes.len() <= 8 => Scan::word(u64::from_le_bytes(*w), bytes.len(), odd),
            _ => Scan::of(bytes, odd),
        };
        if !hex && scan.bad {
            return Err(first_bad_nibble(bytes, start));
        }
        // The encoder packs a non-empty text: nibble form if it has no `\0` (nibble 15), else
        // hex form if it has a letter, padding an odd length with 15; the header is then the
        // same as ours, so the bytes are too.
        let compact = !bytes.is_empty()
            && (!odd || scan.pad15)
            && if hex { scan.ge10 } else { !scan.fifteen };
        let len = (bytes.len() * 2).saturating_sub(usize::from(odd));
        Ok(Atom::Packed { hex, len, bytes, compact })
    }

    /// A BINARY_8/20/32 string (the tag is consumed), which must be UTF-8.
    #[inline(always)]
    fn raw(&mut self, tag: u8, offset: usize) -> Result<Atom<'a>, DecodeError> {
        let text = self.cur.binary(tag, offset)?;
        // Names and ids are mostly ASCII, which is checked a word at a time.
        if !text.is_ascii() && std::str::from_utf8(text).is_err() {
            return Err(DecodeError::InvalidUtf8 { offset });
        }
        let (header, used) = raw_header(text.len());
        let body = self.cur.offset().saturating_sub(text.len());
        let compact = short_eq(self.range(offset, body), header.get(..used));
        Ok(Atom::Raw { text, compact })
    }
}

/// What the tree builder keeps of a string item (see [`Reader::check`]).
#[derive(Debug, Clone, Copy)]
pub(super) struct Seen {
    pub(super) null: bool,
    pub(super) empty: bool,
    pub(super) compact: bool,
}

/// `a == b` for headers of at most eight bytes, without a call to `memcmp`.
#[inline]
pub(super) fn short_eq(a: Option<&[u8]>, b: Option<&[u8]>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) if a.len() <= 8 => {
            a.len() == b.len() && packed::load_le(a) == packed::load_le(b)
        }
        (a, b) => a == b,
    }
}

/// The error the owned decoder gives for a NIBBLE_8 body with a nibble 12-14: the first one,
/// found by its own unpacker.
#[cold]
fn first_bad_nibble(bytes: &[u8], start: usize) -> DecodeError {
    let mut text = [0u8; 254];
    let bad = packed::unpack(bytes, &NIBBLE_ALPHABET, &mut text).err();
    let (nibble, index) = bad.map_or((0, 0), |b| (b.nibble, b.index));
    DecodeError::InvalidNibble { nibble, offset: start + index }
}

/// The string stored at `at` (checked when the tree was built) and the offset after it.
pub(super) fn read_at(data: &[u8], at: usize) -> (Str<'_>, usize) {
    let mut r = Reader::new(data.get(at..).unwrap_or_default());
    match r.cur.byte().and_then(|tag| r.string(tag, 0)) {
        Ok(Some(s)) => (s, at + r.cur.offset()),
        _ => (Str::EMPTY, at),
    }
}
