//! Non-compact encodings (what other encoders write: raw strings where a token or packed form
//! exists, long length headers, any padding nibble, hex-packed digits, JID pairs with raw parts
//! or a null user, string content, null-valued attributes) decode to the node they were written
//! from, and re-encode in the compact form: properties over every form, and known answers.

use proptest::prelude::*;
use waweb_proto::binary::{decode, encode, Content, Node};

#[path = "support/node_strategies.rs"]
mod strategies;
use strategies::{leaf, node};

#[path = "support/loose_writer.rs"]
mod loose;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn loose_encodings_decode_to_the_node_and_re_encode_compact(
        n in node(),
        seed in any::<u64>(),
    ) {
        let bytes = loose::write(&n, seed);
        let decoded = decode(&bytes).unwrap();
        prop_assert_eq!(&decoded, &n);
        prop_assert_eq!(encode(&decoded), encode(&n));
    }

    #[test]
    fn mutated_loose_encodings_never_panic(
        n in leaf(),
        seed in any::<u64>(),
        flips in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..4),
        cut in any::<prop::sample::Index>(),
    ) {
        let mut bytes = loose::write(&n, seed);
        for (at, b) in &flips {
            let i = at.index(bytes.len());
            bytes[i] = *b;
        }
        for b in [&bytes[..], &bytes[..cut.index(bytes.len() + 1)]] {
            if let Ok(node) = decode(b) {
                prop_assert_eq!(decode(&encode(&node)).unwrap(), node);
            }
        }
    }
}

/// `<action add=VALUE>` with the value's bytes as given.
fn with_value(value: &[u8]) -> Vec<u8> {
    let mut b = vec![0xf8, 0x03, 0x09, 0x0a];
    b.extend_from_slice(value);
    b
}

/// The decoded value of `add`, and its bytes when the node is encoded again.
fn read_value(value: &[u8]) -> (String, Vec<u8>) {
    let node = decode(&with_value(value)).unwrap();
    let text = node.get_attr("add").unwrap().to_owned();
    let out = encode(&node);
    assert_eq!(out[..4], [0xf8, 0x03, 0x09, 0x0a]);
    (text, out[4..].to_vec())
}

#[test]
fn known_answers_for_non_compact_and_special_forms() {
    // Raw "123" is re-encoded nibble-packed.
    assert_eq!(
        read_value(&[0xfc, 0x03, b'1', b'2', b'3']),
        ("123".into(), vec![0xff, 0x82, 0x12, 0x3f])
    );
    // Token 80 reads as c.us, and is written back as 80.
    assert_eq!(read_value(&[0x50]), ("c.us".into(), vec![0x50]));
    // A JID pair whose user is LIST_EMPTY is its server alone: token 80 again.
    assert_eq!(read_value(&[0xfa, 0x00, 0x50]), ("c.us".into(), vec![0x50]));
    // An odd packed string whose padding is not 15 drops it; it is written with 15.
    assert_eq!(read_value(&[0xff, 0x81, 0x12]), ("1".into(), vec![0xff, 0x81, 0x1f]));
    // Hex-packed digits are written nibble-packed; a packed token as the token.
    assert_eq!(read_value(&[0xfb, 0x01, 0x12]), ("12".into(), vec![0xff, 0x01, 0x12]));
    assert_eq!(read_value(&[0xff, 0x82, 0x50, 0x0f]), ("500".into(), vec![0x06]));
    // A BINARY_20 header for 3 bytes is shortened.
    let want = ("abc".into(), vec![0xfc, 0x03, b'a', b'b', b'c']);
    assert_eq!(read_value(&[0xfd, 0x00, 0x00, 0x03, b'a', b'b', b'c']), want);
    // A JID with a raw numeric user: the user is packed.
    let want = ("12@g.us".into(), vec![0xfa, 0xff, 0x01, 0x12, 0x23]);
    assert_eq!(read_value(&[0xfa, 0xfc, 0x02, b'1', b'2', 0x23]), want);
    // A raw JID user of 22 bytes and one of 23 (inline and heap strings) read back whole.
    for user in ["a".repeat(22), "b".repeat(23)] {
        let mut v = vec![0xfa, 0xfc, user.len() as u8];
        v.extend_from_slice(user.as_bytes());
        v.push(0x50);
        assert_eq!(read_value(&v).0, format!("{user}@c.us"));
    }
}

#[test]
fn raw_strings_at_the_end_of_the_input_read_whole() {
    // The last string of a frame has fewer than 22 bytes after it.
    for len in 0..30 {
        let text = "x".repeat(len) + "é";
        let mut bytes = vec![0xf8, 0x03, 0x09, 0x0a, 0xfc, text.len() as u8];
        bytes.extend_from_slice(text.as_bytes());
        assert_eq!(decode(&bytes).unwrap().get_attr("add"), Some(text.as_str()), "{len}");
        // The same string followed by more input.
        let node = Node::new("action").attr("add", text.as_str()).attr("type", "x");
        assert_eq!(decode(&encode(&node)).unwrap(), node);
    }
}

#[test]
fn null_values_and_string_content() {
    // <action add=null type="chat" "c.us"> (string content).
    let bytes = [0xf8, 0x06, 0x09, 0x0a, 0x00, 0x5b, 0x13, 0x50];
    let node = decode(&bytes).unwrap();
    assert_eq!(node.attrs.len(), 1);
    assert_eq!(node.get_attr("add"), None);
    assert_eq!(node.get_attr("type"), Some("chat"));
    assert_eq!(node.content, Content::Bytes(b"c.us".to_vec()));
    let want = [0xf8, 0x04, 0x09, 0x5b, 0x13, 0xfc, 0x04, b'c', b'.', b'u', b's'];
    assert_eq!(encode(&node), want);
}
