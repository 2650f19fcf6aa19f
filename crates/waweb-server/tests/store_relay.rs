//! The relay transaction, the delivery queue, and concurrent relays.

mod store_support;

use std::sync::Arc;

use store_support::{accounts, jid, message, relay};
use waweb_server::store::{
    Chat, ChatUpdate, Contact, DeliveryId, RelayOutcome, Store, StoreError, StoredMessage,
};

async fn relay_stores_both_copies_updates_both_chats_and_queues_delivery(store: impl Store) {
    accounts(&store, &["100", "200"]).await;
    let request = relay("100", "200", "3EB0R1", 1_600_000_000);
    let RelayOutcome::Stored { sender_seq, recipient_seq } =
        store.relay(request.clone()).await.unwrap()
    else {
        panic!("first relay must store");
    };
    assert_ne!(sender_seq, recipient_seq);

    let sent = store.recent_messages("100", &jid("200"), 10).await.unwrap();
    assert_eq!(sent, [StoredMessage::from_new(request.sender_copy.clone(), sender_seq)]);
    let received = store.recent_messages("200", &jid("100"), 10).await.unwrap();
    assert_eq!(received, [StoredMessage::from_new(request.recipient_copy.clone(), recipient_seq)]);

    let sender_chat = store.chat("100", &jid("200")).await.unwrap().unwrap();
    assert_eq!((sender_chat.t, sender_chat.unread), (1_600_000_000, 0));
    let recipient_chat = store.chat("200", &jid("100")).await.unwrap().unwrap();
    assert_eq!((recipient_chat.t, recipient_chat.unread), (1_600_000_000, 1));

    let mut expect_200 = Contact::new(jid("100"));
    expect_200.notify = Some("name-100".into());
    assert_eq!(store.contacts("200").await.unwrap(), [expect_200]);
    let mut expect_100 = Contact::new(jid("200"));
    expect_100.notify = Some("name-200".into());
    assert_eq!(store.contacts("100").await.unwrap(), [expect_100]);

    let pending = store.pending_for("200", 10).await.unwrap();
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0].id, DeliveryId(recipient_seq));
    assert_eq!(pending[0].message, received[0]);
    assert!(store.pending_for("100", 10).await.unwrap().is_empty());
}

async fn unread_counts_up_and_resets_when_answering(store: impl Store) {
    accounts(&store, &["100", "200"]).await;
    for i in 0..3 {
        store.relay(relay("100", "200", &format!("u{i}"), 10 + i)).await.unwrap();
    }
    assert_eq!(store.chat("200", &jid("100")).await.unwrap().unwrap().unread, 3);
    store.relay(relay("200", "100", "reply", 20)).await.unwrap();
    let chat = store.chat("200", &jid("100")).await.unwrap().unwrap();
    assert_eq!((chat.unread, chat.t), (0, 20));
    assert_eq!(store.chat("100", &jid("200")).await.unwrap().unwrap().unread, 1);
    // A chat marked unread (-1) counts from one again.
    store.update_chat("100", &jid("200"), ChatUpdate::MarkUnread).await.unwrap();
    store.relay(relay("200", "100", "again", 21)).await.unwrap();
    assert_eq!(store.chat("100", &jid("200")).await.unwrap().unwrap().unread, 1);
    store.relay(relay("200", "100", "more", 22)).await.unwrap();
    assert_eq!(store.chat("100", &jid("200")).await.unwrap().unwrap().unread, 2);
}

async fn relay_keeps_existing_chat_attributes_and_saved_names(store: impl Store) {
    accounts(&store, &["100", "200"]).await;
    let mut chat = Chat::new(jid("100"), 5);
    chat.archived = true;
    chat.mute_until = 777;
    store.upsert_chat("200", chat).await.unwrap();
    let mut saved = Contact::new(jid("100"));
    saved.name = Some("Mum".into());
    store.upsert_contacts("200", vec![saved]).await.unwrap();

    store.relay(relay("100", "200", "k", 9)).await.unwrap();
    let chat = store.chat("200", &jid("100")).await.unwrap().unwrap();
    assert_eq!((chat.archived, chat.mute_until, chat.t, chat.unread), (true, 777, 9, 1));
    let contact = store.contacts("200").await.unwrap().remove(0);
    assert_eq!(contact.name.as_deref(), Some("Mum"));
    assert_eq!(contact.notify.as_deref(), Some("name-100"));
}

async fn duplicate_relay_changes_nothing(store: impl Store) {
    accounts(&store, &["100", "200"]).await;
    let first = store.relay(relay("100", "200", "DUP", 10)).await.unwrap();
    let RelayOutcome::Stored { sender_seq, .. } = first else { panic!("stored") };
    let again = store.relay(relay("100", "200", "DUP", 11)).await.unwrap();
    assert_eq!(again, RelayOutcome::Duplicate { sender_seq });
    assert_eq!(store.recent_messages("100", &jid("200"), 10).await.unwrap().len(), 1);
    assert_eq!(store.recent_messages("200", &jid("100"), 10).await.unwrap().len(), 1);
    let chat = store.chat("200", &jid("100")).await.unwrap().unwrap();
    assert_eq!((chat.unread, chat.t), (1, 10));
    assert_eq!(store.pending_for("200", 10).await.unwrap().len(), 1);
}

async fn relay_to_an_unknown_account_stores_nothing(store: impl Store) {
    accounts(&store, &["100"]).await;
    let err = store.relay(relay("100", "999", "X", 1)).await.unwrap_err();
    assert_eq!(err, StoreError::NotFound { what: "account" });
    assert!(store.chats("100").await.unwrap().is_empty());
    assert!(store.recent_messages("100", &jid("999"), 10).await.unwrap().is_empty());
    let err = store.relay(relay("999", "100", "Y", 1)).await.unwrap_err();
    assert_eq!(err, StoreError::NotFound { what: "account" });
}

async fn a_failing_recipient_copy_rolls_back_the_sender_copy(store: impl Store) {
    accounts(&store, &["100", "200"]).await;
    let mut bad = relay("100", "200", "R", 1);
    bad.recipient_copy.id.clear();
    assert!(matches!(store.relay(bad).await.unwrap_err(), StoreError::Invalid { .. }));
    assert!(store.chats("100").await.unwrap().is_empty());
    assert!(store.contacts("100").await.unwrap().is_empty());
    assert!(store.recent_messages("100", &jid("200"), 10).await.unwrap().is_empty());
    // The id is free again: the retry is not a duplicate.
    let ok = store.relay(relay("100", "200", "R", 1)).await.unwrap();
    assert!(matches!(ok, RelayOutcome::Stored { .. }));
}

async fn pending_is_oldest_first_limited_and_acked_per_account(store: impl Store) {
    accounts(&store, &["100", "200", "300"]).await;
    for i in 0..5 {
        store.relay(relay("100", "200", &format!("p{i}"), i)).await.unwrap();
    }
    store.relay(relay("300", "200", "q", 9)).await.unwrap();
    let page = store.pending_for("200", 4).await.unwrap();
    let got: Vec<_> = page.iter().map(|p| p.message.id.as_str()).collect();
    assert_eq!(got, ["p0", "p1", "p2", "p3"]);

    let ids: Vec<_> = page.iter().map(|p| p.id).collect();
    // Acking as another account removes nothing.
    assert_eq!(store.ack_delivered("100", ids.clone()).await.unwrap(), 0);
    assert_eq!(store.ack_delivered("200", ids.clone()).await.unwrap(), 4);
    assert_eq!(store.ack_delivered("200", ids).await.unwrap(), 0);
    let rest: Vec<_> =
        store.pending_for("200", 100).await.unwrap().into_iter().map(|p| p.message.id).collect();
    assert_eq!(rest, ["p4", "q"]);
    // Delivered messages stay in the history.
    assert_eq!(store.recent_messages("200", &jid("100"), 10).await.unwrap().len(), 5);
}

async fn concurrent_relays_are_all_stored_and_acknowledged(store: impl Store) {
    const TASKS: usize = 8;
    const PER_TASK: usize = 500;
    let store = Arc::new(store);
    let phones: Vec<String> = (0..TASKS).map(|t| format!("49{t:03}")).collect();
    let refs: Vec<&str> = phones.iter().map(String::as_str).collect();
    accounts(store.as_ref(), &refs).await;
    accounts(store.as_ref(), &["1"]).await;

    let mut handles = Vec::new();
    for sender in phones.clone() {
        let store = Arc::clone(&store);
        handles.push(tokio::spawn(async move {
            let mut stored = 0;
            for i in 0..PER_TASK {
                let outcome = store.relay(relay(&sender, "1", &format!("{sender}-{i}"), i as u64));
                if let RelayOutcome::Stored { .. } = outcome.await.unwrap() {
                    stored += 1;
                }
            }
            stored
        }));
    }
    let mut total = 0;
    for handle in handles {
        total += handle.await.unwrap();
    }
    assert_eq!(total, TASKS * PER_TASK);

    assert_eq!(store.pending_for("1", 10_000).await.unwrap().len(), TASKS * PER_TASK);
    let chats = store.chats("1").await.unwrap();
    assert_eq!(chats.len(), TASKS);
    for chat in &chats {
        assert_eq!(chat.unread, PER_TASK as i64);
        assert_eq!(chat.t, PER_TASK as u64 - 1);
    }
    for sender in &phones {
        let sent = store.recent_messages(sender, &jid("1"), 10_000).await.unwrap();
        assert_eq!(sent.len(), PER_TASK);
        // Per sender, order of acknowledgement is order of storage.
        let expected: Vec<_> = (0..PER_TASK).map(|i| format!("{sender}-{i}")).collect();
        assert_eq!(sent.iter().map(|m| m.id.clone()).collect::<Vec<_>>(), expected);
        let received = store.recent_messages("1", &jid(sender), 10_000).await.unwrap();
        assert_eq!(received.len(), PER_TASK);
        assert!(received.iter().all(|m| m.info == message(&jid(sender), &m.id, false, 0).info));
    }
}

store_support::store_suite!(
    concurrent_relays_are_all_stored_and_acknowledged,
    relay_stores_both_copies_updates_both_chats_and_queues_delivery,
    unread_counts_up_and_resets_when_answering,
    relay_keeps_existing_chat_attributes_and_saved_names,
    duplicate_relay_changes_nothing,
    relay_to_an_unknown_account_stores_nothing,
    a_failing_recipient_copy_rolls_back_the_sender_copy,
    pending_is_oldest_first_limited_and_acked_per_account,
);
