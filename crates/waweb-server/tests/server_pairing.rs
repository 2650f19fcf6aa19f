//! Pairing by QR through the admin API, restore with login and challenge, takeover, logout and
//! refused logins, against a real server over real websockets.

mod support;

use support::{wait_for, Client, TestServer};
use waweb_proto::crypto::SessionKeys;
use waweb_proto::session::{ClientConfig, ClientEvent, Credentials, DisconnectReason};
use waweb_server::store::SessionStore;

const ALICE: &str = "33612345678";

fn stored_keys(r: &waweb_server::store::WebSessionRecord) -> SessionKeys {
    SessionKeys { enc_key: r.enc_key, mac_key: r.mac_key }
}

#[tokio::test]
async fn scan_pairs_the_browser_and_stores_its_keys_and_tokens() {
    let server = TestServer::start().await;
    server.account(ALICE, "Alice").await;
    let mut client = Client::connect(server.addr, None).await;
    let qr = client.qr().await;
    let (status, body) = server.scan(&qr, ALICE).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["account"], ALICE);
    assert_eq!(body["clientId"], client.session.client_id());
    let (conn, creds, new_pairing) = wait_for(&mut client, |e| match e {
        ClientEvent::LoggedIn { conn, credentials, new_pairing } => {
            Some((conn.clone(), credentials.clone(), *new_pairing))
        }
        _ => None,
    })
    .await;
    assert!(new_pairing);
    assert_eq!(conn.wid.as_deref(), Some("33612345678@c.us"));
    assert_eq!(conn.pushname.as_deref(), Some("Alice"));
    assert!(conn.missing_for_go_whatsapp().is_empty());
    let record = server.store.session(&creds.client_id).await.unwrap().unwrap();
    assert_eq!(record.account, ALICE);
    assert_eq!(stored_keys(&record), creds.keys, "the keys the client derived are the stored ones");
    assert!(record.tokens_match(&creds.client_token, &creds.server_token));
    // The ref is no longer scannable once paired.
    assert_eq!(server.scan(&qr, ALICE).await.0, 404);
}

#[tokio::test]
async fn restore_logs_in_with_a_challenge_and_rotates_the_tokens() {
    let server = TestServer::start().await;
    server.account(ALICE, "Alice").await;
    let (client, first) = server.pair(ALICE).await;
    drop(client);
    let mut client = Client::connect(server.addr, Some(first.clone())).await;
    let (creds, new_pairing) = wait_for(&mut client, |e| match e {
        ClientEvent::LoggedIn { credentials, new_pairing, .. } => {
            Some((credentials.clone(), *new_pairing))
        }
        ClientEvent::Disconnected(r) => panic!("restore failed: {r:?}"),
        _ => None,
    })
    .await;
    assert!(!new_pairing);
    assert_eq!(creds.keys, first.keys);
    assert_ne!(creds.client_token, first.client_token);
    assert_ne!(creds.server_token, first.server_token);
    let record = server.store.session(&creds.client_id).await.unwrap().unwrap();
    assert!(record.tokens_match(&creds.client_token, &creds.server_token));
    assert!(!record.tokens_match(&first.client_token, &first.server_token));
    // Old tokens still restore, challenged (the client proves it holds the keys). Nothing is
    // rotated before that proof: the client gets the current pair.
    drop(client);
    let (_client, third) = server.restore(&first).await;
    assert_eq!(third.client_token, creds.client_token);
    assert_eq!(third.server_token, creds.server_token);
}

#[tokio::test]
async fn takeover_replaces_and_closes_the_older_session() {
    let server = TestServer::start().await;
    server.account(ALICE, "Alice").await;
    let (mut old, creds) = server.pair(ALICE).await;
    let (_new, _) = server.restore(&creds).await;
    let reason = wait_for(&mut old, |e| match e {
        ClientEvent::Disconnected(r) => Some(r.clone()),
        _ => None,
    })
    .await;
    assert_eq!(reason, DisconnectReason::Replaced);
    let (code, text) = old.closed().await;
    assert_eq!(code, 1000);
    assert!(text.contains("replaced"), "{text}");
}

#[tokio::test]
async fn reconnect_without_takeover_is_refused_while_another_pairing_is_active() {
    let server = TestServer::start().await;
    server.account(ALICE, "Alice").await;
    let (b, b_creds) = server.pair(ALICE).await;
    drop(b);
    // A new pairing is the account's one live session.
    let (_a, _) = server.pair(ALICE).await;
    let config = ClientConfig { takeover: false, ..ClientConfig::default() };
    let mut b = Client::connect_with(server.addr, Some(b_creds), config).await;
    let reason = wait_for(&mut b, |e| match e {
        ClientEvent::Disconnected(r) => Some(r.clone()),
        ClientEvent::LoggedIn { .. } => panic!("reconnect must not kick another pairing"),
        _ => None,
    })
    .await;
    assert_eq!(reason, DisconnectReason::InvalidSession(409));
}

#[tokio::test]
async fn logout_forgets_the_pairing_and_later_logins_get_401() {
    let server = TestServer::start().await;
    server.account(ALICE, "Alice").await;
    let (mut client, creds) = server.pair(ALICE).await;
    client.session.logout(support::client::now());
    let reason = wait_for(&mut client, |e| match e {
        ClientEvent::Disconnected(r) => Some(r.clone()),
        _ => None,
    })
    .await;
    assert_eq!(reason, DisconnectReason::LoggedOut);
    assert!(server.store.session(&creds.client_id).await.unwrap().is_none());
    assert_eq!(login_refusal(&server, creds).await, 401);
}

#[tokio::test]
async fn unknown_client_id_and_wrong_keys_are_refused() {
    let server = TestServer::start().await;
    server.account(ALICE, "Alice").await;
    let (_client, creds) = server.pair(ALICE).await;
    let stranger = Credentials { client_id: "bm90LWEtY2xpZW50".into(), ..creds.clone() };
    assert_eq!(login_refusal(&server, stranger).await, 401);
    // Right client id, wrong tokens and keys: the challenge cannot be answered.
    let forged = Credentials {
        client_token: "AAAA".into(),
        server_token: "1@AAAA".into(),
        keys: SessionKeys { enc_key: [7; 32], mac_key: [8; 32] },
        ..creds.clone()
    };
    assert_eq!(login_refusal(&server, forged).await, 401);
    let record = server.store.session(&creds.client_id).await.unwrap().unwrap();
    assert_eq!(stored_keys(&record), creds.keys);
    // A failed challenge changes nothing: the real browser's tokens are still current.
    assert!(record.tokens_match(&creds.client_token, &creds.server_token));
}

async fn login_refusal(server: &TestServer, creds: Credentials) -> u16 {
    let mut client = Client::connect(server.addr, Some(creds)).await;
    wait_for(&mut client, |e| match e {
        ClientEvent::Disconnected(DisconnectReason::InvalidSession(s)) => Some(*s),
        ClientEvent::Disconnected(r) => panic!("unexpected end: {r:?}"),
        ClientEvent::LoggedIn { .. } => panic!("the login must be refused"),
        _ => None,
    })
    .await
}

/// A browser that chose its client id: a bare websocket that sends `admin init` with `client_id`
/// and returns the QR string it would show (with a made-up public key), and the socket.
async fn init_with_client_id(server: &TestServer, client_id: &str) -> (String, impl std::any::Any) {
    use futures_util::{SinkExt, StreamExt};
    use tokio_tungstenite::tungstenite::Message;
    let (mut ws, _) =
        tokio_tungstenite::connect_async(format!("ws://{}/ws", server.addr)).await.unwrap();
    let init =
        format!(r#"t1,["admin","init",[2,2142,12],["Evil","Chrome","1"],"{client_id}",true]"#);
    ws.send(Message::text(init)).await.unwrap();
    let answer = loop {
        match tokio::time::timeout(std::time::Duration::from_secs(10), ws.next()).await.unwrap() {
            Some(Ok(Message::Text(t))) if t.starts_with("t1,") => break t.to_string(),
            Some(Ok(_)) => {}
            other => panic!("no init answer: {other:?}"),
        }
    };
    let body: serde_json::Value = serde_json::from_str(&answer[3..]).unwrap();
    let r#ref = body["ref"].as_str().unwrap_or_else(|| panic!("no ref in {answer}"));
    let key = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
    (format!("{ref},{key},{client_id}"), ws)
}

#[tokio::test]
async fn a_paired_client_id_scanned_again_is_refused_and_the_owner_keeps_its_pairing() {
    const BOB: &str = "33698765432";
    let server = TestServer::start().await;
    server.account(ALICE, "Alice").await;
    server.account(BOB, "Bob").await;
    let (bob_client, bob_creds) = server.pair(BOB).await;
    drop(bob_client);

    // A second browser claims Bob's client id; Alice's phone, then Bob's, scan it.
    let refused = serde_json::json!({
        "status": 409,
        "message": "refused: this client id is paired already"
    });
    for phone in [ALICE, BOB] {
        let (qr, _socket) = init_with_client_id(&server, &bob_creds.client_id).await;
        assert_eq!(server.scan(&qr, phone).await, (409, refused.clone()), "scanned by {phone}");
    }
    let record = server.store.session(&bob_creds.client_id).await.unwrap().unwrap();
    assert_eq!(record.account, BOB);
    assert!(server.store.sessions_of(ALICE).await.unwrap().is_empty());

    // Bob's browser restores with its current tokens, as Bob.
    let mut client = Client::connect(server.addr, Some(bob_creds.clone())).await;
    let wid = wait_for(&mut client, |e| match e {
        ClientEvent::LoggedIn { conn, new_pairing, .. } => Some((conn.wid.clone(), *new_pairing)),
        ClientEvent::Disconnected(r) => panic!("Bob's restore failed: {r:?}"),
        _ => None,
    })
    .await;
    assert_eq!(wid, (Some(format!("{BOB}@c.us")), false));
}
