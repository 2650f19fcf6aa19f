//! Negative cases for the WABinary decoder (vector B7 of docs/PROTOCOL.md and the rest of docs/PROTOCOL.md):
//! every malformed input fails with its own error variant, at the right offset.

use waweb_proto::binary::decode::MAX_DEPTH;
use waweb_proto::binary::{decode, DecodeError, Node};

fn err(bytes: &[u8]) -> DecodeError {
    decode(bytes).unwrap_err()
}

#[test]
fn list_size_zero_is_an_invalid_node() {
    assert_eq!(err(&[0xf8, 0x00]), DecodeError::InvalidNode { offset: 0, reason: "list size 0" });
    assert!(matches!(err(&[0x00]), DecodeError::InvalidNode { offset: 0, .. }));
}

#[test]
fn stream_end_as_description() {
    assert_eq!(err(&[0xf8, 0x01, 0x02]), DecodeError::StreamEnd { offset: 2 });
}

#[test]
fn stream_end_anywhere() {
    assert_eq!(err(&[0x02]), DecodeError::StreamEnd { offset: 0 });
    assert_eq!(err(&[0xf8, 0x03, 0x09, 0x0a, 0x02]), DecodeError::StreamEnd { offset: 4 });
    assert_eq!(err(&[0xf8, 0x02, 0x09, 0x02]), DecodeError::StreamEnd { offset: 3 });
}

#[test]
fn token_index_1_is_invalid() {
    assert_eq!(err(&[0xf8, 0x01, 0x01]), DecodeError::InvalidToken { index: 1, offset: 2 });
}

#[test]
fn token_index_176_and_above_is_invalid() {
    for index in [176u8, 200, 235] {
        assert_eq!(err(&[0xf8, 0x01, index]), DecodeError::InvalidToken { index, offset: 2 });
    }
    // In an attribute value too.
    assert_eq!(
        err(&[0xf8, 0x03, 0x09, 0x0a, 0xb0]),
        DecodeError::InvalidToken { index: 176, offset: 4 }
    );
}

#[test]
fn double_byte_tokens_are_unused() {
    for tag in 236u8..=239 {
        assert_eq!(err(&[0xf8, 0x01, tag, 0x00]), DecodeError::UnusedDictionary { tag, offset: 2 });
    }
}

#[test]
fn unused_tags_are_unknown() {
    for tag in 240u8..=246 {
        assert_eq!(err(&[0xf8, 0x01, tag]), DecodeError::UnknownTag { tag, offset: 2 });
    }
}

#[test]
fn jid_ad_is_unsupported() {
    let bytes = [0xf8, 0x03, 0x09, 0x2d, 0xf7, 0x00, 0x00, 0xff, 0x81, 0x1f];
    assert_eq!(err(&bytes), DecodeError::UnsupportedJidAd { offset: 4 });
}

#[test]
fn nibbles_12_to_14_are_invalid() {
    for nibble in 12u8..=14 {
        let bytes = [0xf8, 0x03, 0x09, 0x0a, 0xff, 0x01, 0x10 | nibble];
        assert_eq!(err(&bytes), DecodeError::InvalidNibble { nibble, offset: 6 });
    }
    // High nibble, and the padding nibble of an odd-length string.
    assert_eq!(
        err(&[0xf8, 0x03, 0x09, 0x0a, 0xff, 0x02, 0x11, 0xc1]),
        DecodeError::InvalidNibble { nibble: 12, offset: 7 }
    );
    assert_eq!(
        err(&[0xf8, 0x03, 0x09, 0x0a, 0xff, 0x81, 0x1d]),
        DecodeError::InvalidNibble { nibble: 13, offset: 6 }
    );
}

#[test]
fn binary_32_length_beyond_input() {
    assert_eq!(
        err(&[0xf8, 0x02, 0x09, 0xfe, 0xff, 0xff, 0xff, 0xff, 0x00]),
        DecodeError::LengthBeyondInput { needed: 0xffff_ffff, remaining: 1, offset: 3 }
    );
}

#[test]
fn binary_20_length_beyond_input() {
    assert_eq!(
        err(&[0xf8, 0x02, 0x09, 0xfd, 0x0f, 0xff, 0xff, 0x00]),
        DecodeError::LengthBeyondInput { needed: 0xf_ffff, remaining: 1, offset: 3 }
    );
}

#[test]
fn binary_8_length_beyond_input_in_a_string() {
    assert_eq!(
        err(&[0xf8, 0x01, 0xfc, 0x05, b'a']),
        DecodeError::LengthBeyondInput { needed: 5, remaining: 1, offset: 2 }
    );
}

#[test]
fn list_16_length_beyond_input() {
    // As a node's own size...
    assert_eq!(
        err(&[0xf9, 0xff, 0xff, 0x09]),
        DecodeError::LengthBeyondInput { needed: 0xffff, remaining: 1, offset: 0 }
    );
    // ...and as a child count (each child takes at least three bytes).
    assert_eq!(
        err(&[0xf8, 0x02, 0x09, 0xf9, 0x01, 0x00, 0xf8, 0x01, 0x09]),
        DecodeError::LengthBeyondInput { needed: 768, remaining: 3, offset: 3 }
    );
}

#[test]
fn packed_length_beyond_input() {
    assert_eq!(
        err(&[0xf8, 0x03, 0x09, 0x0a, 0xff, 0x7f, 0x11]),
        DecodeError::LengthBeyondInput { needed: 127, remaining: 1, offset: 4 }
    );
}

#[test]
fn truncated_inputs() {
    assert_eq!(err(&[]), DecodeError::Truncated { offset: 0 });
    assert_eq!(err(&[0xf8]), DecodeError::Truncated { offset: 1 });
    assert_eq!(err(&[0xf9, 0x00]), DecodeError::Truncated { offset: 2 });
    assert_eq!(err(&[0xf8, 0x02, 0x09, 0xfe, 0x00]), DecodeError::Truncated { offset: 5 });
    assert_eq!(err(&[0xf8, 0x03, 0x09, 0x0a, 0xff]), DecodeError::Truncated { offset: 5 });
    // Each item fits the declared size check, but a JID pair needs two more tags.
    assert_eq!(err(&[0xf8, 0x03, 0x09, 0x2d, 0xfa]), DecodeError::Truncated { offset: 5 });
}

#[test]
fn nesting_is_bounded() {
    fn nested(levels: usize) -> Vec<u8> {
        let mut bytes = Vec::new();
        for _ in 1..levels {
            bytes.extend_from_slice(&[0xf8, 0x02, 0x09, 0xf8, 0x01]);
        }
        bytes.extend_from_slice(&[0xf8, 0x01, 0x09]);
        bytes
    }
    let ok = decode(&nested(MAX_DEPTH)).unwrap();
    assert_eq!(ok.child_nodes().len(), 1);
    assert_eq!(err(&nested(MAX_DEPTH + 1)), DecodeError::TooDeep { offset: 5 * MAX_DEPTH });
    // Far deeper input fails the same way instead of exhausting the stack.
    assert!(matches!(err(&nested(100_000)), DecodeError::TooDeep { .. }));
}

#[test]
fn invalid_list_tag() {
    assert_eq!(err(&[0x09]), DecodeError::InvalidListTag { tag: 0x09, offset: 0 });
    assert_eq!(err(&[0xfc, 0x00]), DecodeError::InvalidListTag { tag: 0xfc, offset: 0 });
    // A child list entry that is not a list.
    assert_eq!(
        err(&[0xf8, 0x02, 0x09, 0xf8, 0x01, 0x34, 0x00, 0x00]),
        DecodeError::InvalidListTag { tag: 0x34, offset: 5 }
    );
}

#[test]
fn list_where_a_string_is_expected() {
    assert_eq!(
        err(&[0xf8, 0x01, 0xf8, 0x01]),
        DecodeError::UnexpectedList { tag: 0xf8, offset: 2 }
    );
    assert_eq!(
        err(&[0xf8, 0x03, 0x09, 0x0a, 0xf9, 0x00, 0x01]),
        DecodeError::UnexpectedList { tag: 0xf9, offset: 4 }
    );
}

#[test]
fn invalid_utf8_in_a_string() {
    assert_eq!(err(&[0xf8, 0x01, 0xfc, 0x01, 0xff]), DecodeError::InvalidUtf8 { offset: 2 });
    assert_eq!(
        err(&[0xf8, 0x03, 0x09, 0x0a, 0xfc, 0x02, 0xc3, 0x28]),
        DecodeError::InvalidUtf8 { offset: 4 }
    );
}

#[test]
fn invalid_utf8_is_fine_as_byte_content() {
    let node = decode(&[0xf8, 0x02, 0x34, 0xfc, 0x01, 0xff]).unwrap();
    assert_eq!(node, Node::new("message").bytes(vec![0xff]));
}

#[test]
fn trailing_bytes() {
    assert_eq!(err(&[0xf8, 0x01, 0x09, 0x00]), DecodeError::TrailingBytes { offset: 3 });
}

#[test]
fn null_or_empty_description() {
    assert_eq!(
        err(&[0xf8, 0x01, 0x00]),
        DecodeError::InvalidNode { offset: 2, reason: "null description" }
    );
    assert_eq!(
        err(&[0xf8, 0x01, 0xfc, 0x00]),
        DecodeError::InvalidNode { offset: 2, reason: "empty description" }
    );
}

#[test]
fn null_attribute_key() {
    assert_eq!(
        err(&[0xf8, 0x03, 0x09, 0x00, 0x5a]),
        DecodeError::InvalidNode { offset: 3, reason: "null attribute key" }
    );
}

#[test]
fn malformed_jid_pairs() {
    assert_eq!(
        err(&[0xf8, 0x03, 0x09, 0x2d, 0xfa, 0xff, 0x81, 0x1f, 0x00]),
        DecodeError::InvalidJid { offset: 8, reason: "null server" }
    );
    assert_eq!(
        err(&[0xf8, 0x03, 0x09, 0x2d, 0xfa, 0xfa, 0x00, 0x50, 0x50]),
        DecodeError::InvalidJid { offset: 5, reason: "nested JID pair" }
    );
    assert_eq!(
        err(&[0xf8, 0x03, 0x09, 0x2d, 0xfa, 0x50, 0xfa, 0x00, 0x50]),
        DecodeError::InvalidJid { offset: 6, reason: "nested JID pair" }
    );
}

#[test]
fn baileys_list_16_bug_is_rejected() {
    // Baileys 3.5.3 writes a 300-child list as `f9` plus one byte (300 & 0xff = 0x2c).
    let mut bytes = vec![0xf8, 0x02, 0x09, 0xf9, 0x2c];
    for _ in 0..300 {
        bytes.extend_from_slice(&[0xf8, 0x01, 0x34]);
    }
    assert!(decode(&bytes).is_err());
}
