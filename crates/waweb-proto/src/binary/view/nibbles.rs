//! The nibble facts a packed (`NIBBLE_8` / `HEX_8`) body is checked and classified by, found a
//! word at a time: invalid nibbles (the decoder's error), and what decides whether the body is
//! the one the encoder writes for its text.

use super::super::packed;

/// Facts about the nibbles of a packed body, gathered eight bytes at a time.
pub(super) struct Scan {
    /// A nibble 12-14 anywhere (the padding included): invalid in a NIBBLE_8 body.
    pub(super) bad: bool,
    /// A nibble 15 among the characters (`\0` in a NIBBLE_8 body).
    pub(super) fifteen: bool,
    /// A nibble 10 or more among the characters (a letter in a HEX_8 body).
    pub(super) ge10: bool,
    /// The padding nibble (the low one of the last byte) is 15.
    pub(super) pad15: bool,
}

impl Scan {
    /// The lowest bit of every nibble.
    const LOW: u64 = 0x1111_1111_1111_1111;

    /// The facts of a body of any length, eight bytes at a time.
    pub(super) fn of(bytes: &[u8], odd: bool) -> Scan {
        let mut all = Scan { bad: false, fifteen: false, ge10: false, pad15: false };
        let mut seen = 0;
        for chunk in bytes.chunks(8) {
            seen += chunk.len();
            // The padding is in the last chunk only.
            let last = seen == bytes.len();
            let s = Scan::word(packed::load_le(chunk).unwrap_or(0), chunk.len(), odd && last);
            all.bad |= s.bad;
            all.fifteen |= s.fifteen;
            all.ge10 |= s.ge10;
            all.pad15 = s.pad15;
        }
        all
    }

    /// The facts of the first `n` (at most 8) bytes of `w`, a little-endian word.
    #[inline(always)]
    pub(super) fn word(w: u64, n: usize, odd: bool) -> Scan {
        let lanes = Self::LOW & u64::MAX.checked_shr(64 - 8 * n as u32).unwrap_or(0);
        // The padding nibble: the low half of the last byte.
        let last = 8 * n.saturating_sub(1) as u32;
        let text = lanes & !(u64::from(odd) << last);
        let (b3, b2, b1) = (w >> 3, w >> 2, w >> 1);
        Scan {
            bad: b3 & b2 & !(b1 & w) & lanes != 0,
            fifteen: b3 & b2 & b1 & w & text != 0,
            ge10: b3 & (b2 | b1) & text != 0,
            pad15: n > 0 && (w >> last) & 0x0f == 0x0f,
        }
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
                    if n <= 8 {
                        let mut w = [0u8; 8];
                        w[..n].copy_from_slice(&bytes);
                        // Bytes after the body do not count.
                        w[n..].fill(0xcc);
                        let t = Scan::word(u64::from_le_bytes(w), n, odd);
                        assert_eq!(
                            (t.bad, t.fifteen, t.ge10, t.pad15),
                            (s.bad, s.fifteen, s.ge10, s.pad15)
                        );
                    }
                    assert_eq!(s.bad, nibbles.iter().any(|&x| (12..=14).contains(&x)));
                    assert_eq!(s.fifteen, text.contains(&15));
                    assert_eq!(s.ge10, text.iter().any(|&x| x >= 10));
                    assert_eq!(s.pad15, nibbles.last() == Some(&15));
                }
            }
        }
    }
}
