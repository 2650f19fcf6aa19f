//! What a client can make the server hold is bounded, over real sockets: sockets that never
//! finish the HTTP upgrade are closed after the handshake timeout, connections beyond the cap
//! are closed at once while sessions keep working, a websocket that does not log in is closed at
//! the login deadline and may only send small frames until then (a large one is refused from
//! its header), and a client that stops reading is disconnected rather than queued for.

mod support;

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use support::client::{assert_alive, now, WAIT};
use support::{wait_for, Client, TestServer};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::MaybeTlsStream;
use waweb_proto::message;
use waweb_proto::session::ClientEvent;
use waweb_server::store::MessageStore;

/// Waits until the server closes `tcp` (end of stream or reset); how long it took.
async fn closed_by_server(tcp: &mut TcpStream) -> Duration {
    let start = Instant::now();
    let mut buf = [0u8; 1024];
    loop {
        match tokio::time::timeout(WAIT, tcp.read(&mut buf)).await {
            Ok(Ok(0) | Err(_)) => return start.elapsed(),
            Ok(Ok(_)) => {}
            Err(_) => panic!("the socket is still open after {WAIT:?}"),
        }
    }
}

/// Whether the server still holds `tcp` open (nothing to read, no end of stream).
fn still_open(tcp: &TcpStream) -> bool {
    let mut buf = [0u8; 16];
    matches!(tcp.try_read(&mut buf), Err(e) if e.kind() == std::io::ErrorKind::WouldBlock)
}

/// A websocket client (upgrade done, nothing sent).
async fn raw_websocket(
    addr: SocketAddr,
) -> tokio_tungstenite::WebSocketStream<MaybeTlsStream<TcpStream>> {
    tokio_tungstenite::connect_async(format!("ws://{addr}/ws")).await.unwrap().0
}

/// The close frame the server sends next: (code, reason).
async fn close_frame(
    ws: &mut tokio_tungstenite::WebSocketStream<MaybeTlsStream<TcpStream>>,
) -> (u16, String) {
    loop {
        match tokio::time::timeout(WAIT, ws.next()).await.expect("no close frame in time") {
            Some(Ok(Message::Close(Some(f)))) => return (u16::from(f.code), f.reason.to_string()),
            Some(Ok(_)) => {}
            other => panic!("no close frame: {other:?}"),
        }
    }
}

#[tokio::test]
async fn sockets_that_never_finish_the_upgrade_are_closed_after_the_handshake_timeout() {
    let server = TestServer::start_with(|c| c.handshake_timeout = Duration::from_secs(1)).await;
    server.account("111", "Alice").await;
    let mut idle = Vec::new();
    for i in 0..150 {
        let mut tcp = TcpStream::connect(server.addr).await.unwrap();
        if i % 3 == 0 {
            // Slowloris: a request head that never ends.
            tcp.write_all(b"GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n").await.unwrap();
        }
        idle.push(tcp);
    }
    let mut slowest = Duration::ZERO;
    for tcp in &mut idle {
        slowest = slowest.max(closed_by_server(tcp).await);
    }
    println!("150 idle sockets closed, the last after {slowest:?}");
    // The handshake timeout closed them, not the test's own wait (a hang shows as far more).
    assert!(slowest < Duration::from_secs(5), "the last idle socket took {slowest:?}");
    // A real client logs in afterwards.
    let (mut alice, _) = server.pair("111").await;
    assert_alive(&mut alice).await;
}

#[tokio::test]
async fn beyond_the_connection_cap_new_sockets_are_closed_while_sessions_keep_working() {
    let server = TestServer::start_with(|c| {
        c.max_connections = 8;
        c.handshake_timeout = Duration::from_secs(60);
    })
    .await;
    server.account("111", "Alice").await;
    server.account("222", "Bob").await;
    let (mut bob, _) = server.pair("222").await;
    // Bob's websocket holds one slot; seven idle sockets take the rest.
    let mut idle = Vec::new();
    for _ in 0..7 {
        idle.push(TcpStream::connect(server.addr).await.unwrap());
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    let mut extra = TcpStream::connect(server.addr).await.unwrap();
    let took = closed_by_server(&mut extra).await;
    println!("a socket beyond the cap was closed after {took:?}");
    assert!(idle.iter().all(still_open), "the sockets within the cap stay open");
    assert_alive(&mut bob).await;
    // Once the idle sockets go, a real client gets in.
    drop(idle);
    let deadline = Instant::now() + WAIT;
    loop {
        let mut probe = TcpStream::connect(server.addr).await.unwrap();
        tokio::time::sleep(Duration::from_millis(100)).await;
        if still_open(&probe) {
            probe.shutdown().await.unwrap();
            break;
        }
        assert!(Instant::now() < deadline, "slots were not released");
    }
    let (mut alice, _) = server.pair("111").await;
    assert_alive(&mut alice).await;
    assert_alive(&mut bob).await;
}

#[tokio::test]
async fn a_large_frame_announced_before_login_is_refused_at_its_header() {
    let server = TestServer::start().await;
    server.account("222", "Bob").await;
    let (mut bob, _) = server.pair("222").await;
    let mut attackers = Vec::new();
    for _ in 0..50 {
        let mut ws = raw_websocket(server.addr).await;
        let MaybeTlsStream::Plain(tcp) = ws.get_mut() else { unreachable!("plain ws") };
        // A masked binary frame announcing 2,100,000 bytes, then 200,000 of them, then nothing.
        let mut header = vec![0x82, 0x80 | 127];
        header.extend_from_slice(&2_100_000u64.to_be_bytes());
        header.extend_from_slice(&[1, 2, 3, 4]);
        tcp.write_all(&header).await.unwrap();
        let _ = tcp.write_all(&vec![0u8; 200_000]).await;
        attackers.push(ws);
    }
    for ws in &mut attackers {
        let (code, reason) = close_frame(ws).await;
        assert_eq!(code, 1002);
        assert_eq!(reason, "protocol error: frame of 2100000 bytes exceeds the limit of 16384");
    }
    assert_alive(&mut bob).await;
}

#[tokio::test]
async fn before_login_frames_are_small_and_after_login_the_configured_limit_applies() {
    let server = TestServer::start().await;
    server.account("222", "Bob").await;
    let text = format!("t1,[\"frobnicate\",\"{}\"]", "a".repeat(20_000));
    let mut stranger = Client::connect(server.addr, None).await;
    stranger.send_text(&text).await;
    let (code, reason) = stranger.closed().await;
    assert_eq!(code, 1002);
    assert!(reason.contains("exceeds the limit of 16384"), "{reason}");
    let (mut bob, _) = server.pair("222").await;
    bob.send_text(&text).await;
    // Answered (an unknown query), after whatever the sync pushes.
    let answer = loop {
        let text = bob.raw_text().await;
        if let Some(answer) = text.strip_prefix("t1,") {
            break serde_json::from_str::<serde_json::Value>(answer).unwrap();
        }
    };
    assert_eq!(answer["status"], 404, "{answer}");
    assert_alive(&mut bob).await;
}

#[tokio::test]
async fn a_websocket_that_neither_logs_in_nor_shows_a_qr_is_closed_at_the_login_deadline() {
    let server = TestServer::start_with(|c| c.login_timeout = Duration::from_secs(1)).await;
    server.account("111", "Alice").await;
    let mut silent = raw_websocket(server.addr).await;
    let start = Instant::now();
    assert_eq!(close_frame(&mut silent).await, (1001, "idle timeout".to_string()));
    println!("a silent websocket was closed after {:?}", start.elapsed());
    // A browser showing its QR code is not: it waits for the scan.
    let mut browser = Client::connect(server.addr, None).await;
    let qr = browser.qr().await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let (status, body) = server.scan(&qr, "111").await;
    assert_eq!(status, 200, "{body}");
    browser.logged_in().await;
}

#[tokio::test]
async fn a_client_that_stops_reading_is_disconnected_and_its_next_sync_has_the_messages() {
    const SENT: usize = 1500;
    let server = TestServer::start_with(|c| c.max_backlog = 100).await;
    server.account("111", "Alice").await;
    server.account("222", "Bob").await;
    let (mut alice, _) = server.pair("111").await;
    let (mut bob, bob_creds) = server.pair("222").await;
    // Bob stops reading; Alice sends him 1,500 messages of 16 KiB (more than the socket
    // buffers hold), each acknowledged.
    let text = "x".repeat(16 * 1024);
    for batch in 0..SENT / 50 {
        let mut tags = Vec::new();
        for i in batch * 50..(batch + 1) * 50 {
            let id = format!("M{i:05}");
            let info = message::text_message("222@s.whatsapp.net", true, &id, &text, 1);
            tags.push(alice.session.relay(now(), &info).unwrap());
        }
        for tag in tags {
            let status = wait_for(&mut alice, |e| match e {
                ClientEvent::JsonResponse { tag: t, value } if *t == tag => Some(value.clone()),
                _ => None,
            })
            .await;
            assert_eq!(status["status"], 200, "{tag}: {status}");
        }
    }
    // The server dropped Bob's connection: what his socket holds ends without a close frame.
    assert_eq!(bob.ended().await, None);
    // Every message is stored for Bob, and his next login's sync brings the latest.
    let stored = server.store.recent_messages("222", "111@s.whatsapp.net", 5000).await.unwrap();
    assert_eq!(stored.len(), SENT);
    let (mut bob, _) = server.restore(&bob_creds).await;
    let last = format!("M{:05}", SENT - 1);
    wait_for(&mut bob, |e| match e {
        ClientEvent::Node { node, .. } => node
            .child_nodes()
            .iter()
            .filter_map(|m| message::decode(m.content_bytes()?).ok())
            .any(|info| info.key.and_then(|k| k.id).as_deref() == Some(last.as_str()))
            .then_some(()),
        _ => None,
    })
    .await;
    assert_alive(&mut bob).await;
}
