//! Server answers: the `admin init` reply (with its float `time`), `reref` replies and the generic
//! `{"status":…}` object — every literal example, text-exact where the reference gives the text.

use serde_json::{json, Value};
use waweb_proto::json::response::{InitResponse, RerefResponse, StatusResponse};
use waweb_proto::json::JsonError;

/// Parses `text`, checks that serialization reproduces it byte for byte and as a JSON value.
fn exact<T>(text: &str) -> T
where
    T: serde::de::DeserializeOwned + serde::Serialize,
{
    let parsed: T = serde_json::from_str(text).unwrap();
    let back = serde_json::to_string(&parsed).unwrap();
    assert_eq!(back, text);
    assert_eq!(
        serde_json::from_str::<Value>(&back).unwrap(),
        serde_json::from_str::<Value>(text).unwrap()
    );
    parsed
}

#[test]
fn seed_init_response() {
    let r: InitResponse = exact(
        r#"{"status":200,"ref":"1@xxxxxxxxxxxxxxxxxxxxxxxxxxxx","ttl":20000,"update":false,"curr":"2.2017.6","time":1588861531330.0}"#,
    );
    assert_eq!(r.status, 200);
    assert_eq!(r.r#ref, "1@xxxxxxxxxxxxxxxxxxxxxxxxxxxx");
    assert_eq!(r.ttl, 20000);
    assert_eq!(r.update, Value::Bool(false));
    assert_eq!(r.curr, "2.2017.6");
    assert_eq!(r.time, 1588861531330.0);
}

#[test]
fn time_is_written_as_a_float_like_the_real_server() {
    let r = InitResponse::new("1@r", 20000, "2.2017.6", 1515592039037.0);
    let text = serde_json::to_string(&r).unwrap();
    assert_eq!(
        text,
        r#"{"status":200,"ref":"1@r","ttl":20000,"update":false,"curr":"2.2017.6","time":1515592039037.0}"#
    );
}

#[test]
fn n16_init_response() {
    let r: InitResponse = exact(
        r#"{"status":200,"ref":"0@…","ttl":20000,"update":false,"curr":"0.2.2730","time":1481798371929.0}"#,
    );
    assert_eq!(r.curr, "0.2.2730");
    assert_eq!(r.time, 1481798371929.0);
}

#[test]
fn appendix_a_init_responses() {
    let r: InitResponse = exact(
        r#"{"status":200,"ref":"1@waweb-test-ref","ttl":20000,"update":false,"curr":"2.2142.12","time":1588844230123.0}"#,
    );
    assert_eq!(r.r#ref, "1@waweb-test-ref");
    let r: InitResponse = exact(
        r#"{"status":200,"ref":"1@…","ttl":20000,"update":false,"curr":"2.2142.12","time":1588900000050.0}"#,
    );
    assert_eq!(r.time, 1588900000050.0);
}

#[test]
fn init_response_accepts_integer_time_float_ttl_and_numeric_update() {
    let v = json!({"status":200.0,"ref":"r","ttl":20000.0,"update":3,"curr":"c","time":5});
    let r: InitResponse = serde_json::from_value(v).unwrap();
    assert_eq!((r.status, r.ttl, r.time), (200, 20000, 5.0));
    assert_eq!(r.update, json!(3));
}

#[test]
fn init_response_without_ref_is_rejected() {
    let v = json!({"status":200,"ttl":20000,"update":false,"curr":"c","time":5.0});
    let err = serde_json::from_value::<InitResponse>(v).unwrap_err();
    assert!(err.to_string().contains("ref"), "{err}");
    let v = json!({"status":200,"ref":"r","ttl":20000.5,"update":false,"curr":"c","time":5.0});
    assert!(serde_json::from_value::<InitResponse>(v).is_err());
}

#[test]
fn reref_200_304_429() {
    let r: RerefResponse = exact(r#"{"status":200,"ref":"1@waweb-test-ref-2","ttl":20000}"#);
    assert_eq!(r, RerefResponse::new_ref("1@waweb-test-ref-2", 20000));
    let r: RerefResponse = exact(r#"{"status":200,"ref":"0@/ZQp…","ttl":20000}"#);
    assert_eq!(r.r#ref.as_deref(), Some("0@/ZQp…"));
    let r: RerefResponse = exact(r#"{"status":304}"#);
    assert_eq!(r, RerefResponse::with_status(304));
    let r: RerefResponse = exact(r#"{"status":429}"#);
    assert_eq!((r.status, r.r#ref, r.ttl), (429, None, None));
}

#[test]
fn status_responses() {
    let r: StatusResponse = exact(r#"{"status":200}"#);
    assert_eq!(r, StatusResponse::ok());
    assert!(r.is_success());
    let r: StatusResponse = exact(r#"{"status":200,"t":1588900010}"#);
    assert_eq!(r, StatusResponse::ok().with("t", 1588900010));
    let r: StatusResponse = exact(r#"{"status":200,"t":1481879714}"#);
    assert_eq!(r.extra["t"], 1481879714);
    let r: StatusResponse = exact(r#"{"status":419}"#);
    assert_eq!(r, StatusResponse::with_status(419));
    assert!(!r.is_success());
    let r: StatusResponse = exact(r#"{"status":401}"#);
    assert_eq!(r.status, 401);
}

#[test]
fn status_must_be_a_number() {
    // `["query","Status",jid]` is answered with a *string* status; it is not a StatusResponse.
    let err = serde_json::from_str::<StatusResponse>(r#"{"status":"Hey there!"}"#).unwrap_err();
    let err = JsonError::from(err);
    assert!(matches!(err, JsonError::Serde(_)), "{err:?}");
    assert!(serde_json::from_str::<StatusResponse>(r#"{"t":1}"#).is_err());
    assert!(serde_json::from_str::<StatusResponse>(r#"{"status":70000}"#).is_err());
}
