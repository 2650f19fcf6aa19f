//! The robustness suite: about three hundred malformed inputs against a live `waweb serve` over
//! real sockets — bad text frames and JSON, binary frames before login, frames with a wrong
//! MAC, authentic frames holding no node, odd and oversized websocket frames, bad HTTP upgrades
//! — while a second, logged-in session must keep working throughout and the server must never
//! hang on an input or go down. Then the attacks that once cost the server memory or locked
//! clients out, with its resident memory read from `/proc` before and after: huge presence
//! subscriptions, stalled announced frames, idle sockets at the file limit and at the
//! connection cap.

mod live_support;

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use live_support::client::WAIT;
use live_support::{assert_alive, now, wait_for, Client, Live};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};
use waweb_proto::frame::binary::seal_client_frame;
use waweb_proto::frame::Flags;
use waweb_proto::session::ClientEvent;

const BOB: &str = "15550000002";
const ALICE: &str = "15550000001";

type Ws = WebSocketStream<MaybeTlsStream<TcpStream>>;

async fn raw_ws(live: &Live) -> Ws {
    tokio_tungstenite::connect_async(format!("ws://{}/ws", live.addr)).await.unwrap().0
}

/// What became of a connection after a bad input.
#[derive(Debug, PartialEq)]
enum Outcome {
    /// It still serves: a keepalive sent after the input was answered.
    Serving,
    /// The server closed it (the close code, if it sent a close frame).
    Closed(Option<u16>),
}

/// Sends a keepalive, then reads until it is answered or the connection ends; panics if
/// neither happens within [`WAIT`] (the server hangs on the input).
async fn outcome(ws: &mut Ws) -> Outcome {
    let _ = ws.send(Message::text("?,,")).await;
    let mut code = None;
    loop {
        match tokio::time::timeout(WAIT, ws.next()).await.expect("the server hangs") {
            Some(Ok(Message::Text(t))) if t.starts_with('!') && code.is_none() => {
                return Outcome::Serving;
            }
            Some(Ok(Message::Close(f))) => code = f.map(|f| u16::from(f.code)),
            Some(Ok(_)) => {}
            Some(Err(_)) | None => return Outcome::Closed(code),
        }
    }
}

/// Malformed text frames: a fixed list, then seeded random variations.
fn bad_texts() -> Vec<String> {
    let mut texts: Vec<String> = [
        "",
        ",",
        "?,,x",
        "tag,",
        "tag,{",
        "t,[]",
        "t,null",
        "t,\"x\"",
        "t,1e999999",
        "t,\"\\ud800\"",
        "1,[\"admin\"]",
        "1,[\"admin\",\"init\"]",
        "1,[\"admin\",\"init\",1,2,3,4]",
        "1,[\"admin\",\"init\",[0,3,2390],[\"a\",\"b\"],\"\",true]",
        "1,[\"admin\",\"login\",\"a\",\"b\",\"c\",\"d\",\"takeover\"]",
        "1,[\"admin\",\"login\",null,null,null,null,null]",
        "1,[\"admin\",\"challenge\",\"!!\",\"x\",\"y\"]",
        "1,[\"admin\",\"reref\"]",
        "1,[\"query\",\"Status\",null]",
        "1,[\"action\",\"presence\",\"subscribe\"]",
        "1,[\"admin\",\"Conn\",{}]",
        "\u{0}\u{0},[]",
        "\u{fffd},[]",
        "t1,{\"a\":",
        "t1,[1,2,",
        "t1,[\"admin\",\"test\"",
        "t1,[\"goodbye\"]",
        "t1,[\"admin\",\"Cmd\",{\"type\":\"x\"}]",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    texts.push(format!("{},1", "x".repeat(300)));
    texts.push(format!("t1,{}{}", "[".repeat(5000), "]".repeat(5000)));
    texts.push(format!(
        "t1,[\"admin\",\"init\",[0,3,2390],[\"a\",\"b\",\"c\"],\"{}\",true]",
        "q".repeat(9000)
    ));
    let mut rng = StdRng::seed_from_u64(17);
    let valid =
        "1,[\"admin\",\"init\",[0,3,2390],[\"a\",\"b\",\"c\"],\"AAAAAAAAAAAAAAAAAAAAAA==\",true]";
    while texts.len() < 160 {
        let text = if rng.gen_bool(0.5) {
            let len = rng.gen_range(0..300);
            let mut s: String = (0..len).map(|_| rng.gen_range(' '..='~')).collect();
            s.insert(rng.gen_range(0..=s.len()), ',');
            s
        } else {
            let mut bytes = valid.as_bytes().to_vec();
            for _ in 0..rng.gen_range(1..4) {
                let i = rng.gen_range(0..bytes.len());
                bytes[i] = rng.gen_range(b' '..=b'~');
            }
            String::from_utf8(bytes).unwrap()
        };
        texts.push(text);
    }
    texts
}

/// Raw websocket frames a client must never send (masked with a zero key unless said).
fn odd_frames() -> Vec<(&'static str, Vec<u8>)> {
    let masked = |first: u8, payload: &[u8]| {
        assert!(payload.len() < 126);
        let mut f = vec![first, 0x80 | payload.len() as u8, 0, 0, 0, 0];
        f.extend_from_slice(payload);
        f
    };
    let mut announced = vec![0x82, 0x80 | 127];
    announced.extend_from_slice(&2_100_000u64.to_be_bytes());
    announced.extend_from_slice(&[0; 4]);
    announced.extend(vec![0u8; 100_000]);
    let mut huge_len = vec![0x82, 0x80 | 127, 0x80, 0, 0, 0, 0, 0, 0, 0];
    huge_len.extend_from_slice(&[0; 4]);
    let mut fragments = Vec::new();
    for i in 0..5 {
        let mut f = vec![if i == 0 { 0x01 } else { 0x00 }, 0x80 | 126];
        f.extend_from_slice(&5000u16.to_be_bytes());
        f.extend_from_slice(&[0; 4]);
        f.extend(vec![b'a'; 5000]);
        fragments.extend(f);
    }
    let mut big_ping = vec![0x89, 0x80 | 126, 0, 200, 0, 0, 0, 0];
    big_ping.extend(vec![0; 200]);
    vec![
        ("an announced 2,100,000-byte frame", announced),
        ("a 64-bit length with its top bit set", huge_len),
        ("fragments adding up past the limit", fragments),
        ("an unmasked frame", vec![0x81, 0x03, b'a', b'b', b'c']),
        ("a reserved opcode", masked(0x83, b"abc")),
        ("a reserved bit", masked(0xc1, b"abc")),
        ("a continuation without a start", masked(0x80, b"abc")),
        ("invalid UTF-8 in text", masked(0x81, &[0xff, 0xfe, 0xc3])),
        ("a control frame over 125 bytes", big_ping),
        ("a fragmented ping", masked(0x09, b"p")),
        ("a close frame of one byte", masked(0x88, b"x")),
        ("a close frame with a reserved code", masked(0x88, &[0x03, 0xe7])),
    ]
}

/// Bad HTTP requests to the server's port: each must get an answer or be closed in time.
fn bad_requests() -> Vec<Vec<u8>> {
    let ws = |extra: &str| format!("GET /ws HTTP/1.1\r\nHost: x\r\n{extra}\r\n").into_bytes();
    let key = "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n";
    let mut requests = vec![
        ws(""),
        ws("Upgrade: websocket\r\n"),
        ws(&format!("Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 8\r\n{key}")),
        ws("Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n"),
        ws("Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: \r\n"),
        ws(&format!("Connection: Upgrade\r\nUpgrade: h2c\r\nSec-WebSocket-Version: 13\r\n{key}")),
        ws(&format!("X-Long: {}\r\n", "a".repeat(100_000))),
        ws(&"X-A: b\r\n".repeat(200)),
        ws("Transfer-Encoding: chunked\r\n\r\nzz\r\n"),
        ws("Content-Length: -1\r\n"),
        b"POST /ws HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n".to_vec(),
        b"GET /nope HTTP/1.1\r\nHost: x\r\n\r\n".to_vec(),
        b"GET /../../etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n".to_vec(),
        b"GET /ws?x=%ZZ HTTP/1.1\r\nHost: x\r\n\r\n".to_vec(),
        b"GET /admin/accounts HTTP/1.1\r\nHost: x\r\n\r\n".to_vec(),
        b"POST /admin/scan HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\n".to_vec(),
        b"GET /pp/../x/1 HTTP/1.1\r\nHost: x\r\n\r\n".to_vec(),
        b"OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n".to_vec(),
        b"CONNECT x:1 HTTP/1.1\r\nHost: x\r\n\r\n".to_vec(),
        b"get /ws HTTP/1.1\r\nHost: x\r\n\r\n".to_vec(),
        b"GET /ws HTTP/1.0\r\n\r\n".to_vec(),
        b"GET /ws HTTP/9.9\r\nHost: x\r\n\r\n".to_vec(),
        b"GET /ws HTTP/1.1\r\nHost: \x00\x01\r\n\r\n".to_vec(),
        b"GARBAGE\r\n\r\n".to_vec(),
        b"\r\n\r\n".to_vec(),
        b"GET /ws HTTP/1.1\r\nHost: x\r\n".to_vec(),
        b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".to_vec(),
    ];
    let mut rng = StdRng::seed_from_u64(23);
    while requests.len() < 30 {
        requests.push((0..rng.gen_range(1..2000)).map(|_| rng.gen()).collect());
    }
    requests
}

/// Sends `request` on a fresh socket; the status line's code, or `None` if closed without one.
async fn http_outcome(live: &Live, request: &[u8]) -> Option<u16> {
    let mut tcp = TcpStream::connect(live.addr).await.unwrap();
    let _ = tcp.write_all(request).await;
    let mut answer = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match tokio::time::timeout(WAIT, tcp.read(&mut buf)).await.expect("the server hangs") {
            Ok(0) | Err(_) => break,
            Ok(n) => answer.extend_from_slice(&buf[..n]),
        }
        if answer.windows(4).any(|w| w == b"\r\n\r\n") {
            break;
        }
    }
    let text = String::from_utf8_lossy(&answer);
    text.strip_prefix("HTTP/1.1 ")?.get(..3)?.parse().ok()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_inputs_harm_only_their_own_connection() {
    let mut live =
        Live::start(&["--handshake-timeout", "2", "--login-timeout", "3"], "info", None).await;
    let (mut bob, _) = live.pair(BOB).await;
    let mut inputs = 0;

    for text in bad_texts() {
        let mut ws = raw_ws(&live).await;
        ws.send(Message::text(text)).await.unwrap();
        outcome(&mut ws).await;
        inputs += 1;
    }
    assert_alive(&mut bob).await;

    let mut rng = StdRng::seed_from_u64(5);
    for _ in 0..40 {
        let mut ws = raw_ws(&live).await;
        let len = rng.gen_range(0..200);
        ws.send(Message::binary((0..len).map(|_| rng.gen::<u8>()).collect::<Vec<u8>>()))
            .await
            .unwrap();
        assert_eq!(outcome(&mut ws).await, Outcome::Closed(Some(1002)));
        inputs += 1;
    }
    assert_alive(&mut bob).await;

    // Logged in as Alice: frames sealed with wrong keys close her session (she logs in again
    // each time); frames sealed right but holding no node are answered 400.
    let (mut alice, mut creds) = live.pair(ALICE).await;
    for i in 0..20u8 {
        let mut wrong = creds.keys.clone();
        wrong.mac_key[usize::from(i)] ^= 1;
        let frame =
            seal_client_frame(&wrong, &mut rng, "m1", 0, Flags::EXPECTS_ANSWER, b"\xf8\x01\x03");
        alice.send_binary(frame).await;
        let (code, reason) = alice.closed().await;
        assert_eq!(code, 1002, "{reason}");
        let mut again = Client::connect(live.addr, Some(creds.clone())).await;
        creds = again.logged_in().await;
        alice = again;
        inputs += 1;
    }
    for i in 0..40 {
        let len = rng.gen_range(1..64);
        let mut plain: Vec<u8> = (0..len).map(|_| rng.gen()).collect();
        plain[0] = 0xf8; // a list that its bytes cannot fill
        plain.truncate(2);
        let tag = format!("n{i}");
        let frame =
            seal_client_frame(&creds.keys, &mut rng, &tag, 0, Flags::EXPECTS_ANSWER, &plain);
        alice.send_binary(frame).await;
        let value = wait_for(&mut alice, |e| match e {
            ClientEvent::JsonResponse { tag: t, value } if *t == tag => Some(value.clone()),
            ClientEvent::Disconnected(r) => panic!("an undecodable node ended the session: {r:?}"),
            _ => None,
        })
        .await;
        assert_eq!(value["status"], 400, "{value}");
        inputs += 1;
    }
    assert_alive(&mut alice).await;
    assert_alive(&mut bob).await;

    for (what, frame) in odd_frames() {
        let mut ws = raw_ws(&live).await;
        let MaybeTlsStream::Plain(tcp) = ws.get_mut() else { unreachable!("plain") };
        let _ = tcp.write_all(&frame).await;
        let got = outcome(&mut ws).await;
        assert!(matches!(got, Outcome::Closed(_)), "{what}: {got:?}");
        inputs += 1;
    }
    // A flood of pings is answered, and the connection still serves.
    let mut ws = raw_ws(&live).await;
    for _ in 0..1000 {
        ws.send(Message::Ping(vec![7u8; 125].into())).await.unwrap();
    }
    assert_eq!(outcome(&mut ws).await, Outcome::Serving);
    inputs += 1;
    assert_alive(&mut bob).await;

    let mut statuses = Vec::new();
    for request in bad_requests() {
        statuses.push(http_outcome(&live, &request).await);
        inputs += 1;
    }
    println!("statuses of the bad HTTP requests: {statuses:?}");
    assert!(statuses.iter().flatten().all(|s| (400..500).contains(s)), "{statuses:?}");
    // A few bad requests are closed without a status line; most are answered.
    let answered = statuses.iter().flatten().count();
    assert!(answered > statuses.len() / 2, "only {answered} answered: {statuses:?}");
    assert_alive(&mut bob).await;

    println!("{inputs} malformed inputs");
    assert!(live.running(), "the server went down");
    let log = live.log_text();
    assert!(!log.contains("panicked"), "{log}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_that_drops_tcp_is_logged_as_gone_and_no_token_file_is_named() {
    let token = "live-suite-admin-token";
    let live = Live::start(&["--admin-token", token], "info,waweb_server=debug", None).await;
    let mut ws = raw_ws(&live).await;
    ws.send(Message::text(
        "1,[\"admin\",\"init\",[0,3,2390],[\"a\",\"b\",\"c\"],\"AAAAAAAAAAAAAAAAAAAAAA==\",true]",
    ))
    .await
    .unwrap();
    let _init_answer = tokio::time::timeout(WAIT, ws.next()).await.unwrap();
    // No close frame: the TCP connection just goes.
    drop(ws);
    let deadline = tokio::time::Instant::now() + WAIT;
    while !live.log_text().contains("websocket closed") {
        assert!(tokio::time::Instant::now() < deadline, "{}", live.log_text());
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let log = live.log_text();
    assert!(log.contains("the client went away"), "{log}");
    assert!(!log.contains("closing on a protocol error"), "{log}");
    assert!(log.contains("admin API ready (token from --admin-token)"), "{log}");
    assert!(!log.contains("token_file"), "{log}");
    assert!(!live.home.path().join("data/admin-token").exists());
}

/// Waits until the server closes `tcp`; how long it took.
async fn closed_by_server(tcp: &mut TcpStream) -> Duration {
    let start = tokio::time::Instant::now();
    let mut buf = [0u8; 512];
    loop {
        match tokio::time::timeout(WAIT, tcp.read(&mut buf)).await {
            Ok(Ok(0) | Err(_)) => return start.elapsed(),
            Ok(Ok(_)) => {}
            Err(_) => panic!("a socket is still open after {WAIT:?}"),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn four_hundred_huge_presence_subscriptions_are_refused_and_leave_no_memory_behind() {
    let live = Live::start(&[], "warn", None).await;
    let (mut alice, _) = live.pair(ALICE).await;
    let before = live.rss_mib();
    let nines = "9".repeat(1_000_000);
    let mut statuses = Vec::new();
    for n in 0..400 {
        let request = json!(["action", "presence", "subscribe", format!("{n}{nines}@c.us")]);
        let tag = alice.session.send_json(now(), &request).unwrap();
        let value = wait_for(&mut alice, |e| match e {
            ClientEvent::JsonResponse { tag: t, value } if *t == tag => Some(value.clone()),
            ClientEvent::Disconnected(r) => panic!("the session ended: {r:?}"),
            _ => None,
        })
        .await;
        statuses.push(value["status"].as_u64().unwrap());
    }
    let during = live.rss_mib();
    assert_alive(&mut alice).await;
    drop(alice);
    let after = live.settle_rss(before + 30.0, Duration::from_secs(10)).await;
    println!("presence attack: RSS {before:.1} MiB before, {during:.1} MiB after 400 subscriptions, {after:.1} MiB once the client left");
    assert!(statuses.iter().all(|s| *s == 400), "{statuses:?}");
    assert!(during < before + 100.0, "{during:.1} MiB from {before:.1} MiB");
    assert!(after <= before + 30.0, "{after:.1} MiB from {before:.1} MiB");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_hundred_stalled_announced_frames_hold_no_memory() {
    let live = Live::start(&[], "warn", None).await;
    let (mut bob, _) = live.pair(BOB).await;
    let before = live.rss_mib();
    let mut attackers = Vec::new();
    for _ in 0..300 {
        let tcp = TcpStream::connect(live.addr).await.unwrap();
        let (ws, _) =
            tokio_tungstenite::client_async(format!("ws://{}/ws", live.addr), tcp).await.unwrap();
        attackers.push(ws);
    }
    let start = tokio::time::Instant::now();
    let sends = attackers.iter_mut().map(|ws| async move {
        let tcp = ws.get_mut();
        let mut header = vec![0x82, 0x80 | 127];
        header.extend_from_slice(&2_100_000u64.to_be_bytes());
        header.extend_from_slice(&[9; 4]);
        let _ = tcp.write_all(&header).await;
        let _ = tokio::time::timeout(WAIT, tcp.write_all(&vec![0u8; 2_000_000])).await;
    });
    futures_util::future::join_all(sends).await;
    let during = live.rss_mib();
    let mut codes = Vec::new();
    for ws in &mut attackers {
        codes.push(match tokio::time::timeout(WAIT, ws.next()).await.expect("hangs") {
            Some(Ok(Message::Close(Some(f)))) => Some(u16::from(f.code)),
            _ => None,
        });
    }
    println!("stalled frames: RSS {before:.1} MiB before, {during:.1} MiB with 300 stalled, all closed after {:?}", start.elapsed());
    assert!(codes.iter().flatten().all(|c| *c == 1002), "{codes:?}");
    let refused = codes.iter().flatten().count();
    assert!(refused > codes.len() / 2, "only {refused} close frames: {codes:?}");
    assert!(during < before + 100.0, "{during:.1} MiB from {before:.1} MiB");
    assert_alive(&mut bob).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn at_the_file_limit_idle_sockets_are_closed_and_a_real_client_gets_in() {
    let mut live = Live::start(&["--handshake-timeout", "2"], "warn", Some(128)).await;
    let mut idle = Vec::new();
    for _ in 0..200 {
        idle.push(TcpStream::connect(live.addr).await.unwrap());
    }
    let mut slowest = Duration::ZERO;
    for tcp in &mut idle {
        slowest = slowest.max(closed_by_server(tcp).await);
    }
    let (mut alice, _) = live.pair(ALICE).await;
    assert_alive(&mut alice).await;
    let log = live.log_text();
    let refusals = log.matches("cannot accept").count();
    println!("file limit: 200 idle sockets closed, the last after {slowest:?}; {refusals} accept failures logged");
    // The limit was hit, and the loop waited instead of spinning.
    assert!((1..60).contains(&refusals), "{refusals} accept failures logged");
    assert!(live.running());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn at_the_connection_cap_new_sockets_are_closed_and_the_log_says_so() {
    let live =
        Live::start(&["--max-connections", "40", "--handshake-timeout", "3"], "warn", None).await;
    let (mut bob, _) = live.pair(BOB).await;
    let mut idle = Vec::new();
    for _ in 0..39 {
        idle.push(TcpStream::connect(live.addr).await.unwrap());
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    let mut beyond = Vec::new();
    for _ in 0..20 {
        let mut tcp = TcpStream::connect(live.addr).await.unwrap();
        beyond.push(closed_by_server(&mut tcp).await);
    }
    assert_alive(&mut bob).await;
    let log = live.log_text();
    assert_eq!(log.matches("connection limit reached").count(), 1, "{log}");
    println!("connection cap: 20 sockets beyond it closed after {:?} at most", beyond.iter().max());
    for tcp in &mut idle {
        closed_by_server(tcp).await;
    }
    let (mut alice, _) = live.pair(ALICE).await;
    assert_alive(&mut alice).await;
}
