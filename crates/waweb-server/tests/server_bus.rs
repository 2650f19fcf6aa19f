//! Servers over the NATS bus, through real sockets: one node on the bus (runs today on the
//! SQLite store), and two nodes sharing a PostgreSQL store (see [`shared_store`]); and the
//! queue acknowledgement of live pushes without a bus.

mod bus_support;
mod store_support;
mod support;

use std::time::{Duration, Instant};

use bus_support::Nats;
use support::{wait_for, Client, TestServer};
use waweb_proto::message;
use waweb_proto::session::{ClientEvent, DisconnectReason};
use waweb_server::store::SessionStore;
use waweb_server::Config;

const ALICE: &str = "111";
const BOB: &str = "222";

/// A server on the bus at `url`, sharing the store at `store` if given.
async fn node(url: &str, store: Option<&str>) -> TestServer {
    let (url, store) = (url.to_owned(), store.map(str::to_owned));
    TestServer::start_with(move |c| {
        c.bus = Some(url);
        if let Some(store) = store {
            shared_store(c, &store);
        }
    })
    .await
}

/// Points a node at the shared store.
fn shared_store(config: &mut Config, url: &str) {
    config.store = Some(url.to_owned());
}

/// The store URL of `schema` (a schema of its own in the tests' database, dropped with it).
fn store_url(schema: &store_support::Schema) -> String {
    format!("{}?options=-csearch_path%3D{}", store_support::postgres_url(), schema.name)
}

/// Sends a text from `from` to `to` and waits for the server's 200.
async fn send(from: &mut Client, to: &str, id: &str) {
    let info = message::text_message(&format!("{to}@s.whatsapp.net"), true, id, "hi", 1);
    let tag = from.session.relay(support::client::now(), &info).unwrap();
    let answer = wait_for(from, |e| match e {
        ClientEvent::JsonResponse { tag: t, value } if *t == tag => Some(value.clone()),
        _ => None,
    })
    .await;
    assert_eq!(answer["status"], 200, "{answer}");
}

/// Waits until `client` is pushed the message `id`.
async fn receives(client: &mut Client, id: &str) {
    wait_for(client, |e| match e {
        ClientEvent::Node { node, .. } => node
            .child_nodes()
            .iter()
            .filter_map(|m| message::decode(m.content_bytes()?).ok())
            .any(|info| info.key.and_then(|k| k.id).as_deref() == Some(id))
            .then_some(()),
        _ => None,
    })
    .await;
}

/// Waits until `client` is told it was replaced.
async fn replaced(client: &mut Client) {
    let reason = wait_for(client, |e| match e {
        ClientEvent::Disconnected(r) => Some(r.clone()),
        _ => None,
    })
    .await;
    assert_eq!(reason, DisconnectReason::Replaced);
}

/// Waits until the queue of `account` in `server`'s store is empty (the live push was written
/// and acknowledged, off the relay's path).
async fn queue_drains(server: &TestServer, account: &str) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while !server.store.pending_for(account, 10).await.unwrap().is_empty() {
        assert!(Instant::now() < deadline, "the pushed message stays queued");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

#[tokio::test]
async fn without_a_bus_the_live_push_leaves_the_queue_once_written() {
    let server = TestServer::start().await;
    server.account(ALICE, "Alice").await;
    server.account(BOB, "Bob").await;
    let (mut alice, _) = server.pair(ALICE).await;
    let (mut bob, _) = server.pair(BOB).await;
    send(&mut alice, BOB, "LOCAL1").await;
    receives(&mut bob, "LOCAL1").await;
    queue_drains(&server, BOB).await;
}

#[tokio::test]
async fn one_node_on_the_bus_pairs_relays_acknowledges_and_replaces() {
    let nats = Nats::start();
    let server = node(&nats.url(), None).await;
    server.account(ALICE, "Alice").await;
    server.account(BOB, "Bob").await;
    // The scans go out as NATS requests and come back from the same node.
    let (mut alice, _) = server.pair(ALICE).await;
    let (mut bob, bob_creds) = server.pair(BOB).await;
    send(&mut alice, BOB, "BUS1").await;
    receives(&mut bob, "BUS1").await;
    queue_drains(&server, BOB).await;
    let (mut bob_again, _) = server.restore(&bob_creds).await;
    replaced(&mut bob).await;
    send(&mut alice, BOB, "BUS2").await;
    receives(&mut bob_again, "BUS2").await;
}

#[tokio::test]
async fn two_nodes_share_delivery_scans_and_the_one_live_session() {
    let nats = Nats::start();
    let schema = store_support::Schema::create().await;
    let store = store_url(&schema);
    let (a, b) = (node(&nats.url(), Some(&store)).await, node(&nats.url(), Some(&store)).await);
    let (alice, bob) = (ALICE.to_owned(), BOB.to_owned());
    a.account(&alice, "Alice").await;
    a.account(&bob, "Bob").await;
    let (mut alice_a, _) = a.pair(&alice).await;
    // Bob's browser waits on node B; the phone scans through node A's admin API.
    let mut bob_b = Client::connect(b.addr, None).await;
    let qr = bob_b.qr().await;
    let (status, body) = a.scan(&qr, &bob).await;
    assert_eq!(status, 200, "{body}");
    let bob_creds = bob_b.logged_in().await;
    // A message from node A reaches Bob on node B, live, and leaves his queue.
    send(&mut alice_a, &bob, "TWO1").await;
    receives(&mut bob_b, "TWO1").await;
    queue_drains(&a, &bob).await;
    // Bob logs in on node A: his session on node B is replaced, the new one gets messages.
    let (mut bob_a, _) = a.restore(&bob_creds).await;
    replaced(&mut bob_b).await;
    send(&mut alice_a, &bob, "TWO2").await;
    receives(&mut bob_a, "TWO2").await;
}
