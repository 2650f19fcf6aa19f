//! The borrowed node view against the owned codec: for random nodes, random and mutated bytes,
//! and nodes written in every legal non-compact form, `decode_view` gives exactly what `decode`
//! gives (the same node, or the same error) and `encode_view` exactly what `encode` writes;
//! plus known answers and the navigation API.

use proptest::prelude::*;
use waweb_proto::binary::encode::try_encode;
use waweb_proto::binary::view::{decode_view, encode_view, ContentRef, StrForm};
use waweb_proto::binary::{decode, encode, Node};

#[path = "support/node_strategies.rs"]
mod strategies;
use strategies::{leaf, node};

/// Bytes made mostly of tag bytes and small lengths, after a node header.
fn tag_soup() -> impl Strategy<Value = Vec<u8>> {
    let byte = prop_oneof![
        3 => any::<u8>(),
        4 => prop::sample::select(vec![
            0u8, 1, 2, 3, 9, 10, 80, 175, 176, 236, 240, 247, 248, 249, 250, 251, 252, 253, 254,
            255,
        ]),
        3 => 0u8..8,
        2 => prop::sample::select(vec![0x12u8, 0x3f, 0x1f, 0xab, 0xcd, 0xef, 0xff, 0x81, 0x82]),
    ];
    (1u8..12, proptest::collection::vec(byte, 0..64)).prop_map(|(size, body)| {
        let mut v = vec![0xf8, size];
        v.extend(body);
        v
    })
}

#[path = "support/loose_writer.rs"]
mod loose;

/// `decode_view` and `decode` agree exactly on `b`; when they succeed, `encode_view` writes
/// what `encode` writes for the decoded node.
fn assert_agree(b: &[u8]) -> Result<(), TestCaseError> {
    match (decode(b), decode_view(b)) {
        (Ok(node), Ok(tree)) => {
            prop_assert_eq!(&tree.to_node(), &node);
            // Any node of the tree encodes as its owned form does.
            for (view, owned) in tree.root().children().zip(node.child_nodes()) {
                prop_assert_eq!(encode_view(view), try_encode(owned));
            }
            let want = try_encode(&node);
            prop_assert_eq!(encode_view(tree.root()), want.clone());
            if tree.root().is_compact() {
                prop_assert_eq!(Ok(b.to_vec()), want);
            }
        }
        (Err(a), Err(v)) => prop_assert_eq!(a, v),
        (owned, view) => prop_assert!(false, "decode {:?} but decode_view {:?}", owned, view),
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn view_of_an_encoding_is_the_node_and_re_encodes_as_a_copy(n in node()) {
        let bytes = encode(&n);
        let tree = decode_view(&bytes).unwrap();
        prop_assert_eq!(tree.to_node(), n);
        // What the encoder writes is compact, so the view is copied as is.
        prop_assert!(tree.root().is_compact());
        prop_assert_eq!(encode_view(tree.root()).unwrap(), bytes);
    }

    #[test]
    fn loose_encodings_decode_and_re_encode_as_the_owned_codec(
        n in node(),
        seed in any::<u64>(),
    ) {
        let bytes = loose::write(&n, seed);
        prop_assert_eq!(&decode(&bytes).unwrap(), &n);
        assert_agree(&bytes)?;
    }

    #[test]
    fn agrees_with_decode_on_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        assert_agree(&bytes)?;
    }

    #[test]
    fn agrees_with_decode_on_tag_soup(bytes in tag_soup()) {
        assert_agree(&bytes)?;
    }

    #[test]
    fn agrees_with_decode_on_mutated_nodes(
        n in leaf(),
        seed in any::<u64>(),
        flips in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..4),
        cut in any::<prop::sample::Index>(),
    ) {
        for mut bytes in [encode(&n), loose::write(&n, seed)] {
            for (at, b) in &flips {
                let i = at.index(bytes.len());
                bytes[i] = *b;
            }
            assert_agree(&bytes)?;
            assert_agree(&bytes[..cut.index(bytes.len() + 1)])?;
        }
    }
}

/// `<action add=VALUE>` with the value's bytes as given.
fn with_value(value: &[u8]) -> Vec<u8> {
    let mut b = vec![0xf8, 0x03, 0x09, 0x0a];
    b.extend_from_slice(value);
    b
}

/// The view's value of `add`, its form, and the re-encoded value bytes.
fn read_value(value: &[u8]) -> (String, StrForm, Vec<u8>) {
    let bytes = with_value(value);
    assert_agree(&bytes).unwrap();
    let tree = decode_view(&bytes).unwrap();
    let v = tree.root().get_attr("add").unwrap();
    let out = encode_view(tree.root()).unwrap();
    assert_eq!(out[..4], bytes[..4]);
    (v.to_string(), v.form(), out[4..].to_vec())
}

#[test]
fn known_answers_for_non_compact_and_special_forms() {
    // Raw "123" is re-encoded nibble-packed.
    let want = ("123".to_owned(), StrForm::Raw, vec![0xff, 0x82, 0x12, 0x3f]);
    assert_eq!(read_value(&[0xfc, 0x03, b'1', b'2', b'3']), want);
    // Token 80 reads as c.us, and is written back as 80.
    assert_eq!(read_value(&[0x50]), ("c.us".to_owned(), StrForm::Token(80), vec![0x50]));
    // A JID pair whose user is LIST_EMPTY is its server alone: token 80 again.
    assert_eq!(read_value(&[0xfa, 0x00, 0x50]), ("c.us".to_owned(), StrForm::Jid, vec![0x50]));
    // An odd packed string whose padding is not 15 drops it; it is written with 15.
    let want = ("1".to_owned(), StrForm::Nibble, vec![0xff, 0x81, 0x1f]);
    assert_eq!(read_value(&[0xff, 0x81, 0x12]), want);
    // Hex-packed digits are written nibble-packed; a packed token as the token.
    let want = ("12".to_owned(), StrForm::Hex, vec![0xff, 0x01, 0x12]);
    assert_eq!(read_value(&[0xfb, 0x01, 0x12]), want);
    assert_eq!(
        read_value(&[0xff, 0x82, 0x50, 0x0f]),
        ("500".to_owned(), StrForm::Nibble, vec![0x06])
    );
    // A BINARY_20 header for 3 bytes is shortened.
    let want = ("abc".to_owned(), StrForm::Raw, vec![0xfc, 0x03, b'a', b'b', b'c']);
    assert_eq!(read_value(&[0xfd, 0x00, 0x00, 0x03, b'a', b'b', b'c']), want);
    // A JID with a raw numeric user: the user is packed.
    let want = ("12@g.us".to_owned(), StrForm::Jid, vec![0xfa, 0xff, 0x01, 0x12, 0x23]);
    assert_eq!(read_value(&[0xfa, 0xfc, 0x02, b'1', b'2', 0x23]), want);
}

#[test]
fn null_values_and_string_content_follow_the_decoder() {
    // <action add=null type="chat" "c.us"> (string content).
    let bytes = [0xf8, 0x06, 0x09, 0x0a, 0x00, 0x5b, 0x13, 0x50];
    assert_agree(&bytes).unwrap();
    let tree = decode_view(&bytes).unwrap();
    let root = tree.root();
    assert_eq!(root.attrs().len(), 1);
    assert!(root.get_attr("add").is_none());
    assert_eq!(root.get_attr("type").unwrap(), "chat");
    assert!(matches!(root.content(), ContentRef::Text(s) if s == "c.us"));
    assert_eq!(root.content_bytes().as_deref(), Some(&b"c.us"[..]));
    assert!(!root.is_compact());
    let want = [0xf8, 0x04, 0x09, 0x5b, 0x13, 0xfc, 0x04, b'c', b'.', b'u', b's'];
    assert_eq!(encode_view(root).unwrap(), want);
}

#[test]
fn errors_are_the_decoders() {
    let cases: [&[u8]; 9] = [
        &[],
        &[0xf8, 0x02, 0x09],
        &[0xf8, 0x03, 0x09, 0x0a, 0xff, 0x01, 0xc1],
        &[0xf8, 0x03, 0x09, 0x0a, 0xfa, 0xfa, 0x00, 0x50, 0x50],
        &[0xf8, 0x03, 0x09, 0x0a, 0xfa, 0x03, 0x00],
        &[0xf8, 0x01, 0x09, 0x00],
        &[0xf8, 0x01, 0xfc, 0x00],
        &[0xf8, 0x03, 0x09, 0x00, 0x0a],
        &[0xf8, 0x02, 0x09, 0xf8, 0xff],
    ];
    for b in cases {
        let (owned, view) = (decode(b), decode_view(b));
        assert!(owned.is_err(), "{b:02x?}");
        assert_eq!(owned.unwrap_err(), view.unwrap_err(), "{b:02x?}");
    }
}

#[test]
fn navigation() {
    let node = Node::new("response").attr("type", "chat").children(vec![
        Node::new("chat").attr("jid", "1@c.us").attr("count", "3"),
        Node::new("chat").attr("jid", "2@g.us").attr("name", "Family"),
        Node::new("message").bytes(b"\x01\x02".to_vec()),
    ]);
    let bytes = encode(&node);
    let tree = decode_view(&bytes).unwrap();
    let root = tree.root();
    assert_eq!(tree.node_count(), 4);
    assert_eq!(root.description(), "response");
    assert_eq!(root.children().len(), 3);
    let second = root.child(1).unwrap();
    assert_eq!(second.get_attr("jid").unwrap(), "2@g.us");
    assert_eq!(second.get_attr("name").unwrap().as_str(), Some("Family"));
    let (user, server) = second.get_attr("jid").unwrap().jid_parts().unwrap();
    assert_eq!((user.unwrap().to_string(), server.form()), ("2".to_owned(), StrForm::Token(35)));
    let keys: Vec<String> = root.child(0).unwrap().attrs().map(|(k, _)| k.to_string()).collect();
    assert_eq!(keys, ["jid", "count"]);
    assert!(root.child(3).is_none());
    let message = root.find_child("message").unwrap();
    assert_eq!(message.content_bytes().as_deref(), Some(&[1u8, 2][..]));
    assert_eq!(decode(message.raw()).unwrap(), node.child_nodes()[2]);
    assert_eq!(second.to_node(), node.child_nodes()[1]);
    let descriptions: Vec<String> =
        root.children().rev().map(|c| c.description().to_string()).collect();
    assert_eq!(descriptions, ["message", "chat", "chat"]);
    assert!(root.content_bytes().is_none() && second.children().next().is_none());
}
