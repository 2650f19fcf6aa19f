//! A client session and a server session wired together in memory, with a virtual clock: the full
//! handshake (pairing, reref, restore with challenge, takeover, logout, keepalive, queries and
//! relays) without any socket.

use std::time::{Duration, Instant};

use rand::rngs::StdRng;
use rand::SeedableRng;
use waweb_proto::binary::Node;
use waweb_proto::crypto::SessionKeys;
use waweb_proto::frame::{Flags, Metric};
use waweb_proto::json::msg::{Ack, MsgAck};
use waweb_proto::json::push::ServerPush;
use waweb_proto::message::{text_message, WebMessageInfo};
use waweb_proto::session::{
    ClientEvent, CloseReason, Credentials, DisconnectReason, ProtocolError, ServerConfig,
    ServerEvent, ServerSession, Transmit,
};

#[path = "support/pairing.rs"]
mod pairing;
#[path = "support/wire.rs"]
mod wire;

use pairing::{handshake, paired};
use wire::{at, unix, Wire, T0};

/// A duration of `n` milliseconds.
fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

#[test]
fn pairing_by_qr_gives_both_sides_the_same_keys() {
    let (w, _) = paired(1);
    assert!(!w.client_closed && !w.server_closed);
}

#[test]
fn query_round_trip_is_encrypted_and_tagged() {
    let (mut w, _) = paired(2);
    let q = Node::new("query").attr("type", "contacts").attr("epoch", "1");
    let tag = w.client.send_node(w.now, &q, Metric::QueryContacts, Flags::EXPECTS_ANSWER).unwrap();
    w.run_for(10);
    let req = w.take_server_events();
    let [ServerEvent::Request { tag: t, metric, node, .. }] = req.as_slice() else {
        panic!("expected one request, got {req:?}");
    };
    assert_eq!((t, *metric, node), (&tag, Metric::QueryContacts.as_u8(), &q));
    let answer = Node::new("response")
        .attr("type", "contacts")
        .children(vec![Node::new("user").attr("jid", "33698765432@c.us").attr("notify", "Bob")]);
    w.server.respond_node(w.now, &tag, &answer);
    w.run_for(10);
    assert_eq!(w.take_client_events(), vec![ClientEvent::Response { tag, node: answer }]);
}

#[test]
fn relay_reaches_the_server_as_a_message_node() {
    let (mut w, _) = paired(3);
    let msg =
        text_message("33698765432@s.whatsapp.net", true, "3EB0A1B2C3D4", "hello", 1_600_000_000);
    let tag = w.client.relay(w.now, &msg).unwrap();
    assert_eq!(tag, "3EB0A1B2C3D4");
    w.run_for(10);
    let ev = w.take_server_events();
    let [ServerEvent::Request { tag: t, node, .. }] = ev.as_slice() else { panic!("{ev:?}") };
    assert_eq!(t, "3EB0A1B2C3D4");
    assert_eq!(node.get_attr("type"), Some("relay"));
    let bytes = node.child_nodes()[0].content_bytes().expect("message bytes");
    let decoded: WebMessageInfo = prost::Message::decode(bytes).unwrap();
    assert_eq!(decoded, msg);
    w.server.respond_json(w.now, &tag, &serde_json::json!({"status":200,"t":1600000000}));
    w.run_for(10);
    let ev = w.take_client_events();
    assert!(matches!(&ev[..], [ClientEvent::JsonResponse { tag: t, value }]
        if t == "3EB0A1B2C3D4" && value["status"] == 200));
}

/// The text of the next message the server lets out at `now`, if any.
fn server_text(w: &mut Wire, now: Instant) -> Option<String> {
    match w.server.poll_transmit(now) {
        Some(Transmit::Text(s)) => Some(s),
        Some(other) => panic!("expected a text frame, got {other:?}"),
        None => None,
    }
}

#[test]
fn pushes_wait_a_pace_after_a_relay_answer_but_answers_do_not() {
    let (mut w, _) = paired(11);
    let msg = text_message("33698765432@s.whatsapp.net", true, "3EB0AAAA0001", "hi", 1_600_000_000);
    let tag = w.client.relay(w.now, &msg).unwrap();
    w.run_for(10);
    assert!(matches!(&w.take_server_events()[..], [ServerEvent::Request { .. }]));
    let now = w.now;
    let pace = ServerConfig::default().pace_ms;

    w.server.respond_json(now, &tag, &serde_json::json!({"status":200,"t":1600000000}));
    let ack = MsgAck::single(&tag, Ack::Delivered, "33612345678@c.us", "33698765432@c.us", 1);
    w.server.push(now, ServerPush::Msg(ack));
    w.server.handle_text(now, unix(now), "?,,");

    let answer = server_text(&mut w, now).expect("the relay answer leaves at once");
    assert!(answer.starts_with("3EB0AAAA0001,{\"status\":200"), "{answer}");
    let pong = server_text(&mut w, now).expect("a later answer is not held");
    assert!(pong.starts_with('!'), "{pong}");
    assert_eq!(server_text(&mut w, now + ms(pace - 1)), None, "the ack waits");
    let pushed = server_text(&mut w, now + ms(pace)).expect("the ack after the pause");
    assert!(pushed.contains("\"cmd\":\"ack\"") && pushed.contains("3EB0AAAA0001"), "{pushed}");
}

#[test]
fn pushes_after_other_answers_are_not_held() {
    let (mut w, _) = paired(12);
    let q = Node::new("query").attr("type", "contacts").attr("epoch", "1");
    let tag = w.client.send_node(w.now, &q, Metric::QueryContacts, Flags::EXPECTS_ANSWER).unwrap();
    w.run_for(10);
    w.take_server_events();
    let now = w.now;
    w.server.respond_json(now, &tag, &serde_json::json!({"status":200}));
    w.server.push(now, ServerPush::Pong(true));
    assert!(server_text(&mut w, now).is_some_and(|a| a.starts_with(&tag)));
    let pushed = server_text(&mut w, now).expect("the push is not held");
    assert!(pushed.starts_with('s') && pushed.ends_with(",[\"Pong\",true]"), "{pushed}");
}

fn restore(creds: Credentials, seed: u64) -> Wire {
    let mut w = Wire::new(Some(creds), seed);
    w.client.start(w.now);
    w.run_for(10);
    w
}

fn login_request(w: &mut Wire) -> waweb_proto::json::admin::LoginRequest {
    w.take_server_events()
        .into_iter()
        .find_map(|e| match e {
            ServerEvent::LoginRequested(l) => Some(l),
            _ => None,
        })
        .expect("a LoginRequested event")
}

#[test]
fn restore_with_challenge_rotates_tokens_without_a_qr() {
    let (_, creds) = paired(4);
    let keys = creds.keys.clone();
    let mut w = restore(creds, 40);
    let login = login_request(&mut w);
    assert_eq!((login.client_token.as_str(), login.server_token.as_str()), ("ct-1", "st-1"));
    w.server.accept_login(w.now, handshake(&keys, "ct-2", "st-2")).expect("a login waits");
    w.run_for(1_000);
    let ev = w.take_client_events();
    assert!(!ev.iter().any(|e| matches!(e, ClientEvent::Qr { .. })), "no QR on restore: {ev:?}");
    let creds = ev
        .into_iter()
        .find_map(|e| match e {
            ClientEvent::LoggedIn { credentials, new_pairing: false, .. } => Some(credentials),
            _ => None,
        })
        .expect("LoggedIn after restore");
    assert_eq!((creds.client_token.as_str(), creds.server_token.as_str()), ("ct-2", "st-2"));
    assert!(w.take_server_events().contains(&ServerEvent::Ready { restored: true }));
}

#[test]
fn wrong_keys_fail_the_challenge_with_401() {
    let (_, mut creds) = paired(5);
    let real = creds.keys.clone();
    creds.keys = SessionKeys::generate(&mut StdRng::seed_from_u64(99));
    let mut w = restore(creds, 50);
    login_request(&mut w);
    w.server.accept_login(w.now, handshake(&real, "ct-2", "st-2")).expect("a login waits");
    w.run_for(1_000);
    assert!(w
        .take_client_events()
        .contains(&ClientEvent::Disconnected(DisconnectReason::InvalidSession(401))));
    assert!(!w.server.is_ready());
}

#[test]
fn rejected_login_reports_the_status() {
    let (_, creds) = paired(6);
    let mut w = restore(creds, 60);
    login_request(&mut w);
    w.server.reject_login(w.now, 401).expect("a login waits");
    w.run_for(100);
    assert!(w
        .take_client_events()
        .contains(&ClientEvent::Disconnected(DisconnectReason::InvalidSession(401))));
}

#[test]
fn commands_in_the_wrong_state_are_refused_and_send_nothing() {
    // A QR is shown: there is no login to accept or reject.
    let mut w = Wire::new(None, 8);
    w.client.start(w.now);
    w.run_for(10);
    let keys = SessionKeys::generate(&mut StdRng::seed_from_u64(80));
    let err = w.server.accept_login(w.now, handshake(&keys, "ct", "st")).unwrap_err();
    assert_eq!((err.command, err.actual), ("accept_login", "shows a QR code"));
    let err = w.server.reject_login(w.now, 401).unwrap_err();
    assert_eq!((err.command, err.actual), ("reject_login", "shows a QR code"));
    assert_eq!(w.server.poll_transmit(w.now + ms(10_000)), None, "nothing was sent");
    assert!(w.server.scannable_ref(w.now).is_some(), "the QR is still shown");

    // A login waits for its decision: a scan cannot pair it.
    let (_, creds) = paired(9);
    let mut w = restore(creds, 90);
    login_request(&mut w);
    let err = w.server.pair(w.now, &[7; 32], handshake(&keys, "ct", "st")).unwrap_err();
    assert_eq!((err.command, err.actual), ("pair", "waits for a login decision"));
    assert!(err.to_string().contains("needs a session that shows a QR code"), "{err}");
    w.server.reject_login(w.now, 401).expect("the login still waits");

    // Closed: every command is refused.
    w.server.close(w.now, CloseReason::Shutdown);
    let err = w.server.reject_login(w.now, 401).unwrap_err();
    assert_eq!(err.actual, "is closed");
}

#[test]
fn unanswered_requests_time_out_in_the_session_json_and_binary_alike() {
    let (mut w, _) = paired(10);
    w.take_client_events();
    // The server hands both to the application, which never answers.
    let json = w.client.send_json(w.now, &serde_json::json!(["query", "exist", "1@c.us"])).unwrap();
    let query = Node::new("query").attr("type", "chat").attr("epoch", "1");
    let node = w.client.send_node(w.now, &query, Metric::QueryChat, Flags::EXPECTS_ANSWER).unwrap();
    w.run_for(14_000);
    let early = w.take_client_events();
    assert!(!early.iter().any(|e| matches!(e, ClientEvent::RequestTimedOut { .. })), "{early:?}");
    w.run_for(2_000);
    let timed_out: Vec<String> = w
        .take_client_events()
        .into_iter()
        .filter_map(|e| match e {
            ClientEvent::RequestTimedOut { tag } => Some(tag),
            _ => None,
        })
        .collect();
    assert_eq!(timed_out.len(), 2, "{timed_out:?}");
    assert!(timed_out.contains(&json) && timed_out.contains(&node), "{timed_out:?}");
}

#[test]
fn expired_ref_is_renewed_with_a_new_qr() {
    let mut w = Wire::new(None, 7);
    w.client.start(w.now);
    w.run_for(10);
    let first: Vec<_> = w.take_client_events();
    assert_eq!(first.iter().filter(|e| matches!(e, ClientEvent::Qr { .. })).count(), 1);
    let old = w.server.scannable_ref(w.now).unwrap().to_string();
    w.run_for(20_500);
    assert_eq!(
        w.take_client_events().iter().filter(|e| matches!(e, ClientEvent::Qr { .. })).count(),
        1
    );
    let renewed = w.take_server_events();
    assert!(renewed
        .iter()
        .any(|e| matches!(e, ServerEvent::RefRenewed { old_ref, .. } if *old_ref == old)));
    assert_ne!(w.server.scannable_ref(w.now), Some(old.as_str()));
    assert!(w.server.scannable_ref(w.now).is_some());
}

#[test]
fn takeover_tells_the_old_session_it_was_replaced() {
    let (mut w, _) = paired(8);
    w.server.replace(w.now);
    w.run_for(10);
    assert!(w
        .take_client_events()
        .contains(&ClientEvent::Disconnected(DisconnectReason::Replaced)));
    assert!(w.take_server_events().contains(&ServerEvent::Closed(CloseReason::Replaced)));
}

#[test]
fn logout_says_goodbye_on_both_sides() {
    let (mut w, _) = paired(9);
    w.client.logout(w.now);
    w.run_for(10);
    assert!(w.take_server_events().contains(&ServerEvent::LoggedOut));
    assert!(w
        .take_client_events()
        .contains(&ClientEvent::Disconnected(DisconnectReason::LoggedOut)));
    assert!(w.server_closed);
}

#[test]
fn keepalive_keeps_an_idle_session_open() {
    let (mut w, _) = paired(10);
    w.run_for(300_000);
    assert!(!w.client_closed && !w.server_closed);
    assert!(w.take_client_events().is_empty());
}

#[test]
fn silent_client_is_closed_after_the_idle_limit() {
    let mut server = ServerSession::new(ServerConfig::default(), StdRng::seed_from_u64(1), at(0));
    let deadline = server.poll_timeout().unwrap();
    server.handle_timeout(deadline);
    assert_eq!(server.poll_event(), Some(ServerEvent::Closed(CloseReason::Idle)));
}

#[test]
fn keepalive_ping_gets_the_server_time() {
    let mut server = ServerSession::new(ServerConfig::default(), StdRng::seed_from_u64(1), at(0));
    // The answer carries the wall clock given, whatever the monotonic one says.
    server.handle_text(at(5), T0 + 5, "?,,");
    assert_eq!(server.poll_transmit(at(5)), Some(Transmit::Text(format!("!{}", T0 + 5))));
}

#[test]
fn binary_before_login_closes_with_a_reason() {
    let mut server = ServerSession::new(ServerConfig::default(), StdRng::seed_from_u64(1), at(0));
    server.handle_binary(at(0), b"tag,\x01\x02garbage");
    let why = CloseReason::Protocol(ProtocolError::BinaryBeforeLogin);
    assert_eq!(server.poll_event(), Some(ServerEvent::Closed(why)));
}

#[test]
fn garbage_json_gets_an_error_status_not_a_close() {
    let mut server = ServerSession::new(ServerConfig::default(), StdRng::seed_from_u64(1), at(0));
    server.handle_text(at(0), T0, "abc,[\"admin\",\"nope\"]");
    server.handle_text(at(0), T0, "abd,{not json");
    assert_eq!(server.poll_transmit(at(0)), Some(Transmit::Text("abc,{\"status\":404}".into())));
    let Some(Transmit::Text(t)) = server.poll_transmit(at(0)) else { panic!("no answer") };
    assert!(t.starts_with("abd,{\"status\":400,"), "{t}");
    assert!(!server.is_closed());
    server.handle_text(at(0), T0, "no comma at all");
    assert!(server.is_closed());
}

#[test]
fn queries_before_login_are_refused_with_401() {
    let mut server = ServerSession::new(ServerConfig::default(), StdRng::seed_from_u64(1), at(0));
    server.handle_text(at(0), T0, "q1,[\"query\",\"exist\",\"1@c.us\"]");
    assert_eq!(server.poll_transmit(at(0)), Some(Transmit::Text("q1,{\"status\":401}".into())));
}

#[test]
fn tampered_frame_after_login_closes_the_session() {
    let (mut w, _) = paired(11);
    let mut frame = b"1.--9,\x10\x80".to_vec();
    frame.extend_from_slice(&[0u8; 64]);
    w.server.handle_binary(w.now, &frame);
    assert!(w
        .take_server_events()
        .iter()
        .chain(std::iter::from_fn(|| w.server.poll_event()).collect::<Vec<_>>().iter())
        .any(|e| matches!(e, ServerEvent::Closed(CloseReason::Protocol(_)))));
}
