//! A bounded soak: a live `waweb serve` holds three hundred connections for 45 seconds — twenty
//! logged-in sessions relaying messages to each other, the rest browsers showing a QR code and
//! sending keepalives — while its resident memory is sampled from `/proc`. The memory must stay
//! under a ceiling throughout and come back near where it started once the clients leave.

mod live_support;

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use live_support::client::now_ms;
use live_support::client::WAIT;
use live_support::{assert_alive, now, wait_for, Client, Live};
use tokio::time::Instant;
use tokio_tungstenite::tungstenite::Message;
use waweb_proto::message;
use waweb_proto::session::ClientEvent;

const SESSIONS: usize = 20;
const WAITING: usize = 280;
const SOAK: Duration = Duration::from_secs(45);
/// How far above its starting point the server's memory may go during the soak, in MiB.
const CEILING_MIB: f64 = 100.0;
/// How close to its starting point it must come back once the clients left, in MiB.
const RETURN_MIB: f64 = 30.0;

fn phone(i: usize) -> String {
    format!("1999000{i:04}")
}

/// Relays to the next session's account every 100 ms until `until`; how many were acked.
async fn relay_loop(mut client: Client, me: usize, until: Instant) -> (Client, usize) {
    let to = format!("{}@s.whatsapp.net", phone((me + 1) % SESSIONS));
    let mut acked = 0;
    while Instant::now() < until {
        let id = format!("S{me:02}{acked:06}");
        let info = message::text_message(&to, true, &id, "soak", now_ms() / 1000);
        let tag = client.session.relay(now(), &info).unwrap();
        let status = wait_for(&mut client, |e| match e {
            ClientEvent::JsonResponse { tag: t, value } if *t == tag => Some(value.clone()),
            ClientEvent::Disconnected(r) => panic!("session {me} ended: {r:?}"),
            _ => None,
        })
        .await;
        assert_eq!(status["status"], 200, "{status}");
        acked += 1;
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    (client, acked)
}

/// Browsers that asked for a QR code and send a keepalive every two seconds until `until`;
/// how many keepalives were answered.
async fn keepalive_loop(live_addr: std::net::SocketAddr, until: Instant) -> usize {
    let mut sockets = Vec::new();
    for _ in 0..WAITING {
        let (mut ws, _) =
            tokio_tungstenite::connect_async(format!("ws://{live_addr}/ws")).await.unwrap();
        let init = "1,[\"admin\",\"init\",[0,3,2390],[\"a\",\"b\",\"c\"],\"AAAAAAAAAAAAAAAAAAAAAA==\",true]";
        ws.send(Message::text(init.replace("AAAA", &format!("{:04}", sockets.len()))))
            .await
            .unwrap();
        sockets.push(ws);
    }
    let mut answered = 0;
    while Instant::now() < until {
        for ws in &mut sockets {
            ws.send(Message::text("?,,")).await.unwrap();
        }
        for ws in &mut sockets {
            loop {
                match tokio::time::timeout(WAIT, ws.next()).await.expect("no keepalive answer") {
                    Some(Ok(Message::Text(t))) if t.starts_with('!') => break,
                    Some(Ok(_)) => {}
                    other => panic!("a waiting browser was closed: {other:?}"),
                }
            }
            answered += 1;
        }
        tokio::time::sleep(Duration::from_secs(2)).await;
    }
    answered
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_hundred_connections_stay_under_the_memory_ceiling_and_return_near_baseline() {
    let live = Live::start(&["--login-timeout", "120"], "warn", None).await;
    let mut clients = Vec::new();
    for i in 0..SESSIONS {
        live.account(&phone(i), &format!("Soak {i}")).await;
    }
    for i in 0..SESSIONS {
        clients.push(live.pair(&phone(i)).await.0);
    }
    let baseline = live.rss_mib();
    let until = Instant::now() + SOAK;
    let waiting = tokio::spawn(keepalive_loop(live.addr, until));
    let relays: Vec<_> = clients
        .into_iter()
        .enumerate()
        .map(|(i, c)| tokio::spawn(relay_loop(c, i, until)))
        .collect();
    let mut peak = baseline;
    while Instant::now() < until {
        tokio::time::sleep(Duration::from_secs(1)).await;
        peak = peak.max(live.rss_mib());
    }
    let answered = waiting.await.unwrap();
    let mut acked = 0;
    let mut sessions = Vec::new();
    for r in relays {
        let (client, n) = r.await.unwrap();
        acked += n;
        sessions.push(client);
    }
    assert_alive(&mut sessions[0]).await;
    drop(sessions);
    let after = live.settle_rss(baseline + RETURN_MIB, Duration::from_secs(15)).await;
    println!(
        "soak: {acked} messages acked, {answered} keepalives answered; RSS {baseline:.1} MiB \
         at start, {peak:.1} MiB at the peak, {after:.1} MiB after the clients left"
    );
    assert!(acked > SESSIONS * 100, "{acked}");
    // Every waiting browser got through at least one keepalive round during the soak.
    assert!(answered >= WAITING, "{answered} keepalives answered");
    assert!(peak < baseline + CEILING_MIB, "peak {peak:.1} MiB from {baseline:.1} MiB");
    assert!(after <= baseline + RETURN_MIB, "{after:.1} MiB after, from {baseline:.1} MiB");
}
