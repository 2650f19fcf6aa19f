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
        self.range(from, self.cur.offset()) == expected
    }

    /// Reads the string introduced by `tag` (consumed, at `offset`); `None` for null.
    #[inline]
    pub(super) fn string(
        &mut self,
        tag: u8,
        offset: usize,
    ) -> Result<Option<Str<'a>>, DecodeError> {
        // Tokens are most strings: keep their path short and inlined.
        if tag != S_WHATSAPP_NET && tokens::is_token(tag) {
            return Ok(Some(Str::Atom(Atom::Token(tag))));
        }
        self.other_string(tag, offset)
    }

    fn other_string(&mut self, tag: u8, offset: usize) -> Result<Option<Str<'a>>, DecodeError> {
        let atom = match tag {
            LIST_EMPTY => return Ok(None),
            STREAM_END => return Err(DecodeError::StreamEnd { offset }),
            S_WHATSAPP_NET => Atom::Token(tag),
            DICTIONARY_0..=DICTIONARY_3 => {
                return Err(DecodeError::UnusedDictionary { tag, offset })
            }
            1..DICTIONARY_0 if tokens::is_token(tag) => Atom::Token(tag),
            1..DICTIONARY_0 => return Err(DecodeError::InvalidToken { index: tag, offset }),
            JID_PAIR => return self.jid_pair().map(Some),
            NIBBLE_8 | HEX_8 => self.packed(tag, offset)?,
            BINARY_8 | BINARY_20 | BINARY_32 => self.raw(tag, offset)?,
            LIST_8 | LIST_16 => return Err(DecodeError::UnexpectedList { tag, offset }),
            JID_AD => return Err(DecodeError::UnsupportedJidAd { offset }),
            _ => return Err(DecodeError::UnknownTag { tag, offset }),
        };
        Ok(Some(Str::Atom(atom)))
    }

    /// The two parts of a JID pair (the tag is consumed).
    fn jid_pair(&mut self) -> Result<Str<'a>, DecodeError> {
        let user = self.jid_part()?;
        let server_offset = self.cur.offset();
        match self.jid_part()? {
            Some(server) => Ok(Str::Jid { user, server }),
            None => Err(DecodeError::InvalidJid { offset: server_offset, reason: "null server" }),
        }
    }

    fn jid_part(&mut self) -> Result<Option<Atom<'a>>, DecodeError> {
        let offset = self.cur.offset();
        let tag = self.cur.byte()?;
        let nested = DecodeError::InvalidJid { offset, reason: "nested JID pair" };
        if tag == JID_PAIR {
            return Err(nested);
        }
        match self.string(tag, offset)? {
            Some(Str::Atom(atom)) => Ok(Some(atom)),
            None => Ok(None),
            // Only a JID_PAIR tag reads as a pair, and it was refused above.
            Some(Str::Jid { .. }) => Err(nested),
        }
    }

    /// A NIBBLE_8 or HEX_8 body (the tag is consumed).
    fn packed(&mut self, tag: u8, offset: usize) -> Result<Atom<'a>, DecodeError> {
        let header = self.cur.byte()?;
        let start = self.cur.offset();
        let bytes = self.cur.take(usize::from(header & 0x7f), offset)?;
        let odd = header >> 7 == 1;
        let hex = tag == HEX_8;
        let scan = Scan::of(bytes, odd);
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
    fn raw(&mut self, tag: u8, offset: usize) -> Result<Atom<'a>, DecodeError> {
        let text = self.cur.binary(tag, offset)?;
        if std::str::from_utf8(text).is_err() {
            return Err(DecodeError::InvalidUtf8 { offset });
        }
        let (header, used) = raw_header(text.len());
        let body = self.cur.offset().saturating_sub(text.len());
        let compact = self.range(offset, body) == header.get(..used);
        Ok(Atom::Raw { text, compact })
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

/// Facts about the nibbles of a packed body, gathered eight bytes at a time.
struct Scan {
    /// A nibble 12-14 anywhere (the padding included): invalid in a NIBBLE_8 body.
    bad: bool,
    /// A nibble 15 among the characters (`\0` in a NIBBLE_8 body).
    fifteen: bool,
    /// A nibble 10 or more among the characters (a letter in a HEX_8 body).
    ge10: bool,
    /// The padding nibble (the low one of the last byte) is 15.
    pad15: bool,
}

impl Scan {
    fn of(bytes: &[u8], odd: bool) -> Scan {
        /// The lowest bit of every nibble.
        const LOW: u64 = 0x1111_1111_1111_1111;
        let (mut bad, mut fifteen, mut ge10) = (0u64, 0u64, 0u64);
        let mut seen = 0;
        for chunk in bytes.chunks(8) {
            let w = packed::load_le(chunk).unwrap_or(0);
            let lanes = if chunk.len() >= 8 { LOW } else { LOW & ((1 << (8 * chunk.len())) - 1) };
            seen += chunk.len();
            let mut text = lanes;
            if odd && seen == bytes.len() {
                // The padding nibble: the low half of the last byte.
                text &= !(1 << (8 * (chunk.len() - 1)));
            }
            let (b3, b2, b1) = (w >> 3, w >> 2, w >> 1);
            bad |= b3 & b2 & !(b1 & w) & lanes;
            fifteen |= b3 & b2 & b1 & w & text;
            ge10 |= b3 & (b2 | b1) & text;
        }
        let pad15 = bytes.last().is_some_and(|b| b & 0x0f == 0x0f);
        Scan { bad: bad != 0, fifteen: fifteen != 0, ge10: ge10 != 0, pad15 }
    }
}

/// The string stored at `at` (checked when the tree was built) and the offset after it.
pub(super) fn read_at(data: &[u8], at: usize) -> (Str<'_>, usize) {
    let mut r = Reader::new(data.get(at..).unwrap_or_default());
    match r.cur.byte().and_then(|tag| r.string(tag, 0)) {
        Ok(Some(s)) => (s, at + r.cur.offset()),
        _ => (Str::EMPTY, at),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scan_matches_a_nibble_by_nibble_count() {
        for n in 0..20usize {
            for seed in 0..64u64 {
                let bytes: Vec<u8> =
                    (0..n as u64).map(|i| (seed * 131 + i * 37 + i * i * seed) as u8).collect();
                for odd in [false, true] {
                    let nibbles: Vec<u8> = bytes.iter().flat_map(|b| [b >> 4, b & 15]).collect();
                    let text = &nibbles[..nibbles.len().saturating_sub(usize::from(odd))];
                    let s = Scan::of(&bytes, odd);
                    assert_eq!(s.bad, nibbles.iter().any(|&x| (12..=14).contains(&x)));
                    assert_eq!(s.fifteen, text.contains(&15));
                    assert_eq!(s.ge10, text.iter().any(|&x| x >= 10));
                    assert_eq!(s.pad15, nibbles.last() == Some(&15));
                }
            }
        }
    }
}
