//! The single-byte token dictionary of binary version 11 (176 entries; indices 0-2 are empty).
//!
//! The table is compiled from `data/wabinary-tokens.tsv` at build time by `const` evaluation,
//! so the TSV stays the single source of truth and a malformed file is a compile error. The
//! reverse lookup ([`index_of`]) sits on the encoder's hot path: it is a static open-addressing
//! hash table of 16-byte keys, also built at compile time, costing one multiply-shift hash and
//! usually one 16-byte compare.

/// The number of single-byte dictionary slots (indices `0..TOKEN_COUNT`), empty ones included.
pub const TOKEN_COUNT: usize = 176;
/// The index of `s.whatsapp.net`, the user server; decoders display it as `c.us`.
pub const S_WHATSAPP_NET: u8 = 80;

const TSV: &str = include_str!("../../data/wabinary-tokens.tsv");
pub(crate) const TABLE: [&str; TOKEN_COUNT] = parse_table(TSV);
static TOKENS: [&str; TOKEN_COUNT] = TABLE;

/// Slots of the reverse-lookup table; a power of two, about three times the token count so
/// that probe sequences stay short.
const SLOTS: usize = 512;
/// The longest token: every token fits a 16-byte key (see [`key_of`]).
const MAX_TOKEN_LEN: usize = max_len(&TABLE);
const _: () = assert!(MAX_TOKEN_LEN < 16);
const INDEX: ([u8; SLOTS], [u128; SLOTS], usize) = build_index(&TABLE);
static SLOT_TOKEN: [u8; SLOTS] = INDEX.0;
static SLOT_KEY: [u128; SLOTS] = INDEX.1;
/// The longest probe sequence any token needs; lookups never probe further.
const MAX_PROBES: usize = INDEX.2;

const _: () = assert!(bytes_eq(TABLE[S_WHATSAPP_NET as usize].as_bytes(), b"s.whatsapp.net"));

/// The token at `index`, or `None` for the empty indices 0-2 and anything ≥ [`TOKEN_COUNT`].
///
/// ```
/// use waweb_proto::binary::tokens::token;
/// assert_eq!(token(9), Some("action"));
/// assert_eq!(token(2), None);
/// assert_eq!(token(176), None);
/// ```
#[inline]
pub fn token(index: u8) -> Option<&'static str> {
    match TOKENS.get(usize::from(index)) {
        Some(t) if !t.is_empty() => Some(t),
        _ => None,
    }
}

/// True if `index` holds a token (`3..TOKEN_COUNT`: the TSV must fill every index there).
#[inline]
pub fn is_token(index: u8) -> bool {
    (3..TOKEN_COUNT).contains(&usize::from(index))
}

/// The index of `s` in the dictionary, if it is a token.
///
/// `c.us` is not a token (the encoder maps it to [`S_WHATSAPP_NET`] itself).
///
/// ```
/// use waweb_proto::binary::tokens::index_of;
/// assert_eq!(index_of("action"), Some(9));
/// assert_eq!(index_of("s.whatsapp.net"), Some(80));
/// assert_eq!(index_of("c.us"), None);
/// assert_eq!(index_of(""), None);
/// ```
#[inline]
pub fn index_of(s: &str) -> Option<u8> {
    index_of_bytes(s.as_bytes())
}

/// [`index_of`] for the bytes of a string.
///
/// It sits on the encoder's hot path, so it costs one multiply and one or two 16-byte compares,
/// with no call to `memcmp`: the string is loaded as a 16-byte key (its bytes zero-padded, its
/// length in the last byte) and looked up in a static open-addressing table built at compile
/// time.
#[inline]
pub fn index_of_bytes(b: &[u8]) -> Option<u8> {
    index_of_key(load_key(b)?)
}

/// [`index_of`] for a string given as its key: its bytes zero-padded to 16, its length (1 to
/// 15) in the last byte.
#[inline]
pub(crate) fn index_of_key(key: u128) -> Option<u8> {
    let mut slot = slot_of(key);
    for _ in 0..MAX_PROBES {
        // An empty slot's key is 0, which no string's key is.
        if SLOT_KEY[slot] == key {
            return Some(SLOT_TOKEN[slot]);
        }
        if SLOT_TOKEN[slot] == 0 {
            return None;
        }
        slot = (slot + 1) & (SLOTS - 1);
    }
    None
}

/// The key of a 1-15 byte string: its bytes zero-padded to 16, the length in the last byte.
/// The compile-time form, one byte at a time; [`load_key`] computes the same with a few loads.
pub(crate) const fn key_of(b: &[u8]) -> u128 {
    let mut key = (b.len() as u128) << 120;
    let mut i = 0;
    while i < b.len() {
        key |= (b[i] as u128) << (8 * i);
        i += 1;
    }
    key
}

/// [`key_of`] at run time, from two overlapping loads; `None` for strings no token can equal.
#[inline]
fn load_key(b: &[u8]) -> Option<u128> {
    let n = b.len();
    if n == 0 || n > MAX_TOKEN_LEN {
        return None;
    }
    let low = if n >= 8 {
        // The first eight bytes, then bytes 8.. moved down from a load ending at the last byte.
        let head = u64::from_le_bytes(*b.first_chunk::<8>()?);
        let tail = u64::from_le_bytes(*b.last_chunk::<8>()?);
        u128::from(head) | u128::from(tail.checked_shr(8 * (16 - n) as u32).unwrap_or(0)) << 64
    } else if n >= 4 {
        let head = u32::from_le_bytes(*b.first_chunk::<4>()?);
        let tail = u32::from_le_bytes(*b.last_chunk::<4>()?);
        u128::from(
            u64::from(head) | u64::from(tail.checked_shr(8 * (8 - n) as u32).unwrap_or(0)) << 32,
        )
    } else {
        b.iter().rev().fold(0u128, |k, &c| k << 8 | u128::from(c))
    };
    Some(low | (n as u128) << 120)
}

/// The home slot of a key: a multiply-shift hash of its two halves. The multiplier was picked
/// so that no token needs more than two probes.
#[inline]
const fn slot_of(key: u128) -> usize {
    let x = (key as u64) ^ ((key >> 64) as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    (x.wrapping_mul(0x5ab3_af97_3b3b_c365) >> 55) as usize & (SLOTS - 1)
}

const fn build_index(table: &[&str; TOKEN_COUNT]) -> ([u8; SLOTS], [u128; SLOTS], usize) {
    let mut slots = [0u8; SLOTS];
    let mut keys = [0u128; SLOTS];
    let mut max_probes = 0;
    let mut i = 3;
    while i < TOKEN_COUNT {
        let key = key_of(table[i].as_bytes());
        let mut slot = slot_of(key);
        let mut probes = 1;
        while slots[slot] != 0 {
            assert!(keys[slot] != key, "duplicate token");
            slot = (slot + 1) & (SLOTS - 1);
            probes += 1;
        }
        slots[slot] = i as u8;
        keys[slot] = key;
        if probes > max_probes {
            max_probes = probes;
        }
        i += 1;
    }
    (slots, keys, max_probes)
}

const fn max_len(table: &[&str; TOKEN_COUNT]) -> usize {
    let mut max = 0;
    let mut i = 0;
    while i < TOKEN_COUNT {
        if table[i].len() > max {
            max = table[i].len();
        }
        i += 1;
    }
    max
}

const fn bytes_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// Parses `index<TAB>token` lines (`#` comments and blank lines skipped). Indices must run from
/// 3 to 175 in order; any deviation fails compilation.
const fn parse_table(tsv: &'static str) -> [&'static str; TOKEN_COUNT] {
    let mut table = [""; TOKEN_COUNT];
    let mut next = 3;
    let mut rest = tsv.as_bytes();
    while !rest.is_empty() {
        let (line, tail) = split_once(rest, b'\n');
        rest = tail;
        let line = trim_cr(line);
        if line.is_empty() || line[0] == b'#' {
            continue;
        }
        let (index, token) = split_once(line, b'\t');
        assert!(parse_index(index) == next, "token indices must run 3, 4, 5, ... in order");
        assert!(!token.is_empty(), "empty token");
        table[next] = match core::str::from_utf8(token) {
            Ok(t) => t,
            Err(_) => panic!("token is not UTF-8"),
        };
        next += 1;
    }
    assert!(next == TOKEN_COUNT, "the v11 dictionary has 176 entries");
    table
}

/// Splits at the first `sep` (dropping it), or returns `(all, [])`.
const fn split_once(b: &[u8], sep: u8) -> (&[u8], &[u8]) {
    let mut i = 0;
    while i < b.len() {
        if b[i] == sep {
            let (head, tail) = b.split_at(i);
            return (head, tail.split_at(1).1);
        }
        i += 1;
    }
    (b, &[])
}

const fn trim_cr(b: &[u8]) -> &[u8] {
    match b.split_last() {
        Some((b'\r', head)) => head,
        _ => b,
    }
}

const fn parse_index(b: &[u8]) -> usize {
    assert!(!b.is_empty(), "missing token index");
    let mut n = 0;
    let mut i = 0;
    while i < b.len() {
        assert!(b[i].is_ascii_digit(), "token index is not a number");
        n = n * 10 + (b[i] - b'0') as usize;
        i += 1;
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_token_round_trips_through_index_of() {
        for i in 3..TOKEN_COUNT as u8 {
            let t = token(i).unwrap();
            assert_eq!(index_of(t), Some(i), "{t}");
        }
    }

    #[test]
    fn empty_and_out_of_range_indices_have_no_token() {
        for i in [0u8, 1, 2, 176, 200, 235, 255] {
            assert_eq!(token(i), None);
            assert!(!is_token(i));
        }
        assert!((3..176).all(|i| is_token(i) && token(i).is_some()));
    }

    #[test]
    fn known_positions() {
        assert_eq!(token(3), Some("200"));
        assert_eq!(token(80), Some("s.whatsapp.net"));
        assert_eq!(token(161), Some("call-id"));
        assert_eq!(token(162), Some("quick_reply"));
        assert_eq!(token(174), Some("video"));
        assert_eq!(token(175), Some("recent"));
    }

    #[test]
    fn non_tokens_are_not_found() {
        for s in ["", "c.us", "actio", "actions", "Action", "1584197869", "x", "video ", "recentx"]
        {
            assert_eq!(index_of(s), None, "{s:?}");
        }
    }

    #[test]
    fn run_time_keys_match_compile_time_keys() {
        let text = "abcdefghijklmnopq";
        for n in 1..=MAX_TOKEN_LEN {
            let b = &text.as_bytes()[..n];
            assert_eq!(load_key(b), Some(key_of(b)), "{n}");
        }
        assert_eq!(load_key(b""), None);
        assert_eq!(load_key(&text.as_bytes()[..MAX_TOKEN_LEN + 1]), None);
    }

    #[test]
    fn probe_sequences_are_short() {
        const { assert!(MAX_PROBES <= 2) };
    }
}
