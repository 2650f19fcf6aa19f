//! Unpacking `NIBBLE_8` / `HEX_8` strings (two characters a byte), the decoder's commonest
//! non-token strings: phone numbers, timestamps, message ids.
//!
//! [`unpack`] is the general form, a character at a time. [`unpack_short`] is the fast path for
//! the strings that fit a [`NodeStr`](super::NodeStr) inline: it loads the packed bytes as
//! words, spreads their nibbles into byte lanes and maps them to characters with a few word
//! operations, so the characters never go through single-byte stores.

use super::node_str::INLINE_CAP;

/// Marks a nibble that has no character in an alphabet.
pub(crate) const INVALID: u8 = 0xff;
/// Nibble values 10 and 11 are `-` and `.`; 15 is the padding `\0`; 12-14 are invalid.
pub(crate) const NIBBLE_ALPHABET: [u8; 16] = *b"0123456789-.\xff\xff\xff\0";
/// Upper-case hexadecimal.
pub(crate) const HEX_ALPHABET: [u8; 16] = *b"0123456789ABCDEF";

const LANES_LOW: u128 = 0x000f_000f_000f_000f_000f_000f_000f_000f;
const BYTES_01: u128 = 0x0101_0101_0101_0101_0101_0101_0101_0101;

/// Where a bad nibble was found: its value and the index of its byte in the packed bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct BadNibble {
    pub(crate) nibble: u8,
    pub(crate) index: usize,
}

/// Writes the characters of `bytes` to the front of `text` (two a byte, as far as `text`
/// goes), checking every nibble, the padding one included.
pub(crate) fn unpack(bytes: &[u8], alphabet: &[u8; 16], text: &mut [u8]) -> Result<(), BadNibble> {
    for ((index, &b), pair) in bytes.iter().enumerate().zip(text.chunks_exact_mut(2)) {
        let (hi, lo) = (alphabet[usize::from(b >> 4)], alphabet[usize::from(b & 0x0f)]);
        if hi == INVALID || lo == INVALID {
            let nibble = if hi == INVALID { b >> 4 } else { b & 0x0f };
            return Err(BadNibble { nibble, index });
        }
        pair.copy_from_slice(&[hi, lo]);
    }
    Ok(())
}

/// The `len` characters of `bytes` (`len` is `2·bytes.len()`, less one for an odd string) in a
/// zero-padded inline buffer, for strings of up to [`INLINE_CAP`] characters made of digits
/// (hex: any nibble). `None` sends the caller to [`unpack`]: too long, a `-`, `.` or `\0`
/// character, or an invalid nibble (which [`unpack`] then reports).
#[inline]
pub(crate) fn unpack_short(bytes: &[u8], hex: bool, len: usize) -> Option<[u8; INLINE_CAP]> {
    if len > INLINE_CAP || bytes.len() * 2 > INLINE_CAP {
        return None;
    }
    let (head, tail) = bytes.split_at(bytes.len().min(8));
    let low = spread(load_le(head)?);
    let high = spread(load_le(tail)?);
    // A nibble of 10 or more sets the top bit of its lane when 0x76 is added (no carries:
    // nibbles are at most 15).
    let (low_ge10, high_ge10) = (ge10(low), ge10(high));
    let (low_mask, high_mask) = (lane_mask(len), lane_mask(len.saturating_sub(16)));
    if !hex {
        if (low_ge10 & low_mask) | (high_ge10 & high_mask) != 0 {
            return None;
        }
        if len % 2 == 1 {
            let padding = bytes.last().map_or(0, |b| b & 0x0f);
            if NIBBLE_ALPHABET[usize::from(padding)] == INVALID {
                return None;
            }
        }
    }
    // '0' + n for a digit; 'A' + n - 10 = '0' + n + 7 for a hex letter.
    let chars = |nibbles: u128, ge10: u128| nibbles + BYTES_01 * 0x30 + (ge10 >> 7) * 7;
    let low = chars(low, low_ge10) & low_mask;
    let high = chars(high, high_ge10) & high_mask;
    let mut buf = [0u8; INLINE_CAP];
    let (front, back) = buf.split_at_mut(16);
    front.copy_from_slice(&low.to_le_bytes());
    back.copy_from_slice(high.to_le_bytes().get(..INLINE_CAP - 16)?);
    Some(buf)
}

/// The `NIBBLE_8` body of a string of 1 to 16 ASCII digits given as its first 16 bytes (a
/// little-endian word, zero after `len`): `len.div_ceil(2)` bytes at the low end of the
/// result, an odd length padded with nibble 15. `None` if any of the `len` bytes is not a
/// digit. The encoder's fast path for numbers, counterpart of [`unpack_short`].
#[inline]
pub(crate) fn pack_digits(word: u128, len: usize) -> Option<u64> {
    if len == 0 || len > 16 {
        return None;
    }
    let mask = lane_mask(len);
    let w = word & mask;
    // For a byte below 0x80 (no carries): + 0x46 sets the top bit above '9', + 0x50 leaves it
    // clear below '0'. A byte of 0x80 or more has it set already.
    let above = w.wrapping_add(BYTES_01 * 0x46);
    let below = !w.wrapping_add(BYTES_01 * 0x50);
    if (w | above | below) & (BYTES_01 * 0x80) & mask != 0 {
        return None;
    }
    let mut digits = w - ((BYTES_01 * 0x30) & mask);
    if len % 2 == 1 {
        digits |= 0x0f << (8 * len);
    }
    // Lane pairs (2i, 2i + 1) become byte i: high nibble first.
    let mut t = (digits & LANES_LOW) << 4 | (digits >> 8) & LANES_LOW;
    t = (t | t >> 8) & 0x0000_ffff_0000_ffff_0000_ffff_0000_ffff;
    t = (t | t >> 16) & 0x0000_0000_ffff_ffff_0000_0000_ffff_ffff;
    t = (t | t >> 32) & 0xffff_ffff_ffff_ffff;
    Some(t as u64)
}

/// Per lane, `0x80` if the nibble is 10 or more, else 0.
#[inline]
fn ge10(nibbles: u128) -> u128 {
    (nibbles + BYTES_01 * 0x76) & (BYTES_01 * 0x80)
}

/// Ones in the first `lanes` bytes of a word.
///
/// A table look-up: computed, the mask costs a branch on the length (mispredicted when string
/// lengths vary, as they do) and a 128-bit variable shift.
#[inline]
pub(crate) fn lane_mask(lanes: usize) -> u128 {
    LANE_MASKS[lanes.min(16)]
}

/// `LANE_MASKS[n]` has ones in its first `n` bytes.
static LANE_MASKS: [u128; 17] = {
    let mut masks = [0u128; 17];
    let mut n = 1;
    while n < 17 {
        masks[n] = masks[n - 1] | 0xff << (8 * (n - 1));
        n += 1;
    }
    masks
};

/// Byte `i` of `x` becomes bytes `2i` (high nibble) and `2i + 1` (low nibble).
#[inline]
fn spread(x: u64) -> u128 {
    let mut t = u128::from(x);
    t = (t | t << 32) & 0x0000_0000_ffff_ffff_0000_0000_ffff_ffff;
    t = (t | t << 16) & 0x0000_ffff_0000_ffff_0000_ffff_0000_ffff;
    t = (t | t << 8) & 0x00ff_00ff_00ff_00ff_00ff_00ff_00ff_00ff;
    (t >> 4) & LANES_LOW | (t & LANES_LOW) << 8
}

/// Up to eight bytes as a little-endian word, zero-padded; `None` if longer.
#[inline]
pub(crate) fn load_le(b: &[u8]) -> Option<u64> {
    let n = b.len();
    Some(if n >= 8 {
        u64::from_le_bytes(*b.first_chunk::<8>().filter(|_| n == 8)?)
    } else if n >= 4 {
        // Two overlapping loads: the first four bytes, and the last four moved down.
        let head = u32::from_le_bytes(*b.first_chunk::<4>()?);
        let tail = u32::from_le_bytes(*b.last_chunk::<4>()?);
        u64::from(head) | u64::from(tail.checked_shr(8 * (8 - n) as u32).unwrap_or(0)) << 32
    } else {
        b.iter().rev().fold(0, |w, &c| w << 8 | u64::from(c))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slow(bytes: &[u8], alphabet: &[u8; 16], len: usize) -> Option<Vec<u8>> {
        let mut text = vec![0u8; bytes.len() * 2];
        unpack(bytes, alphabet, &mut text).ok()?;
        text.truncate(len);
        Some(text)
    }

    #[test]
    fn lane_mask_has_ones_in_its_first_lanes() {
        for n in 0..40 {
            let bytes = lane_mask(n).to_le_bytes();
            for (i, b) in bytes.iter().enumerate() {
                assert_eq!(*b, if i < n { 0xff } else { 0 }, "{n} {i}");
            }
        }
    }

    #[test]
    fn load_le_pads_with_zeros() {
        let b = [1u8, 2, 3, 4, 5, 6, 7, 8, 9];
        for n in 0..=8 {
            let want = b[..n].iter().rev().fold(0u64, |w, &c| w << 8 | u64::from(c));
            assert_eq!(load_le(&b[..n]), Some(want), "{n}");
        }
        assert_eq!(load_le(&b), None);
    }

    #[test]
    fn unpack_short_matches_unpack_on_every_length_and_nibble() {
        // Every nibble value at every position, both alphabets, every length and parity.
        for n in 0..=11usize {
            for nibble in 0..16u8 {
                for at in 0..(2 * n).max(1) {
                    let mut bytes =
                        vec![0x12u8, 0x34, 0x56, 0x78, 0x90, 0x98, 0x76, 0x54, 0x32, 0x10, 0x09];
                    bytes.truncate(n);
                    if let Some(b) = bytes.get_mut(at / 2) {
                        *b = if at % 2 == 0 { *b & 0x0f | nibble << 4 } else { *b & 0xf0 | nibble };
                    }
                    for odd in [0, 1] {
                        let len = (2 * n).saturating_sub(odd);
                        for (hex, alphabet) in [(false, &NIBBLE_ALPHABET), (true, &HEX_ALPHABET)] {
                            let want = slow(&bytes, alphabet, len);
                            match unpack_short(&bytes, hex, len) {
                                Some(buf) => {
                                    assert_eq!(Some(&buf[..len]), want.as_deref(), "{bytes:02x?}");
                                    assert!(buf[len..].iter().all(|&c| c == 0));
                                }
                                // Only strings with a non-digit nibble take the slow path.
                                None => {
                                    assert!(!hex && bytes.iter().any(|b| b >> 4 > 9 || b & 15 > 9))
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    fn word(s: &[u8]) -> u128 {
        s.iter().rev().fold(0, |w, &c| w << 8 | u128::from(c))
    }

    #[test]
    fn pack_digits_packs_two_digits_a_byte() {
        assert_eq!(pack_digits(word(b"1234"), 4), Some(0x3412));
        assert_eq!(pack_digits(word(b"123"), 3), Some(0x3f12));
        assert_eq!(pack_digits(word(b"0"), 1), Some(0x0f));
        let all = b"9876543210123456";
        let want = u64::from_le_bytes([0x98, 0x76, 0x54, 0x32, 0x10, 0x12, 0x34, 0x56]);
        assert_eq!(pack_digits(word(all), 16), Some(want));
        // Bytes past `len` are ignored.
        assert_eq!(pack_digits(word(b"12@c.us"), 2), Some(0x12));
    }

    #[test]
    fn pack_digits_rejects_every_non_digit_at_every_position() {
        for len in 1..=16 {
            for at in 0..len {
                for c in (0..=255u8).filter(|c| !c.is_ascii_digit()) {
                    let mut s = vec![b'7'; len];
                    s[at] = c;
                    assert_eq!(pack_digits(word(&s), len), None, "{s:?}");
                }
            }
        }
        assert_eq!(pack_digits(0, 0), None);
        assert_eq!(pack_digits(word(b"12345678901234567"), 17), None);
    }

    #[test]
    fn long_strings_take_the_general_path() {
        assert_eq!(unpack_short(&[0x12; 12], true, 23), None);
        assert_eq!(unpack_short(&[0x12; 12], true, 22), None);
    }
}
