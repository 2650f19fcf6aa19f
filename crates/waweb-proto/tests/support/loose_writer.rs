//! A WABinary writer that picks, from a seed, any legal form of each item instead of the
//! compact one: raw strings where a token or packed form exists, oversized length headers,
//! packed strings with any padding nibble, hex-packed digits, JID pairs with raw parts or a null
//! user, string content, extra null-valued attributes. What it writes decodes to the node it
//! was given (for strings other than `s.whatsapp.net`), so it exercises every non-compact path.

use waweb_proto::binary::{tokens, Content, Node};

/// Writes `node` in forms chosen by `seed`.
pub fn write(node: &Node, seed: u64) -> Vec<u8> {
    let mut w = Loose { state: seed | 1, out: Vec::new() };
    w.node(node);
    w.out
}

struct Loose {
    state: u64,
    out: Vec<u8>,
}

impl Loose {
    /// xorshift64: enough to pick forms.
    fn next(&mut self) -> u64 {
        self.state ^= self.state << 13;
        self.state ^= self.state >> 7;
        self.state ^= self.state << 17;
        self.state
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn node(&mut self, n: &Node) {
        let nulls = [0, 0, 1, 2][self.below(4)];
        let content = usize::from(!matches!(n.content, Content::None));
        self.list((n.attrs.len() + nulls) * 2 + 1 + content);
        self.string(n.description.as_bytes(), false);
        let mut attrs: Vec<(&[u8], Option<&[u8]>)> =
            n.attrs.iter().map(|(k, v)| (k.as_bytes(), Some(v.as_bytes()))).collect();
        for _ in 0..nulls {
            let at = self.below(attrs.len() + 1);
            attrs.insert(at, (b"id", None));
        }
        for (k, v) in attrs {
            self.string(k, false);
            match v {
                Some(v) => self.string(v, true),
                None => self.out.push(0),
            }
        }
        match &n.content {
            Content::None => {}
            Content::Bytes(b) => self.content_bytes(b),
            Content::Nodes(children) => {
                self.list(children.len());
                for c in children {
                    self.node(c);
                }
            }
        }
    }

    fn list(&mut self, len: usize) {
        match (len, self.below(3)) {
            (0, 0) => self.out.push(0),
            (0..=255, 0 | 1) => self.out.extend_from_slice(&[0xf8, len as u8]),
            _ => self.out.extend_from_slice(&[0xf9, (len >> 8) as u8, len as u8]),
        }
    }

    /// Byte content: raw bytes, or (when it is text) a string item the decoder reads as it.
    fn content_bytes(&mut self, b: &[u8]) {
        let text = std::str::from_utf8(b).is_ok() && !b.is_empty();
        if text && self.below(2) == 0 {
            let before = self.out.len();
            self.string(b, true);
            // Only non-raw string forms read as the same content (raw is byte content anyway).
            if !matches!(self.out.get(before), Some(0xfc..=0xfe)) {
                return;
            }
            self.out.truncate(before);
        }
        self.raw(b);
    }

    /// A string in any form: a JID pair when it has an `@` (or with a null user), else an atom.
    fn string(&mut self, s: &[u8], value: bool) {
        let ats: Vec<usize> = (0..s.len()).filter(|&i| s[i] == b'@').collect();
        match self.below(if value { 6 } else { 8 }) {
            0 if !ats.is_empty() => {
                let at = ats[self.below(ats.len())];
                self.out.push(0xfa);
                self.atom(&s[..at]);
                self.atom(&s[at + 1..]);
            }
            1 => {
                self.out.extend_from_slice(&[0xfa, 0x00]);
                self.atom(s);
            }
            _ => self.atom(s),
        }
    }

    /// A token, packed or raw form of `s`.
    fn atom(&mut self, s: &[u8]) {
        let token = match s {
            b"c.us" => Some(80),
            _ => std::str::from_utf8(s).ok().and_then(tokens::index_of),
        };
        let nibble = s.len() <= 254 && s.iter().all(|c| b"0123456789-.\0".contains(c));
        let hex = s.len() <= 254 && s.iter().all(|c| b"0123456789ABCDEF".contains(c));
        match self.below(4) {
            0 | 1 if token.is_some() => self.out.extend(token),
            0 if nibble => self.packed(s, b"0123456789-.\xff\xff\xff\0", 0xff),
            1 if hex => self.packed(s, b"0123456789ABCDEF", 0xfb),
            _ => self.raw(s),
        }
    }

    fn packed(&mut self, s: &[u8], alphabet: &[u8; 16], tag: u8) {
        let value = |c: u8| alphabet.iter().position(|&a| a == c).unwrap_or(0) as u8;
        let odd = s.len() % 2 == 1;
        self.out.extend_from_slice(&[tag, s.len().div_ceil(2) as u8 | if odd { 0x80 } else { 0 }]);
        let padding =
            if tag == 0xff { [15, 0, 9, 10, 11][self.below(5)] } else { self.below(16) as u8 };
        for pair in s.chunks(2) {
            let low = pair.get(1).map_or(padding, |&c| value(c));
            self.out.push(value(pair[0]) << 4 | low);
        }
    }

    fn raw(&mut self, b: &[u8]) {
        let len = b.len();
        match self.below(4) {
            0 | 1 if len < 256 => self.out.extend_from_slice(&[0xfc, len as u8]),
            0..=2 if len < 1 << 20 => {
                let garbage = (self.below(16) as u8) << 4;
                self.out.extend_from_slice(&[
                    0xfd,
                    garbage | (len >> 16) as u8,
                    (len >> 8) as u8,
                    len as u8,
                ]);
            }
            _ => {
                self.out.push(0xfe);
                self.out.extend_from_slice(&(len as u32).to_be_bytes());
            }
        }
        self.out.extend_from_slice(b);
    }
}
