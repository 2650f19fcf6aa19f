//! The string items of a node: tokens, `BINARY_*` bytes read as text, packed numbers and JID
//! pairs, each read straight into its [`NodeStr`] slot.

use super::super::node_str::INLINE_CAP;
use super::super::packed::{self, HEX_ALPHABET, NIBBLE_ALPHABET};
use super::super::tags::{
    BINARY_20, BINARY_32, BINARY_8, DICTIONARY_0, DICTIONARY_3, HEX_8, JID_AD, JID_PAIR, LIST_16,
    LIST_8, LIST_EMPTY, NIBBLE_8, STREAM_END,
};
use super::super::tokens::S_WHATSAPP_NET;
use super::super::NodeStr;
use super::{DecodeError, Decoder};

impl<'a> Decoder<'a> {
    /// Reads the string introduced by `tag` (already consumed, at `offset`) into `dst`;
    /// `false` (and `dst` untouched) for null.
    #[inline]
    pub(super) fn string(
        &mut self,
        tag: u8,
        offset: usize,
        dst: &mut NodeStr,
    ) -> Result<bool, DecodeError> {
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
            BINARY_8 | BINARY_20 | BINARY_32 => return self.raw_string(tag, offset, dst),
            LIST_8 | LIST_16 => return Err(DecodeError::UnexpectedList { tag, offset }),
            JID_AD => return Err(DecodeError::UnsupportedJidAd { offset }),
            _ => return Err(DecodeError::UnknownTag { tag, offset }),
        };
        Ok(true)
    }

    /// Reads a `BINARY_*` string (the tag is consumed), which must be UTF-8, into `dst`.
    #[inline]
    fn raw_string(
        &mut self,
        tag: u8,
        offset: usize,
        dst: &mut NodeStr,
    ) -> Result<bool, DecodeError> {
        let bytes = self.binary(tag, offset)?;
        let start = self.pos - bytes.len();
        let window = self.data.get(start..).and_then(|rest| rest.first_chunk::<INLINE_CAP>());
        *dst = match window {
            Some(window) if bytes.len() <= INLINE_CAP => {
                // Names and ids are mostly ASCII, which is checked a word at a time.
                if !bytes.is_ascii() && std::str::from_utf8(bytes).is_err() {
                    return Err(DecodeError::InvalidUtf8 { offset });
                }
                NodeStr::from_window(window, bytes.len())
            }
            // One validation, by the conversion itself.
            _ => match std::str::from_utf8(bytes) {
                Ok(s) => NodeStr::from(s),
                Err(_) => return Err(DecodeError::InvalidUtf8 { offset }),
            },
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
    pub(crate) fn binary(&mut self, tag: u8, offset: usize) -> Result<&'a [u8], DecodeError> {
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
}

/// What token 80 (`s.whatsapp.net`) reads as.
pub(super) const C_US: NodeStr = NodeStr::const_inline(super::super::jid::USER_SERVER);
