//! Write order, group commit behaviour, close and drop, the in-memory store, and bulk seeding.

mod store_support;

use std::pin::pin;
use std::sync::Arc;
use std::task::Poll;

use store_support::{accounts, jid, message, open, relay};
use waweb_server::store::sqlite::SqliteStore;
use waweb_server::store::{
    Account, AccountStore, AnyStore, Chat, ChatStore, Contact, InsertOutcome, MessageStore,
    RelayOutcome, SeedAccount, SeedChat, SeedReport, SessionStore, Store, StoreError,
};

/// Writes apply in the order their futures are first polled, not the order they were created
/// or awaited in: the trait's promise, on which a connection's relay order rests today.
async fn writes_apply_in_the_order_first_polled(store: impl Store) {
    accounts(&store, &["100"]).await;
    let first = pin!(store.insert_message("100", message(&jid("2"), "A", true, 1)));
    let mut second = pin!(store.insert_message("100", message(&jid("2"), "B", true, 1)));
    let second_early = match futures_util::poll!(second.as_mut()) {
        Poll::Ready(outcome) => Some(outcome),
        Poll::Pending => None,
    };
    let first_outcome = first.await;
    let second_outcome = match second_early {
        Some(outcome) => outcome,
        None => second.await,
    };
    assert!(matches!(first_outcome, Ok(InsertOutcome::Inserted(_))), "{first_outcome:?}");
    assert!(matches!(second_outcome, Ok(InsertOutcome::Inserted(_))), "{second_outcome:?}");
    let stored = store.recent_messages("100", &jid("2"), 10).await.unwrap();
    let ids: Vec<&str> = stored.iter().map(|m| m.id.as_str()).collect();
    assert_eq!(ids, ["B", "A"], "stored in the order first polled");
}

/// The server runs on [`AnyStore`]: forwarding a call must not change when it takes its place.
#[tokio::test]
async fn any_store_keeps_the_backends_write_order() {
    let (_dir, store) = open();
    writes_apply_in_the_order_first_polled(AnyStore::from(store)).await;
}

/// The same through [`AnyStore::Postgres`].
#[tokio::test]
async fn any_store_keeps_the_postgres_write_order() {
    let (_schema, store) = store_support::open_postgres().await;
    writes_apply_in_the_order_first_polled(AnyStore::from(store)).await;
}

async fn a_failing_write_in_a_batch_fails_alone(store: impl Store) {
    accounts(&store, &["100", "200"]).await;
    // Submitted together, so they share group commits; every third one must fail.
    let attempts = (0..300).map(|i| {
        let recipient = if i % 3 == 0 { "999" } else { "200" };
        store.relay(relay("100", recipient, &format!("b{i}"), i))
    });
    let results = futures_util::future::join_all(attempts).await;
    for (i, result) in results.iter().enumerate() {
        if i % 3 == 0 {
            assert_eq!(result.as_ref().unwrap_err(), &StoreError::NotFound { what: "account" });
        } else {
            assert!(matches!(result, Ok(RelayOutcome::Stored { .. })), "{i}: {result:?}");
        }
    }
    assert_eq!(store.recent_messages("200", &jid("100"), 1_000).await.unwrap().len(), 200);
    assert!(store.chat("100", &jid("999")).await.unwrap().is_none());
}

#[tokio::test]
async fn close_finishes_queued_writes_then_refuses_everything() {
    let (dir, store) = open();
    let store = Arc::new(store);
    accounts(store.as_ref(), &["100", "200"]).await;
    let writers: Vec<_> = (0..50)
        .map(|i| {
            let store = Arc::clone(&store);
            tokio::spawn(async move { store.relay(relay("100", "200", &format!("c{i}"), i)).await })
        })
        .collect();
    tokio::task::yield_now().await;
    store.close().await.unwrap();
    let mut stored = 0;
    for w in writers {
        match w.await.unwrap() {
            Ok(_) => stored += 1,
            Err(e) => assert_eq!(e, StoreError::Closed),
        }
    }
    assert_eq!(store.accounts().await.unwrap_err(), StoreError::Closed);
    assert_eq!(
        store.create_account(Account::new("1", "x", 0)).await.unwrap_err(),
        StoreError::Closed
    );
    assert!(store.close().await.is_ok(), "closing twice is harmless");
    drop(store);
    // Exactly the writes that were acknowledged are stored.
    let reopened = SqliteStore::open(dir.path().join("waweb.db")).unwrap();
    let on_disk = reopened.recent_messages("200", &jid("100"), 100).await.unwrap().len();
    assert_eq!(on_disk, stored);
}

#[tokio::test]
async fn acknowledged_writes_before_close_are_on_disk() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db");
    let store = Arc::new(SqliteStore::open(&path).unwrap());
    accounts(store.as_ref(), &["100", "200"]).await;
    let writers: Vec<_> = (0..50)
        .map(|i| {
            let store = Arc::clone(&store);
            tokio::spawn(async move { store.relay(relay("100", "200", &format!("c{i}"), i)).await })
        })
        .collect();
    let mut acked = 0;
    for w in writers {
        if w.await.unwrap().is_ok() {
            acked += 1;
        }
    }
    assert_eq!(acked, 50);
    store.close().await.unwrap();
    drop(store);
    let reopened = SqliteStore::open(&path).unwrap();
    assert_eq!(reopened.recent_messages("200", &jid("100"), 100).await.unwrap().len(), 50);
}

#[test]
fn dropping_the_store_finishes_pending_writes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db");
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let store = SqliteStore::open(&path).unwrap();
    runtime.block_on(accounts(&store, &["100", "200"]));
    // Submit without waiting for the answers, then drop the store right away.
    runtime.block_on(async {
        let mut pending = Vec::new();
        for i in 0..20 {
            let fut = Box::pin(store.relay(relay("100", "200", &format!("d{i}"), i)));
            let mut fut = fut;
            // Poll once so the job is handed to the writer.
            let _ = futures_util::poll!(&mut fut);
            pending.push(fut);
        }
        drop(pending);
    });
    drop(store);
    let reopened = SqliteStore::open(&path).unwrap();
    let stored = runtime.block_on(reopened.recent_messages("200", &jid("100"), 100)).unwrap();
    assert_eq!(stored.len(), 20);
}

#[tokio::test]
async fn in_memory_store_works_and_is_private() {
    let a = SqliteStore::open_in_memory().unwrap();
    let b = SqliteStore::open_in_memory().unwrap();
    accounts(&a, &["100", "200"]).await;
    assert!(b.accounts().await.unwrap().is_empty());
    a.relay(relay("100", "200", "m", 3)).await.unwrap();
    assert_eq!(a.recent_messages("200", &jid("100"), 10).await.unwrap().len(), 1);
    assert_eq!(a.pending_for("200", 10).await.unwrap().len(), 1);
    assert_eq!(a.chats("200").await.unwrap()[0].unread, 1);
    a.close().await.unwrap();
    assert_eq!(a.chats("200").await.unwrap_err(), StoreError::Closed);
}

fn demo_account(phone: &str, chats: usize, per_chat: usize) -> SeedAccount {
    let chats = (0..chats)
        .map(|c| {
            let peer = jid(&format!("7{c:03}"));
            let messages = (0..per_chat)
                .map(|i| message(&peer, &format!("{phone}-{c}-{i}"), i % 2 == 0, 1_000 + i as u64))
                .collect();
            SeedChat { chat: Chat::new(peer, 1_000 + per_chat as u64), messages }
        })
        .collect();
    SeedAccount {
        account: Account::new(phone, format!("Demo {phone}"), 1),
        contacts: vec![Contact::new(jid("7000")), Contact::new(jid("7001"))],
        chats,
        blocklist: vec![jid("666")],
    }
}

async fn seed_creates_whole_accounts(store: impl Store) {
    let report =
        store.seed(vec![demo_account("100", 5, 40), demo_account("200", 3, 10)]).await.unwrap();
    assert_eq!(report, SeedReport { accounts: 2, contacts: 4, chats: 8, messages: 230 });
    assert_eq!(store.chats("100").await.unwrap().len(), 5);
    assert_eq!(store.contacts("200").await.unwrap().len(), 2);
    assert_eq!(store.blocklist("100").await.unwrap(), [jid("666")]);
    let history = store.recent_messages("100", &jid("7004"), 100).await.unwrap();
    assert_eq!(history.len(), 40);
    assert_eq!(history[0].id, "100-4-0");
    assert_eq!(store.last_message_per_chat("200").await.unwrap().len(), 3);
}

async fn seed_is_all_or_nothing(store: impl Store) {
    accounts(&store, &["200"]).await;
    let err =
        store.seed(vec![demo_account("100", 2, 5), demo_account("200", 1, 1)]).await.unwrap_err();
    assert_eq!(err, StoreError::AlreadyExists { what: "account" });
    assert_eq!(store.account("100").await.unwrap(), None);

    let mut stray = demo_account("300", 1, 1);
    stray.chats[0].messages[0].chat_jid = jid("elsewhere");
    let err = store.seed(vec![stray]).await.unwrap_err();
    assert!(matches!(err, StoreError::Invalid { field: "chat_jid", .. }));
    assert_eq!(store.account("300").await.unwrap(), None);
}

store_support::store_suite!(
    writes_apply_in_the_order_first_polled,
    a_failing_write_in_a_batch_fails_alone,
    seed_creates_whole_accounts,
    seed_is_all_or_nothing,
);
