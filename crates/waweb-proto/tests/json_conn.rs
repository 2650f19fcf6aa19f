//! `["Conn",{…}]`: the seed's full object, the reference's pairing/restore/update forms, unknown
//! members kept, secrets kept out of `Debug`, and a proptest round trip.

use proptest::prelude::*;
use serde_json::{json, Map, Value};
use waweb_proto::json::conn::{Conn, Phone};
use waweb_proto::json::push::ServerPush;

const SEED_CONN: &str = r#"["Conn", {
    "ref": "1@<ref>",
    "wid": "<phone id>",
    "connected": true,
    "isResponse": "false",
    "serverToken": "1@<server token>",
    "browserToken": "<browser token>",
    "clientToken": "<client token>",
    "lc": "FR",
    "lg": "fr",
    "locales": "fr-FR,en-GB,de-DE",
    "is24h": true,
    "secret": "<secret key>",
    "protoVersion": [0, 17],
    "binVersion": 11,
    "battery": 30,
    "plugged": false,
    "platform": "android",
    "features": {
        "URL": true,
        "FLAGS": "EAEYASgBOAFAAUgBWAFgAWgBeAGYAQGgAQGwAQK4AQHIAQHYAQHoAQLwAQP4AQOIAgE="
    },
    "phone": {
        "wa_version": "2.20.140",
        "mcc": "208",
        "mnc": "015",
        "os_version": "10",
        "device_manufacturer": "Xiaomi",
        "device_model": "sagit",
        "os_build_number": "lineage_sagit-userdebug 10 QQ2A.200405.005 7e35f894ba"
    },
    "pushname": "Albert",
    "tos": 0
}]"#;

const A1_CONN: &str = r#"["Conn",{"ref":"1@waweb-test-ref-2","wid":"33612345678@c.us","connected":true,"isResponse":"false",
      "serverToken":"1@…","browserToken":"1@…","clientToken":"…=","lc":"FR","lg":"fr","locales":"fr-FR",
      "is24h":true,"secret":"WGmv9FBUlzLLqu1eXfmzCm2jHLDldCutWtShp2jxpns9xqc6c/l4+7qfjiEXF1bMrxacbbzKQIEeXhNGLV++z2hekgfGQCWXbSt+zcVpIPmhFyaMm8irQfHLy2rd560beQeJOzscnCNoPP7sMULVvs8aZOMrD3jQr5egxT4H0WUl2Pv9JVbgHR7mJ2G1VpZT",
      "protoVersion":[0,17],"binVersion":11,"battery":80,"plugged":false,"platform":"android",
      "features":{"URL":true},"phone":{"wa_version":"2.20.140","mcc":"208","mnc":"015","os_version":"10",
      "device_manufacturer":"waweb","device_model":"server","os_build_number":"1"},"pushname":"Albert","tos":0}]"#;

/// Parses a `["Conn",…]` frame, checks the value round trip, returns the body.
fn conn(text: &str) -> Conn {
    let v: Value = serde_json::from_str(text).unwrap();
    let ServerPush::Conn(c) = ServerPush::from_value(&v).unwrap() else { panic!("not Conn") };
    assert_eq!(ServerPush::Conn(c.clone()).to_value(), v);
    *c
}

/// As [`conn`], and the compact text is identical too: the model's field order is the 2020
/// server's. (The 2016 server put `phone` before `features`.)
fn conn_exact(text: &str) -> Conn {
    let c = conn(text);
    let v: Value = serde_json::from_str(text).unwrap();
    let back = ServerPush::Conn(Box::new(c.clone())).to_value();
    assert_eq!(serde_json::to_string(&back).unwrap(), serde_json::to_string(&v).unwrap());
    c
}

#[test]
fn seed_conn_every_field() {
    let c = conn_exact(SEED_CONN);
    assert_eq!(c.r#ref.as_deref(), Some("1@<ref>"));
    assert_eq!(c.wid.as_deref(), Some("<phone id>"));
    assert_eq!(c.connected, Some(true));
    assert_eq!(c.is_response, Some(false));
    assert_eq!(c.server_token.as_deref(), Some("1@<server token>"));
    assert_eq!(c.browser_token.as_deref(), Some("<browser token>"));
    assert_eq!(c.client_token.as_deref(), Some("<client token>"));
    assert_eq!((c.lc.as_deref(), c.lg.as_deref()), (Some("FR"), Some("fr")));
    assert_eq!(c.locales.as_deref(), Some("fr-FR,en-GB,de-DE"));
    assert_eq!(c.is_24h, Some(true));
    assert_eq!(c.secret.as_deref(), Some("<secret key>"));
    assert_eq!(c.proto_version, Some(vec![0, 17]));
    assert_eq!(c.bin_version, Some(11));
    assert_eq!(c.battery, Some(30));
    assert_eq!(c.plugged, Some(false));
    assert_eq!(c.platform.as_deref(), Some("android"));
    let features = c.features.as_ref().unwrap();
    assert_eq!(features["URL"], true);
    let phone = c.phone.as_ref().unwrap();
    assert_eq!(
        phone,
        &Phone::new(
            "2.20.140",
            "208",
            "015",
            "10",
            "Xiaomi",
            "sagit",
            "lineage_sagit-userdebug 10 QQ2A.200405.005 7e35f894ba"
        )
    );
    assert_eq!(c.pushname.as_deref(), Some("Albert"));
    assert_eq!(c.tos, Some(0));
    assert_eq!(c.smb_tos, None);
    assert!(c.extra.is_empty());
    assert!(c.missing_for_go_whatsapp().is_empty());
}

#[test]
fn unknown_members_are_kept_in_order() {
    let text = SEED_CONN.replace(
        r#""tos": 0"#,
        r#""tos": 0, "smbTos": 1, "unknownField": {"nested": [1, "x"]}, "zzz": null"#,
    );
    let c = conn_exact(&text);
    assert_eq!(c.smb_tos, Some(1));
    assert_eq!(c.extra.len(), 2);
    assert_eq!(c.extra["unknownField"], json!({"nested": [1, "x"]}));
    assert_eq!(c.extra["zzz"], Value::Null);

    let phone = r#"["Conn",{"phone":{"wa_version":"2","mcc":"208","new_phone_field":true}}]"#;
    let c = conn(phone);
    assert_eq!(c.phone.unwrap().extra["new_phone_field"], true);
}

#[test]
fn appendix_a_pairing_conn() {
    let c = conn_exact(A1_CONN);
    assert_eq!(c.wid.as_deref(), Some("33612345678@c.us"));
    assert_eq!(c.secret.as_deref().map(str::len), Some(192));
    assert_eq!(c.battery, Some(80));
    assert!(c.missing_for_go_whatsapp().is_empty());
}

#[test]
fn restore_conn_has_is_response_true_and_no_secret() {
    let text = r#"["Conn",{"ref":"0@…","wid":"391234567890@c.us","connected":true,"isResponse":"true","serverToken":"0@16tp…","browserToken":"0@hJe7…","clientToken":"pjZK…="}]"#;
    let c = conn_exact(text);
    assert_eq!(c.is_response, Some(true));
    assert_eq!(c.secret, None);
    assert_eq!(c.server_token.as_deref(), Some("0@16tp…"));
    assert_eq!(
        c.missing_for_go_whatsapp(),
        ["battery", "platform", "pushname", "lc", "lg", "plugged", "tos", "phone"]
    );
}

#[test]
fn n16_partial_update() {
    // The reference elides `phone` and `features` with `…`; filled in minimally here.
    let text = r#"["Conn",{"protoVersion":[0,11],"binVersion":7,"phone":{"wa_version":"2.16.352"},"features":{"DOC_TYPES":"csv,doc","URL":true},"pushname":"E"}]"#;
    let c = conn(text);
    assert_eq!(c.proto_version, Some(vec![0, 11]));
    assert_eq!(c.bin_version, Some(7));
    assert_eq!(c.pushname.as_deref(), Some("E"));
    assert_eq!(c.wid, None);
}

#[test]
fn lenient_inputs() {
    let v = json!({"isResponse": true, "battery": 30.0, "protoVersion": [0.0, 17], "tos": null});
    let c: Conn = serde_json::from_value(v).unwrap();
    assert_eq!((c.is_response, c.battery, c.tos), (Some(true), Some(30), None));
    assert_eq!(c.proto_version, Some(vec![0, 17]));
    // Written back in the wire's string form.
    assert_eq!(serde_json::to_value(&c).unwrap()["isResponse"], "true");

    for bad in [json!({"isResponse": "yes"}), json!({"battery": 30.5}), json!({"wid": 5})] {
        assert!(serde_json::from_value::<Conn>(bad.clone()).is_err(), "{bad}");
    }
}

#[test]
fn debug_redacts_secret_and_tokens() {
    let c = conn(SEED_CONN);
    let text = format!("{c:?}");
    for secret in ["<secret key>", "<server token>", "<browser token>", "<client token>"] {
        assert!(!text.contains(secret), "{secret} leaked: {text}");
    }
    assert!(text.contains("Albert"));
    assert!(text.contains("secret: Some(<redacted>)"));
}

fn opt<T: std::fmt::Debug>(s: impl Strategy<Value = T>) -> impl Strategy<Value = Option<T>> {
    prop::option::of(s)
}

fn text() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9@.+/= -]{0,16}"
}

fn any_phone() -> impl Strategy<Value = Phone> {
    (opt(text()), opt(text()), opt(text()), opt(text()), opt(text()), opt(text()), opt(text()))
        .prop_map(|(a, b, c, d, e, f, g)| Phone {
            wa_version: a,
            mcc: b,
            mnc: c,
            os_version: d,
            device_manufacturer: e,
            device_model: f,
            os_build_number: g,
            extra: Map::new(),
        })
}

fn any_extra() -> impl Strategy<Value = Map<String, Value>> {
    let value = prop_oneof![
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        text().prop_map(Value::from),
    ];
    prop::collection::btree_map("x_[a-z]{1,6}", value, 0..3).prop_map(|m| m.into_iter().collect())
}

prop_compose! {
    fn any_conn()(
        strings in (opt(text()), opt(text()), opt(text()), opt(text()), opt(text()), opt(text()),
                    opt(text()), opt(text()), opt(text())),
        more in (opt(text()), opt(text())),
        flags in (opt(any::<bool>()), opt(any::<bool>()), opt(any::<bool>()), opt(any::<bool>())),
        numbers in (opt(prop::collection::vec(any::<u32>(), 0..3)), opt(any::<u32>()),
                    opt(any::<u32>()), opt(any::<u32>()), opt(any::<u32>())),
        features in opt(any_extra()),
        phone in opt(any_phone()),
        extra in any_extra(),
    ) -> Conn {
        let (r#ref, wid, server_token, browser_token, client_token, lc, lg, locales, secret) = strings;
        let (platform, pushname) = more;
        let (connected, is_response, is_24h, plugged) = flags;
        let (proto_version, bin_version, battery, tos, smb_tos) = numbers;
        Conn {
            r#ref, wid, connected, is_response, server_token, browser_token, client_token, lc, lg,
            locales, is_24h, secret, proto_version, bin_version, battery, plugged, platform,
            features, phone, pushname, tos, smb_tos, extra,
        }
    }
}

proptest! {
    #[test]
    fn conn_round_trips(c in any_conn()) {
        let v = serde_json::to_value(&c).unwrap();
        prop_assert_eq!(serde_json::from_value::<Conn>(v.clone()).unwrap(), c.clone());
        let push = ServerPush::Conn(Box::new(c.clone()));
        prop_assert_eq!(ServerPush::from_value(&push.to_value()).unwrap(), push);
    }
}
