//! One account can never read or change another account's data through any method.

mod store_support;

use store_support::{accounts, jid, relay, session};
use waweb_server::store::{
    Chat, ChatUpdate, Contact, Cursor, Direction, RelayOutcome, Store, StoreError,
    WebMessageInfoStatus,
};

/// Alice (100) and Bob (200) talk; Carol (300) has nothing. Bob also has a private chat with a
/// stranger, and a contact, a blocklist entry and a session.
async fn no_method_crosses_accounts(store: impl Store) {
    accounts(&store, &["100", "200", "300"]).await;
    let RelayOutcome::Stored { recipient_seq, .. } =
        store.relay(relay("100", "200", "SECRET1", 10)).await.unwrap()
    else {
        panic!("stored");
    };
    let stranger = jid("555");
    let private = store_support::message(&stranger, "PRIV", true, 11);
    store.insert_message("200", private.clone()).await.unwrap();
    store.upsert_contacts("200", vec![Contact::new(stranger.clone())]).await.unwrap();
    store.set_blocklist("200", vec![stranger.clone()]).await.unwrap();
    store.pair_session(session("bob-browser", "200", 1)).await.unwrap();

    // Carol sees none of it.
    assert!(store.chats("300").await.unwrap().is_empty());
    assert!(store.contacts("300").await.unwrap().is_empty());
    assert!(store.blocklist("300").await.unwrap().is_empty());
    assert!(store.last_message_per_chat("300").await.unwrap().is_empty());
    assert!(store.pending_for("300", 100).await.unwrap().is_empty());
    assert!(store.sessions_of("300").await.unwrap().is_empty());
    assert_eq!(store.chat("300", &stranger).await.unwrap(), None);
    assert_eq!(store.chat("300", &jid("100")).await.unwrap(), None);
    assert!(store.recent_messages("300", &stranger, 100).await.unwrap().is_empty());
    assert!(store.recent_messages("300", &jid("100"), 100).await.unwrap().is_empty());
    assert_eq!(store.find_message("300", private.key()).await.unwrap(), None);
    let cursor = Some(Cursor { id: "PRIV".into(), from_me: true });
    let err = store.history("300", &stranger, cursor, Direction::Before, 10).await.unwrap_err();
    assert_eq!(err, StoreError::NotFound { what: "message" });

    // Alice sees only her own side of the conversation, and not Bob's private chat.
    let alice_chats = store.chats("100").await.unwrap();
    assert_eq!(alice_chats.iter().map(|c| c.jid.as_str()).collect::<Vec<_>>(), [jid("200")]);
    assert_eq!(store.find_message("100", private.key()).await.unwrap(), None);
    let alice_msgs = store.recent_messages("100", &jid("200"), 100).await.unwrap();
    assert!(alice_msgs.iter().all(|m| m.from_me));
    assert!(store.pending_for("100", 100).await.unwrap().is_empty());

    // Carol cannot change Bob's data either.
    let err = store
        .set_message_status("300", private.key(), WebMessageInfoStatus::Read, 500)
        .await
        .unwrap_err();
    assert_eq!(err, StoreError::NotFound { what: "message" });
    let err = store.update_chat("300", &stranger, ChatUpdate::Archive(true)).await.unwrap_err();
    assert_eq!(err, StoreError::NotFound { what: "chat" });
    let ids = vec![waweb_server::store::DeliveryId(recipient_seq)];
    assert_eq!(store.ack_delivered("300", ids.clone()).await.unwrap(), 0);
    assert_eq!(store.ack_delivered("100", ids).await.unwrap(), 0);
    store.upsert_chat("300", Chat::new(stranger.clone(), 99)).await.unwrap();
    store.upsert_contacts("300", vec![Contact::new(stranger.clone())]).await.unwrap();
    store.set_blocklist("300", vec![]).await.unwrap();
    store.remove_account("300").await.unwrap();

    // Bob's data is untouched by all of that.
    let bob_private = store.chat("200", &stranger).await.unwrap().unwrap();
    assert_eq!((bob_private.t, bob_private.archived), (11, false));
    assert_eq!(
        store.find_message("200", private.key()).await.unwrap().unwrap().status,
        WebMessageInfoStatus::Pending
    );
    assert_eq!(store.pending_for("200", 100).await.unwrap().len(), 1);
    assert_eq!(store.blocklist("200").await.unwrap(), [stranger]);
    assert_eq!(store.contacts("200").await.unwrap().len(), 2);
    assert_eq!(store.sessions_of("200").await.unwrap().len(), 1);
    assert_eq!(store.session("bob-browser").await.unwrap().unwrap().account, "200");
}

async fn the_same_message_id_in_two_accounts_is_two_messages(store: impl Store) {
    accounts(&store, &["100", "200"]).await;
    let m = store_support::message(&jid("9"), "SAME", true, 1);
    store.insert_message("100", m.clone()).await.unwrap();
    let second = store.insert_message("200", m.clone()).await.unwrap();
    assert!(matches!(second, waweb_server::store::InsertOutcome::Inserted(_)));
    store.set_message_status("100", m.key(), WebMessageInfoStatus::Read, 500).await.unwrap();
    assert_eq!(
        store.find_message("200", m.key()).await.unwrap().unwrap().status,
        WebMessageInfoStatus::Pending
    );
}

store_support::store_suite!(
    no_method_crosses_accounts,
    the_same_message_id_in_two_accounts_is_two_messages,
);
