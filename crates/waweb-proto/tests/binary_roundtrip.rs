//! Property tests for the WABinary codec: `decode(encode(n)) == n`, the encoding is canonical,
//! decoding never panics, and the JSON form round-trips; plus encoder size-boundary checks.

use proptest::prelude::*;
use waweb_proto::binary::display::{from_json, to_json};
use waweb_proto::binary::encode::{try_encode, EncodeError};
use waweb_proto::binary::{decode, encode, Content, Node};

#[path = "support/node_strategies.rs"]
mod strategies;
use strategies::{description, leaf, node, string};

/// Strings in a node, for the canonical-encoding property below.
fn any_string() -> impl Strategy<Value = String> {
    prop_oneof![string(), Just("s.whatsapp.net".to_owned()), "[0-9]{1,5}@s\\.whatsapp\\.net"]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn decode_inverts_encode(n in node()) {
        let bytes = encode(&n);
        prop_assert_eq!(decode(&bytes).unwrap(), n);
    }

    #[test]
    fn encoding_is_canonical(d in description(), k in any_string(), v in any_string()) {
        let n = Node::new(d).attr(k, v);
        let bytes = encode(&n);
        prop_assert_eq!(encode(&decode(&bytes).unwrap()), bytes);
    }

    #[test]
    fn decode_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let _ = decode(&bytes);
    }

    #[test]
    fn decode_never_panics_on_mutated_nodes(
        n in leaf(),
        flips in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..4),
        cut in any::<prop::sample::Index>(),
    ) {
        let mut bytes = encode(&n);
        for (at, b) in flips {
            let i = at.index(bytes.len());
            bytes[i] = b;
        }
        let _ = decode(&bytes);
        let _ = decode(&bytes[..cut.index(bytes.len() + 1)]);
    }

    #[test]
    fn json_round_trip(n in node()) {
        // The JSON object keeps the first value of a repeated key.
        let n = dedup_keys(n);
        let value = to_json(&n);
        prop_assert_eq!(from_json(&value).unwrap(), n.clone());
        let text = serde_json::to_string(&value).unwrap();
        prop_assert_eq!(from_json(&serde_json::from_str(&text).unwrap()).unwrap(), n);
    }
}

fn dedup_keys(mut n: Node) -> Node {
    let mut seen = std::collections::HashSet::new();
    n.attrs.retain(|(k, _)| seen.insert(k.clone()));
    if let Content::Nodes(children) = n.content {
        n.content = Content::Nodes(children.into_iter().map(dedup_keys).collect());
    }
    n
}

fn value_bytes(value: &str) -> Vec<u8> {
    let bytes = encode(&Node::new("action").attr("add", value));
    bytes[4..].to_vec()
}

#[test]
fn attribute_value_forms() {
    assert_eq!(value_bytes(""), [0xfc, 0x00]);
    assert_eq!(value_bytes("abc"), [0xfc, 0x03, b'a', b'b', b'c']);
    assert_eq!(value_bytes("ABC"), [0xfb, 0x82, 0xab, 0xcf]);
    assert_eq!(value_bytes("12"), [0xff, 0x01, 0x12]);
    assert_eq!(value_bytes("500"), [0x06]);
    assert_eq!(value_bytes("c.us"), [0x50]);
    assert_eq!(value_bytes("s.whatsapp.net"), [0x50]);
    assert_eq!(value_bytes("@c.us"), [0xfc, 0x05, b'@', b'c', b'.', b'u', b's']);
    assert_eq!(value_bytes("abc@c.us"), [0xfa, 0xfc, 0x03, b'a', b'b', b'c', 0x50]);
    assert_eq!(value_bytes("ABC@g.us"), [0xfa, 0xfb, 0x82, 0xab, 0xcf, 0x23]);
    assert_eq!(value_bytes("1@"), [0xfa, 0xff, 0x81, 0x1f, 0xfc, 0x00]);
    assert_eq!(value_bytes("status@broadcast"), [0xfa, 0x54, 0x12]);
}

#[test]
fn packed_forms_stop_at_254_characters() {
    let digits = "7".repeat(254);
    assert_eq!(value_bytes(&digits)[..2], [0xff, 0x7f]);
    assert_eq!(value_bytes(&format!("{digits}7"))[..2], [0xfc, 0xff]);
    let hex = "A".repeat(253);
    assert_eq!(value_bytes(&hex)[..2], [0xfb, 0xff]);
    assert_eq!(value_bytes(&format!("{hex}AB"))[..2], [0xfc, 0xff]);
}

#[test]
fn byte_content_length_forms() {
    for (len, header) in [
        (255usize, vec![0xfc, 0xff]),
        (256, vec![0xfd, 0x00, 0x01, 0x00]),
        ((1 << 20) - 1, vec![0xfd, 0x0f, 0xff, 0xff]),
        (1 << 20, vec![0xfe, 0x00, 0x10, 0x00, 0x00]),
    ] {
        let node = Node::new("message").bytes(vec![7u8; len]);
        let bytes = encode(&node);
        assert_eq!(bytes[3..3 + header.len()], header[..], "{len}");
        assert_eq!(bytes.len(), 3 + header.len() + len);
        assert_eq!(decode(&bytes).unwrap(), node);
    }
}

#[test]
fn list_length_forms() {
    for (len, header) in
        [(0usize, vec![0x00]), (255, vec![0xf8, 0xff]), (256, vec![0xf9, 0x01, 0x00])]
    {
        let node = Node::new("action").children(vec![Node::new("message"); len]);
        let bytes = encode(&node);
        assert_eq!(bytes[3..3 + header.len()], header[..], "{len}");
        assert_eq!(decode(&bytes).unwrap(), node);
    }
    let max = Node::new("action").children(vec![Node::new("message"); 65535]);
    assert_eq!(decode(&encode(&max)).unwrap(), max);
}

#[test]
fn oversized_lists_are_refused() {
    let too_many_children = Node::new("action").children(vec![Node::new("message"); 65536]);
    assert_eq!(try_encode(&too_many_children), Err(EncodeError::ListTooLong { len: 65536 }));
    let mut too_many_attrs = Node::new("action").bytes(vec![]);
    too_many_attrs.attrs = vec![("a".into(), "b".into()); 32767];
    assert_eq!(try_encode(&too_many_attrs), Err(EncodeError::ListTooLong { len: 65536 }));
    too_many_attrs.content = Content::None;
    assert_eq!(decode(&try_encode(&too_many_attrs).unwrap()).unwrap(), too_many_attrs);
}

#[test]
#[should_panic(expected = "does not fit LIST_16")]
fn encode_panics_on_oversized_lists() {
    encode(&Node::new("action").children(vec![Node::new("message"); 65536]));
}

#[test]
fn encode_into_appends() {
    let mut out = vec![0xaa];
    waweb_proto::binary::encode::encode_into(&Node::new("action"), &mut out);
    assert_eq!(out, [0xaa, 0xf8, 0x01, 0x09]);
}
