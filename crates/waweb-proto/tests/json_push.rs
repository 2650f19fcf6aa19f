//! Server pushes other than `Conn`: every literal example of the seed and the reference (§2.4,
//! §3.3, §3.6, §3.7, §7.5, Appendix A), parsed, checked and written back identically.

use proptest::prelude::*;
use serde_json::{json, Value};
use waweb_proto::json::blocklist::Blocklist;
use waweb_proto::json::cmd::Cmd;
use waweb_proto::json::msg::{Ack, AckCmd, MsgAck, MsgIds};
use waweb_proto::json::presence::Presence;
use waweb_proto::json::props::Props;
use waweb_proto::json::push::ServerPush;
use waweb_proto::json::stream::Stream;
use waweb_proto::json::JsonError;
use waweb_proto::message::WebMessageInfoStatus;

fn push(text: &str) -> ServerPush {
    let v: Value = serde_json::from_str(text).unwrap();
    let p = ServerPush::from_value(&v).unwrap();
    assert_eq!(p.to_value(), v, "round trip of {text}");
    p
}

#[test]
fn seed_blocklist() {
    let p = push(
        r#"["Blocklist", {
    "id": 1,
    "blocklist": []
}]"#,
    );
    assert_eq!(p, ServerPush::Blocklist(Blocklist::new(vec![])));
    assert_eq!(p.name(), "Blocklist");
}

#[test]
fn blocklist_with_jids() {
    let ServerPush::Blocklist(b) =
        push(r#"["Blocklist",{"id":1,"blocklist":["33698765432@c.us","33611111111@c.us"]}]"#)
    else {
        panic!()
    };
    assert_eq!(b.id, 1);
    assert_eq!(b.blocklist, ["33698765432@c.us", "33611111111@c.us"]);
    // Baileys needs the array: a Blocklist without one is malformed.
    let v = json!(["Blocklist", {"id": 1}]);
    assert!(matches!(ServerPush::from_value(&v), Err(JsonError::Serde(_))));
}

#[test]
fn seed_stream() {
    let text = r#"["Stream", "update", false, "2.2017.6"]"#;
    let p = push(text);
    let ServerPush::Stream(s) = &p else { panic!() };
    assert_eq!(s, &Stream::update(false, "2.2017.6"));
    assert_eq!(s.kind, "update");
    assert_eq!(s.version(), Some("2.2017.6"));
    assert_eq!(serde_json::to_string(&p).unwrap(), r#"["Stream","update",false,"2.2017.6"]"#);
    assert_eq!(Stream::from_value(&serde_json::from_str(text).unwrap()).unwrap(), s.clone());
}

#[test]
fn other_streams() {
    let ServerPush::Stream(s) = push(r#"["Stream","update",false,"2.2142.12"]"#) else { panic!() };
    assert_eq!(s.version(), Some("2.2142.12"));
    let ServerPush::Stream(s) = push(r#"["Stream","update",false,"0.2.2730"]"#) else { panic!() };
    assert_eq!(s.version(), Some("0.2.2730"));
    let ServerPush::Stream(s) = push(r#"["Stream","asleep"]"#) else { panic!() };
    assert_eq!((s.kind.as_str(), s.args.len()), ("asleep", 0));
    assert_eq!(
        ServerPush::from_value(&json!(["Stream"])),
        Err(JsonError::MissingField("stream kind"))
    );
}

const SEED_PROPS: &str = r#"["Props", {
    "camelotWeb": false,
    "preloadStickers": false,
    "webVoipInternalTester": false,
    "webCleanIncomingFilename": 1,
    "webEnableModelStorage": false,
    "wsCanCacheRequests": false,
    "fbCrashlog": true,
    "bucket": "",
    "gifSearch": "tenor",
    "maxFileSize": 100,
    "media": 64,
    "maxSubject": 25,
    "maxParticipants": 257,
    "imageMaxKBytes": 1024,
    "imageMaxEdge": 1600,
    "statusVideoMaxDuration": 30,
    "frequentlyForwardedMessages": 1,
    "suspiciousLinks": 1,
    "fwdUiStartTs": 1531267200,
    "restrictGroups": 1,
    "productCatalogOpenDeeplink": 1,
    "multicastLimitGlobal": 5,
    "finalLiveLocation": 1,
    "frequentlyForwardedMax": 1,
    "mmsMediaKeyTTL": 172800,
    "stickers": 1,
    "announceGroups": 1001,
    "groupDescLength": 512
}]"#;

#[test]
fn seed_props_equal_seed_defaults_in_order() {
    let ServerPush::Props(p) = push(SEED_PROPS) else { panic!() };
    assert_eq!(p.0.len(), 28);
    assert_eq!(p.get("maxParticipants"), Some(&json!(257)));
    assert_eq!(p.get("gifSearch"), Some(&json!("tenor")));
    let defaults = Props::seed_defaults();
    assert_eq!(p, defaults);
    let keys: Vec<&String> = p.0.keys().collect();
    let default_keys: Vec<&String> = defaults.0.keys().collect();
    assert_eq!(keys, default_keys);
    let compact: Value = serde_json::from_str(SEED_PROPS).unwrap();
    assert_eq!(
        serde_json::to_string(&ServerPush::Props(defaults)).unwrap(),
        serde_json::to_string(&compact).unwrap()
    );
}

#[test]
fn appendix_a_props() {
    let ServerPush::Props(p) = push(r#"["Props",{"maxParticipants":257,"imageMaxKBytes":1024}]"#)
    else {
        panic!()
    };
    assert_eq!(p.get("imageMaxKBytes"), Some(&json!(1024)));
}

#[test]
fn pong() {
    assert_eq!(push(r#"["Pong",true]"#), ServerPush::Pong(true));
    assert_eq!(push(r#"["Pong",false]"#), ServerPush::Pong(false));
    assert_eq!(
        ServerPush::from_value(&json!(["Pong", "yes"])),
        Err(JsonError::WrongType { field: "body", expected: "a boolean" })
    );
    let p: waweb_proto::json::pong::Pong = serde_json::from_str("true").unwrap();
    assert!(p.0);
}

#[test]
fn appendix_a_cmd_challenge() {
    let p = push(
        r#"["Cmd",{"type":"challenge","challenge":"0NHS09TV1tfY2drb3N3e3+Dh4uPk5ebn6Onq6+zt7u8="}]"#,
    );
    let ServerPush::Cmd(Cmd::Challenge { challenge }) = p else { panic!() };
    assert_eq!(challenge, "0NHS09TV1tfY2drb3N3e3+Dh4uPk5ebn6Onq6+zt7u8=");
}

#[test]
fn cmd_disconnect_with_and_without_kind() {
    let p = push(r#"["Cmd",{"type":"disconnect","kind":"replaced"}]"#);
    assert_eq!(p, ServerPush::Cmd(Cmd::replaced()));
    let p = push(r#"["Cmd",{"type":"disconnect"}]"#);
    assert_eq!(p, ServerPush::Cmd(Cmd::Disconnect { kind: None }));
}

#[test]
fn other_cmds_are_kept_verbatim() {
    let p = push(r#"["Cmd",{"type":"picture","jid":"33698765432@c.us","tag":"1430075072"}]"#);
    let ServerPush::Cmd(c) = p else { panic!() };
    assert_eq!(c.kind_name(), "picture");
    assert!(matches!(&c, Cmd::Other(m) if m["jid"] == "33698765432@c.us"));
    let ServerPush::Cmd(c) = push(r#"["Cmd",{"type":"update"}]"#) else { panic!() };
    assert_eq!(c.kind_name(), "update");
}

#[test]
fn malformed_cmds() {
    let cases = [
        (json!(["Cmd", {"challenge": "x"}]), JsonError::MissingField("type")),
        (json!(["Cmd", {"type": "challenge"}]), JsonError::MissingField("challenge")),
        (
            json!(["Cmd", {"type": "challenge", "challenge": 5}]),
            JsonError::WrongType { field: "challenge", expected: "a string" },
        ),
        (json!(["Cmd", "challenge"]), JsonError::NotAnObject),
        (json!(["Cmd"]), JsonError::MissingField("body")),
    ];
    for (v, want) in cases {
        assert_eq!(ServerPush::from_value(&v), Err(want), "for {v}");
    }
}

#[test]
fn presence_forms() {
    let ServerPush::Presence(p) =
        push(r#"["Presence",{"id":"33698765432@c.us","type":"available"}]"#)
    else {
        panic!()
    };
    assert_eq!((p.id.as_str(), p.r#type.as_str(), p.t), ("33698765432@c.us", "available", None));
    let ServerPush::Presence(p) = push(
        r#"["Presence",{"id":"33698765432@c.us","type":"unavailable","t":1588900000,"deny":false}]"#,
    ) else {
        panic!()
    };
    assert_eq!((p.t, p.deny), (Some(1588900000), Some(false)));
    let ServerPush::Presence(p) = push(
        r#"["Presence",{"id":"33612345678-1509911919@g.us","type":"composing","participant":"33698765432@c.us"}]"#,
    ) else {
        panic!()
    };
    assert_eq!(p.participant.as_deref(), Some("33698765432@c.us"));
}

#[test]
fn wajs_msg_ack() {
    let p = push(
        r#"["Msg",{"cmd":"ack","id":"3EB015E408EDA1B1D236","ack":2,"from":"…17@c.us","to":"…18@c.us","t":1590064789}]"#,
    );
    let ServerPush::Msg(m) = p else { panic!() };
    assert_eq!(m.cmd, AckCmd::Ack);
    assert_eq!(m.ids(), ["3EB015E408EDA1B1D236"]);
    assert_eq!(m.ack_state(), Ok(Ack::Delivered));
    assert_eq!(m.ack_state().unwrap().status(), WebMessageInfoStatus::DeliveryAck);
    assert_eq!((m.from.as_str(), m.to.as_str(), m.t), ("…17@c.us", "…18@c.us", 1590064789));
}

#[test]
fn appendix_a_msg_ack() {
    let text = r#"["Msg",{"cmd":"ack","id":"3EB0A1B2C3D4","ack":2,"from":"33612345678@c.us","to":"33698765432@c.us","t":1588900011}]"#;
    let p = push(text);
    let built = MsgAck::single(
        "3EB0A1B2C3D4",
        Ack::Delivered,
        "33612345678@c.us",
        "33698765432@c.us",
        1588900011,
    );
    assert_eq!(p, ServerPush::Msg(built.clone()));
    assert_eq!(serde_json::to_string(&ServerPush::Msg(built)).unwrap(), text);
}

#[test]
fn msg_acks_and_msg_info() {
    let p = push(
        r#"["Msg",{"cmd":"acks","id":["3EB0A1B2C3D4","3EB0A1B2C3D5"],"ack":3,"from":"33612345678@c.us","to":"33698765432@c.us","t":1588900020}]"#,
    );
    let ServerPush::Msg(m) = p else { panic!() };
    assert_eq!(m.cmd, AckCmd::Acks);
    assert_eq!(m.id, MsgIds::Many(vec!["3EB0A1B2C3D4".into(), "3EB0A1B2C3D5".into()]));
    assert_eq!(m.ack_state(), Ok(Ack::Read));

    let p = push(
        r#"["MsgInfo",{"cmd":"ack","id":"3EB0A1B2C3D4","ack":4,"from":"33612345678@c.us","to":"33612345678-1509911919@g.us","t":1588900030,"participant":"33698765432@c.us","broadcast":false}]"#,
    );
    let ServerPush::MsgInfo(m) = p else { panic!() };
    assert_eq!(m.ack_state(), Ok(Ack::Played));
    assert_eq!(m.participant.as_deref(), Some("33698765432@c.us"));
}

#[test]
fn ack_values() {
    for (n, ack, status) in [
        (-1, Ack::Error, WebMessageInfoStatus::Error),
        (0, Ack::Pending, WebMessageInfoStatus::Pending),
        (1, Ack::Server, WebMessageInfoStatus::ServerAck),
        (2, Ack::Delivered, WebMessageInfoStatus::DeliveryAck),
        (3, Ack::Read, WebMessageInfoStatus::Read),
        (4, Ack::Played, WebMessageInfoStatus::Played),
    ] {
        assert_eq!(Ack::try_from(n), Ok(ack));
        assert_eq!(i32::from(ack), n);
        assert_eq!(ack.status(), status);
    }
    assert_eq!(Ack::try_from(5), Err(JsonError::InvalidValue { field: "ack", value: "5".into() }));
    let v = json!(["Msg", {"cmd":"ack","id":"x","ack":2.0,"from":"a","to":"b","t":1.0e9}]);
    let ServerPush::Msg(m) = ServerPush::from_value(&v).unwrap() else { panic!() };
    assert_eq!((m.ack, m.t), (2, 1_000_000_000));
    let v = json!(["Msg", {"cmd":"nack","id":"x","ack":2,"from":"a","to":"b","t":1}]);
    assert!(matches!(ServerPush::from_value(&v), Err(JsonError::Serde(_))));
}

#[test]
fn status_push() {
    let ServerPush::Status(s) =
        push(r#"["Status",{"id":"33698765432@c.us","status":"Hey there! I am using WhatsApp."}]"#)
    else {
        panic!()
    };
    assert_eq!(s.id, "33698765432@c.us");
    assert_eq!(s.status, "Hey there! I am using WhatsApp.");
}

#[test]
fn unknown_pushes_are_kept() {
    let text = r#"["Chat",{"id":"33612345678-1509911919@g.us","cmd":"action","data":["add","33612345678@c.us",{"participants":["33698765432@c.us"]}]}]"#;
    let p = push(text);
    assert!(matches!(&p, ServerPush::Other(_)));
    assert_eq!(p.name(), "Chat");
}

#[test]
fn push_shape_errors() {
    assert_eq!(ServerPush::from_value(&json!({"status": 200})), Err(JsonError::NotAnArray));
    assert_eq!(ServerPush::from_value(&json!([])), Err(JsonError::MissingField("command")));
    assert_eq!(
        ServerPush::from_value(&json!([true, {}])),
        Err(JsonError::WrongType { field: "command", expected: "a string" })
    );
}

fn jid() -> impl Strategy<Value = String> {
    "[0-9]{1,12}@(c\\.us|g\\.us)"
}

prop_compose! {
    fn any_presence()(
        id in jid(),
        r#type in prop::sample::select(vec!["available", "unavailable", "composing", "recording", "paused"]),
        t in prop::option::of(any::<u64>()),
        participant in prop::option::of(jid()),
        deny in prop::option::of(any::<bool>()),
    ) -> Presence {
        Presence { id, r#type: r#type.to_owned(), t, participant, deny }
    }
}

prop_compose! {
    fn any_msg_ack()(
        ids in prop::collection::vec("[0-9A-F]{12,32}", 1..4),
        many in any::<bool>(),
        ack in -1i32..=4,
        from in jid(),
        to in jid(),
        t in any::<u64>(),
        participant in prop::option::of(jid()),
        broadcast in prop::option::of(any::<bool>()),
    ) -> MsgAck {
        let (cmd, id) = if many {
            (AckCmd::Acks, MsgIds::Many(ids))
        } else {
            (AckCmd::Ack, MsgIds::One(ids[0].clone()))
        };
        MsgAck { cmd, id, ack, from, to, t, participant, broadcast }
    }
}

proptest! {
    #[test]
    fn presence_round_trips(p in any_presence()) {
        let push = ServerPush::Presence(p.clone());
        prop_assert_eq!(ServerPush::from_value(&push.to_value()).unwrap(), push);
        let v = serde_json::to_value(&p).unwrap();
        prop_assert_eq!(serde_json::from_value::<Presence>(v).unwrap(), p);
    }

    #[test]
    fn msg_ack_round_trips(m in any_msg_ack(), info in any::<bool>()) {
        let push = if info { ServerPush::MsgInfo(m.clone()) } else { ServerPush::Msg(m.clone()) };
        prop_assert_eq!(ServerPush::from_value(&push.to_value()).unwrap(), push);
        prop_assert!(m.ack_state().is_ok());
    }
}
