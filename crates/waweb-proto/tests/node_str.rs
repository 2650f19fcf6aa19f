//! Property tests for [`NodeStr`]: whatever its representation (token, inline, heap), it holds
//! the same text as the `str` it came from and compares, orders and hashes like that `str`.

use std::collections::hash_map::DefaultHasher;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};

use proptest::prelude::*;
use waweb_proto::binary::node_str::INLINE_CAP;
use waweb_proto::binary::{decode, encode, tokens, Node, NodeStr};

/// Strings around the inline capacity, tokens, non-ASCII text and long text.
fn text() -> impl Strategy<Value = String> {
    let token = (3u8..176).prop_map(|i| tokens::token(i).unwrap_or_default().to_owned());
    prop_oneof![
        2 => token,
        2 => "[0-9]{0,30}",
        2 => "\\PC{0,12}",
        1 => "[a-z]{21,24}",
        1 => any::<String>(),
        1 => "\\PC{20,80}",
    ]
}

fn hash_of<T: Hash + ?Sized>(t: &T) -> u64 {
    let mut h = DefaultHasher::new();
    t.hash(&mut h);
    h.finish()
}

/// The three ways to make a `NodeStr` of `s`: from `&str`, from `String`, and (for a token)
/// from its dictionary index.
fn forms(s: &str) -> Vec<NodeStr> {
    let mut v = vec![NodeStr::from(s), NodeStr::from(s.to_owned())];
    if let Some(i) = tokens::index_of(s) {
        v.push(NodeStr::from_token(i).unwrap());
    }
    v
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn holds_the_text_it_was_made_from(s in text()) {
        for n in forms(&s) {
            prop_assert_eq!(n.as_str(), s.as_str());
            prop_assert_eq!(n.as_bytes(), s.as_bytes());
            prop_assert_eq!(n.len(), s.len());
            prop_assert_eq!(n.is_heap(), s.len() > INLINE_CAP && n.token().is_none());
            prop_assert_eq!(n.to_string(), s.clone());
            prop_assert_eq!(format!("{n:?}"), format!("{s:?}"));
            prop_assert_eq!(String::from(n.clone()), s.clone());
            prop_assert_eq!(&*n.clone(), s.as_str());
        }
    }

    #[test]
    fn compares_like_str(a in text(), b in text()) {
        for (x, y) in forms(&a).iter().zip(forms(&b).iter().rev()) {
            prop_assert_eq!(x == y, a == b);
            prop_assert_eq!(x.cmp(y), a.cmp(&b));
            prop_assert_eq!(x == b.as_str(), a == b);
            prop_assert_eq!(*x == b, a == b);
            prop_assert_eq!(a.as_str() == *y, a == b);
            prop_assert_eq!(hash_of(x), hash_of(a.as_str()));
        }
    }

    #[test]
    fn finds_str_keys_in_maps(keys in proptest::collection::vec(text(), 1..8)) {
        let map: HashMap<NodeStr, usize> =
            keys.iter().enumerate().map(|(i, k)| (NodeStr::from(k.as_str()), i)).collect();
        for k in &keys {
            let last = keys.iter().rposition(|x| x == k);
            prop_assert_eq!(map.get(k.as_str()).copied(), last);
        }
    }

    #[test]
    fn serde_round_trip(s in text()) {
        let n = NodeStr::from(s.as_str());
        let json = serde_json::to_string(&n).unwrap();
        prop_assert_eq!(&json, &serde_json::to_string(&s).unwrap());
        prop_assert_eq!(serde_json::from_str::<NodeStr>(&json).unwrap(), n);
    }

    #[test]
    fn every_form_encodes_alike(k in text(), v in text()) {
        prop_assume!(!k.is_empty());
        let reference = encode(&Node::new(k.as_str()).attr(k.as_str(), v.as_str()));
        for (fk, fv) in forms(&k).into_iter().zip(forms(&v)) {
            let node = Node::new(fk.clone()).attr(fk, fv);
            prop_assert_eq!(&encode(&node), &reference);
        }
        // A decoded node holds its tokens as indices; it re-encodes to the same bytes.
        if !k.contains("s.whatsapp.net") && !v.contains("s.whatsapp.net") {
            let decoded = decode(&reference).unwrap();
            prop_assert_eq!(encode(&decoded), reference);
        }
    }
}

#[test]
fn stores_by_length() {
    assert!(!NodeStr::from("a".repeat(INLINE_CAP)).is_heap());
    let long = NodeStr::from("a".repeat(INLINE_CAP + 1));
    assert!(long.is_heap());
    assert_eq!(long, "a".repeat(INLINE_CAP + 1));
    assert_eq!(NodeStr::EMPTY, "");
    assert!(NodeStr::default().is_empty());
}

#[test]
fn tokens_read_as_their_text() {
    let t = NodeStr::from_token(80).unwrap();
    assert_eq!((t.as_str(), t.len(), t.token()), ("s.whatsapp.net", 14, Some(80)));
    assert_eq!(NodeStr::from_token(2), None);
    assert_eq!(NodeStr::from_token(176), None);
    assert_eq!(NodeStr::from("action").token(), None);
}

#[test]
fn concat_inline_and_on_the_heap() {
    let user = NodeStr::from("33612345678");
    let jid = NodeStr::concat(&user, '@', &NodeStr::from("c.us"));
    assert_eq!((jid.as_str(), jid.is_heap()), ("33612345678@c.us", false));
    let group = NodeStr::concat(&NodeStr::from("33612345678-1509911919"), '@', &jid);
    assert_eq!(group, "33612345678-1509911919@33612345678@c.us");
    assert!(group.is_heap());
    let sep = NodeStr::concat(&NodeStr::EMPTY, '\u{e9}', &NodeStr::EMPTY);
    assert_eq!(sep, "\u{e9}");
}

#[test]
fn serde_as_a_plain_string() {
    let s = NodeStr::from_token(9).unwrap();
    assert_eq!(serde_json::to_string(&s).unwrap(), r#""action""#);
    let back: NodeStr = serde_json::from_str(r#""1@c.us""#).unwrap();
    assert_eq!(back, "1@c.us");
    let long: NodeStr = serde_json::from_str(&format!("{:?}", "\u{e9}".repeat(30))).unwrap();
    assert_eq!(long, "\u{e9}".repeat(30));
}

#[test]
fn decoded_strings_are_tokens_inline_or_heap() {
    // <chat jid="33612345678@c.us" name="<30 letters>" type="chat"/> as the server writes it.
    let name = "n".repeat(30);
    let node = Node::new("chat").attr("jid", "33612345678@c.us").attr("name", name.as_str());
    let node = decode(&encode(&node.attr("type", "chat"))).unwrap();
    assert_eq!(node.description.token(), tokens::index_of("chat"));
    let [(jid_key, jid), (_, long), (_, chat)] = &node.attrs[..] else { panic!("{node:?}") };
    assert_eq!(
        (jid_key.token(), jid.token(), jid.is_heap()),
        (tokens::index_of("jid"), None, false)
    );
    assert_eq!(jid, "33612345678@c.us");
    assert!(long.is_heap());
    assert_eq!(long, &name);
    assert_eq!(chat.token(), tokens::index_of("chat"));
}
