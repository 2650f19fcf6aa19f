//! JSON queries and actions of the protocol reference (§7.2): every form parses to its variant
//! and is written back identically; unknown forms are kept; malformed known forms name their
//! fault.

use proptest::prelude::*;
use serde_json::{json, Value};
use waweb_proto::json::query::JsonQuery;
use waweb_proto::json::{ClientJson, JsonError};

fn query(text: &str) -> JsonQuery {
    let v: Value = serde_json::from_str(text).unwrap();
    let q = JsonQuery::from_value(&v).unwrap();
    assert_eq!(q.to_value(), v, "round trip of {text}");
    assert_eq!(ClientJson::from_value(&v), Ok(ClientJson::Query(q.clone())));
    q
}

#[test]
fn section_7_2_forms() {
    let j = || "33698765432@c.us".to_owned();
    let g = || "33612345678-1509911919@g.us".to_owned();
    assert_eq!(query(r#"["query","exist","33698765432@c.us"]"#), JsonQuery::Exist(j()));
    assert_eq!(query(r#"["query","Status","33698765432@c.us"]"#), JsonQuery::Status(j()));
    assert_eq!(
        query(r#"["query","ProfilePicThumb","33698765432@c.us"]"#),
        JsonQuery::ProfilePicThumb(j())
    );
    assert_eq!(
        query(r#"["query","Presence","lastseen","33698765432@c.us"]"#),
        JsonQuery::LastSeen(j())
    );
    assert_eq!(
        query(r#"["query","GroupMetadata","33612345678-1509911919@g.us"]"#),
        JsonQuery::GroupMetadata(g())
    );
    assert_eq!(
        query(r#"["query","inviteCode","33612345678-1509911919@g.us"]"#),
        JsonQuery::InviteCode(g())
    );
    assert_eq!(query(r#"["query","invite","AbCdEf"]"#), JsonQuery::InviteInfo("AbCdEf".into()));
    assert_eq!(query(r#"["query","mediaConn"]"#), JsonQuery::MediaConn);
    assert_eq!(
        query(r#"["action","presence","subscribe","33698765432@c.us"]"#),
        JsonQuery::PresenceSubscribe(j())
    );
    assert_eq!(query(r#"["action","invite","AbCdEf"]"#), JsonQuery::AcceptInvite("AbCdEf".into()));
    assert_eq!(
        query(r#"["action","inviteReset","33612345678-1509911919@g.us"]"#),
        JsonQuery::InviteReset(g())
    );
}

#[test]
fn encr_upload_names_the_type_and_the_hash() {
    let text = r#"["action","encr_upload","image","3odK1nwSJxKGqeKvrovg0ahbkcJDjFZ5qkYJuG0pLNM="]"#;
    let hash = "3odK1nwSJxKGqeKvrovg0ahbkcJDjFZ5qkYJuG0pLNM=".to_owned();
    assert_eq!(query(text), JsonQuery::EncrUpload { kind: "image".into(), hash });
    let short: Value = serde_json::from_str(r#"["action","encr_upload","image"]"#).unwrap();
    assert!(JsonQuery::from_value(&short).is_err(), "the hash is required");
}

#[test]
fn n16_profile_pic_thumb() {
    let q = query(r#"["query","ProfilePicThumb","391234567890@c.us"]"#);
    assert_eq!(q, JsonQuery::ProfilePicThumb("391234567890@c.us".into()));
}

#[test]
fn other_forms_are_kept_verbatim() {
    for text in [
        r#"["query","contact","1588844230@broadcast"]"#,
        r#"["query","props"]"#,
        r#"["query",{"type":"contacts","epoch":"1"},null]"#,
        r#"["action",{"type":"set","epoch":"1"},[["presence",{"type":"available"},null]]]"#,
        r#"["query","Presence","online","1@c.us"]"#,
    ] {
        assert!(matches!(query(text), JsonQuery::Other(_)), "{text}");
    }
}

#[test]
fn malformed_queries() {
    let cases = [
        (json!("query"), JsonError::NotAnArray),
        (json!(["query", "exist"]), JsonError::MissingField("jid")),
        (json!(["query", "exist", 5]), JsonError::WrongType { field: "jid", expected: "a string" }),
        (json!(["action", "presence", "subscribe"]), JsonError::MissingField("jid")),
        (json!(["action", "presence"]), JsonError::MissingField("presence kind")),
        (json!(["admin", "test"]), JsonError::UnknownCommand("admin".into())),
        (json!(["Msg", {}]), JsonError::UnknownCommand("Msg".into())),
    ];
    for (v, want) in cases {
        assert_eq!(JsonQuery::from_value(&v), Err(want), "for {v}");
    }
}

#[test]
fn serde_uses_the_wire_array() {
    let q: JsonQuery = serde_json::from_str(r#"["query","mediaConn"]"#).unwrap();
    assert_eq!(q, JsonQuery::MediaConn);
    assert_eq!(serde_json::to_string(&q).unwrap(), r#"["query","mediaConn"]"#);
}

fn any_query() -> impl Strategy<Value = JsonQuery> {
    let s = "[ -~]{0,20}";
    prop_oneof![
        s.prop_map(JsonQuery::Exist),
        s.prop_map(JsonQuery::Status),
        s.prop_map(JsonQuery::ProfilePicThumb),
        s.prop_map(JsonQuery::LastSeen),
        s.prop_map(JsonQuery::GroupMetadata),
        s.prop_map(JsonQuery::InviteCode),
        s.prop_map(JsonQuery::InviteInfo),
        Just(JsonQuery::MediaConn),
        s.prop_map(JsonQuery::PresenceSubscribe),
        s.prop_map(JsonQuery::AcceptInvite),
        s.prop_map(JsonQuery::InviteReset),
    ]
}

proptest! {
    #[test]
    fn query_round_trips(q in any_query()) {
        prop_assert_eq!(JsonQuery::from_value(&q.to_value()), Ok(q));
    }
}
