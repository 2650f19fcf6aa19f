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
