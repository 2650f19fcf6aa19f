//! The fast path against the general reader: on every attribute it takes, it must read what
//! the general reader reads, and take exactly the shapes it is meant to.

use super::super::super::tags::{BINARY_8, JID_PAIR, LIST_EMPTY};
use super::super::super::NodeStr;
use super::super::{DecodeError, Decoder};

/// What the general reader makes of the attribute at the start of `bytes`: the pair (`None`
/// for a null value) and the offset after it.
fn general(bytes: &[u8]) -> Result<(Option<(NodeStr, NodeStr)>, usize), DecodeError> {
    let mut d = Decoder::new(bytes);
    let (mut key, mut value) = (NodeStr::EMPTY, NodeStr::EMPTY);
    let present = d.attribute(&mut key, &mut value)?;
    Ok((present.then_some((key, value)), d.offset()))
}

/// What the fast path makes of it, `None` when it declines (then nothing may be consumed).
fn fast(bytes: &[u8]) -> Option<((NodeStr, NodeStr), usize)> {
    let mut d = Decoder::new(bytes);
    let (mut key, mut value) = (NodeStr::EMPTY, NodeStr::EMPTY);
    if d.fast_attribute(&mut key, &mut value) {
        Some(((key, value), d.offset()))
    } else {
        assert_eq!(d.offset(), 0, "declined but consumed: {bytes:02x?}");
        assert!(key.is_empty() && value.is_empty(), "declined but wrote: {bytes:02x?}");
        None
    }
}

/// Checks that the fast path agrees with the general reader on `bytes`, and returns whether
/// it took them.
fn agrees(bytes: &[u8]) -> bool {
    let Some(((key, value), end)) = fast(bytes) else {
        return false;
    };
    let Ok((Some((k, v)), e)) = general(bytes) else {
        panic!("fast path read {key:?}={value:?} where the general one did not: {bytes:02x?}");
    };
    assert_eq!((&key, &value, end), (&k, &v, e), "{bytes:02x?}");
    // Same representation too: a token stays a token, a short string inline.
    assert_eq!((key.token(), value.token()), (k.token(), v.token()), "{bytes:02x?}");
    assert_eq!((key.is_heap(), value.is_heap()), (k.is_heap(), v.is_heap()), "{bytes:02x?}");
    true
}

/// The texts tried as raw strings and JID users: ASCII of every length around the inline
/// capacity, non-ASCII UTF-8, invalid UTF-8, and bytes at the ASCII boundary.
fn texts() -> Vec<Vec<u8>> {
    let mut texts = Vec::new();
    for len in 0..=24 {
        texts.push((0..len).map(|i| b'0' + (i % 10) as u8).collect());
    }
    for (i, odd) in
        [&[0x7f][..], &[0x80], &[0xff], "é".as_bytes(), "€".as_bytes()].into_iter().enumerate()
    {
        for at in [0, 5, 15, 16, 20] {
            let mut t = b"33612345678901234567".to_vec();
            t.truncate(at + i % 2);
            t.extend_from_slice(odd);
            texts.push(t);
        }
    }
    texts
}

/// `bytes` followed by `tail` zero bytes (the fast path needs room after a string).
fn padded(bytes: &[u8], tail: usize) -> Vec<u8> {
    let mut v = bytes.to_vec();
    v.resize(bytes.len() + tail, 0);
    v
}

#[test]
fn token_values() {
    for key in [0u8, 1, 2, 3, 17, 80, 175, 176, 236, 250, 252, 255] {
        for value in [0u8, 1, 2, 3, 17, 80, 175, 176, 236, 247, 248, 255] {
            let took = agrees(&[key, value]);
            let plain = |t: u8| (3..176).contains(&t) && t != 80;
            assert_eq!(took, plain(key) && plain(value), "{key} {value}");
        }
    }
}

#[test]
fn raw_string_values() {
    for text in texts() {
        for tail in [0, 1, 21, 22, 40] {
            let mut bytes = vec![17, BINARY_8, text.len() as u8];
            bytes.extend_from_slice(&text);
            let bytes = padded(&bytes, tail);
            let took = agrees(&bytes);
            let room = bytes.len() >= 3 + 22;
            assert_eq!(took, room && text.len() <= 22 && text.is_ascii(), "{bytes:02x?}");
        }
    }
}

#[test]
fn jid_values() {
    for text in texts() {
        for server in [80u8, 17, LIST_EMPTY, 1, 176, JID_PAIR, BINARY_8] {
            for tail in [0, 1, 22, 40] {
                let mut bytes = vec![17, JID_PAIR, BINARY_8, text.len() as u8];
                bytes.extend_from_slice(&text);
                bytes.push(server);
                let bytes = padded(&bytes, tail);
                let took = agrees(&bytes);
                let server_len = match server {
                    80 => 4,
                    17 => NodeStr::from_token(17).map_or(0, |t| t.len()),
                    _ => 0,
                };
                let fits = server_len > 0 && text.len() + 1 + server_len <= 16;
                let room = bytes.len() >= 4 + 22;
                assert_eq!(took, fits && room && text.is_ascii(), "{bytes:02x?}");
            }
        }
    }
}

#[test]
fn other_shapes_are_left_to_the_general_reader() {
    let tail = [0u8; 40];
    for value in [&[LIST_EMPTY][..], &[JID_PAIR, LIST_EMPTY, 80], &[JID_PAIR, 17, 80], &[0xfd]] {
        let bytes = [&[17], value, &tail].concat();
        assert!(!agrees(&bytes), "{bytes:02x?}");
    }
    // A null key is an error, from the general reader.
    assert!(fast(&[LIST_EMPTY, 17]).is_none());
    assert!(general(&[LIST_EMPTY, 17]).is_err());
}

#[test]
fn a_chat_list_as_baileys_writes_it() {
    // Raw digit strings and JID users, as Baileys 3.5.3 writes them (benches/data/README.md).
    let node = super::super::decode(include_bytes!("../../../../benches/data/chats500.bin"))
        .expect("decodes");
    let chats = node.child_nodes();
    assert_eq!(chats.len(), 500);
    let first: Vec<(&str, &str)> = chats[0].attrs.iter().map(|(k, v)| (&**k, &**v)).collect();
    assert_eq!(
        first,
        [
            ("jid", "33610000000@c.us"),
            ("count", "0"),
            ("t", "1584197869"),
            ("mute", "0"),
            ("modify_tag", "111421"),
            ("spam", "false"),
            ("name", "Contact 0"),
        ]
    );
    for (i, chat) in chats.iter().enumerate() {
        assert_eq!(chat.description, "chat");
        assert_eq!(chat.get_attr("name"), Some(format!("Contact {i}").as_str()));
        assert!(chat.get_attr("jid").is_some_and(|j| j.len() == 16 && j.ends_with("@c.us")));
        assert!(chat.attrs.iter().all(|(k, v)| k.token().is_some() && !v.is_heap()));
    }
}
