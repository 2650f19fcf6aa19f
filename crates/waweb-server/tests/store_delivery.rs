//! The delivery queue for relays to online recipients: not queued by the relay itself, queued
//! afterwards on request when the live push found no session.

mod store_support;

use store_support::{accounts, jid, relay};
use waweb_server::store::{DeliveryId, RelayOutcome, Store, StoreError};

async fn an_online_recipient_gets_no_queue_entry_until_asked(store: impl Store) {
    accounts(&store, &["100", "200", "300"]).await;
    let mut live = relay("100", "200", "L1", 10);
    live.recipient_online = true;
    let RelayOutcome::Stored { recipient_seq, .. } = store.relay(live).await.unwrap() else {
        panic!("stored")
    };
    assert!(store.pending_for("200", 10).await.unwrap().is_empty());
    // Everything else of the relay happened: the copy and the unread count.
    assert_eq!(store.recent_messages("200", &jid("100"), 10).await.unwrap().len(), 1);
    assert_eq!(store.chat("200", &jid("100")).await.unwrap().unwrap().unread, 1);

    store.enqueue_delivery("200", DeliveryId(recipient_seq)).await.unwrap();
    store.enqueue_delivery("200", DeliveryId(recipient_seq)).await.unwrap();
    let queue = store.pending_for("200", 10).await.unwrap();
    assert_eq!(queue.len(), 1, "queued once");
    assert_eq!((queue[0].id, queue[0].message.id.as_str()), (DeliveryId(recipient_seq), "L1"));
}

async fn only_the_accounts_own_messages_can_be_queued(store: impl Store) {
    accounts(&store, &["100", "200", "300"]).await;
    let RelayOutcome::Stored { sender_seq, recipient_seq } =
        store.relay(relay("100", "200", "Q1", 10)).await.unwrap()
    else {
        panic!("stored")
    };
    let not_found = StoreError::NotFound { what: "message" };
    // The sender's copy belongs to 100, the recipient's to 200: neither is 300's.
    for seq in [sender_seq, recipient_seq, recipient_seq + 1_000] {
        assert_eq!(store.enqueue_delivery("300", DeliveryId(seq)).await.unwrap_err(), not_found);
    }
    assert!(store.pending_for("300", 10).await.unwrap().is_empty());
    let missing = StoreError::NotFound { what: "account" };
    assert_eq!(store.enqueue_delivery("999", DeliveryId(sender_seq)).await.unwrap_err(), missing);
}

store_support::store_suite!(
    an_online_recipient_gets_no_queue_entry_until_asked,
    only_the_accounts_own_messages_can_be_queued,
);
