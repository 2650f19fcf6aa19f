//! `["admin", …]` requests: every literal example of the seed and the reference, both ways.

use proptest::prelude::*;
use serde_json::{json, Value};
use waweb_proto::json::admin::{
    AdminRequest, ChallengeAnswer, InitRequest, LoginMode, LoginRequest,
};
use waweb_proto::json::query::JsonQuery;
use waweb_proto::json::{ClientJson, JsonError};

fn parse(text: &str) -> (Value, AdminRequest) {
    let v: Value = serde_json::from_str(text).unwrap();
    let req = AdminRequest::from_value(&v).unwrap();
    assert_eq!(req.to_value(), v, "round trip of {text}");
    (v, req)
}

fn init(text: &str) -> InitRequest {
    match parse(text).1 {
        AdminRequest::Init(i) => i,
        other => panic!("not init: {other:?}"),
    }
}

fn login(text: &str) -> LoginRequest {
    match parse(text).1 {
        AdminRequest::Login(l) => l,
        other => panic!("not login: {other:?}"),
    }
}

#[test]
fn seed_init() {
    let i = init(
        r#"["admin", "init", [2, 2017, 6], ["Linux", "Chrome", "x86_64"], "okRkd/Cnma/fSEsSmom6TA==", true]"#,
    );
    assert_eq!(i.version, [2, 2017, 6]);
    assert_eq!(i.browser, ["Linux", "Chrome", "x86_64"]);
    assert_eq!(i.client_id, "okRkd/Cnma/fSEsSmom6TA==");
    assert!(i.remember);
}

#[test]
fn seed_table_init_windows() {
    let i = init(r#"["admin","init",[2,2017,6],["Windows","Chrome","10"],"<id client>",true]"#);
    assert_eq!(i.browser, ["Windows", "Chrome", "10"]);
    assert_eq!(i.client_id, "<id client>");
}

#[test]
fn n16_init_with_two_browser_strings() {
    let i = init(
        r#"["admin","init",[0,2,2730],["Linux x86_64","Firefox"],"5vpI1TwSAZUesd0vsCNJ4Q==",false]"#,
    );
    assert_eq!(i.version, [0, 2, 2730]);
    assert_eq!(i.browser, ["Linux x86_64", "Firefox"]);
    assert!(!i.remember);
}

#[test]
fn appendix_a_init_baileys() {
    let i = init(
        r#"["admin","init",[2,2142,12],["Baileys","Chrome","3.0"],"wMHCw8TFxsfIycrLzM3Ozw==",true]"#,
    );
    assert_eq!(i.version, [2, 2142, 12]);
    assert_eq!(i.browser[0], "Baileys");
    assert_eq!(i.client_id, "wMHCw8TFxsfIycrLzM3Ozw==");
}

#[test]
fn init_version_accepts_floats_holding_integers() {
    let v = json!(["admin", "init", [2.0, 2017.0, 6], ["a", "b"], "id", true]);
    let AdminRequest::Init(i) = AdminRequest::from_value(&v).unwrap() else { panic!() };
    assert_eq!(i.version, [2, 2017, 6]);
    let v = json!(["admin", "init", [2.5, 2017, 6], ["a", "b"], "id", true]);
    assert_eq!(
        AdminRequest::from_value(&v),
        Err(JsonError::WrongType { field: "version", expected: "an array of integers" })
    );
}

#[test]
fn seed_login_takeover() {
    let l = login(r#"["admin","login","<clientToken>","<serverToken>","<clientId>","takeover"]"#);
    assert_eq!(l.client_token, "<clientToken>");
    assert_eq!(l.server_token, "<serverToken>");
    assert_eq!(l.client_id, "<clientId>");
    assert_eq!(l.mode, LoginMode::Takeover);
}

#[test]
fn n16_login_takeover() {
    let l =
        login(r#"["admin","login","tBBN…=","0@3PAE…==","5vpI1TwSAZUesd0vsCNJ4Q==","takeover"]"#);
    assert_eq!(l.server_token, "0@3PAE…==");
    assert_eq!(l.mode, LoginMode::Takeover);
}

#[test]
fn login_reconnect_force_reconnect_and_plain() {
    let l = login(r#"["admin","login","ct","st","id","reconnect","33612345678@c.us"]"#);
    assert_eq!(l.mode, LoginMode::Reconnect("33612345678@c.us".into()));
    let l = login(r#"["admin","login","ct","st","id","force_reconnect","33612345678@c.us"]"#);
    assert_eq!(l.mode, LoginMode::ForceReconnect("33612345678@c.us".into()));
    let l = login(r#"["admin","login","ct","st","id"]"#);
    assert_eq!(l.mode, LoginMode::Plain);
}

#[test]
fn login_mode_errors() {
    let v = json!(["admin", "login", "ct", "st", "id", "reconnect"]);
    assert_eq!(AdminRequest::from_value(&v), Err(JsonError::MissingField("wid")));
    let v = json!(["admin", "login", "ct", "st", "id", "steal"]);
    assert_eq!(
        AdminRequest::from_value(&v),
        Err(JsonError::InvalidValue { field: "mode", value: "\"steal\"".into() })
    );
    let v = json!(["admin", "login", "ct", "st", "id", 7]);
    assert_eq!(
        AdminRequest::from_value(&v),
        Err(JsonError::WrongType { field: "mode", expected: "a string" })
    );
}

#[test]
fn appendix_a_challenge_answer() {
    let (_, req) = parse(
        r#"["admin","challenge","DUxiRU6vIu/GMzcSl4yJ/626aAoD2yHDH9Cdq7GkAWw=","<serverToken>","wMHCw8TFxsfIycrLzM3Ozw=="]"#,
    );
    let AdminRequest::Challenge(c) = req else { panic!() };
    assert_eq!(
        c,
        ChallengeAnswer {
            answer: "DUxiRU6vIu/GMzcSl4yJ/626aAoD2yHDH9Cdq7GkAWw=".into(),
            server_token: "<serverToken>".into(),
            client_id: "wMHCw8TFxsfIycrLzM3Ozw==".into(),
        }
    );
}

#[test]
fn reref_disconnect_test_remember() {
    assert_eq!(parse(r#"["admin","Conn","reref"]"#).1, AdminRequest::Reref);
    assert_eq!(parse(r#"["admin","Conn","disconnect"]"#).1, AdminRequest::Disconnect);
    assert_eq!(parse(r#"["admin","test"]"#).1, AdminRequest::Test);
    assert_eq!(parse(r#"["admin","remember",false]"#).1, AdminRequest::Remember(false));
}

#[test]
fn malformed_admin_requests_name_their_fault() {
    let cases = [
        (json!({"admin": "init"}), JsonError::NotAnArray),
        (json!([]), JsonError::MissingField("command")),
        (json!([1]), JsonError::WrongType { field: "command", expected: "a string" }),
        (json!(["query", "exist"]), JsonError::UnknownCommand("query".into())),
        (json!(["admin"]), JsonError::MissingField("subcommand")),
        (json!(["admin", "fly"]), JsonError::UnknownCommand("admin fly".into())),
        (json!(["admin", "Conn", "nope"]), JsonError::UnknownCommand("admin Conn nope".into())),
        (json!(["admin", "init", [2, 2017, 6], ["L"], "id"]), JsonError::MissingField("remember")),
        (
            json!(["admin", "init", [2, 2017, 6], "Linux", "id", true]),
            JsonError::WrongType { field: "browser", expected: "an array of strings" },
        ),
        (
            json!(["admin", "init", [2, 2017, 6], ["L"], 5, true]),
            JsonError::WrongType { field: "clientId", expected: "a string" },
        ),
        (json!(["admin", "challenge", "a", "b"]), JsonError::MissingField("clientId")),
        (
            json!(["admin", "remember", "yes"]),
            JsonError::WrongType { field: "remember", expected: "a boolean" },
        ),
    ];
    for (v, want) in cases {
        assert_eq!(AdminRequest::from_value(&v), Err(want), "for {v}");
    }
}

#[test]
fn debug_hides_tokens() {
    let l = LoginRequest {
        client_token: "CLIENT-SECRET".into(),
        server_token: "SERVER-SECRET".into(),
        client_id: "id".into(),
        mode: LoginMode::Takeover,
    };
    let c = ChallengeAnswer {
        answer: "a".into(),
        server_token: "SERVER-SECRET".into(),
        client_id: "i".into(),
    };
    let text = format!("{:?} {:?}", AdminRequest::Login(l), c);
    assert!(!text.contains("SECRET"), "{text}");
    assert!(text.contains("<redacted>"));
}

#[test]
fn serde_goes_through_the_array_form() {
    let text = r#"["admin","Conn","reref"]"#;
    let req: AdminRequest = serde_json::from_str(text).unwrap();
    assert_eq!(req, AdminRequest::Reref);
    assert_eq!(serde_json::to_string(&req).unwrap(), text);
    assert!(serde_json::from_str::<AdminRequest>(r#"["admin","x"]"#).is_err());
}

#[test]
fn client_json_classifies_admin_and_queries() {
    let v = json!(["admin", "test"]);
    assert_eq!(ClientJson::from_value(&v), Ok(ClientJson::Admin(AdminRequest::Test)));
    let v = json!(["query", "exist", "1@c.us"]);
    assert_eq!(
        ClientJson::from_value(&v),
        Ok(ClientJson::Query(JsonQuery::Exist("1@c.us".into())))
    );
    assert_eq!(ClientJson::from_value(&v).unwrap().to_value(), v);
    assert_eq!(
        ClientJson::from_value(&json!(["Conn", {}])),
        Err(JsonError::UnknownCommand("Conn".into()))
    );
    assert_eq!(ClientJson::from_value(&json!("admin")), Err(JsonError::NotAnArray));
}

fn any_string() -> impl Strategy<Value = String> {
    "[ -~]{0,24}"
}

fn any_admin() -> impl Strategy<Value = AdminRequest> {
    let init = (
        prop::collection::vec(any::<u32>(), 0..4),
        prop::collection::vec(any_string(), 0..4),
        any_string(),
        any::<bool>(),
    )
        .prop_map(|(version, browser, client_id, remember)| {
            AdminRequest::Init(InitRequest { version, browser, client_id, remember })
        });
    let mode = prop_oneof![
        Just(LoginMode::Takeover),
        Just(LoginMode::Plain),
        any_string().prop_map(LoginMode::Reconnect),
        any_string().prop_map(LoginMode::ForceReconnect),
    ];
    let login = (any_string(), any_string(), any_string(), mode).prop_map(|(ct, st, id, mode)| {
        AdminRequest::Login(LoginRequest {
            client_token: ct,
            server_token: st,
            client_id: id,
            mode,
        })
    });
    let challenge = (any_string(), any_string(), any_string()).prop_map(|(a, s, c)| {
        AdminRequest::Challenge(ChallengeAnswer { answer: a, server_token: s, client_id: c })
    });
    prop_oneof![
        init,
        login,
        challenge,
        Just(AdminRequest::Reref),
        Just(AdminRequest::Disconnect),
        Just(AdminRequest::Test),
        any::<bool>().prop_map(AdminRequest::Remember),
    ]
}

proptest! {
    #[test]
    fn admin_round_trips(req in any_admin()) {
        prop_assert_eq!(AdminRequest::from_value(&req.to_value()), Ok(req.clone()));
        let text = serde_json::to_string(&req).unwrap();
        prop_assert_eq!(serde_json::from_str::<AdminRequest>(&text).unwrap(), req);
    }
}
