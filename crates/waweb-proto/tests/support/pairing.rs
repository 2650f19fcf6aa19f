//! A client paired with a server over a [`Wire`]: the starting point of the session tests.

#![allow(dead_code)]

use rand::rngs::StdRng;
use rand::SeedableRng;
use waweb_proto::crypto::SessionKeys;
use waweb_proto::json::blocklist::Blocklist;
use waweb_proto::json::conn::Conn;
use waweb_proto::json::props::Props;
use waweb_proto::session::{ClientEvent, Credentials, Handshake, QrCode, ServerEvent};

use super::wire::Wire;

pub fn conn_for(wid: &str, client_token: &str, server_token: &str) -> Conn {
    Conn {
        wid: Some(wid.to_string()),
        pushname: Some("Alice".to_string()),
        client_token: Some(client_token.to_string()),
        server_token: Some(server_token.to_string()),
        browser_token: Some("browser-token".to_string()),
        connected: Some(true),
        ..Conn::default()
    }
}

pub fn handshake(keys: &SessionKeys, ct: &str, st: &str) -> Handshake {
    Handshake {
        conn: conn_for("33612345678@c.us", ct, st),
        keys: keys.clone(),
        blocklist: Blocklist { id: 1, blocklist: vec![] },
        props: Props::seed_defaults(),
    }
}

/// Pairs a fresh client; returns the wire and the client's credentials.
pub fn paired(seed: u64) -> (Wire, Credentials) {
    let mut w = Wire::new(None, seed);
    w.client.start(w.now);
    w.run_for(10);
    let qr = w
        .take_client_events()
        .into_iter()
        .find_map(|e| match e {
            ClientEvent::Qr { code, .. } => Some(code),
            _ => None,
        })
        .expect("a QR event");
    let qr = QrCode::parse(&qr).expect("a valid QR string");
    let server_ref = w
        .take_server_events()
        .into_iter()
        .find_map(|e| match e {
            ServerEvent::AwaitingScan { r#ref, .. } => Some(r#ref),
            _ => None,
        })
        .expect("an AwaitingScan event");
    assert_eq!(qr.r#ref, server_ref);
    assert_eq!(w.server.scannable_ref(w.now), Some(server_ref.as_str()));
    assert_eq!(qr.client_id, w.client.client_id());

    let keys = SessionKeys::generate(&mut StdRng::seed_from_u64(seed + 7));
    w.server.pair(w.now, &qr.public_key, handshake(&keys, "ct-1", "st-1")).expect("a QR is shown");
    w.run_for(1_000);
    let creds = w
        .take_client_events()
        .into_iter()
        .find_map(|e| match e {
            ClientEvent::LoggedIn { credentials, new_pairing: true, conn } => {
                assert_eq!(conn.pushname.as_deref(), Some("Alice"));
                Some(credentials)
            }
            _ => None,
        })
        .expect("LoggedIn after the scan");
    assert_eq!(creds.keys, keys, "the client derived the keys the server chose");
    assert_eq!(creds.client_token, "ct-1");
    assert_eq!(creds.server_token, "st-1");
    assert_eq!(creds.wid, "33612345678@c.us");
    assert!(w.take_server_events().contains(&ServerEvent::Ready { restored: false }));
    assert!(w.client.is_ready() && w.server.is_ready());
    (w, creds)
}
