//! Human-readable forms of a [`Node`]: an indented text form for logs and tools, and a JSON form
//! for tools, fixtures and tests.
//!
//! **Text form** (`impl Display for Node`), one node per line, two spaces per level:
//!
//! ```text
//! <action add="last">
//!   <message>[212 bytes] 0a350a1b39313735323938373131313740732e77686174736170702e6e6574…</message>
//!   <status>"hello"</status>
//!   <read jid="33612345678@c.us"/>
//!   <contacts></contacts>
//! </action>
//! ```
//!
//! `<x/>` has no content, `<x></x>` an empty child list. Byte content is shown as a quoted
//! string when it is UTF-8 text without control characters (other than `\n`, `\r`, `\t`), else
//! as its length and hex. `{}` truncates long contents (text to 200 characters, hex to 32
//! bytes); the alternate form `{:#}` shows them whole.
//!
//! **JSON form** ([`to_json`], [`from_json`]): `[description, attributes, content]` as in the
//! protocol's own notation, e.g. `["action",{"add":"last"},[["message",null,{"hex":"0a35…"}]]]`:
//!
//! * attributes: `null` when there are none, else an object in wire order (for a key that
//!   appears twice the first value is kept, as [`Node::get_attr`] does);
//! * content: `null` for none, an array of nodes, a string for UTF-8 bytes, or
//!   `{"hex": "…"}` (lower-case hex) for bytes that are not UTF-8.
//!
//! [`from_json`] is the inverse and is a little lenient for hand-written input: the array may
//! have 1 to 3 items (missing ones are `null`), attribute values may be numbers or booleans
//! (taken as their JSON text) and `null` values are omitted, like null values on the wire. It
//! rejects what the wire format could not carry (too many items, nesting deeper than
//! [`MAX_DEPTH`]), so its nodes always encode and decode.

use std::fmt::{self, Write as _};

use serde_json::{Map, Value};

use super::decode::MAX_DEPTH;
use super::{Content, Node, NodeStr};

/// Text content longer than this many characters is cut in the short text form.
const TEXT_PREVIEW_CHARS: usize = 200;
/// Binary content longer than this many bytes is cut in the short text form.
const HEX_PREVIEW_BYTES: usize = 32;

impl fmt::Display for Node {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_node(self, 0, f.alternate(), f)
    }
}

fn write_node(node: &Node, depth: usize, full: bool, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    for _ in 0..depth {
        f.write_str("  ")?;
    }
    write!(f, "<{}", node.description.escape_debug())?;
    for (k, v) in &node.attrs {
        write!(f, " {}={v:?}", k.escape_debug())?;
    }
    match &node.content {
        Content::None => return f.write_str("/>"),
        Content::Bytes(b) => {
            f.write_char('>')?;
            write_bytes(b, full, f)?;
        }
        Content::Nodes(children) if children.is_empty() => f.write_char('>')?,
        Content::Nodes(children) => {
            f.write_str(">\n")?;
            for child in children {
                write_node(child, depth + 1, full, f)?;
                f.write_char('\n')?;
            }
            for _ in 0..depth {
                f.write_str("  ")?;
            }
        }
    }
    write!(f, "</{}>", node.description.escape_debug())
}

fn write_bytes(b: &[u8], full: bool, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    match std::str::from_utf8(b) {
        Ok(text) if is_printable(text) => {
            let shown = if full { text.len() } else { char_boundary(text, TEXT_PREVIEW_CHARS) };
            let (head, tail) = text.split_at(shown);
            write!(f, "{head:?}")?;
            if !tail.is_empty() {
                write!(f, "…({} bytes)", b.len())?;
            }
            Ok(())
        }
        _ => {
            write!(f, "[{} bytes] ", b.len())?;
            let shown = if full { b.len() } else { b.len().min(HEX_PREVIEW_BYTES) };
            for byte in b.iter().take(shown) {
                write!(f, "{byte:02x}")?;
            }
            if shown < b.len() {
                f.write_char('…')?;
            }
            Ok(())
        }
    }
}

fn is_printable(text: &str) -> bool {
    text.chars().all(|c| !c.is_control() || matches!(c, '\n' | '\r' | '\t'))
}

/// The byte offset after the first `chars` characters of `text` (or its length).
fn char_boundary(text: &str, chars: usize) -> usize {
    text.char_indices().nth(chars).map_or(text.len(), |(i, _)| i)
}

/// Why a JSON value is not a node.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JsonNodeError {
    /// The value is not an array of 1 to 3 items.
    #[error("a node is an array [description, attributes, content]")]
    NotANode,
    /// The description is not a non-empty string.
    #[error("the description must be a non-empty string")]
    BadDescription,
    /// The attributes are neither `null` nor an object.
    #[error("attributes must be null or an object")]
    BadAttributes,
    /// An attribute value is an array or an object.
    #[error("attribute {0:?} must be a string, number, boolean or null")]
    BadAttributeValue(String),
    /// The content is not `null`, an array, a string or `{"hex": "…"}`.
    #[error("content must be null, an array of nodes, a string or {{\"hex\": \"…\"}}")]
    BadContent,
    /// The `hex` of a byte content is not valid hex.
    #[error("invalid hex in byte content")]
    BadHex,
    /// More attributes or children than a node can hold on the wire.
    #[error("{0} items do not fit in one node (at most 32766 attributes, 65535 children)")]
    TooManyItems(usize),
    /// Nodes nested deeper than [`MAX_DEPTH`].
    #[error("nodes nested deeper than {MAX_DEPTH} levels")]
    TooDeep,
}

/// The JSON form of `node` (see the module documentation).
///
/// ```
/// use waweb_proto::binary::{display::to_json, Node};
/// let node = Node::new("action").attr("add", "last").children(vec![Node::new("message")]);
/// assert_eq!(to_json(&node).to_string(), r#"["action",{"add":"last"},[["message",null,null]]]"#);
/// ```
pub fn to_json(node: &Node) -> Value {
    let attrs = if node.attrs.is_empty() {
        Value::Null
    } else {
        let mut map = Map::with_capacity(node.attrs.len());
        for (k, v) in &node.attrs {
            map.entry(k.as_str()).or_insert_with(|| Value::String(v.as_str().to_owned()));
        }
        Value::Object(map)
    };
    let content = match &node.content {
        Content::None => Value::Null,
        Content::Nodes(children) => Value::Array(children.iter().map(to_json).collect()),
        Content::Bytes(b) => match std::str::from_utf8(b) {
            Ok(text) => Value::String(text.to_owned()),
            Err(_) => {
                let mut map = Map::with_capacity(1);
                map.insert("hex".to_owned(), Value::String(hex::encode(b)));
                Value::Object(map)
            }
        },
    };
    Value::Array(vec![Value::String(node.description.as_str().to_owned()), attrs, content])
}

/// The node whose JSON form is `value` (see the module documentation).
///
/// ```
/// use waweb_proto::binary::{display::from_json, Node};
/// let value = serde_json::json!(["query", {"type": "contacts", "epoch": 1}]);
/// let node = from_json(&value).unwrap();
/// assert_eq!(node, Node::new("query").attr("type", "contacts").attr("epoch", "1"));
/// ```
pub fn from_json(value: &Value) -> Result<Node, JsonNodeError> {
    node_from_json(value, 1)
}

/// Most attributes a node can have: its list size, `1 + 2·attributes (+ 1)`, fits 16 bits.
const MAX_ATTRS: usize = (u16::MAX as usize - 2) / 2;
const MAX_CHILDREN: usize = u16::MAX as usize;

fn node_from_json(value: &Value, depth: usize) -> Result<Node, JsonNodeError> {
    if depth > MAX_DEPTH {
        return Err(JsonNodeError::TooDeep);
    }
    let items = match value {
        Value::Array(items) if (1..=3).contains(&items.len()) => items.as_slice(),
        _ => return Err(JsonNodeError::NotANode),
    };
    let description = match items.first() {
        Some(Value::String(s)) if !s.is_empty() => NodeStr::from(s),
        _ => return Err(JsonNodeError::BadDescription),
    };
    let attrs = attrs_from_json(items.get(1).unwrap_or(&Value::Null))?;
    let content = content_from_json(items.get(2).unwrap_or(&Value::Null), depth)?;
    Ok(Node { description, attrs, content })
}

fn attrs_from_json(value: &Value) -> Result<Vec<(NodeStr, NodeStr)>, JsonNodeError> {
    let map = match value {
        Value::Null => return Ok(Vec::new()),
        Value::Object(map) => map,
        _ => return Err(JsonNodeError::BadAttributes),
    };
    if map.len() > MAX_ATTRS {
        return Err(JsonNodeError::TooManyItems(map.len()));
    }
    let mut attrs = Vec::with_capacity(map.len());
    for (k, v) in map {
        let v = match v {
            Value::Null => continue,
            Value::String(s) => NodeStr::from(s),
            Value::Number(n) => NodeStr::from(n.to_string()),
            Value::Bool(b) => NodeStr::from(b.to_string()),
            Value::Array(_) | Value::Object(_) => {
                return Err(JsonNodeError::BadAttributeValue(k.clone()))
            }
        };
        attrs.push((NodeStr::from(k), v));
    }
    Ok(attrs)
}

fn content_from_json(value: &Value, depth: usize) -> Result<Content, JsonNodeError> {
    match value {
        Value::Null => Ok(Content::None),
        Value::String(s) => Ok(Content::Bytes(s.as_bytes().to_vec())),
        Value::Array(children) if children.len() > MAX_CHILDREN => {
            Err(JsonNodeError::TooManyItems(children.len()))
        }
        Value::Array(children) => children
            .iter()
            .map(|c| node_from_json(c, depth + 1))
            .collect::<Result<_, _>>()
            .map(Content::Nodes),
        Value::Object(map) if map.len() == 1 => match map.get("hex") {
            Some(Value::String(h)) => {
                hex::decode(h).map(Content::Bytes).map_err(|_| JsonNodeError::BadHex)
            }
            _ => Err(JsonNodeError::BadContent),
        },
        _ => Err(JsonNodeError::BadContent),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Node {
        Node::new("action").attr("add", "last").children(vec![
            Node::new("message").bytes(vec![0x0a, 0xff, 0x00]),
            Node::new("status").bytes("hello"),
            Node::new("read").attr("jid", "33612345678@c.us"),
            Node::new("contacts").children(vec![]),
        ])
    }

    #[test]
    fn text_form() {
        let expected = "<action add=\"last\">\n  <message>[3 bytes] 0aff00</message>\n  \
                        <status>\"hello\"</status>\n  <read jid=\"33612345678@c.us\"/>\n  \
                        <contacts></contacts>\n</action>";
        assert_eq!(sample().to_string(), expected);
    }

    #[test]
    fn text_form_truncates_unless_alternate() {
        let node = Node::new("image").bytes(vec![0xffu8; 40]);
        let short = node.to_string();
        assert!(short.starts_with("<image>[40 bytes] ffff"), "{short}");
        assert!(short.ends_with("…</image>"), "{short}");
        assert_eq!(short.matches("ff").count(), HEX_PREVIEW_BYTES);
        assert_eq!(format!("{node:#}").matches("ff").count(), 40);
        let text = Node::new("status").bytes("é".repeat(300));
        assert!(text.to_string().ends_with("…(600 bytes)</status>"));
        assert!(!format!("{text:#}").contains('…'));
    }

    #[test]
    fn json_form() {
        let json = to_json(&sample()).to_string();
        assert_eq!(
            json,
            r#"["action",{"add":"last"},[["message",null,{"hex":"0aff00"}],["status",null,"hello"],["read",{"jid":"33612345678@c.us"},null],["contacts",null,[]]]]"#
        );
        assert_eq!(from_json(&serde_json::from_str(&json).unwrap()).unwrap(), sample());
    }

    #[test]
    fn json_keeps_the_first_of_duplicate_keys() {
        let node = Node::new("x").attr("a", "1").attr("b", "2").attr("a", "3");
        assert_eq!(to_json(&node).to_string(), r#"["x",{"a":"1","b":"2"},null]"#);
    }

    #[test]
    fn from_json_rejects_malformed() {
        use serde_json::json;
        let cases = [
            (json!("x"), JsonNodeError::NotANode),
            (json!([]), JsonNodeError::NotANode),
            (json!(["x", null, null, null]), JsonNodeError::NotANode),
            (json!([""]), JsonNodeError::BadDescription),
            (json!([1]), JsonNodeError::BadDescription),
            (json!(["x", []]), JsonNodeError::BadAttributes),
            (json!(["x", {"a": [1]}]), JsonNodeError::BadAttributeValue("a".into())),
            (json!(["x", null, 5]), JsonNodeError::BadContent),
            (json!(["x", null, {"hex": "zz"}]), JsonNodeError::BadHex),
            (json!(["x", null, {"bytes": "00"}]), JsonNodeError::BadContent),
            (json!(["x", null, [["y", null, 1]]]), JsonNodeError::BadContent),
        ];
        for (value, err) in cases {
            assert_eq!(from_json(&value), Err(err), "{value}");
        }
    }

    #[test]
    fn from_json_bounds_depth_and_width() {
        let mut value = serde_json::json!(["leaf"]);
        for _ in 0..MAX_DEPTH {
            value = serde_json::json!(["n", null, [value]]);
        }
        assert_eq!(from_json(&value), Err(JsonNodeError::TooDeep));
        let wide = Value::Array(vec![
            Value::String("x".into()),
            Value::Null,
            Value::Array(vec![serde_json::json!(["c"]); MAX_CHILDREN + 1]),
        ]);
        assert_eq!(from_json(&wide), Err(JsonNodeError::TooManyItems(MAX_CHILDREN + 1)));
    }

    #[test]
    fn from_json_is_lenient_with_hand_written_values() {
        let value =
            serde_json::json!(["presence", {"type": "available", "t": 5, "deny": true, "x": null}]);
        let node = from_json(&value).unwrap();
        assert_eq!(
            node,
            Node::new("presence").attr("type", "available").attr("t", "5").attr("deny", "true")
        );
    }
}
