//! Several `waweb serve` nodes on one PostgreSQL database and one NATS server, as child
//! processes: a conversation whose two accounts are on different nodes, a login on one node
//! taking over a session on another, and the failures the deployment must survive (`kill -9` of
//! a node under load, NATS restarted under load, PostgreSQL unreachable).
//!
//! Needs PostgreSQL (see `cluster_support` for `WAWEB_TEST_POSTGRES`) and the `nats-server`
//! binary; `.ci/run` checks both before the tests.

mod cluster_support;
mod proc_support;

use std::collections::HashSet;
use std::time::Duration;

use cluster_support::{add_account, next_event, pair, restore, Database, Nats, Node, Proxy};
use futures_util::StreamExt;
use proc_support::{whole_history, WAIT};
use waweb_client::{Ack, BatchKind, Client, ClientError, ClientOptions, Event, EventStream};

const ALICE: &str = "15550000001";
const BOB: &str = "15550000002";

fn jid(phone: &str) -> String {
    format!("{phone}@c.us")
}

/// Options of a client that fails over to the other nodes when it loses its own.
fn failover(others: &[&Node]) -> ClientOptions {
    ClientOptions {
        reconnect: true,
        backoff_base: Duration::from_millis(100),
        backoff_max: Duration::from_millis(500),
        max_reconnect_attempts: Some(60),
        request_timeout: Duration::from_secs(15),
        fallback_urls: others.iter().map(|n| n.url()).collect(),
        ..ClientOptions::default()
    }
}

/// The ids of the live messages (`add:relay`) in `events` until nothing comes for `quiet`.
async fn live_ids(events: &mut EventStream, quiet: Duration) -> Vec<String> {
    let mut ids = Vec::new();
    while let Ok(Some(e)) = tokio::time::timeout(quiet, events.recv()).await {
        if let Event::Messages { kind: BatchKind::Live, messages, .. } = e {
            ids.extend(messages.into_iter().filter_map(|m| m.key?.id));
        }
    }
    ids
}

/// Every message id of the chat with `with`, oldest first.
async fn history_ids(client: &Client, with: &str) -> Vec<String> {
    let history = whole_history(client, &jid(with), 100).await;
    history.into_iter().filter_map(|m| m.key?.id).collect()
}

/// Asserts that `history` holds every id of `acked` once.
fn holds_all(side: &str, history: &[String], acked: &[String]) {
    let unique: HashSet<&String> = history.iter().collect();
    assert_eq!(unique.len(), history.len(), "{side}: a message is there twice");
    let missing: Vec<&String> = acked.iter().filter(|id| !unique.contains(id)).collect();
    assert!(missing.is_empty(), "{side} lost acknowledged messages: {missing:?}");
}

/// Two nodes, one NATS, one database, Alice and Bob created through node 1.
struct Cluster {
    home: tempfile::TempDir,
    db: Database,
    nats: Nats,
    nodes: Vec<Node>,
}

impl Cluster {
    async fn start(nodes: usize) -> Cluster {
        let home = tempfile::tempdir().unwrap();
        let db = Database::create().await;
        let nats = Nats::start().await;
        let mut started = Vec::new();
        for i in 0..nodes {
            started.push(Node::start(home.path(), &format!("node{i}"), &db.url(), &nats.url).await);
        }
        add_account(home.path(), &started[0], ALICE, "Alice").await;
        add_account(home.path(), &started[0], BOB, "Bob").await;
        Cluster { home, db, nats, nodes: started }
    }

    async fn stop(self) {
        drop(self.nodes);
        self.db.drop_now().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_conversation_across_nodes_with_acks_offline_delivery_and_takeover() {
    let c = Cluster::start(2).await;
    let (n1, n2) = (&c.nodes[0], &c.nodes[1]);
    let home = c.home.path();
    let (alice, mut alice_events) = pair(home, n1, n1, ALICE, failover(&[])).await;
    // Bob's browser waits on node 2; his phone scans through node 1's admin API.
    let (bob, mut bob_events) = pair(home, n2, n1, BOB, failover(&[])).await;

    let sent = alice.send_text(&jid(BOB), "across nodes").await.unwrap();
    let got = next_event(&mut bob_events, |e| match e {
        Event::Messages { kind: BatchKind::Live, messages, .. } => messages.into_iter().next(),
        _ => None,
    })
    .await;
    assert_eq!(got.text(), Some("across nodes"));
    assert_eq!(got.key.and_then(|k| k.id), Some(sent.id.clone()));
    let delivered = |e: Event, want: Ack| match e {
        Event::Ack { id, ack, .. } if id == sent.id && ack == want => Some(()),
        _ => None,
    };
    next_event(&mut alice_events, |e| delivered(e, Ack::Delivered)).await;
    bob.read(&jid(ALICE), &sent.id).await.unwrap();
    next_event(&mut alice_events, |e| delivered(e, Ack::Read)).await;

    // Bob leaves; what Alice sends meanwhile is there when he comes back, on the other node.
    let bob_creds = bob.credentials().unwrap();
    bob.close();
    drop(bob_events);
    let offline = alice.send_text(&jid(BOB), "while you were away").await.unwrap();
    let (bob, _bob_events) = restore(n1, bob_creds, failover(&[])).await;
    let history = history_ids(&bob, ALICE).await;
    assert_eq!(history, [sent.id.clone(), offline.id.clone()], "both, in order, once");

    // One live session per account, cluster-wide: Alice logging in on node 2 replaces node 1's.
    let alice_creds = alice.credentials().unwrap();
    let (_alice2, _events2) = restore(n2, alice_creds, ClientOptions::default()).await;
    let end = next_event(&mut alice_events, |e| match e {
        Event::Disconnected(d) => Some(d),
        _ => None,
    })
    .await;
    assert_eq!(end, waweb_client::Disconnect::Replaced);
    c.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_node_killed_under_load_loses_no_acknowledged_message() {
    const TOTAL: usize = 200;
    const KILL_AFTER: usize = 80;
    let mut c = Cluster::start(2).await;
    let home = c.home.path().to_owned();
    let (alice, mut alice_events) = {
        let (n1, n2) = (&c.nodes[0], &c.nodes[1]);
        pair(&home, n1, n1, ALICE, failover(&[n2])).await
    };
    let (_bob, mut bob_events) = {
        let n2 = &c.nodes[1];
        pair(&home, n2, n2, BOB, failover(&[])).await
    };

    let mut sends = futures_util::stream::iter(0..TOTAL)
        .map(|i| {
            let client = alice.clone();
            async move { client.send_text(&jid(BOB), &format!("message {i}")).await }
        })
        .buffer_unordered(8);
    let mut acked = Vec::new();
    let mut killed = false;
    while let Some(sent) = sends.next().await {
        if let Ok(receipt) = sent {
            acked.push(receipt.id);
        }
        if acked.len() >= KILL_AFTER && !killed {
            c.nodes[0].kill().await;
            killed = true;
        }
    }
    drop(sends);
    eprintln!("{} of {TOTAL} acknowledged around the kill", acked.len());
    assert!(killed && acked.len() >= KILL_AFTER, "{} acknowledged", acked.len());

    // Alice's client fails over to node 2 and restores there without a new QR.
    next_event(&mut alice_events, |e| match e {
        Event::Ready { new_pairing: false, .. } => Some(()),
        Event::Disconnected(d) => panic!("gave up: {d:?}"),
        _ => None,
    })
    .await;
    let after = alice.send_text(&jid(BOB), "after the kill").await.unwrap();
    acked.push(after.id);
    holds_all("Alice", &history_ids(&alice, BOB).await, &acked);

    let live = live_ids(&mut bob_events, Duration::from_secs(2)).await;
    let unique: HashSet<&String> = live.iter().collect();
    assert_eq!(unique.len(), live.len(), "Bob's application got a message twice");
    let bob = _bob;
    holds_all("Bob", &history_ids(&bob, ALICE).await, &acked);
    c.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nats_restarted_under_load_delays_delivery_but_loses_nothing() {
    const TOTAL: usize = 60;
    let mut c = Cluster::start(2).await;
    let home = c.home.path().to_owned();
    let (alice, _alice_events) = pair(&home, &c.nodes[0], &c.nodes[0], ALICE, failover(&[])).await;
    let (bob, mut bob_events) = pair(&home, &c.nodes[1], &c.nodes[1], BOB, failover(&[])).await;

    let mut acked = Vec::new();
    for i in 0..TOTAL {
        if i == TOTAL / 3 {
            c.nats.stop().await;
        }
        if i == 2 * TOTAL / 3 {
            c.nats.restart().await;
        }
        // The store commits whatever the bus does: every send is acknowledged.
        let receipt = alice.send_text(&jid(BOB), &format!("message {i}")).await.unwrap();
        acked.push(receipt.id);
    }
    // The nodes reconnect by themselves: live delivery resumes.
    let probe = tokio::time::timeout(WAIT * 3, async {
        loop {
            let id = alice.send_text(&jid(BOB), "are you there").await.unwrap().id;
            let seen = live_ids(&mut bob_events, Duration::from_secs(1)).await;
            if seen.contains(&id) {
                return id;
            }
        }
    })
    .await
    .expect("live delivery did not resume after NATS came back");
    acked.push(probe);
    // What was sent while NATS was down is there at the next sync at the latest.
    let creds = bob.credentials().unwrap();
    bob.close();
    let (bob, _events) = restore(&c.nodes[1], creds, failover(&[])).await;
    holds_all("Bob", &history_ids(&bob, ALICE).await, &acked);
    c.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_unreachable_fails_requests_cleanly_and_service_resumes() {
    let home = tempfile::tempdir().unwrap();
    let db = Database::create().await;
    let nats = Nats::start().await;
    let proxy = Proxy::start(cluster_support::postgres_addr()).await;
    let store = db.url_via(&proxy.addr.to_string());
    let node = Node::start(home.path(), "node0", &store, &nats.url).await;
    add_account(home.path(), &node, ALICE, "Alice").await;
    add_account(home.path(), &node, BOB, "Bob").await;
    let (alice, _alice_events) = pair(home.path(), &node, &node, ALICE, failover(&[])).await;
    let first = alice.send_text(&jid(BOB), "before").await.unwrap();

    proxy.cut();
    let started = std::time::Instant::now();
    let refused = alice.send_text(&jid(BOB), "while the database is away").await;
    match &refused {
        Err(ClientError::Status(s)) => assert!(*s >= 500, "status {s}"),
        Err(ClientError::Disconnected(_)) => {}
        other => panic!("expected an error status or a close, got {other:?}"),
    }
    eprintln!("refused after {:?}: {refused:?}", started.elapsed());

    proxy.restore();
    let back = tokio::time::timeout(WAIT * 3, async {
        loop {
            match alice.send_text(&jid(BOB), "after").await {
                Ok(receipt) => return receipt.id,
                Err(_) => tokio::time::sleep(Duration::from_millis(200)).await,
            }
        }
    })
    .await
    .expect("the service did not resume once PostgreSQL was back");
    holds_all("Alice", &history_ids(&alice, BOB).await, &[first.id, back]);
    drop(node);
    db.drop_now().await;
}
