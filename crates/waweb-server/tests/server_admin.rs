//! The admin API: authentication, health, accounts, scan errors, and the HTTP logout.

mod support;

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use serde_json::json;
use support::http::request;
use support::{wait_for, Client, TestServer};
use waweb_proto::binary::jid::PHONE_RULE;
use waweb_proto::crypto::logout_token;
use waweb_proto::session::{ClientEvent, DisconnectReason};
use waweb_server::store::{AccountStore, SessionStore};

#[tokio::test]
async fn every_route_but_health_needs_the_bearer_token() {
    let server = TestServer::start().await;
    let (status, body) = request(server.addr, "GET", "/admin/health", None, None).await;
    assert_eq!(status, 200);
    assert_eq!(body, json!({"status": "ok", "connections": 0}));
    for (method, path) in
        [("GET", "/admin/accounts"), ("POST", "/admin/scan"), ("DELETE", "/admin/accounts/1")]
    {
        let (status, _) = request(server.addr, method, path, None, None).await;
        assert_eq!(status, 401, "{method} {path} without a token");
        let (status, _) = request(server.addr, method, path, Some("not-the-token"), None).await;
        assert_eq!(status, 401, "{method} {path} with a wrong token");
    }
    let (status, body) =
        request(server.addr, "GET", "/admin/accounts", Some(&server.token), None).await;
    assert_eq!((status, body), (200, json!([])));
}

#[tokio::test]
async fn the_token_file_is_created_private_and_reused() {
    let server = TestServer::start().await;
    let path = server.dir.path().join("data").join("admin-token");
    let on_disk = std::fs::read_to_string(&path).unwrap();
    assert_eq!(on_disk.trim(), server.token);
    assert_eq!(server.token.len(), 64);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
    }
    let mut config = waweb_server::Config::new(server.dir.path().join("data"));
    config.listen = "127.0.0.1:0".parse().unwrap();
    let (stopped, _dir) = server.stop_keeping_data().await;
    stopped.unwrap();
    let again = waweb_server::Server::bind(config).await.unwrap();
    assert_eq!(again.admin_token(), on_disk.trim());
}

#[tokio::test]
async fn accounts_are_created_listed_and_removed() {
    let server = TestServer::start().await;
    let t = Some(server.token.as_str());
    let alice = json!({"phone": "33612345678", "name": "Alice"});
    let (status, body) = request(server.addr, "POST", "/admin/accounts", t, Some(&alice)).await;
    assert_eq!(status, 201);
    assert_eq!(body["jid"], "33612345678@c.us");
    assert_eq!(request(server.addr, "POST", "/admin/accounts", t, Some(&alice)).await.0, 409);
    let bad = json!({"phone": "+33 6", "name": "X"});
    assert_eq!(request(server.addr, "POST", "/admin/accounts", t, Some(&bad)).await.0, 400);
    let (status, body) = request(server.addr, "GET", "/admin/accounts", t, None).await;
    assert_eq!(status, 200);
    assert_eq!(body, json!([{"phone": "33612345678", "name": "Alice", "jid": "33612345678@c.us"}]));

    // Removing the account logs its browser out.
    let (mut client, _) = server.pair("33612345678").await;
    let (status, body) =
        request(server.addr, "DELETE", "/admin/accounts/33612345678", t, None).await;
    assert_eq!((status, body["kicked"].clone()), (200, json!(1)));
    let reason = wait_for(&mut client, |e| match e {
        ClientEvent::Disconnected(r) => Some(r.clone()),
        _ => None,
    })
    .await;
    assert_eq!(reason, DisconnectReason::RemovedByPhone);
    assert!(server.store.account("33612345678").await.unwrap().is_none());
    let listed = request(server.addr, "GET", "/admin/accounts", t, None).await;
    assert_eq!(listed, (200, json!([])), "the removal shows at once");
    assert_eq!(request(server.addr, "DELETE", "/admin/accounts/33612345678", t, None).await.0, 404);
}

#[tokio::test]
async fn phones_and_names_longer_than_whatsapp_allows_are_refused() {
    let server = TestServer::start().await;
    let t = Some(server.token.as_str());
    let create = |phone: String, name: String| {
        let body = json!({"phone": phone, "name": name});
        async move { request(server.addr, "POST", "/admin/accounts", t, Some(&body)).await }
    };
    let refused = |field: &str, limit: &str| json!({"status": 400, "message": format!("invalid {field}: at most {limit}")});
    let digits = |n: usize| "1".repeat(n);
    let too_long = |n: usize| {
        let (status, body) =
            (400, format!("invalid phone {:?}: too long; {PHONE_RULE}", digits(n.min(30))));
        (status, json!({"status": 400, "message": body}))
    };
    assert_eq!(create(digits(16), "A".into()).await, too_long(16));
    assert_eq!(create(digits(1000), "A".into()).await, too_long(1000));
    let long_name = "ü".repeat(26);
    assert_eq!(create(digits(15), long_name).await, (400, refused("name", "25 characters")));
    let huge_name = "x".repeat(1 << 20);
    assert_eq!(create(digits(15), huge_name).await, (400, refused("name", "25 characters")));
    let (status, body) = create(digits(15), "ü".repeat(25)).await;
    assert_eq!((status, body["name"].clone()), (201, json!("ü".repeat(25))));
    let (_, listed) = request(server.addr, "GET", "/admin/accounts", t, None).await;
    assert_eq!(listed.as_array().map(Vec::len), Some(1), "only the valid account: {listed}");
}

#[tokio::test]
async fn phone_numbers_that_are_not_e164_are_refused_with_the_rule() {
    let server = TestServer::start().await;
    let t = Some(server.token.as_str());
    let refusals = [
        ("1", "too short"),
        ("12", "too short"),
        ("123456", "too short"),
        ("033612345678", "it starts with 0"),
        ("+33612345678", "only digits are allowed"),
        ("336 1234 5678", "only digits are allowed"),
        ("", "none given"),
    ];
    for (phone, why) in refusals {
        let body = json!({"phone": phone, "name": "X"});
        let (status, answer) =
            request(server.addr, "POST", "/admin/accounts", t, Some(&body)).await;
        assert_eq!(status, 400, "{phone:?}: {answer}");
        let message = answer["message"].as_str().unwrap();
        assert!(message.starts_with("invalid phone") && message.contains(why), "{message}");
        assert!(message.contains("7 to 15 digits, country code first"), "{message}");
    }
    let (_, listed) = request(server.addr, "GET", "/admin/accounts", t, None).await;
    assert_eq!(listed, json!([]));
    // The shortest numbers in use have seven digits (Niue, Tokelau).
    let niue = json!({"phone": "6834002", "name": "Niue"});
    let (status, body) = request(server.addr, "POST", "/admin/accounts", t, Some(&niue)).await;
    assert_eq!((status, body["jid"].clone()), (201, json!("6834002@c.us")));
}

#[tokio::test]
async fn scan_refuses_malformed_qr_unknown_refs_and_unknown_accounts() {
    let server = TestServer::start().await;
    server.account("111", "Alice").await;
    assert_eq!(server.scan("not a qr", "111").await.0, 400);
    let key = B64.encode([9u8; 32]);
    assert_eq!(server.scan(&format!("1@nobody,{key},abc"), "111").await.0, 404);
    let mut client = Client::connect(server.addr, None).await;
    let qr = client.qr().await;
    assert_eq!(server.scan(&qr, "999").await.0, 404);
    let (status, body) =
        request(server.addr, "POST", "/admin/scan", Some(&server.token), Some(&json!({"qr": qr})))
            .await;
    assert_eq!(status, 400, "{body}");
    // The QR is still valid after the refusals.
    assert_eq!(server.scan(&qr, "111").await.0, 200);
    client.logged_in().await;
    let (_, body) = request(server.addr, "GET", "/admin/health", None, None).await;
    assert_eq!(body["connections"], 1);
}

#[tokio::test]
async fn http_logout_needs_the_browser_token_and_the_logout_token() {
    let server = TestServer::start().await;
    server.account("111", "Alice").await;
    let mut client = Client::connect(server.addr, None).await;
    let qr = client.qr().await;
    assert_eq!(server.scan(&qr, "111").await.0, 200);
    let (browser_token, creds) = wait_for(&mut client, |e| match e {
        ClientEvent::LoggedIn { conn, credentials, .. } => {
            Some((conn.browser_token.clone().unwrap(), credentials.clone()))
        }
        _ => None,
    })
    .await;
    let m = B64.encode(logout_token(&creds.keys));
    let url = |t: &str, m: &str| format!("/logout?t={}&m={}", pct(t), pct(m));
    let wrong = B64.encode([0u8; 32]);
    assert_eq!(request(server.addr, "POST", &url(&browser_token, &wrong), None, None).await.0, 401);
    assert_eq!(request(server.addr, "POST", &url("1@nope", &m), None, None).await.0, 401);
    assert_eq!(request(server.addr, "POST", &url(&browser_token, &m), None, None).await.0, 200);
    assert!(server.store.session(&creds.client_id).await.unwrap().is_none());
    let reason = wait_for(&mut client, |e| match e {
        ClientEvent::Disconnected(r) => Some(r.clone()),
        _ => None,
    })
    .await;
    assert_eq!(reason, DisconnectReason::RemovedByPhone);
}

/// Percent-encodes the base64 characters that are not URL-safe.
fn pct(s: &str) -> String {
    s.replace('+', "%2B").replace('/', "%2F").replace('=', "%3D").replace('@', "%40")
}
