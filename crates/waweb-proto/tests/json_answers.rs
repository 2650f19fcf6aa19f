//! Answers to the JSON queries of the protocol reference, §7.2 (`exist`, `Status`,
//! `ProfilePicThumb`, `mediaConn`, `GroupMetadata`): parsed, checked and written back identically.

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};
use waweb_proto::json::contact::{AboutResponse, AboutStatus, ExistResponse, ProfilePicResponse};
use waweb_proto::json::group::GroupMetadata;
use waweb_proto::json::media_conn::MediaConnResponse;

fn exact<T: DeserializeOwned + Serialize>(text: &str) -> T {
    let parsed: T = serde_json::from_str(text).unwrap();
    assert_eq!(serde_json::to_string(&parsed).unwrap(), text);
    parsed
}

#[test]
fn exist_found_and_not_found() {
    let r: ExistResponse = exact(r#"{"status":200,"jid":"33698765432@c.us","biz":false}"#);
    assert_eq!(r, ExistResponse::found("33698765432@c.us", false));
    let r: ExistResponse = exact(r#"{"status":404}"#);
    assert_eq!(r, ExistResponse::not_found());
}

#[test]
fn about_is_a_string_status_or_an_error_code() {
    let r: AboutResponse = exact(r#"{"status":"Hey there! I am using WhatsApp."}"#);
    assert_eq!(r.status, AboutStatus::Text("Hey there! I am using WhatsApp.".into()));
    let r: AboutResponse = exact(r#"{"status":404}"#);
    assert_eq!(r.status, AboutStatus::Code(404));
    assert!(serde_json::from_str::<AboutResponse>(r#"{"status":true}"#).is_err());
}

#[test]
fn profile_pic_forms() {
    let r: ProfilePicResponse = exact(r#"{"tag":"1430075072"}"#);
    assert_eq!((r.status, r.eurl, r.tag.as_deref()), (None, None, Some("1430075072")));
    let r: ProfilePicResponse = exact(
        r#"{"eurl":"https://pps.example/v/t61.2885-24/x.jpg?oe=5EC0&i=1430075072","tag":"1430075072"}"#,
    );
    assert!(r.eurl.unwrap().contains("i=1430075072"));
    let r: ProfilePicResponse = exact(r#"{"status":401}"#);
    assert_eq!(r.status, Some(401));
}

#[test]
fn media_conn() {
    let text = r#"{"status":200,"media_conn":{"auth":"AUTHTOKEN","ttl":300,"auth_ttl":21600,"hosts":[{"hostname":"mmg.whatsapp.net","ips":[]}]}}"#;
    let r: MediaConnResponse = exact(text);
    assert_eq!(r.media_conn.auth, "AUTHTOKEN");
    assert_eq!((r.media_conn.ttl, r.media_conn.auth_ttl), (300, Some(21600)));
    assert_eq!(r.media_conn.hosts[0].hostname, "mmg.whatsapp.net");
    let built = MediaConnResponse::single_host("AUTHTOKEN", 300, "mmg.whatsapp.net");
    assert_eq!(built.media_conn.hosts, r.media_conn.hosts);
    let no_hosts = json!({"status":200,"media_conn":{"auth":"a","ttl":1}});
    assert!(serde_json::from_value::<MediaConnResponse>(no_hosts).is_err());
}

#[test]
fn group_metadata() {
    let text = r#"{"id":"33612345678-1509911919@g.us","owner":"33612345678@c.us","subject":"Famille","creation":1509911919,"participants":[{"id":"33612345678@c.us","isAdmin":true,"isSuperAdmin":true},{"id":"33698765432@c.us","isAdmin":false,"isSuperAdmin":false}],"subjectTime":1509911919,"subjectOwner":"33612345678@c.us","desc":"Bonjour","descId":"3EB0DDDD","descTime":1509912000,"descOwner":"33612345678@c.us","restrict":"false"}"#;
    let g: GroupMetadata = exact(text);
    assert_eq!(g.id, "33612345678-1509911919@g.us");
    assert_eq!(g.subject.as_deref(), Some("Famille"));
    assert_eq!(g.creation, Some(1509911919));
    assert_eq!(g.participants.len(), 2);
    assert!(g.participants[0].is_super_admin);
    assert!(!g.participants[1].is_admin);
    assert_eq!(g.extra["restrict"], Value::from("false"));
    let missing: GroupMetadata = serde_json::from_str(r#"{"id":"x@g.us","status":404}"#).unwrap();
    assert_eq!(missing.status, Some(404));
}
