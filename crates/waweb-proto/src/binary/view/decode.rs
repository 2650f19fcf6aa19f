//! Building a [`Tree`] from bytes: the owned decoder's node grammar (`decode/mod.rs`), step
//! for step and with the same cursor, so that every input gives the same error at the same
//! offset; but nodes and attributes go into two flat vectors, and strings stay in the input.
//!
//! While reading, it also notes for each node whether its bytes already are the compact form
//! the encoder would write (see `canon.rs`), so that encoding it is a copy.

use super::super::decode::{DecodeError, MAX_DEPTH, MIN_NODE_LEN};
use super::super::encode::{list_header, raw_header};
use super::super::tags::{BINARY_20, BINARY_32, BINARY_8, LIST_16, LIST_8, LIST_EMPTY};
use super::parse::{short_eq, Reader};
use super::{AttrRec, ContentRec, NodeRec, Tree};

/// Decodes exactly one node from `data` into a borrowed [`Tree`]: the same rules, the same
/// result and the same errors as [`super::super::decode()`]; trailing bytes are an error.
///
/// ```
/// use waweb_proto::binary::{decode, view::decode_view};
/// let bytes = [0xf8, 0x03, 0x41, 0x5b, 0x0e];
/// let tree = decode_view(&bytes).unwrap();
/// assert_eq!(tree.root().description(), "presence");
/// assert_eq!(tree.root().get_attr("type").unwrap(), "available");
/// assert_eq!(tree.to_node(), decode(&bytes).unwrap());
/// assert_eq!(decode_view(&bytes[..4]).unwrap_err(), decode(&bytes[..4]).unwrap_err());
/// ```
pub fn decode_view(data: &[u8]) -> Result<Tree<'_>, DecodeError> {
    let mut b = Builder {
        r: Reader::new(data),
        // Rough guesses from the sizes of sync payloads; the vectors grow as needed.
        nodes: Vec::with_capacity(1 + data.len() / 64),
        attrs: Vec::with_capacity(data.len() / 8),
    };
    b.nodes.push(NodeRec::EMPTY);
    b.node(1, 0)?;
    let Builder { r, nodes, attrs } = b;
    r.cur.finish()?;
    Ok(Tree { data, nodes, attrs })
}

struct Builder<'a> {
    r: Reader<'a>,
    nodes: Vec<NodeRec>,
    attrs: Vec<AttrRec>,
}

impl Builder<'_> {
    /// Reads one node into `nodes[slot]`.
    fn node(&mut self, depth: usize, slot: usize) -> Result<(), DecodeError> {
        let start = self.r.cur.offset();
        if depth > MAX_DEPTH {
            return Err(DecodeError::TooDeep { offset: start });
        }
        let tag = self.r.cur.byte()?;
        let size = self.r.cur.list_size(tag, start)?;
        if size == 0 {
            return Err(DecodeError::InvalidNode { offset: start, reason: "list size 0" });
        }
        // Each of the `size` items takes at least one byte.
        self.r.cur.ensure(size, start)?;
        let (header, used) = list_header(size);
        let mut compact = self.r.read_since(start, header.get(..used));
        let desc = self.r.cur.offset();
        compact &= self.description()?;
        let first_attr = self.attrs.len();
        compact &= self.attributes((size - 1) / 2)?;
        let attr_count = self.attrs.len() - first_attr;
        let content =
            if size % 2 == 1 { ContentRec::None } else { self.content(depth, &mut compact)? };
        let rec = NodeRec {
            start,
            end: self.r.cur.offset(),
            desc,
            first_attr,
            attr_count,
            compact,
            content,
        };
        if let Some(dst) = self.nodes.get_mut(slot) {
            *dst = rec;
        }
        Ok(())
    }

    /// Reads the description; true if it is compact.
    fn description(&mut self) -> Result<bool, DecodeError> {
        let offset = self.r.cur.offset();
        let tag = self.r.cur.byte()?;
        let seen = self.r.check::<false>(tag, offset)?;
        if seen.null {
            Err(DecodeError::InvalidNode { offset, reason: "null description" })
        } else if seen.empty {
            Err(DecodeError::InvalidNode { offset, reason: "empty description" })
        } else {
            Ok(seen.compact)
        }
    }

    /// Reads `count` attributes, leaving out those whose value is null; true if all are
    /// compact (and none was left out, which changes the node's list size).
    fn attributes(&mut self, count: usize) -> Result<bool, DecodeError> {
        let mut compact = true;
        for _ in 0..count {
            let key_offset = self.r.cur.offset();
            let tag = self.r.cur.byte()?;
            let key = self.r.check::<false>(tag, key_offset)?;
            let value_offset = self.r.cur.offset();
            let tag = self.r.cur.byte()?;
            let value = self.r.check::<true>(tag, value_offset)?;
            if key.null {
                return Err(DecodeError::InvalidNode {
                    offset: key_offset,
                    reason: "null attribute key",
                });
            }
            if value.null {
                compact = false;
            } else {
                compact &= key.compact & value.compact;
                self.attrs.push(AttrRec { key: key_offset, value: value_offset });
            }
        }
        Ok(compact)
    }

    fn content(&mut self, depth: usize, compact: &mut bool) -> Result<ContentRec, DecodeError> {
        let offset = self.r.cur.offset();
        let tag = self.r.cur.byte()?;
        match tag {
            LIST_EMPTY | LIST_8 | LIST_16 => {
                let count = self.r.cur.list_size(tag, offset)?;
                let (header, used) = list_header(count);
                *compact &= self.r.read_since(offset, header.get(..used));
                self.children(count, depth, offset, compact)
            }
            BINARY_8 | BINARY_20 | BINARY_32 => {
                let bytes = self.r.cur.binary(tag, offset)?;
                let end = self.r.cur.offset();
                let at = end.saturating_sub(bytes.len());
                let (header, used) = raw_header(bytes.len());
                *compact &= short_eq(self.r.range(offset, at), header.get(..used));
                Ok(ContentRec::Bytes { at, end })
            }
            _ => {
                // String content is kept as its text, which the encoder writes as raw bytes.
                *compact = false;
                if self.r.check::<true>(tag, offset)?.null {
                    // Only LIST_EMPTY reads as null, and it was taken as an empty list above.
                    Ok(ContentRec::Nodes { first: self.nodes.len(), count: 0 })
                } else {
                    Ok(ContentRec::Text(offset))
                }
            }
        }
    }

    /// Reads `count` child nodes into consecutive slots, so that children are a range.
    fn children(
        &mut self,
        count: usize,
        depth: usize,
        offset: usize,
        compact: &mut bool,
    ) -> Result<ContentRec, DecodeError> {
        self.r.cur.ensure(count.saturating_mul(MIN_NODE_LEN), offset)?;
        let first = self.nodes.len();
        self.nodes.resize(first + count, NodeRec::EMPTY);
        for slot in first..first + count {
            self.node(depth + 1, slot)?;
            *compact &= self.nodes.get(slot).is_some_and(|n| n.compact);
        }
        Ok(ContentRec::Nodes { first, count })
    }
}
