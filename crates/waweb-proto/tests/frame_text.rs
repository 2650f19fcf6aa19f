//! Text frames: every literal frame of the reference document parses to the expected variant,
//! writing always uses one comma, and parse ∘ display is the identity.

#[allow(dead_code)]
#[path = "data/vectors.rs"]
mod vectors;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use proptest::prelude::*;
use serde_json::{json, Map, Value};
use waweb_proto::crypto::secret;
use waweb_proto::frame::{FrameError, TextFrame};

fn tagged(frame: &str) -> (String, Option<Value>) {
    match TextFrame::parse(frame) {
        Ok(TextFrame::Tagged { tag, payload }) => (tag, payload),
        other => panic!("{frame:?} parsed as {other:?}"),
    }
}

#[test]
fn keepalives() {
    assert_eq!(TextFrame::parse("?,,"), Ok(TextFrame::Ping));
    assert_eq!(TextFrame::parse("!1481799299025"), Ok(TextFrame::Pong(1481799299025)));
    assert_eq!(TextFrame::parse("!1588844250124"), Ok(TextFrame::Pong(1588844250124)));
    assert_eq!(TextFrame::Ping.to_string(), "?,,");
    assert_eq!(TextFrame::Pong(1588844250124).to_string(), "!1588844250124");
}

#[test]
fn malformed_keepalives() {
    for frame in [
        "!",
        "!+5",
        "!-5",
        "!12a",
        "!1.0",
        "! 1",
        "!99999999999999999999",
        "?,",
        "?,,,",
        "?,[]",
        "?,,[]",
    ] {
        assert_eq!(TextFrame::parse(frame), Err(FrameError::InvalidKeepalive), "{frame:?}");
    }
}

#[test]
fn double_comma_requests() {
    let (tag, payload) = tagged(r#"371.--6,,["query","ProfilePicThumb","391234567890@c.us"]"#);
    assert_eq!(tag, "371.--6");
    assert_eq!(payload, Some(json!(["query", "ProfilePicThumb", "391234567890@c.us"])));

    let official = TextFrame::parse(r#"goodbye,,["admin","Conn","disconnect"]"#).unwrap();
    let baileys = TextFrame::parse(r#"goodbye,["admin","Conn","disconnect"]"#).unwrap();
    assert_eq!(official, baileys);
    assert_eq!(official, TextFrame::tagged("goodbye", json!(["admin", "Conn", "disconnect"])));
    assert_eq!(official.to_string(), r#"goodbye,["admin","Conn","disconnect"]"#);
}

#[test]
fn empty_payload_acknowledgements() {
    for (frame, tag) in [("371.--7,", "371.--7"), ("3EB06792C2106FE24217,", "3EB06792C2106FE24217")]
    {
        assert_eq!(TextFrame::parse(frame), Ok(TextFrame::empty(tag)));
        assert_eq!(TextFrame::empty(tag).to_string(), frame);
    }
    // The double comma with nothing after it is still an empty payload.
    assert_eq!(TextFrame::parse("371.--7,,"), Ok(TextFrame::empty("371.--7")));
}

#[test]
fn server_answers_and_pushes() {
    let cases = [
        (r#"371.--7,{"tag":"1430075072"}"#, "371.--7", json!({"tag": "1430075072"})),
        (
            r#"3EB06792C2106FE24217,{"status":200,"t":1481879714}"#,
            "3EB06792C2106FE24217",
            json!({"status": 200, "t": 1481879714}),
        ),
        (
            r#"3EB01354ED8F40C756CAB68A,{"status":200}"#,
            "3EB01354ED8F40C756CAB68A",
            json!({"status": 200}),
        ),
        (r#"1615967807.--1,{"status":419}"#, "1615967807.--1", json!({"status": 419})),
        (
            r#"1588844230.--1,{"status":200,"ref":"1@waweb-test-ref-2","ttl":20000}"#,
            "1588844230.--1",
            json!({"status": 200, "ref": "1@waweb-test-ref-2", "ttl": 20000}),
        ),
        (
            r#"s2,["Blocklist",{"id":1,"blocklist":[]}]"#,
            "s2",
            json!(["Blocklist", {"id": 1, "blocklist": []}]),
        ),
        (
            r#"s3,["Stream","update",false,"2.2142.12"]"#,
            "s3",
            json!(["Stream", "update", false, "2.2142.12"]),
        ),
        (
            r#"s4,["Props",{"maxParticipants":257,"imageMaxKBytes":1024}]"#,
            "s4",
            json!(["Props", {"maxParticipants": 257, "imageMaxKBytes": 1024}]),
        ),
        (r#"230.--7,{"status":200}"#, "230.--7", json!({"status": 200})),
        (
            r#"s1,["Cmd",{"type":"challenge","challenge":"0NHS09TV1tfY2drb3N3e3+Dh4uPk5ebn6Onq6+zt7u8="}]"#,
            "s1",
            json!(["Cmd", {"type": "challenge", "challenge": "0NHS09TV1tfY2drb3N3e3+Dh4uPk5ebn6Onq6+zt7u8="}]),
        ),
        (
            r#"3EB0A1B2C3D4,{"status":200,"t":1588900010}"#,
            "3EB0A1B2C3D4",
            json!({"status": 200, "t": 1588900010}),
        ),
        (
            r#"s6,["Msg",{"cmd":"ack","id":"3EB0A1B2C3D4","ack":2,"from":"33612345678@c.us","to":"33698765432@c.us","t":1588900011}]"#,
            "s6",
            json!(["Msg", {"cmd": "ack", "id": "3EB0A1B2C3D4", "ack": 2, "from": "33612345678@c.us", "to": "33698765432@c.us", "t": 1588900011}]),
        ),
        (r#"goodbye,{"status":200}"#, "goodbye", json!({"status": 200})),
    ];
    for (frame, tag, payload) in cases {
        assert_eq!(TextFrame::parse(frame), Ok(TextFrame::tagged(tag, payload)), "{frame}");
        assert_eq!(TextFrame::parse(frame).unwrap().to_string(), frame);
    }
}

#[test]
fn client_requests() {
    let cases = [
        (
            r#"1588844230.--0,["admin","init",[2,2142,12],["Baileys","Chrome","3.0"],"wMHCw8TFxsfIycrLzM3Ozw==",true]"#,
            "1588844230.--0",
            json!([
                "admin",
                "init",
                [2, 2142, 12],
                ["Baileys", "Chrome", "3.0"],
                "wMHCw8TFxsfIycrLzM3Ozw==",
                true
            ]),
        ),
        (
            r#"1481798371.--0,["admin","init",[0,2,2730],["Linux x86_64","Firefox"],"5vpI1TwSAZUesd0vsCNJ4Q==",false]"#,
            "1481798371.--0",
            json!([
                "admin",
                "init",
                [0, 2, 2730],
                ["Linux x86_64", "Firefox"],
                "5vpI1TwSAZUesd0vsCNJ4Q==",
                false
            ]),
        ),
        (
            r#"1588844230.--1,["admin","Conn","reref"]"#,
            "1588844230.--1",
            json!(["admin", "Conn", "reref"]),
        ),
        (
            r#"1588900000.--1,["admin","login","<clientToken>","<serverToken>","wMHCw8TFxsfIycrLzM3Ozw==","takeover"]"#,
            "1588900000.--1",
            json!([
                "admin",
                "login",
                "<clientToken>",
                "<serverToken>",
                "wMHCw8TFxsfIycrLzM3Ozw==",
                "takeover"
            ]),
        ),
        (
            r#"1588900000.--2,["admin","challenge","DUxiRU6vIu/GMzcSl4yJ/626aAoD2yHDH9Cdq7GkAWw=","<serverToken>","wMHCw8TFxsfIycrLzM3Ozw=="]"#,
            "1588900000.--2",
            json!([
                "admin",
                "challenge",
                "DUxiRU6vIu/GMzcSl4yJ/626aAoD2yHDH9Cdq7GkAWw=",
                "<serverToken>",
                "wMHCw8TFxsfIycrLzM3Ozw=="
            ]),
        ),
    ];
    for (frame, tag, payload) in cases {
        assert_eq!(TextFrame::parse(frame), Ok(TextFrame::tagged(tag, payload)), "{frame}");
    }
}

#[test]
fn float_time_is_kept_as_a_float() {
    let frames = [
        r#"1588844230.--0,{"status":200,"ref":"1@waweb-test-ref","ttl":20000,"update":false,"curr":"2.2142.12","time":1588844230123.0}"#,
        r#"1481798371.--0,{"status":200,"ref":"0@…","ttl":20000,"update":false,"curr":"0.2.2730","time":1481798371929.0}"#,
    ];
    for frame in frames {
        let (_, payload) = tagged(frame);
        let time = &payload.unwrap()["time"];
        assert!(time.is_f64(), "{time}");
        assert_eq!(TextFrame::parse(frame).unwrap().to_string(), frame);
    }
}

#[test]
fn pairing_conn_carries_the_b1_secret() {
    // Appendix A.1's s1 frame, joined onto one line.
    let frame = concat!(
        r#"s1,["Conn",{"ref":"1@waweb-test-ref-2","wid":"33612345678@c.us","connected":true,"isResponse":"false","#,
        r#""serverToken":"1@…","browserToken":"1@…","clientToken":"…=","lc":"FR","lg":"fr","locales":"fr-FR","#,
        r#""is24h":true,"secret":"WGmv9FBUlzLLqu1eXfmzCm2jHLDldCutWtShp2jxpns9xqc6c/l4+7qfjiEXF1bMrxacbbzKQIEeXhNGLV++z2hekgfGQCWXbSt+zcVpIPmhFyaMm8irQfHLy2rd560beQeJOzscnCNoPP7sMULVvs8aZOMrD3jQr5egxT4H0WUl2Pv9JVbgHR7mJ2G1VpZT","#,
        r#""protoVersion":[0,17],"binVersion":11,"battery":80,"plugged":false,"platform":"android","#,
        r#""features":{"URL":true},"phone":{"wa_version":"2.20.140","mcc":"208","mnc":"015","os_version":"10","#,
        r#""device_manufacturer":"waweb","device_model":"server","os_build_number":"1"},"pushname":"Albert","tos":0}]"#,
    );
    let (tag, payload) = tagged(frame);
    assert_eq!(tag, "s1");
    let conn = &payload.unwrap()[1];
    assert_eq!(conn["wid"], "33612345678@c.us");
    let secret_bytes = STANDARD.decode(conn["secret"].as_str().unwrap()).unwrap();
    let keys = secret::open_secret(&vectors::b1_client(), &secret_bytes).unwrap();
    assert_eq!(keys, vectors::b1_keys());
    // Key order survives a round trip, so the frame is written back byte for byte.
    assert_eq!(TextFrame::parse(frame).unwrap().to_string(), frame);
}

#[test]
fn structural_errors() {
    assert_eq!(TextFrame::parse(""), Err(FrameError::Empty));
    assert_eq!(TextFrame::parse("s1"), Err(FrameError::NoComma));
    assert_eq!(TextFrame::parse(r#"{"status":200}"#), Err(FrameError::NoComma));
    assert_eq!(TextFrame::parse(",{}"), Err(FrameError::EmptyTag));
    assert_eq!(TextFrame::parse(",,{}"), Err(FrameError::EmptyTag));
    assert_eq!(TextFrame::parse("a b,{}"), Err(FrameError::InvalidTag));
    assert_eq!(TextFrame::parse("tâg,{}"), Err(FrameError::InvalidTag));
    for frame in ["t,{", "t,,,[]", "t,[1,]", "t,undefined", "t, "] {
        assert!(matches!(TextFrame::parse(frame), Err(FrameError::InvalidJson(_))), "{frame:?}");
    }
}

#[test]
fn accessors() {
    let frame = TextFrame::tagged("t1", json!([1]));
    assert_eq!(frame.tag(), Some("t1"));
    assert_eq!(frame.payload(), Some(&json!([1])));
    assert_eq!(TextFrame::empty("t1").payload(), None);
    assert_eq!(TextFrame::Ping.tag(), None);
    assert_eq!(TextFrame::Pong(1).payload(), None);
    assert_eq!("s1,[]".parse::<TextFrame>(), Ok(TextFrame::tagged("s1", json!([]))));
}

fn tag() -> impl Strategy<Value = String> {
    "[!-+\\--~]{1,24}".prop_filter("? is the keepalive tag", |t| t != "?")
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        // Dyadic fractions print and parse back exactly.
        any::<i32>().prop_map(|n| Value::from(f64::from(n) / 16.0)),
        ".*".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((".*", inner), 0..6)
                .prop_map(|entries| Value::Object(entries.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

fn text_frame() -> impl Strategy<Value = TextFrame> {
    prop_oneof![
        Just(TextFrame::Ping),
        any::<u64>().prop_map(TextFrame::Pong),
        (tag(), prop::option::of(json_value()))
            .prop_map(|(tag, payload)| TextFrame::Tagged { tag, payload }),
    ]
}

proptest! {
    #[test]
    fn display_then_parse_is_identity(frame in text_frame()) {
        let text = frame.to_string();
        prop_assert_eq!(TextFrame::parse(&text), Ok(frame));
    }

    #[test]
    fn double_comma_parses_like_single(tag in tag(), payload in json_value()) {
        let single = format!("{tag},{payload}");
        let double = format!("{tag},,{payload}");
        prop_assert_eq!(TextFrame::parse(&double), TextFrame::parse(&single));
    }

    #[test]
    fn parse_never_panics(text in ".*") {
        let _ = TextFrame::parse(&text);
    }

    #[test]
    fn parse_never_panics_on_frame_like_text(text in "[?!,0-9a-z\\[\\]{}\":. ]{0,16}") {
        if let Ok(frame) = TextFrame::parse(&text) {
            prop_assert_eq!(TextFrame::parse(&frame.to_string()), Ok(frame));
        }
    }
}
