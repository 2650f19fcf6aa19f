//! Property tests for the `WebMessageInfo` envelope edits the server makes: whatever the message, the
//! copies it stores and the bytes it serves keep the content and every field the server does
//! not own byte for byte, and carry exactly the key, time, status, star, push name and (in a
//! group) sender it set.

use proptest::prelude::*;
use waweb_proto::message::envelope;
use waweb_proto::message::{self, WebMessageInfo, WebMessageInfoStatus};

fn jid() -> impl Strategy<Value = String> {
    "[0-9]{6,13}@s\\.whatsapp\\.net"
}

/// A text message as a client relays it, with optional fields the server rewrites set or not,
/// and the bytes of unknown top-level fields (numbers 100–120, length-delimited) to append.
fn relayed() -> impl Strategy<Value = (WebMessageInfo, Vec<u8>)> {
    let unknown =
        prop::collection::vec((100u32..120, prop::collection::vec(any::<u8>(), 0..8)), 0..3);
    (
        jid(),
        "[0-9A-F]{12,20}",
        ".{0,40}",
        any::<u32>(),
        prop::option::of(0i32..6),
        prop::option::of(any::<bool>()),
        prop::option::of(".{0,12}"),
        unknown,
    )
        .prop_map(|(to, id, text, t, status, starred, push_name, unknown)| {
            let mut info = message::extended_text_message(&to, true, &id, &text, u64::from(t));
            info.status = status;
            info.starred = starred;
            info.push_name = push_name;
            // The server writes fields in number order (stable for repeated ones), as protobuf
            // libraries do: so the bytes it keeps end with these, sorted that way.
            let mut unknown = unknown;
            unknown.sort_by_key(|(number, _)| *number);
            let mut extra = Vec::new();
            for (number, bytes) in unknown {
                push_varint(&mut extra, u64::from(number << 3 | 2));
                push_varint(&mut extra, bytes.len() as u64);
                extra.extend(bytes);
            }
            (info, extra)
        })
}

fn push_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

proptest! {
    #[test]
    fn served_sets_only_status_and_star((info, extra) in relayed(), from_me: bool,
                                        status in 0i32..6, starred: bool) {
        let mut bytes = message::encode(&info);
        bytes.extend(&extra);
        let status = WebMessageInfoStatus::try_from(status).unwrap();
        let served = envelope::served(&bytes, from_me, status, starred);
        let back = message::decode(&served).unwrap();
        prop_assert_eq!(back.status, from_me.then_some(status as i32));
        prop_assert_eq!(back.starred, starred.then_some(true));
        prop_assert_eq!(&back.message, &info.message);
        prop_assert_eq!(&back.key, &info.key);
        prop_assert_eq!(back.push_name, info.push_name);
        prop_assert!(served.ends_with(&extra), "unknown fields kept, last");
    }

    #[test]
    fn the_two_stored_copies_carry_what_the_server_decided((info, extra) in relayed(),
                                                          sender in jid(), t: u32) {
        let mut bytes = message::encode(&info);
        bytes.extend(&extra);
        let id = info.key.as_ref().and_then(|k| k.id.clone()).unwrap();
        let to = info.key.as_ref().and_then(|k| k.remote_jid.clone()).unwrap();
        let t = u64::from(t);

        let sent = envelope::sender_copy(&bytes, &to, &id, t, WebMessageInfoStatus::ServerAck).unwrap();
        prop_assert!(sent.ends_with(&extra), "unknown fields kept, last");
        let sent = message::decode(&sent).unwrap();
        prop_assert_eq!(sent.key.clone().and_then(|k| k.from_me), Some(true));
        prop_assert_eq!((sent.message_timestamp, sent.status), (Some(t), Some(2)));
        prop_assert_eq!(&sent.message, &info.message);

        let got = envelope::recipient_copy(&bytes, &sender, &id, t, "Ann").unwrap();
        prop_assert!(got.ends_with(&extra));
        let got = message::decode(&got).unwrap();
        let key = got.key.clone().unwrap();
        prop_assert_eq!((key.remote_jid, key.from_me, key.id), (Some(sender), Some(false), Some(id)));
        prop_assert_eq!((got.status, got.push_name.as_deref()), (None, Some("Ann")));
        prop_assert_eq!(&got.message, &info.message);
    }

    #[test]
    fn a_group_copy_names_the_group_and_its_sender((info, extra) in relayed(), sender in jid(),
                                                  t: u32) {
        let mut bytes = message::encode(&info);
        bytes.extend(&extra);
        let id = info.key.as_ref().and_then(|k| k.id.clone()).unwrap();
        let group = "15550000001-1700000000@g.us";
        let got = envelope::group_copy(&bytes, group, &sender, &id, u64::from(t), "Ann").unwrap();
        prop_assert!(got.ends_with(&extra));
        let got = message::decode(&got).unwrap();
        let key = got.key.clone().unwrap();
        prop_assert_eq!(key.remote_jid.as_deref(), Some(group));
        prop_assert_eq!((key.from_me, key.id), (Some(false), Some(id)));
        prop_assert_eq!(key.participant.as_ref(), Some(&sender));
        prop_assert_eq!(got.participant.as_ref(), Some(&sender));
        prop_assert_eq!((got.status, got.push_name.as_deref()), (None, Some("Ann")));
        prop_assert_eq!(got.message_timestamp, Some(u64::from(t)));
        prop_assert_eq!(&got.message, &info.message);
    }
}

proptest! {
    #[test]
    fn any_bytes_are_refused_or_patched_never_a_panic(
        bytes in prop::collection::vec(any::<u8>(), 0..64),
    ) {
        let served = envelope::served(&bytes, true, WebMessageInfoStatus::DeliveryAck, false);
        match envelope::split(&bytes) {
            None => {
                prop_assert_eq!(&served, &bytes, "malformed bytes are served unchanged");
                prop_assert!(envelope::sender_copy(&bytes, "1@s.whatsapp.net", "X", 1, WebMessageInfoStatus::ServerAck).is_none());
            }
            Some(_) => {
                prop_assert!(envelope::split(&served).is_some());
                let copy = envelope::sender_copy(&bytes, "1@s.whatsapp.net", "X", 1, WebMessageInfoStatus::ServerAck);
                prop_assert!(copy.as_deref().and_then(envelope::split).is_some());
            }
        }
    }
}
