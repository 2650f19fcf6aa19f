//! The tag bytes of the WABinary format: the first byte of every item in a node stream says what
//! follows (a list size, a token, a packed string, a JID pair, raw bytes...).
//!
//! Bytes `3..=235` are single-byte tokens (see [`super::tokens`]); only `3..=175` are defined.
//! Everything at or above [`DICTIONARY_0`] is a structural tag.

/// A list of size 0; read as a string it means "no value" (null).
pub const LIST_EMPTY: u8 = 0;
/// Never valid inside a node: readers stop with "unexpected stream end".
pub const STREAM_END: u8 = 2;
/// First double-byte dictionary tag. The double-byte dictionary is empty in the legacy
/// protocol, so `DICTIONARY_0..=DICTIONARY_3` are always an error.
pub const DICTIONARY_0: u8 = 236;
/// Second double-byte dictionary tag (always an error, see [`DICTIONARY_0`]).
pub const DICTIONARY_1: u8 = 237;
/// Third double-byte dictionary tag (always an error, see [`DICTIONARY_0`]).
pub const DICTIONARY_2: u8 = 238;
/// Fourth double-byte dictionary tag (always an error, see [`DICTIONARY_0`]).
pub const DICTIONARY_3: u8 = 239;
/// Agent/device JID (binary version 11, official client only). A legacy server never needs it;
/// the decoder rejects it.
pub const JID_AD: u8 = 247;
/// A list whose size is in the next byte.
pub const LIST_8: u8 = 248;
/// A list whose size is in the next two bytes (big-endian).
pub const LIST_16: u8 = 249;
/// Two strings follow, user then server: `user@server`.
pub const JID_PAIR: u8 = 250;
/// A packed upper-case hex string (header byte, then two characters per byte).
pub const HEX_8: u8 = 251;
/// Raw bytes whose length is in the next byte.
pub const BINARY_8: u8 = 252;
/// Raw bytes whose length is in the low 20 bits of the next three bytes.
pub const BINARY_20: u8 = 253;
/// Raw bytes whose length is in the next four bytes (big-endian).
pub const BINARY_32: u8 = 254;
/// A packed digit string (`0-9`, `-`, `.`), two characters per byte.
pub const NIBBLE_8: u8 = 255;

/// The number of single-byte tag values; a token index is below this.
pub const SINGLE_BYTE_MAX: usize = 256;
/// The longest string a packed form (NIBBLE_8, HEX_8) can hold: 127 bytes of two characters.
pub const PACKED_MAX: usize = 254;
