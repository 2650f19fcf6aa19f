//! Proptest strategies for WABinary nodes, shared by the codec's property tests: strings of
//! every shape the encoder treats differently, byte content, and nested nodes.

use proptest::prelude::*;
use waweb_proto::binary::{tokens, Content, Node};

/// Strings of every shape the encoder treats differently. `s.whatsapp.net` is left out: it is
/// written as the token that reads back as `c.us` (tested separately).
pub fn string() -> impl Strategy<Value = String> {
    let token = (3u8..176).prop_map(|i| tokens::token(i).unwrap_or_default().to_owned());
    prop_oneof![
        4 => token,
        3 => "[0-9]{1,20}",
        1 => "[0-9.-]{0,260}",
        2 => "[0-9A-F]{1,40}",
        1 => "[0-9A-F]{250,256}",
        1 => "[0-9a-f]{1,12}",
        3 => "[0-9]{6,15}@(c\\.us|g\\.us|broadcast)",
        1 => "[0-9]{6,15}-[0-9]{10}@g\\.us",
        1 => "([A-Fa-z0-9]{1,8}|status|c\\.us|200)@(c\\.us|[a-z.@]{0,6})",
        1 => "@[a-z]{0,4}",
        1 => "[0-9A-F\\x00]{1,6}",
        1 => Just(String::new()),
        1 => Just("c.us".to_owned()),
        3 => any::<String>(),
        2 => "\\PC{0,300}",
    ]
    .prop_filter("no s.whatsapp.net", |s| !s.contains("s.whatsapp.net"))
}

pub fn description() -> impl Strategy<Value = String> {
    string().prop_filter("non-empty", |s| !s.is_empty())
}

pub fn bytes() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        200 => proptest::collection::vec(any::<u8>(), 0..300),
        1 => (0usize..3, any::<u8>()).prop_map(|(extra, b)| vec![b; (1 << 20) - 1 + extra]),
    ]
}

pub fn leaf() -> impl Strategy<Value = Node> {
    let attrs = proptest::collection::vec((string(), string()), 0..5);
    let content = prop_oneof![Just(Content::None), bytes().prop_map(Content::Bytes)];
    (description(), attrs, content).prop_map(|(description, attrs, content)| Node {
        description: description.into(),
        attrs: attrs.into_iter().map(|(k, v)| (k.into(), v.into())).collect(),
        content,
    })
}

pub fn node() -> impl Strategy<Value = Node> {
    leaf().prop_recursive(3, 48, 8, |inner| {
        let children = prop_oneof![
            20 => proptest::collection::vec(inner, 0..8),
            1 => proptest::collection::vec(leaf(), 250..300),
        ];
        (leaf(), children).prop_map(|(mut n, children)| {
            n.content = Content::Nodes(children);
            n
        })
    })
}
