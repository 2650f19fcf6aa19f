//! Builds real captures for the capture tests: an in-memory client and server pair over QR,
//! exchange a query, a relay, a pushed message and keepalives, and every websocket message is
//! recorded in both directions. The recording is then written as a session log and as a HAR.

#![allow(dead_code)]

#[path = "../support/pairing.rs"]
mod pairing;
#[path = "../support/wire.rs"]
mod wire;

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use rand::rngs::StdRng;
use rand::{RngCore, SeedableRng};
use serde_json::{json, Value};
use waweb_proto::binary::Node;
use waweb_proto::crypto::{KeyPair, SessionKeys};
use waweb_proto::frame::{Flags, Metric};
use waweb_proto::message::{text_message, WebMessageInfo};
use waweb_proto::session::{ClientEvent, QrCode};
use wire::Wire;

pub use wire::{Recorded, T0};

/// What the exchange sent, to compare the decoder's output with.
pub struct Exchange {
    pub frames: Vec<Recorded>,
    pub keys: SessionKeys,
    pub client_private: [u8; 32],
    pub query_tag: String,
    pub query: Node,
    pub answer: Node,
    pub relay_tag: String,
    pub relayed: WebMessageInfo,
    pub push_tag: String,
    pub push: Node,
    pub pushed: WebMessageInfo,
}

/// The private key `ClientSession::new` draws from a fresh `StdRng` with this seed: 16 bytes
/// of client id first, then the 32 bytes of the key pair.
fn client_private_key(seed: u64) -> [u8; 32] {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut id = [0u8; 16];
    rng.fill_bytes(&mut id);
    let mut private = [0u8; 32];
    rng.fill_bytes(&mut private);
    private
}

/// Runs the whole exchange. Deterministic for a given seed.
pub fn exchange(seed: u64) -> Exchange {
    let mut w = Wire::new(None, seed);
    w.client.start(w.now);
    w.run_for(10);
    let qr = w
        .client_events
        .iter()
        .find_map(|e| match e {
            ClientEvent::Qr { code, .. } => Some(code.clone()),
            _ => None,
        })
        .expect("a QR event");
    let qr = QrCode::parse(&qr).expect("a valid QR string");
    let client_private = client_private_key(seed);
    assert_eq!(KeyPair::from_private_bytes(client_private).public_bytes(), qr.public_key);

    let keys = SessionKeys::generate(&mut StdRng::seed_from_u64(seed + 7));
    w.server
        .pair(w.now, &qr.public_key, pairing::handshake(&keys, "ct-1", "st-1"))
        .expect("a QR is shown");
    w.run_for(1_000);
    assert!(w.client.is_ready() && w.server.is_ready());

    let query = Node::new("query").attr("type", "contacts").attr("epoch", "1");
    let query_tag =
        w.client.send_node(w.now, &query, Metric::QueryContacts, Flags::EXPECTS_ANSWER).unwrap();
    w.run_for(10);
    let answer = Node::new("response")
        .attr("type", "contacts")
        .children(vec![Node::new("user").attr("jid", "33698765432@c.us").attr("notify", "Bob")]);
    w.server.respond_node(w.now, &query_tag, &answer);
    w.run_for(10);

    let relayed =
        text_message("33698765432@s.whatsapp.net", true, "3EB0A1B2C3D4", "hello", 1_600_000_001);
    let relay_tag = w.client.relay(w.now, &relayed).unwrap();
    w.run_for(10);
    w.server.respond_json(w.now, &relay_tag, &json!({"status": 200, "t": 1_600_000_001}));
    w.run_for(10);

    let pushed = text_message(
        "33698765432@s.whatsapp.net",
        false,
        "ABCDEF0123",
        "hi Alice ☺",
        1_600_000_002,
    );
    let push = Node::new("action")
        .attr("add", "relay")
        .children(vec![Node::new("message").bytes(waweb_proto::message::encode(&pushed))]);
    let push_tag = w.server.push_node(w.now, &push);
    w.run_for(25_000);

    Exchange {
        frames: w.frames,
        keys,
        client_private,
        query_tag,
        query,
        answer,
        relay_tag,
        relayed,
        push_tag,
        push,
        pushed,
    }
}

/// The session log the server's recorder writes for this exchange (`keys` once they exist).
pub fn session_log(x: &Exchange) -> String {
    let mut lines = vec![json!({
        "format": "waweb-session-log", "version": 1, "connection": 7, "started": T0,
    })];
    let mut keys_written = false;
    for f in &x.frames {
        let dir = if f.from_client { "in" } else { "out" };
        // The server has the keys once it sends its first frame after the pairing.
        if !keys_written && f.binary.is_some() {
            keys_written = true;
            lines.push(json!({"t": f.t, "kind": "keys",
                "encKey": B64.encode(x.keys.enc_key), "macKey": B64.encode(x.keys.mac_key)}));
        }
        lines.push(match (&f.text, &f.binary) {
            (Some(t), _) => json!({"t": f.t, "dir": dir, "kind": "text", "text": t}),
            (_, Some(b)) => json!({"t": f.t, "dir": dir, "kind": "binary", "wire": B64.encode(b)}),
            _ => unreachable!(),
        });
    }
    lines.iter().map(|l| format!("{l}\n")).collect()
}

/// The same frames as Chromium exports them in a HAR (seen from the browser: `send` is ours).
pub fn har(x: &Exchange) -> String {
    let messages: Vec<Value> = x
        .frames
        .iter()
        .map(|f| {
            let kind = if f.from_client { "send" } else { "receive" };
            let time = f.t as f64 / 1000.0;
            match (&f.text, &f.binary) {
                (Some(t), _) => json!({"type": kind, "time": time, "opcode": 1, "data": t}),
                (_, Some(b)) => {
                    json!({"type": kind, "time": time, "opcode": 2, "data": B64.encode(b)})
                }
                _ => unreachable!(),
            }
        })
        .collect();
    let doc = json!({"log": {
        "version": "1.2",
        "creator": {"name": "WebInspector", "version": "537.36"},
        "pages": [],
        "entries": [
            {"request": {"method": "GET", "url": "https://localhost/app.js"}, "response": {"status": 200}},
            {
                "_resourceType": "websocket",
                "request": {"method": "GET", "url": "wss://localhost/ws"},
                "response": {"status": 101},
                "time": 30000.0,
                "_webSocketMessages": messages,
            }
        ]
    }});
    serde_json::to_string_pretty(&doc).unwrap()
}
