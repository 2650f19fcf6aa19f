use waweb_proto::json::presence::Presence;
use waweb_proto::json::push::ServerPush;

use super::*;
use crate::hub::{Envelope, SessionRef};

fn envelope(account: &str, delivery: Delivery) -> Envelope {
    Envelope::new(account, None, None, delivery)
}

#[test]
fn dispatches_to_every_live_session_but_the_one_excepted() {
    let reg = Registry::new(5);
    let (tx1, mut rx1) = Mailbox::new(8);
    let (tx2, mut rx2) = Mailbox::new(8);
    reg.register("111", 1, "browser-a", tx1);
    reg.register("111", 2, "browser-b", tx2);
    assert_eq!(reg.dispatch(&envelope("111", Delivery::Kicked)), 2);
    assert_eq!(rx1.try_recv(), Ok(Delivery::Kicked));
    assert_eq!(rx2.try_recv(), Ok(Delivery::Kicked));
    let except = Some(SessionRef { node: 5, connection: 1 });
    assert_eq!(reg.dispatch(&Envelope::new("111", except, None, Delivery::Replaced)), 1);
    assert!(rx1.try_recv().is_err());
    // The same connection id on another node is another session.
    let elsewhere = Some(SessionRef { node: 6, connection: 1 });
    assert_eq!(reg.dispatch(&Envelope::new("111", elsewhere, None, Delivery::Replaced)), 2);
    assert_eq!(reg.dispatch(&envelope("222", Delivery::Kicked)), 0);
    assert!(!reg.unregister("111", 1));
    assert!(reg.unregister("111", 2));
    assert!(!reg.has_sessions("111"));
}

#[test]
fn tells_pairings_apart_and_kicks_by_client_id() {
    let reg = Registry::new(0);
    let (tx1, mut rx1) = Mailbox::new(8);
    let (tx2, mut rx2) = Mailbox::new(8);
    reg.register("111", 1, "browser-a", tx1);
    reg.register("111", 2, "browser-b", tx2);
    assert_eq!(reg.client_ids("111"), ["browser-a", "browser-b"]);
    let kick = Envelope::new("111", None, Some("browser-b".into()), Delivery::Kicked);
    assert_eq!(reg.dispatch(&kick), 1);
    assert_eq!(rx2.try_recv(), Ok(Delivery::Kicked));
    assert!(rx1.try_recv().is_err());
}

#[test]
fn closed_mailboxes_are_not_counted() {
    let reg = Registry::new(0);
    let (tx, rx) = Mailbox::new(8);
    reg.register("111", 1, "browser-a", tx);
    drop(rx);
    assert_eq!(reg.dispatch(&envelope("111", Delivery::Kicked)), 0);
    assert!(!reg.has_sessions("111"));
    assert!(reg.client_ids("111").is_empty());
}

#[tokio::test]
async fn a_scan_reaches_the_connection_showing_the_qr_and_its_answer_comes_back() {
    let reg = Registry::new(0);
    let (tx, mut rx) = Mailbox::new(8);
    reg.await_scan("1@abc", 7, tx);
    let request =
        ScanRequest { r#ref: "1@abc".into(), account: "111".into(), client_public: [3; 32] };
    let (scan, answer) = reg.start_scan(&request).unwrap();
    let Ok(Delivery::Scan { scan: asked, account, client_public }) = rx.try_recv() else {
        panic!("no scan delivered")
    };
    assert_eq!((asked, account.as_str(), client_public), (scan, "111", [3; 32]));
    reg.scan_done(scan, Err(ScanError::Refused("paired".into())));
    assert_eq!(answer.await.unwrap(), Err(ScanError::Refused("paired".into())));
    assert_eq!(reg.forget_connection_refs(7), ["1@abc"]);
    assert!(matches!(reg.start_scan(&request), Err(ScanError::NotFound(_))));
}

#[test]
fn presence_subscriptions_are_bounded_and_end_with_the_connection() {
    let reg = Registry::new(0);
    let (tx, _rx) = Mailbox::new(8);
    reg.register("111", 1, "browser-a", tx);
    for n in 0..MAX_SUBSCRIPTIONS {
        assert!(reg.subscribe_presence("111", 1, &n.to_string()));
    }
    assert!(!reg.subscribe_presence("111", 1, "999999"));
    // Subscribing again to one already followed is not a new one.
    assert!(reg.subscribe_presence("111", 1, "7"));
    assert!(reg.subscribe_presence("222", 2, "7"));
    assert_eq!(reg.subscription_count(), MAX_SUBSCRIPTIONS + 1);
    reg.unregister("111", 1);
    assert_eq!(reg.subscription_count(), 1);
    assert_eq!(reg.presence_subscribers("7"), vec!["222"]);
    assert!(reg.presence_subscribers("8").is_empty());
    assert_eq!(reg.lock().subscribers.len(), 1);
}

#[test]
fn a_presence_change_is_recorded_and_pushed_to_followers_it_does_not_block() {
    let reg = Registry::new(0);
    let (tx1, mut rx1) = Mailbox::new(8);
    let (tx3, mut rx3) = Mailbox::new(8);
    reg.register("111", 1, "a", tx1);
    reg.register("333", 3, "c", tx3);
    reg.subscribe_presence("111", 1, "222");
    reg.subscribe_presence("333", 3, "222");
    let push = ServerPush::Presence(Presence {
        id: "222@c.us".into(),
        r#type: "available".into(),
        t: Some(5),
        participant: None,
        deny: None,
    });
    let change = PresenceChange {
        account: "222".into(),
        available: true,
        t: 5,
        push: push.clone(),
        hidden_from: vec!["333@c.us".into()],
    };
    reg.apply_presence(&change);
    assert_eq!(reg.presence("222"), Some((true, 5)));
    assert_eq!(rx1.try_recv(), Ok(Delivery::Json(push)));
    assert!(rx3.try_recv().is_err());
    assert!(reg.claim_full_list(4, FullList::Chats));
    assert!(!reg.claim_full_list(4, FullList::Chats));
    assert!(reg.claim_full_list(4, FullList::Contacts));
}
