//! Damaged frames are reported with their reason and decoding goes on; files that are not
//! captures get a clear error; no input makes the parser or the decoder panic.

mod capture_support;

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use capture_support::{exchange, har, session_log};
use proptest::prelude::*;
use serde_json::{json, Value};
use waweb_proto::binary;
use waweb_proto::capture::{
    detect_and_parse, CaptureError, DecodeFailure, Decoder, Direction, Frame, FrameKind,
    NodeSource, Payload,
};
use waweb_proto::crypto::{CryptoError, SessionKeys};
use waweb_proto::frame::FrameError;

/// Rewrites the `wire` of the `n`-th binary record of a session log.
fn damage_binary(log: &str, n: usize, damage: impl Fn(&mut Vec<u8>)) -> String {
    let mut seen = 0;
    log.lines()
        .map(|line| {
            let mut v: Value = serde_json::from_str(line).unwrap();
            if v["kind"] == "binary" {
                if seen == n {
                    let mut wire = B64.decode(v["wire"].as_str().unwrap()).unwrap();
                    damage(&mut wire);
                    v["wire"] = B64.encode(wire).into();
                }
                seen += 1;
            }
            format!("{v}\n")
        })
        .collect()
}

#[test]
fn flipped_mac_and_truncated_frames_are_reported_and_decoding_continues() {
    let x = exchange(10);
    let log = session_log(&x);
    // Query (client frame): flip one MAC byte, right after `tag,` metric flags.
    let tag_len = x.query_tag.len();
    let log = damage_binary(&log, 0, |w| w[tag_len + 3] ^= 0x01);
    // Response (server frame): drop its last 5 bytes.
    let log = damage_binary(&log, 1, |w| w.truncate(w.len() - 5));
    // Push: cut right inside its tag, so there is no comma at all.
    let log = damage_binary(&log, 3, |w| w.truncate(2));

    let capture = detect_and_parse(log.as_bytes()).unwrap();
    let decoded = Decoder::new(capture.keys.clone()).decode_all(&capture);
    assert_eq!(decoded.len(), x.frames.len(), "nothing dropped");
    let binaries: Vec<_> =
        decoded.iter().filter(|d| matches!(d.frame.kind, FrameKind::Binary(_))).collect();
    assert_eq!(
        binaries[0].payload,
        Payload::Failed {
            tag: Some(x.query_tag.clone()),
            reason: DecodeFailure::WrongMac { tried: 1 }
        }
    );
    assert!(
        matches!(&binaries[1].payload, Payload::Failed {
            tag: Some(t), reason: DecodeFailure::Crypto(CryptoError::FrameLength(_)) } if *t == x.query_tag),
        "{:?}",
        binaries[1].payload
    );
    assert!(matches!(&binaries[2].payload, Payload::Node { messages, .. }
        if messages[0].info.as_ref().unwrap() == &x.relayed));
    assert_eq!(
        binaries[3].payload,
        Payload::Failed { tag: None, reason: DecodeFailure::Layout(FrameError::NoComma) }
    );
    let failed = decoded.iter().filter(|d| matches!(d.payload, Payload::Failed { .. })).count();
    assert_eq!(failed, 3, "only the damaged frames fail");
}

#[test]
fn wrong_or_missing_keys_are_reasons_not_errors() {
    let x = exchange(11);
    let capture = detect_and_parse(har(&x).as_bytes()).unwrap();
    let reasons = |decoder: Decoder| -> Vec<DecodeFailure> {
        decoder
            .decode_all(&capture)
            .into_iter()
            .filter_map(|d| match d.payload {
                Payload::Failed { reason, .. } => Some(reason),
                _ => None,
            })
            .collect()
    };
    assert_eq!(reasons(Decoder::new(vec![])), vec![DecodeFailure::NoKeys; 4]);
    let wrong = SessionKeys { enc_key: [1; 32], mac_key: [2; 32] };
    assert_eq!(
        reasons(Decoder::new(vec![wrong.clone(), wrong])),
        vec![DecodeFailure::WrongMac { tried: 2 }; 4]
    );
    // A wrong key set first does not hide the right one.
    let wrong = SessionKeys { enc_key: [3; 32], mac_key: [4; 32] };
    assert!(reasons(Decoder::new(vec![wrong, x.keys.clone()])).is_empty());
}

#[test]
fn recorded_plaintext_is_used_when_there_are_no_keys() {
    let node = binary::Node::new("query").attr("type", "chat");
    let frame = Frame {
        index: 0,
        time_ms: 5,
        dir: Direction::ClientToServer,
        kind: FrameKind::Binary(b"t1,\x05\x80opaque".to_vec()),
        connection: 0,
        plain: Some(binary::encode(&node)),
    };
    let decoded = Decoder::new(vec![]).decode(&frame);
    assert_eq!(
        decoded.payload,
        Payload::Node {
            tag: "t1".into(),
            header: Some((5, 0x80.into())),
            node,
            messages: vec![],
            source: NodeSource::RecordedPlain
        }
    );
}

#[test]
fn bad_text_frames_and_bad_nodes_keep_their_reason() {
    let keys = SessionKeys { enc_key: [7; 32], mac_key: [8; 32] };
    let sealed =
        waweb_proto::frame::binary::seal_server_frame_with_iv(&keys, [0; 16], "s9", b"\xf0");
    let frames = [FrameKind::Text("t1,{oops".into()), FrameKind::Binary(sealed)];
    let decoder = Decoder::new(vec![keys]);
    let out: Vec<_> = frames
        .into_iter()
        .enumerate()
        .map(|(index, kind)| {
            let dir = Direction::ServerToClient;
            decoder.decode(&Frame { index, time_ms: 0, dir, kind, connection: 0, plain: None })
        })
        .collect();
    assert!(matches!(&out[0].payload, Payload::Failed { tag: Some(t),
        reason: DecodeFailure::Text(FrameError::InvalidJson(_)) } if t == "t1"));
    assert!(
        matches!(&out[1].payload, Payload::Failed { tag: Some(t),
        reason: DecodeFailure::Node(_) } if t == "s9"),
        "{:?}",
        out[1].payload
    );
}

#[test]
fn files_that_are_not_captures_get_a_clear_error() {
    let unknown = |bytes: &[u8]| match detect_and_parse(bytes) {
        Err(e @ CaptureError::UnknownFormat(_)) => e.to_string(),
        other => panic!("{other:?}"),
    };
    for bytes in [&b"hello world"[..], b"", b"[1,2,3]", br#"{"foo": 1}"#, b"{broken"] {
        let message = unknown(bytes);
        assert!(message.contains("expected a HAR file or a waweb session log"), "{message}");
    }
    assert_eq!(detect_and_parse(b"\xff\xfe\x00"), Err(CaptureError::NotUtf8));
    let no_ws = json!({"log": {"entries": [{"request": {"url": "https://x"}}]}}).to_string();
    assert_eq!(detect_and_parse(no_ws.as_bytes()), Err(CaptureError::NoWebSocket));
    let v2 = r#"{"format":"waweb-session-log","version":2}"#;
    assert_eq!(detect_and_parse(v2.as_bytes()), Err(CaptureError::UnsupportedVersion(2)));
}

#[test]
fn malformed_records_name_their_line_or_message() {
    let header = r#"{"format":"waweb-session-log","version":1,"connection":1,"started":0}"#;
    let cases = [
        (r#"{"t":1,"dir":"sideways","kind":"text","text":"a,1"}"#, "\"dir\""),
        (r#"{"t":1,"dir":"in","kind":"binary","wire":"%%%"}"#, "base64"),
        (r#"{"t":1,"kind":"keys","encKey":"AAAA","macKey":"AAAA"}"#, "key must be 32 bytes"),
        (r#"{"dir":"in","kind":"text","text":"a,1"}"#, "\"t\""),
        ("not json", "invalid JSON"),
    ];
    for (line, needle) in cases {
        let log = format!("{header}\n\n{line}\n");
        match detect_and_parse(log.as_bytes()) {
            Err(CaptureError::BadRecord { line: 3, reason }) => {
                assert!(reason.contains(needle), "{reason} lacks {needle}")
            }
            other => panic!("{line}: {other:?}"),
        }
    }
    let har = json!({"log": {"entries": [{}, {"_webSocketMessages": [
        {"type": "send", "time": 1.0, "opcode": 1, "data": "a,1"},
        {"type": "send", "time": 1.0, "opcode": 9, "data": "x"}]}]}});
    assert!(matches!(detect_and_parse(har.to_string().as_bytes()),
        Err(CaptureError::BadHarMessage { entry: 1, message: 1, reason }) if reason.contains("opcode")));
}

proptest! {
    #[test]
    fn arbitrary_files_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let _ = detect_and_parse(&bytes);
        let mut log = br#"{"format":"waweb-session-log","version":1}"#.to_vec();
        log.push(b'\n');
        log.extend_from_slice(&bytes);
        let _ = detect_and_parse(&log);
    }

    #[test]
    fn arbitrary_frames_never_panic(
        data in proptest::collection::vec(any::<u8>(), 0..300),
        plain in proptest::option::of(proptest::collection::vec(any::<u8>(), 0..100)),
        client in any::<bool>(),
        with_keys in any::<bool>(),
    ) {
        let keys = if with_keys { vec![SessionKeys { enc_key: [1; 32], mac_key: [2; 32] }] } else { vec![] };
        let dir = if client { Direction::ClientToServer } else { Direction::ServerToClient };
        let text = String::from_utf8_lossy(&data).into_owned();
        for kind in [FrameKind::Binary(data.clone()), FrameKind::Text(text)] {
            let frame = Frame { index: 0, time_ms: 0, dir, kind, connection: 0, plain: plain.clone() };
            let decoded = Decoder::new(keys.clone()).decode(&frame);
            prop_assert_eq!(decoded.frame, frame);
        }
    }
}
