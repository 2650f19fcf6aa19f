//! Decoding real captures (a QR pairing, a query, a relay, a pushed message, keepalives) from a
//! session log and from a HAR gives back exactly what was sent.

mod capture_support;

use capture_support::{exchange, har, session_log, Exchange, T0};
use waweb_proto::binary::Node;
use waweb_proto::capture::{
    detect_and_parse, CaptureFormat, DecodedFrame, Decoder, Direction, FrameKind, NodeSource,
    Payload,
};
use waweb_proto::frame::{Flags, Metric, TextFrame};

fn decode_log(x: &Exchange) -> Vec<DecodedFrame> {
    let capture = detect_and_parse(session_log(x).as_bytes()).unwrap();
    assert_eq!(capture.keys, vec![x.keys.clone()], "the keys record is read");
    Decoder::new(capture.keys.clone()).decode_all(&capture)
}

fn node_of(frame: &DecodedFrame) -> (&str, Option<(u8, Flags)>, &Node) {
    match &frame.payload {
        Payload::Node { tag, header, node, source: NodeSource::Wire, .. } => (tag, *header, node),
        other => panic!("frame {} is not an opened node: {other:?}", frame.frame.index),
    }
}

#[test]
fn session_log_frames_match_what_was_sent() {
    let x = exchange(1);
    let decoded = decode_log(&x);
    assert_eq!(decoded.len(), x.frames.len());
    for (d, sent) in decoded.iter().zip(&x.frames) {
        let dir =
            if sent.from_client { Direction::ClientToServer } else { Direction::ServerToClient };
        assert_eq!((d.frame.time_ms, d.frame.dir), (sent.t, dir), "frame {}", d.frame.index);
        match (&sent.text, &d.payload) {
            (Some(text), payload) => {
                let expected = match TextFrame::parse(text).unwrap() {
                    TextFrame::Ping => Payload::Ping,
                    TextFrame::Pong(ms) => Payload::Pong(ms),
                    TextFrame::Tagged { tag, payload } => Payload::Json { tag, json: payload },
                };
                assert_eq!(payload, &expected);
            }
            (None, _) => assert!(matches!(d.payload, Payload::Node { .. }), "{:?}", d.payload),
        }
    }
    assert!(decoded.iter().any(|d| d.payload == Payload::Ping), "a client keepalive");
    assert!(decoded.iter().any(|d| matches!(d.payload, Payload::Pong(ms) if ms > T0)));
}

#[test]
fn binary_frames_decode_to_the_nodes_and_messages_sent() {
    let x = exchange(2);
    let decoded = decode_log(&x);
    let binaries: Vec<_> =
        decoded.iter().filter(|d| matches!(d.frame.kind, FrameKind::Binary(_))).collect();
    assert_eq!(binaries.len(), 4, "query, response, relay, push");

    let (tag, header, node) = node_of(binaries[0]);
    assert_eq!(
        (tag, header, node),
        (
            x.query_tag.as_str(),
            Some((Metric::QueryContacts.as_u8(), Flags::EXPECTS_ANSWER)),
            &x.query
        )
    );
    assert_eq!(binaries[0].frame.dir, Direction::ClientToServer);

    assert_eq!(node_of(binaries[1]), (x.query_tag.as_str(), None, &x.answer));
    assert_eq!(binaries[1].frame.dir, Direction::ServerToClient);

    let (tag, header, node) = node_of(binaries[2]);
    assert_eq!(
        (tag, header),
        (x.relay_tag.as_str(), Some((Metric::Message.as_u8(), Flags::EXPECTS_ANSWER)))
    );
    assert_eq!((node.description.as_str(), node.get_attr("type")), ("action", Some("relay")));
    let Payload::Node { messages, .. } = &binaries[2].payload else { unreachable!() };
    assert_eq!(messages.len(), 1);
    assert_eq!(messages[0].info.as_ref().unwrap(), &x.relayed);
    assert_eq!(messages[0].info.as_ref().unwrap().text(), Some("hello"));

    assert_eq!(node_of(binaries[3]), (x.push_tag.as_str(), None, &x.push));
    let Payload::Node { messages, .. } = &binaries[3].payload else { unreachable!() };
    assert_eq!(messages[0].info.as_ref().unwrap(), &x.pushed);
    assert_eq!(messages[0].info.as_ref().unwrap().text(), Some("hi Alice ☺"));

    let relay_answer = decoded
        .iter()
        .find(|d| d.tag() == Some(x.relay_tag.as_str()) && d.frame.dir == Direction::ServerToClient)
        .expect("the relay's answer");
    assert_eq!(
        relay_answer.payload,
        Payload::Json {
            tag: x.relay_tag.clone(),
            json: Some(serde_json::json!({"status": 200, "t": 1_600_000_001}))
        }
    );
}

#[test]
fn har_decodes_to_the_same_frames_as_the_session_log() {
    let x = exchange(3);
    let capture = detect_and_parse(har(&x).as_bytes()).unwrap();
    assert_eq!(capture.format, CaptureFormat::Har { websockets: 1 });
    assert!(capture.keys.is_empty(), "a HAR carries no keys");
    assert!(capture.frames.iter().all(|f| f.connection == 1), "the second HAR entry");
    let from_har = Decoder::new(vec![x.keys.clone()]).decode_all(&capture);
    let from_log = decode_log(&x);
    assert_eq!(from_har.len(), from_log.len());
    for (h, l) in from_har.iter().zip(&from_log) {
        assert_eq!(
            (h.frame.index, h.frame.time_ms, h.frame.dir, &h.frame.kind, &h.payload),
            (l.frame.index, l.frame.time_ms, l.frame.dir, &l.frame.kind, &l.payload)
        );
    }
}

#[test]
fn session_log_header_is_reported() {
    let x = exchange(4);
    let capture = detect_and_parse(session_log(&x).as_bytes()).unwrap();
    assert_eq!(
        capture.format,
        CaptureFormat::SessionLog { version: 1, connection: 7, started_ms: T0 }
    );
    assert!(capture.frames.iter().enumerate().all(|(i, f)| f.index == i && f.connection == 7));
}
