//! The NATS bus between two nodes (two hubs on one test-started `nats-server`): delivery,
//! dedupe, presence, scan request/reply, cluster-wide replace and kick, and recovery after the
//! NATS server is killed and started again.

mod bus_support;

use std::time::Duration;

use bus_support::*;
use waweb_proto::binary::Node as WaNode;
use waweb_proto::json::presence::Presence;
use waweb_proto::json::push::ServerPush;
use waweb_server::hub::{Bus, Delivery, Envelope, Mailbox, PresenceChange, ScanError, ScanRequest};
use waweb_server::store::DeliveryId;

fn text(id: &str) -> Delivery {
    Delivery::Node(WaNode::new("message").attr("id", id))
}

fn presence(account: &str) -> ServerPush {
    ServerPush::Presence(Presence {
        id: format!("{account}@c.us"),
        r#type: "available".into(),
        t: Some(7),
        participant: None,
        deny: None,
    })
}

#[tokio::test]
async fn a_delivery_on_one_node_reaches_the_session_on_the_other_once() {
    let nats = Nats::start();
    let (a, b) = (node(&nats.url()).await, node(&nats.url()).await);
    let mut bob = session(&b, "222", 1, "bob-browser").await;
    let relayed = Delivery::Relayed { node: WaNode::new("action"), queued: DeliveryId(9) };
    a.hub.deliver("222", relayed.clone());
    assert_eq!(next(&mut bob).await, relayed);
    // The same envelope published twice (as a repeated publish would) is handed on once: the
    // next delivery after it is the marker sent behind it.
    let twice = Envelope::new("222", None, None, text("once"));
    a.bus.publish(twice.clone());
    a.bus.publish(twice);
    a.hub.deliver("222", text("marker"));
    assert_eq!(next(&mut bob).await, text("once"));
    assert_eq!(next(&mut bob).await, text("marker"));
}

#[tokio::test]
async fn presence_changes_reach_followers_on_every_node() {
    let nats = Nats::start();
    let (a, b) = (node(&nats.url()).await, node(&nats.url()).await);
    let mut bob = session(&b, "222", 1, "bob-browser").await;
    assert!(b.hub.subscribe_presence("222", 1, "111"));
    let push = presence("111");
    let change = PresenceChange {
        account: "111".into(),
        available: true,
        t: 7,
        push: push.clone(),
        hidden_from: vec![],
    };
    a.hub.announce_presence(change);
    assert_eq!(next(&mut bob).await, Delivery::Json(push));
    // Recorded on every node (for `lastseen`), the announcing one too.
    assert_eq!(b.hub.presence("111"), Some((true, 7)));
    assert_eq!(a.hub.presence("111"), Some((true, 7)));
}

#[tokio::test]
async fn a_scan_through_one_node_pairs_the_browser_waiting_on_the_other() {
    let nats = Nats::start();
    let (a, b) = (node(&nats.url()).await, node(&nats.url()).await);
    let (mailbox, mut browser) = Mailbox::new(16);
    b.hub.await_scan("1@qr-ref", 5, mailbox);
    // The browser's connection: pairs the first scan, refuses the second.
    let hub_b = b.hub.clone();
    tokio::spawn(async move {
        let mut answers = vec![Err(ScanError::Refused("paired already".into())), Ok(())];
        while let Some(Delivery::Scan { scan, account, .. }) = browser.recv().await {
            assert_eq!(account, "111");
            hub_b.scan_done(scan, answers.pop().unwrap_or(Err(ScanError::TimedOut)));
        }
    });
    let request =
        ScanRequest { r#ref: "1@qr-ref".into(), account: "111".into(), client_public: [1; 32] };
    // The QR's subscription is made in the background: a scan right after may find nobody.
    let mut outcome = a.hub.scan(request.clone()).await;
    for _ in 0..100 {
        if !matches!(outcome, Err(ScanError::NotFound(_))) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
        outcome = a.hub.scan(request.clone()).await;
    }
    assert_eq!(outcome, Ok(()));
    assert_eq!(a.hub.scan(request.clone()).await, Err(ScanError::Refused("paired already".into())));
    // A QR nobody shows: NATS says "no responders", a 404 at once.
    let unknown = ScanRequest { r#ref: "1@nobody".into(), ..request };
    assert!(matches!(a.hub.scan(unknown).await, Err(ScanError::NotFound(_))));
}

#[tokio::test]
async fn a_login_on_one_node_replaces_the_session_on_the_other() {
    let nats = Nats::start();
    let (a, b) = (node(&nats.url()).await, node(&nats.url()).await);
    let mut old = session(&a, "111", 1, "browser-old").await;
    // The new login asks the cluster first: another pairing is live (on node A).
    assert!(b.hub.other_pairing_active("111", "browser-new").await);
    assert!(!b.hub.other_pairing_active("111", "browser-old").await);
    assert!(!b.hub.other_pairing_active("999", "browser-new").await);
    let mut new = session(&b, "111", 1, "browser-new").await;
    b.hub.replace_others("111", 1);
    assert_eq!(next(&mut old).await, Delivery::Replaced);
    // The new session (same connection id, other node) is not replaced: the next thing it gets
    // is the push behind.
    a.hub.deliver("111", text("after"));
    assert_eq!(next(&mut new).await, text("after"));
    // A logout over HTTP on node A kicks the browser by its client id, on node B.
    a.hub.kick_client("111", "browser-new");
    assert_eq!(next(&mut new).await, Delivery::Kicked);
}

#[tokio::test]
async fn both_nodes_deliver_again_by_themselves_after_nats_restarts() {
    let mut nats = Nats::start();
    let (a, b) = (node(&nats.url()).await, node(&nats.url()).await);
    let mut alice = session(&a, "111", 1, "alice-browser").await;
    let mut bob = session(&b, "222", 1, "bob-browser").await;
    a.hub.deliver("222", text("before"));
    assert_eq!(next(&mut bob).await, text("before"));
    nats.kill();
    nats.restart();
    // Nothing is done to the nodes: they reconnect and subscribe again on their own. Pushes
    // sent while they are still away may be lost (live pushes are not durable), so each side
    // sends until one arrives.
    for (from, to, rx) in [(&a, "222", &mut bob), (&b, "111", &mut alice)] {
        let mut got = None;
        for i in 0..300 {
            from.hub.deliver(to, text(&format!("after-{i}")));
            if let Ok(Some(d)) = tokio::time::timeout(Duration::from_millis(100), rx.recv()).await {
                got = Some(d);
                break;
            }
        }
        let Some(Delivery::Node(node)) = got else { panic!("{to}: nothing after the restart") };
        assert!(node.get_attr("id").is_some_and(|id| id.starts_with("after-")));
    }
}

#[tokio::test]
async fn a_scan_the_browser_never_answers_comes_back_as_timed_out() {
    let nats = Nats::start();
    let (a, b) = (node(&nats.url()).await, node(&nats.url()).await);
    // The browser's connection takes the scan and never answers (its mailbox is kept open).
    let (mailbox, _silent) = Mailbox::new(16);
    b.hub.await_scan("1@silent", 5, mailbox);
    let request =
        ScanRequest { r#ref: "1@silent".into(), account: "111".into(), client_public: [1; 32] };
    let mut outcome = a.hub.scan(request.clone()).await;
    for _ in 0..100 {
        if !matches!(outcome, Err(ScanError::NotFound(_))) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
        outcome = a.hub.scan(request.clone()).await;
    }
    // Node B gives up after its wait and says so; node A passes it on (the admin API's 504).
    assert_eq!(outcome, Err(ScanError::TimedOut));
}
