//! The single-byte token dictionary of binary version 11 (176 entries; indices 0-2 are empty).
//!
//! The table is compiled from `data/wabinary-tokens.tsv` at build time by `const` evaluation,
//! so the TSV stays the single source of truth and a malformed file is a compile error. The
//! reverse lookup ([`index_of`]) sits on the encoder's hot path: it is a static open-addressing
//! hash table, also built at compile time, costing one cheap hash and usually one string compare.

/// The number of single-byte dictionary slots (indices `0..TOKEN_COUNT`), empty ones included.
pub const TOKEN_COUNT: usize = 176;
/// The index of `s.whatsapp.net`, the user server; decoders display it as `c.us`.
pub const S_WHATSAPP_NET: u8 = 80;

const TSV: &str = include_str!("../../data/wabinary-tokens.tsv");
const TABLE: [&str; TOKEN_COUNT] = parse_table(TSV);
static TOKENS: [&str; TOKEN_COUNT] = TABLE;

/// Slots of the reverse-lookup table; a power of two, about three times the token count so
/// that probe sequences stay short.
const SLOTS: usize = 512;
const INDEX: ([u8; SLOTS], usize) = build_index(&TABLE);
static SLOT_TOKEN: [u8; SLOTS] = INDEX.0;
/// The longest probe sequence any token needs; lookups never probe further.
const MAX_PROBES: usize = INDEX.1;
const MAX_TOKEN_LEN: usize = max_len(&TABLE);

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
    let b = s.as_bytes();
    if b.is_empty() || b.len() > MAX_TOKEN_LEN {
        return None;
    }
    let mut slot = slot_of(b);
    for _ in 0..MAX_PROBES {
        let idx = SLOT_TOKEN[slot];
        if idx == 0 {
            return None;
        }
        if TOKENS.get(usize::from(idx)).is_some_and(|t| *t == s) {
            return Some(idx);
        }
        slot = (slot + 1) & (SLOTS - 1);
    }
    None
}

/// Hashes a string from its length and five of its bytes (both ends and the middle): O(1)
/// however long a non-token attribute value is. The multiplier was picked so that no token
/// needs more than two probes.
#[inline]
const fn slot_of(b: &[u8]) -> usize {
    let n = b.len();
    if n == 0 {
        return 0;
    }
    let second = if n > 1 { b[1] } else { b[0] };
    let before_last = if n > 1 { b[n - 2] } else { b[0] };
    let ends =
        (b[0] as u64) | (second as u64) << 8 | (b[n - 1] as u64) << 16 | (before_last as u64) << 24;
    let x = ends ^ (b[n / 2] as u64) << 5 ^ (n as u64) << 27;
    (x.wrapping_mul(0x2d80_bc8f_7392_6949) >> 40) as usize & (SLOTS - 1)
}

const fn build_index(table: &[&str; TOKEN_COUNT]) -> ([u8; SLOTS], usize) {
    let mut slots = [0u8; SLOTS];
    let mut max_probes = 0;
    let mut i = 3;
    while i < TOKEN_COUNT {
        let mut slot = slot_of(table[i].as_bytes());
        let mut probes = 1;
        while slots[slot] != 0 {
            assert!(!bytes_eq(table[slots[slot] as usize].as_bytes(), table[i].as_bytes()));
            slot = (slot + 1) & (SLOTS - 1);
            probes += 1;
        }
        slots[slot] = i as u8;
        if probes > max_probes {
            max_probes = probes;
        }
        i += 1;
    }
    (slots, max_probes)
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
        }
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
    fn probe_sequences_are_short() {
        const { assert!(MAX_PROBES <= 2) };
    }
}
