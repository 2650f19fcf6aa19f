//! Property tests: any WebMessageInfo with a text, extended-text, image or location content
//! survives encode → decode unchanged, and `text()` finds the text it was built with.

use proptest::prelude::*;
use waweb_proto::message::{
    self, ContextInfo, ExtendedTextMessage, ImageMessage, LocationMessage, Message, MessageKey,
    ProtoMessage, WebMessageInfo,
};

fn jid() -> impl Strategy<Value = String> {
    "[0-9]{6,13}@(s\\.whatsapp\\.net|g\\.us)"
}

fn opt_bytes(max: usize) -> impl Strategy<Value = Option<Vec<u8>>> {
    prop::option::of(prop::collection::vec(any::<u8>(), 0..max))
}

fn any_key() -> impl Strategy<Value = MessageKey> {
    (jid(), any::<bool>(), "[0-9A-F]{12,32}", prop::option::of(jid())).prop_map(
        |(remote_jid, from_me, id, participant)| MessageKey {
            remote_jid: Some(remote_jid),
            from_me: Some(from_me),
            id: Some(id),
            participant,
        },
    )
}

fn any_context() -> impl Strategy<Value = Option<ContextInfo>> {
    prop::option::of(
        (
            prop::option::of("[0-9A-F]{12}"),
            prop::collection::vec(jid(), 0..3),
            prop::option::of(any::<bool>()),
        )
            .prop_map(|(stanza_id, mentioned_jid, is_forwarded)| ContextInfo {
                stanza_id,
                mentioned_jid,
                is_forwarded,
                quoted_message: Some(Box::new(Message {
                    conversation: Some("quoted".into()),
                    ..Default::default()
                })),
                ..Default::default()
            }),
    )
}

fn any_content() -> impl Strategy<Value = Message> {
    let text = ".{0,40}".prop_map(|t| Message { conversation: Some(t), ..Default::default() });
    let extended =
        (".{0,40}", prop::option::of(".{0,20}"), any_context()).prop_map(|(t, title, ctx)| {
            Message {
                extended_text_message: Some(Box::new(ExtendedTextMessage {
                    text: Some(t),
                    title,
                    context_info: ctx.map(Box::new),
                    ..Default::default()
                })),
                ..Default::default()
            }
        });
    let image = (
        prop::option::of("https://[a-z]{3,8}\\.example/[a-z0-9]{4,10}"),
        prop::option::of(".{0,20}"),
        opt_bytes(33),
        prop::option::of(any::<u64>()),
        opt_bytes(33),
        opt_bytes(64),
        (prop::option::of(any::<u32>()), prop::option::of(any::<u32>())),
    )
        .prop_map(|(url, caption, sha, len, key, thumb, (h, w))| Message {
            image_message: Some(Box::new(ImageMessage {
                url,
                mimetype: Some("image/jpeg".into()),
                caption,
                file_sha256: sha,
                file_length: len,
                media_key: key,
                jpeg_thumbnail: thumb,
                height: h,
                width: w,
                ..Default::default()
            })),
            ..Default::default()
        });
    let location = (
        -90.0f64..90.0,
        -180.0f64..180.0,
        prop::option::of(".{0,20}"),
        prop::option::of(any::<u32>()),
    )
        .prop_map(|(lat, lon, name, acc)| Message {
            location_message: Some(Box::new(LocationMessage {
                degrees_latitude: Some(lat),
                degrees_longitude: Some(lon),
                name,
                accuracy_in_meters: acc,
                ..Default::default()
            })),
            ..Default::default()
        });
    prop_oneof![text, extended, image, location]
}

prop_compose! {
    fn any_info()(
        key in any_key(),
        content in any_content(),
        ts in any::<u64>(),
        status in prop::option::of(0i32..=5),
        push_name in prop::option::of(".{0,16}"),
        participant in prop::option::of(jid()),
        starred in prop::option::of(any::<bool>()),
    ) -> WebMessageInfo {
        WebMessageInfo {
            key: Some(key),
            message: Some(content),
            message_timestamp: Some(ts),
            status,
            push_name,
            participant,
            starred,
            ..Default::default()
        }
    }
}

proptest! {
    #[test]
    fn web_message_info_round_trips(info in any_info()) {
        let bytes = message::encode(&info);
        let back = message::decode(&bytes).unwrap();
        prop_assert_eq!(&back, &info);
        prop_assert_eq!(back.encode_to_vec(), bytes);
    }

    #[test]
    fn text_helpers_agree(text in ".{0,60}", from_me in any::<bool>(), ts in any::<u64>()) {
        for info in [
            message::text_message("1@s.whatsapp.net", from_me, "ID", &text, ts),
            message::extended_text_message("1@s.whatsapp.net", from_me, "ID", &text, ts),
        ] {
            let back = WebMessageInfo::decode(info.encode_to_vec().as_slice()).unwrap();
            prop_assert_eq!(back.text(), Some(text.as_str()));
            prop_assert_eq!(back.status.is_some(), from_me);
        }
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
        let _ = message::decode(&bytes);
    }
}
