//! Encoding a view: byte for byte what [`try_encode`](super::super::try_encode) writes for the
//! owned node ([`NodeRef::to_node`]), without building it.
//!
//! A node the decoder found compact is copied whole. Otherwise its list headers are written
//! anew and each string is either copied (when it already was in the form the encoder picks at
//! its place, see `canon.rs`) or handed, as text, to the owned encoder's own writers.

use super::super::encode::{
    string_bound_len, write_list_start, write_plain_bytes, write_raw, write_value_bytes,
    EncodeError,
};
use super::canon;
use super::parse::read_at;
use super::string::{Atom, Str};
use super::{ContentRec, NodeRef};

/// Appends the compact encoding of `node` to `out`: the bytes
/// [`try_encode_into`](super::super::encode::try_encode_into) appends for `node.to_node()`.
///
/// It fails where `try_encode` does, which for a decoded node only happens to a JID pair whose
/// text is longer than `BINARY_32` can count (an input of over 4 GiB); `out` is then unchanged.
///
/// ```
/// use waweb_proto::binary::view::{decode_view, encode_view_into};
/// // <action add="123">, the value written as raw bytes: re-encoded nibble-packed.
/// let bytes = [0xf8, 0x03, 0x09, 0x0a, 0xfc, 0x03, b'1', b'2', b'3'];
/// let tree = decode_view(&bytes).unwrap();
/// let mut out = vec![];
/// encode_view_into(tree.root(), &mut out).unwrap();
/// assert_eq!(out, [0xf8, 0x03, 0x09, 0x0a, 0xff, 0x82, 0x12, 0x3f]);
/// ```
pub fn encode_view_into(node: NodeRef<'_>, out: &mut Vec<u8>) -> Result<(), EncodeError> {
    let before = out.len();
    out.reserve(node.raw().len());
    let mut writer = Writer { data: node.tree().input(), scratch: Vec::new() };
    let result = writer.node(node, out);
    if result.is_err() {
        out.truncate(before);
    }
    result
}

/// [`encode_view_into`] a new vector.
///
/// ```
/// use waweb_proto::binary::{encode, Node};
/// use waweb_proto::binary::view::{decode_view, encode_view};
/// let node = Node::new("chat").attr("jid", "33612345678@c.us").attr("t", "1600000000");
/// let bytes = encode(&node);
/// let tree = decode_view(&bytes).unwrap();
/// assert!(tree.root().is_compact());
/// assert_eq!(encode_view(tree.root()).unwrap(), bytes);
/// ```
pub fn encode_view(node: NodeRef<'_>) -> Result<Vec<u8>, EncodeError> {
    let mut out = Vec::new();
    encode_view_into(node, &mut out)?;
    Ok(out)
}

impl NodeRef<'_> {
    /// [`encode_view_into`] as a method.
    pub fn encode_into(&self, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        encode_view_into(*self, out)
    }

    /// [`encode_view`] as a method.
    pub fn encode(&self) -> Result<Vec<u8>, EncodeError> {
        encode_view(*self)
    }
}

/// Where a string goes: the encoder has one set of rules for descriptions and keys, one for
/// attribute values.
#[derive(Clone, Copy)]
enum Place {
    Plain,
    Value,
}

struct Writer<'a> {
    data: &'a [u8],
    /// The text of a packed string or JID pair being re-encoded.
    scratch: Vec<u8>,
}

impl Writer<'_> {
    fn node(&mut self, node: NodeRef<'_>, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        let rec = node.record();
        if rec.compact {
            out.extend_from_slice(node.raw());
            return Ok(());
        }
        let has_content = usize::from(!matches!(rec.content, ContentRec::None));
        write_list_start(rec.attr_count * 2 + 1 + has_content, out);
        self.string(rec.desc, Place::Plain, out)?;
        for a in node
            .tree()
            .attrs
            .get(rec.first_attr..rec.first_attr + rec.attr_count)
            .into_iter()
            .flatten()
        {
            self.string(a.key, Place::Plain, out)?;
            self.string(a.value, Place::Value, out)?;
        }
        match rec.content {
            ContentRec::None => {}
            ContentRec::Bytes { at, end } => {
                write_raw(self.data.get(at..end).unwrap_or_default(), out)
            }
            ContentRec::Text(at) => {
                let (s, _) = read_at(self.data, at);
                string_bound_len(s.len())?;
                self.scratch.clear();
                s.write_to(&mut self.scratch);
                write_raw(&self.scratch, out);
            }
            ContentRec::Nodes { count, .. } => {
                write_list_start(count, out);
                for child in node.children() {
                    self.node(child, out)?;
                }
            }
        }
        Ok(())
    }

    /// The string item at `at`, as the encoder writes its text at `place`.
    fn string(&mut self, at: usize, place: Place, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        let (s, end) = read_at(self.data, at);
        string_bound_len(s.len())?;
        let compact = match place {
            Place::Plain => canon::plain(&s),
            Place::Value => canon::value(&s),
        };
        if compact {
            out.extend_from_slice(self.data.get(at..end).unwrap_or_default());
            return Ok(());
        }
        let text = match s {
            Str::Atom(Atom::Raw { text, .. }) => text,
            _ => {
                self.scratch.clear();
                s.write_to(&mut self.scratch);
                &self.scratch
            }
        };
        match place {
            Place::Plain => write_plain_bytes(text, out),
            Place::Value => write_value_bytes(text, out),
        }
        Ok(())
    }
}
