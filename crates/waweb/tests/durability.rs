//! Durability of acknowledged messages: `waweb serve` runs as a child, a library client sends a
//! stream of messages with several in flight, the server is killed with SIGKILL after about half
//! of them were acknowledged, and after a restart on the same data directory every message the
//! server acknowledged is in the history of both the sender and the recipient.

mod proc_support;

use std::collections::HashSet;
use std::path::Path;

use futures_util::StreamExt;
use proc_support::{phone_scan, waweb, whole_history, Serve, WAIT};
use waweb_client::{Client, Credentials, Event, EventStream, WebMessageInfo};

const ALICE: &str = "15550000001";
const BOB: &str = "15550000002";
const TOTAL: usize = 200;
const KILL_AFTER: usize = 100;
const IN_FLIGHT: usize = 8;
/// Messages of the Alice–Bob conversation in the demo seed.
const SEEDED: usize = 14;

async fn wait_ready(events: &mut EventStream) {
    tokio::time::timeout(WAIT, events.wait_ready()).await.unwrap().unwrap();
}

/// Pairs a library client with `phone` through `waweb phone scan`.
async fn pair(home: &Path, serve: &Serve, data: &Path, phone: &str) -> Client {
    let (client, mut events) = Client::connect(&serve.url(), None).await.unwrap();
    let qr = tokio::time::timeout(WAIT, async {
        while let Some(e) = events.recv().await {
            if let Event::Qr { code, .. } = e {
                return code;
            }
        }
        panic!("no QR");
    })
    .await
    .unwrap();
    phone_scan(home, serve, data, &qr, phone).await;
    wait_ready(&mut events).await;
    client
}

async fn restore(serve: &Serve, creds: Credentials) -> Client {
    let (client, mut events) = Client::connect(&serve.url(), Some(creds)).await.unwrap();
    wait_ready(&mut events).await;
    client
}

fn ids(history: &[WebMessageInfo]) -> Vec<String> {
    history.iter().filter_map(|m| m.key.clone()?.id).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_acknowledged_message_survives_a_kill_9() {
    let home = tempfile::tempdir().unwrap();
    let data = home.path().join("data");
    let mut serve = Serve::start(home.path(), &data).await;
    let alice = pair(home.path(), &serve, &data, ALICE).await;
    let creds = alice.credentials().unwrap();

    let bob_jid = format!("{BOB}@c.us");
    let mut sends = futures_util::stream::iter(0..TOTAL)
        .map(|i| {
            let (client, jid) = (alice.clone(), bob_jid.clone());
            async move { client.send_text(&jid, &format!("message {i}")).await }
        })
        .buffer_unordered(IN_FLIGHT);
    let mut acked = Vec::new();
    let mut failed = 0;
    while let Some(sent) = sends.next().await {
        match sent {
            Ok(receipt) => acked.push(receipt.id),
            Err(_) => failed += 1,
        }
        if acked.len() == KILL_AFTER && failed == 0 {
            // SIGKILL: no shutdown, no flush, whatever was in flight is cut.
            serve.proc.child.kill().await.unwrap();
        }
    }
    eprintln!("{} acknowledged, {failed} failed", acked.len());
    assert!(acked.len() >= KILL_AFTER, "{} acknowledged", acked.len());
    assert!(acked.len() < TOTAL, "the kill cut the stream: {} acknowledged", acked.len());
    assert_eq!(acked.len() + failed, TOTAL);
    drop(sends);
    drop(alice);

    // The same data directory opens again and has every acknowledged message, on both sides.
    let serve = Serve::start(home.path(), &data).await;
    let alice = restore(&serve, creds).await;
    let sender_side = whole_history(&alice, &bob_jid, TOTAL / 50 + 2).await;
    let bob = pair(home.path(), &serve, &data, BOB).await;
    let recipient_side = whole_history(&bob, &format!("{ALICE}@c.us"), TOTAL / 50 + 2).await;
    for (side, history) in [("Alice", &sender_side), ("Bob", &recipient_side)] {
        let found = ids(history);
        let unique: HashSet<&String> = found.iter().collect();
        assert_eq!(unique.len(), found.len(), "{side}: no message twice");
        let missing: Vec<_> = acked.iter().filter(|id| !unique.contains(id)).collect();
        assert!(missing.is_empty(), "{side} lost acknowledged messages: {missing:?}");
        assert!(found.len() >= SEEDED + acked.len(), "{side}: {} messages", found.len());
        assert!(found.len() <= SEEDED + TOTAL, "{side}: {} messages", found.len());
    }
    assert_eq!(ids(&sender_side), ids(&recipient_side), "both copies, in the same order");

    // The database is still writable and the server still stops cleanly.
    alice.send_text(&bob_jid, "after the crash").await.unwrap();
    let accounts = waweb(home.path()).args(["account", "list", "--data-dir"]).arg(&data).output();
    let accounts = tokio::time::timeout(WAIT, accounts).await.unwrap().unwrap();
    assert!(accounts.status.success());
    assert_eq!(String::from_utf8_lossy(&accounts.stdout).lines().count(), 3);
    let pid = serve.proc.child.id().unwrap().to_string();
    let term = std::process::Command::new("kill").args(["-TERM", &pid]).status().unwrap();
    assert!(term.success());
    let mut serve = serve;
    assert_eq!(serve.proc.exit_code().await, Some(0), "clean stop after the crash recovery");
}
