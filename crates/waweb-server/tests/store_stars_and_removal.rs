//! Stars and "delete for me": which messages each call touches, what it leaves, the delivery
//! queue, and that one account's call never touches another's copies.

mod store_support;

use store_support::{accounts, jid, message, relay};
use waweb_server::store::{ClearScope, Cursor, MessageKey, Store, StoreError, StoredMessage};

fn key(peer: &str, id: &str, from_me: bool) -> MessageKey {
    MessageKey { chat_jid: jid(peer), id: id.to_owned(), from_me }
}

fn ids(page: &[StoredMessage]) -> Vec<&str> {
    page.iter().map(|m| m.id.as_str()).collect()
}

/// Account 100 with `n` messages in its chat with `peer`, ids `<peer>-0`…, alternating sides.
async fn chat(store: &impl Store, peer: &str, n: usize) -> Vec<MessageKey> {
    let mut keys = Vec::new();
    for i in 0..n {
        let m = message(&jid(peer), &format!("{peer}-{i}"), i % 2 == 0, 100 + i as u64);
        keys.push(m.key());
        store.insert_message("100", m).await.unwrap();
    }
    keys
}

async fn all(store: &impl Store, peer: &str) -> Vec<StoredMessage> {
    store.recent_messages("100", &jid(peer), 100).await.unwrap()
}

async fn stars_show_in_history_and_in_the_starred_list(store: impl Store) {
    accounts(&store, &["100"]).await;
    let a = chat(&store, "1", 4).await;
    let b = chat(&store, "2", 2).await;
    let wanted = vec![a[1].clone(), a[3].clone(), b[0].clone(), key("1", "nope", true)];
    assert_eq!(store.set_starred("100", wanted, true).await.unwrap(), 3);
    let flags: Vec<bool> = all(&store, "1").await.iter().map(|m| m.starred).collect();
    assert_eq!(flags, [false, true, false, true]);
    // The latest first picked, served oldest first; per chat or across chats.
    let every = store.starred_messages("100", None, 10).await.unwrap();
    assert_eq!(ids(&every), ["1-1", "1-3", "2-0"]);
    assert_eq!(ids(&store.starred_messages("100", None, 2).await.unwrap()), ["1-3", "2-0"]);
    let one = store.starred_messages("100", Some(jid("1")), 10).await.unwrap();
    assert_eq!(ids(&one), ["1-1", "1-3"]);

    assert_eq!(store.set_starred("100", vec![a[1].clone()], false).await.unwrap(), 1);
    assert_eq!(ids(&store.starred_messages("100", None, 10).await.unwrap()), ["1-3", "2-0"]);
    assert!(!store.find_message("100", a[1].clone()).await.unwrap().unwrap().starred);
}

async fn deleting_messages_removes_only_those_and_their_queue_places(store: impl Store) {
    accounts(&store, &["100", "200"]).await;
    for (i, id) in ["R0", "R1", "R2"].iter().enumerate() {
        store.relay(relay("200", "100", id, 10 + i as u64)).await.unwrap();
    }
    assert_eq!(store.pending_for("100", 10).await.unwrap().len(), 3);
    let doomed = vec![key("200", "R0", false), key("200", "R2", false), key("200", "R9", false)];
    assert_eq!(store.delete_messages("100", doomed.clone()).await.unwrap(), 2);
    assert_eq!(ids(&all(&store, "200").await), ["R1"]);
    let queued: Vec<_> = store.pending_for("100", 10).await.unwrap();
    assert_eq!(queued.iter().map(|p| p.message.id.as_str()).collect::<Vec<_>>(), ["R1"]);
    // Again: nothing left to remove, no error.
    assert_eq!(store.delete_messages("100", doomed).await.unwrap(), 0);
    // The chat stays, and the sender's copies are the sender's.
    assert!(store.chat("100", &jid("200")).await.unwrap().is_some());
    let theirs = store.recent_messages("200", &jid("100"), 10).await.unwrap();
    assert_eq!(ids(&theirs), ["R0", "R1", "R2"]);
}

async fn clearing_keeps_later_and_starred_messages_unless_told(store: impl Store) {
    accounts(&store, &["100"]).await;
    let keys = chat(&store, "1", 6).await;
    store.set_starred("100", vec![keys[1].clone(), keys[5].clone()], true).await.unwrap();
    store.update_chat("100", &jid("1"), waweb_server::store::ChatUpdate::MarkUnread).await.unwrap();
    let tag = store.chat("100", &jid("1")).await.unwrap().unwrap().modify_tag;

    // Up to message 3 (the last the client saw), keeping stars: 0, 2, 3 go.
    let up_to = Some(Cursor { id: keys[3].id.clone(), from_me: keys[3].from_me });
    let scope = ClearScope { up_to, starred: false };
    assert_eq!(store.clear_chat("100", &jid("1"), scope).await.unwrap(), 3);
    assert_eq!(ids(&all(&store, "1").await), ["1-1", "1-4", "1-5"]);
    let after = store.chat("100", &jid("1")).await.unwrap().unwrap();
    assert_eq!((after.unread, after.modify_tag), (0, tag + 1));

    // Everything, stars included.
    let scope = ClearScope { up_to: None, starred: true };
    assert_eq!(store.clear_chat("100", &jid("1"), scope).await.unwrap(), 3);
    assert!(all(&store, "1").await.is_empty());
    assert!(store.starred_messages("100", None, 10).await.unwrap().is_empty());
    assert!(store.chat("100", &jid("1")).await.unwrap().is_some());
}

async fn clearing_needs_the_chat_and_its_cursor(store: impl Store) {
    accounts(&store, &["100"]).await;
    chat(&store, "1", 2).await;
    chat(&store, "2", 2).await;
    let everything = ClearScope { up_to: None, starred: true };
    let err = store.clear_chat("100", &jid("9"), everything).await.unwrap_err();
    assert_eq!(err, StoreError::NotFound { what: "chat" });
    // A message of another chat is no cursor for this one; nothing is removed.
    let up_to = Some(Cursor { id: "2-0".into(), from_me: true });
    let err = store.clear_chat("100", &jid("1"), ClearScope { up_to, starred: true }).await;
    assert!(matches!(err, Err(StoreError::NotFound { .. })), "{err:?}");
    assert_eq!(all(&store, "1").await.len(), 2);
}

async fn deleting_a_chat_removes_it_with_its_messages_until_a_new_one_arrives(store: impl Store) {
    accounts(&store, &["100", "200"]).await;
    store.relay(relay("200", "100", "R0", 10)).await.unwrap();
    store.relay(relay("100", "200", "R1", 11)).await.unwrap();
    chat(&store, "3", 2).await;
    store.delete_chat("100", &jid("200")).await.unwrap();

    let chats: Vec<_> = store.chats("100").await.unwrap().into_iter().map(|c| c.jid).collect();
    assert_eq!(chats, [jid("3")]);
    assert!(all(&store, "200").await.is_empty());
    assert!(store.pending_for("100", 10).await.unwrap().is_empty());
    let last: Vec<_> = store.last_message_per_chat("100").await.unwrap();
    assert_eq!(ids(&last), ["3-1"]);
    // The other side keeps its chat and both copies.
    assert_eq!(ids(&store.recent_messages("200", &jid("100"), 10).await.unwrap()), ["R0", "R1"]);

    let err = store.delete_chat("100", &jid("200")).await.unwrap_err();
    assert_eq!(err, StoreError::NotFound { what: "chat" });
    store.relay(relay("200", "100", "R2", 12)).await.unwrap();
    assert_eq!(ids(&all(&store, "200").await), ["R2"]);
    assert_eq!(store.chat("100", &jid("200")).await.unwrap().unwrap().unread, 1);
}

async fn no_account_reaches_into_another(store: impl Store) {
    accounts(&store, &["100", "200"]).await;
    store.relay(relay("100", "200", "R0", 10)).await.unwrap();
    // 200's key for its copy, used by 100: 100 has no such message.
    let theirs = key("100", "R0", false);
    assert_eq!(store.set_starred("100", vec![theirs.clone()], true).await.unwrap(), 0);
    assert_eq!(store.delete_messages("100", vec![theirs.clone()]).await.unwrap(), 0);
    let err = store.delete_chat("100", &jid("100")).await.unwrap_err();
    assert_eq!(err, StoreError::NotFound { what: "chat" });
    let everything = ClearScope { up_to: None, starred: true };
    let err = store.clear_chat("100", &jid("100"), everything).await.unwrap_err();
    assert_eq!(err, StoreError::NotFound { what: "chat" });
    let copy = store.find_message("200", theirs).await.unwrap().unwrap();
    assert!(!copy.starred);
    assert!(store.starred_messages("200", None, 10).await.unwrap().is_empty());
    let unknown = store.set_starred("999", vec![key("1", "x", true)], true).await.unwrap_err();
    assert_eq!(unknown, StoreError::NotFound { what: "account" });
}

async fn a_big_chat_is_emptied_and_deleted_whole(store: impl Store) {
    accounts(&store, &["100"]).await;
    // More than one chunk of the store's removal (2,000 messages per write).
    let inserts = (0..2_345).map(|i| {
        store.insert_message("100", message(&jid("1"), &format!("B{i}"), i % 2 == 0, 100))
    });
    for inserted in futures_util::future::join_all(inserts).await {
        inserted.unwrap();
    }
    store.set_starred("100", vec![key("1", "B7", false)], true).await.unwrap();
    let keep_stars = ClearScope { up_to: None, starred: false };
    assert_eq!(store.clear_chat("100", &jid("1"), keep_stars).await.unwrap(), 2_344);
    assert_eq!(ids(&all(&store, "1").await), ["B7"]);

    chat(&store, "1", 2_100).await;
    store.delete_chat("100", &jid("1")).await.unwrap();
    assert!(all(&store, "1").await.is_empty());
    assert!(store.chat("100", &jid("1")).await.unwrap().is_none());
}

async fn a_big_account_is_removed_whole_and_alone(store: impl Store) {
    accounts(&store, &["100", "200"]).await;
    let inserts = (0..2_100)
        .map(|i| store.insert_message("100", message(&jid("1"), &format!("B{i}"), true, 100)));
    for inserted in futures_util::future::join_all(inserts).await {
        inserted.unwrap();
    }
    store.relay(relay("200", "100", "R0", 10)).await.unwrap();
    store.remove_account("100").await.unwrap();
    assert_eq!(store.chats("100").await.unwrap_err(), StoreError::NotFound { what: "account" });
    // Bob's copy of the relay is his.
    assert_eq!(ids(&store.recent_messages("200", &jid("100"), 10).await.unwrap()), ["R0"]);
    accounts(&store, &["100"]).await;
    assert!(all(&store, "1").await.is_empty(), "nothing of the old account comes back");
    assert!(store.pending_for("100", 10).await.unwrap().is_empty());
}

store_support::store_suite!(
    stars_show_in_history_and_in_the_starred_list,
    deleting_messages_removes_only_those_and_their_queue_places,
    clearing_keeps_later_and_starred_messages_unless_told,
    clearing_needs_the_chat_and_its_cursor,
    deleting_a_chat_removes_it_with_its_messages_until_a_new_one_arrives,
    no_account_reaches_into_another,
    a_big_chat_is_emptied_and_deleted_whole,
    a_big_account_is_removed_whole_and_alone,
);
