//! What the sessions hand their shells, so that a shell never has to look inside a frame:
//! typed protocol errors, the moment `Conn` leaves, the plaintext of every encrypted frame,
//! and deadlines that follow the monotonic clock.

use std::time::Duration;

use rand::rngs::StdRng;
use rand::SeedableRng;
use waweb_proto::binary::{self, Node};
use waweb_proto::crypto::{CryptoError, SessionKeys};
use waweb_proto::frame::binary::open_server_frame;
use waweb_proto::frame::{Flags, FrameError, Metric};
use waweb_proto::session::{
    ClientConfig, ClientEvent, ClientSession, CloseReason, DisconnectReason, ProtocolError, QrCode,
    ServerConfig, ServerEvent, ServerSession, Transmit,
};

#[path = "support/pairing.rs"]
mod pairing;
#[path = "support/wire.rs"]
mod wire;

use pairing::{handshake, paired};
use wire::{at, Wire, T0};

#[test]
fn a_forged_frame_is_reported_as_a_mac_mismatch_on_both_sides() {
    let (mut w, _) = paired(21);
    let mut frame = b"1.--9,\x10\x80".to_vec();
    frame.extend_from_slice(&[0u8; 64]);
    w.server.handle_binary(w.now, &frame);
    w.pump();
    let mac = FrameError::Crypto(CryptoError::FrameMac);
    let closed = CloseReason::Protocol(ProtocolError::UnopenableFrame(mac.clone()));
    assert!(w.take_server_events().contains(&ServerEvent::Closed(closed)));

    let (mut w, _) = paired(22);
    let mut frame = b"s-9,".to_vec();
    frame.extend_from_slice(&[0u8; 64]);
    w.client.handle_binary(w.now, &frame);
    w.pump();
    let why = DisconnectReason::Protocol(ProtocolError::BadFrame(mac));
    assert!(w.take_client_events().contains(&ClientEvent::Disconnected(why)));
}

/// How many `ConnSent` events a list holds.
fn conn_sent(events: &[ServerEvent]) -> usize {
    events.iter().filter(|e| matches!(e, ServerEvent::ConnSent)).count()
}

#[test]
fn the_pairing_conn_is_reported_once_when_it_leaves() {
    let mut w = Wire::new(None, 23);
    w.client.start(w.now);
    w.run_for(10);
    let code = w
        .take_client_events()
        .into_iter()
        .find_map(|e| match e {
            ClientEvent::Qr { code, .. } => Some(code),
            _ => None,
        })
        .expect("a QR");
    let qr = QrCode::parse(&code).unwrap();
    let keys = SessionKeys::generate(&mut StdRng::seed_from_u64(5));
    w.server.pair(w.now, &qr.public_key, handshake(&keys, "ct", "st")).unwrap();
    // Queued, not sent: nothing to report yet.
    let queued: Vec<ServerEvent> = std::iter::from_fn(|| w.server.poll_event()).collect();
    assert_eq!(conn_sent(&queued), 0, "{queued:?}");
    let mut before_conn = 0;
    let conn = loop {
        let t = w
            .server
            .poll_transmit(w.now + Duration::from_millis(1_000))
            .expect("the Conn is queued");
        let Transmit::Text(text) = t else { panic!("{t:?}") };
        if text.contains(r#"["Conn","#) {
            break text;
        }
        before_conn += 1;
    };
    assert_eq!(before_conn, 0, "the Conn is s1");
    assert!(conn.starts_with("s1,"), "{conn}");
    assert_eq!(w.server.poll_event(), Some(ServerEvent::ConnSent));
    assert_eq!(w.server.poll_event(), None);
    // What follows (Blocklist, Stream, Props, pushes) reports nothing more.
    w.server.push_node(w.now, &Node::new("action").attr("add", "relay"));
    while w.server.poll_transmit(w.now + Duration::from_millis(5_000)).is_some() {}
    assert_eq!(w.server.poll_event(), None);
}

#[test]
fn the_restored_conn_is_reported_once_after_the_challenge() {
    let (_, creds) = paired(24);
    let keys = creds.keys.clone();
    let mut w = Wire::new(Some(creds), 25);
    w.client.start(w.now);
    w.run_for(10);
    assert!(w.take_server_events().iter().any(|e| matches!(e, ServerEvent::LoginRequested(_))));
    w.server.accept_login(w.now, handshake(&keys, "ct-2", "st-2")).unwrap();
    w.run_for(1_000);
    let events = w.take_server_events();
    assert_eq!(conn_sent(&events), 1, "{events:?}");
    let sent = events.iter().position(|e| matches!(e, ServerEvent::ConnSent));
    let ready = events.iter().position(|e| matches!(e, ServerEvent::Ready { .. }));
    assert!(
        matches!((ready, sent), (Some(ready), Some(sent)) if ready < sent),
        "Ready is reported when queued, ConnSent when written: {events:?}"
    );
    assert!(w.client.is_ready());
}

#[test]
fn the_plaintext_handed_out_is_what_the_peer_decrypts() {
    let (mut w, creds) = paired(26);
    w.take_client_events();
    w.server.keep_plaintext(true);
    let node = Node::new("action").attr("add", "relay").children(vec![Node::new("message")]);
    let tag = w.server.push_node(w.now, &node);
    let (frame, plain) =
        w.server.poll_transmit_with_plaintext(w.now + Duration::from_millis(1_000)).unwrap();
    let Transmit::Binary(frame) = frame else { panic!("{frame:?}") };
    let plain = plain.expect("kept");
    let (opened_tag, opened) = open_server_frame(&creds.keys, &frame).unwrap();
    assert_eq!((opened_tag.as_str(), &opened), (tag.as_str(), &plain));
    w.client.handle_binary(w.now, &frame);
    let got = w.client.poll_event();
    assert_eq!(got, Some(ClientEvent::Node { tag, node: binary::decode(&plain).unwrap() }));

    // And the other way: what the server opens is what the client sealed.
    let query = Node::new("query").attr("type", "chat").attr("epoch", "1");
    w.client.send_node(w.now, &query, Metric::QueryChat, Flags::EXPECTS_ANSWER).unwrap();
    let Some(Transmit::Binary(up)) = w.client.poll_transmit(w.now) else { panic!() };
    let plain = w.server.handle_binary_with_plaintext(w.now, &up).expect("it opens");
    assert_eq!(plain, binary::encode(&query));
    assert!(
        matches!(w.server.poll_event(), Some(ServerEvent::Request { node, .. }) if node == query)
    );
}

#[test]
fn no_plaintext_is_kept_unless_asked() {
    let (mut w, _) = paired(27);
    w.server.push_node(w.now, &Node::new("action"));
    let (frame, plain) =
        w.server.poll_transmit_with_plaintext(w.now + Duration::from_millis(1_000)).unwrap();
    assert!(matches!(frame, Transmit::Binary(_)));
    assert_eq!(plain, None);
}

#[test]
fn a_frame_that_does_not_open_gives_no_plaintext() {
    let (mut w, _) = paired(27);
    assert_eq!(w.server.handle_binary_with_plaintext(w.now, b"1.--1,\x10\x80junk"), None);
}

#[test]
fn deadlines_follow_the_monotonic_clock_whatever_the_wall_clock_does() {
    let config = ServerConfig::default();
    let idle = Duration::from_millis(config.idle_timeout_ms);
    let mut server = ServerSession::new(config, StdRng::seed_from_u64(1), at(0));
    // The wall clock jumps an hour back, then a day forward, while 20 ms pass.
    let (back, ahead) = (T0 - 3_600_000, T0 + 86_400_000);
    server.handle_text(at(10), back, "?,,");
    server.handle_text(at(20), ahead, "?,,");
    assert_eq!(server.poll_transmit(at(20)), Some(Transmit::Text(format!("!{back}"))));
    assert_eq!(server.poll_transmit(at(20)), Some(Transmit::Text(format!("!{ahead}"))));
    assert_eq!(server.poll_timeout(), Some(at(20) + idle), "idle counts from the last frame");
    server.handle_timeout(at(20) + idle - Duration::from_millis(1));
    assert!(!server.is_closed());
    server.handle_timeout(at(20) + idle);
    assert_eq!(server.poll_event(), Some(ServerEvent::Closed(CloseReason::Idle)));

    // A client's tags carry the wall clock it was given; its request times out on instants.
    let config = ClientConfig::default();
    let timeout = Duration::from_millis(config.request_timeout_ms);
    let mut client = ClientSession::new(config, StdRng::seed_from_u64(2), None, at(0), back);
    client.start(at(0));
    let Some(Transmit::Text(init)) = client.poll_transmit(at(0)) else { panic!() };
    assert!(init.starts_with(&format!("{}.--0,", back / 1000)), "{init}");
    let tag = client.send_json(at(5), &serde_json::json!(["query", "exist", "1@c.us"])).unwrap();
    client.handle_timeout(at(5) + timeout - Duration::from_millis(1));
    let early: Vec<ClientEvent> = std::iter::from_fn(|| client.poll_event()).collect();
    assert!(!early.iter().any(|e| matches!(e, ClientEvent::RequestTimedOut { .. })), "{early:?}");
    client.handle_timeout(at(5) + timeout);
    let timed_out = std::iter::from_fn(|| client.poll_event())
        .any(|e| e == ClientEvent::RequestTimedOut { tag: tag.clone() });
    assert!(timed_out);
}
