//! What only the PostgreSQL backend has: its lifecycle on a shared server (close, reopen,
//! several nodes migrating one schema at once), its URL rules, and a lost connection. The
//! behaviour both backends share is in the other `store_*` files (`store_suite!`).

mod store_support;

use std::sync::Arc;

use store_support::{accounts, admin, jid, postgres_url, relay, Schema};
use waweb_server::store::postgres::{PgOptions, PgStore};
use waweb_server::store::{
    Account, AccountStore, AnyStore, MessageStore, RelayOutcome, Store, StoreError,
};

#[tokio::test]
async fn close_finishes_queued_writes_then_refuses_everything() {
    let schema = Schema::create().await;
    let store = Arc::new(schema.open().await);
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
    let refused = store.create_account(Account::new("1", "x", 0)).await.unwrap_err();
    assert_eq!(refused, StoreError::Closed);
    assert!(store.close().await.is_ok(), "closing twice is harmless");
    drop(store);
    // Exactly the writes that were acknowledged are stored.
    let reopened = schema.open().await;
    let stored_now = reopened.recent_messages("200", &jid("100"), 100).await.unwrap().len();
    assert_eq!(stored_now, stored);
}

#[tokio::test]
async fn acknowledged_writes_are_there_for_the_next_node() {
    let schema = Schema::create().await;
    let (first, second) = (schema.open().await, schema.open().await);
    accounts(&first, &["100", "200"]).await;
    // No cache: what one node wrote, the other reads at once, absent or present.
    assert!(second.account("100").await.unwrap().is_some());
    first.set_blocklist("200", vec![jid("100")]).await.unwrap();
    assert_eq!(second.blocklist("200").await.unwrap(), [jid("100")]);
    second.remove_account("100").await.unwrap();
    assert_eq!(first.account("100").await.unwrap(), None);
    let gone = first.relay(relay("100", "200", "x", 1)).await.unwrap_err();
    assert_eq!(gone, StoreError::NotFound { what: "account" });
}

#[tokio::test]
async fn a_relay_retried_on_another_node_keeps_the_first_copy() {
    let schema = Schema::create().await;
    let (first, second) = (schema.open().await, schema.open().await);
    accounts(&first, &["100", "200"]).await;
    let mut again = relay("100", "200", "R", 5);
    let stored = first.relay(relay("100", "200", "R", 5)).await.unwrap();
    let RelayOutcome::Stored { sender_seq, .. } = stored else { panic!("{stored:?}") };
    again.sender_copy.info = b"other bytes".to_vec();
    let retried = second.relay(again).await.unwrap();
    assert_eq!(retried, RelayOutcome::Duplicate { sender_seq });
    let kept = second.recent_messages("100", &jid("200"), 10).await.unwrap();
    assert_eq!(kept.len(), 1);
    assert_ne!(kept[0].info, b"other bytes".to_vec());
}

#[tokio::test]
async fn several_nodes_starting_at_once_migrate_once() {
    let schema = Schema::create().await;
    let opened = futures_util::future::join_all((0..6).map(|_| schema.open())).await;
    assert_eq!(opened.len(), 6);
    let client = admin(&postgres_url()).await;
    let sql = format!("SELECT version FROM {}.waweb_schema ORDER BY version", schema.name);
    let versions: Vec<i64> =
        client.query(&sql, &[]).await.unwrap().iter().map(|r| r.get(0)).collect();
    let expected: Vec<i64> = (1..=PgStore::schema_version()).collect();
    assert_eq!(versions, expected);
}

#[tokio::test]
async fn a_newer_schema_is_refused() {
    let schema = Schema::create().await;
    drop(schema.open().await);
    let client = admin(&postgres_url()).await;
    let sql = format!("INSERT INTO {}.waweb_schema (version) VALUES (999)", schema.name);
    client.batch_execute(&sql).await.unwrap();
    let options =
        PgOptions { pool_size: 2, schema: Some(schema.name.clone()), ..PgOptions::default() };
    let err = PgStore::open(&postgres_url(), options).await.unwrap_err();
    assert_eq!(err, StoreError::SchemaTooNew { found: 999, supported: PgStore::schema_version() });
}

#[tokio::test]
async fn tls_modes_are_refused_not_ignored() {
    for mode in ["require", "prefer", "verify-full", "allow"] {
        let url = format!("{}?sslmode={mode}", postgres_url());
        let err = PgStore::open(&url, PgOptions::default()).await.unwrap_err();
        assert!(
            matches!(err, StoreError::Invalid { field: "PostgreSQL URL", .. }),
            "{mode}: {err}"
        );
        assert!(err.to_string().contains("sslmode=disable"), "{err}");
    }
    let schema = Schema::create().await;
    let options =
        PgOptions { pool_size: 1, schema: Some(schema.name.clone()), ..PgOptions::default() };
    let url = format!("{}?sslmode=disable", postgres_url());
    PgStore::open(&url, options).await.unwrap();
}

#[tokio::test]
async fn an_unreachable_server_is_an_error_that_says_what_to_check() {
    // Port 1 on loopback: nothing listens there.
    let err = PgStore::open("postgres://postgres@127.0.0.1:1/test", PgOptions::default())
        .await
        .unwrap_err();
    let StoreError::Backend(failure) = &err else { panic!("{err:?}") };
    assert!(failure.text().contains("cannot connect to PostgreSQL"), "{err}");
    let cause = std::error::Error::source(&err).expect("the driver's error is kept");
    assert!(cause.is::<tokio_postgres::Error>(), "{cause:?}");
}

#[tokio::test]
async fn a_lost_connection_is_an_error_and_the_pool_recovers() {
    let schema = Schema::create().await;
    let store = schema.open().await;
    accounts(&store, &["100", "200"]).await;
    store.relay(relay("100", "200", "before", 1)).await.unwrap();
    let client = admin(&postgres_url()).await;
    // The server ends every connection of this store (as a restart or a failover would).
    let killed = client
        .query(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
             WHERE application_name = $1",
            &[&schema.name],
        )
        .await
        .unwrap();
    assert!(!killed.is_empty());
    let mut failures = 0;
    for i in 0..10 {
        match store.relay(relay("100", "200", &format!("after{i}"), 2)).await {
            Ok(_) => {}
            Err(StoreError::Backend(_)) => failures += 1,
            Err(other) => panic!("{other:?}"),
        }
    }
    assert!(failures < 10, "the pool never recovered");
    let page = store.recent_messages("200", &jid("100"), 20).await.unwrap();
    assert_eq!(page.len(), 11 - failures);
}

#[tokio::test]
async fn any_store_opens_postgres_from_a_url() {
    let schema = Schema::create().await;
    let url = format!("{}?options=-csearch_path%3D{}", postgres_url(), schema.name);
    let location = waweb_server::store::StoreLocation::parse(Some(&url), "unused".as_ref(), 4);
    let store = AnyStore::open(&location.unwrap()).await.unwrap();
    assert!(matches!(store, AnyStore::Postgres(_)));
    accounts(&store, &["100"]).await;
    let direct = schema.open().await;
    assert_eq!(direct.accounts().await.unwrap().len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_nodes_relaying_both_ways_at_once_keep_each_chat_in_order() {
    let schema = Schema::create().await;
    let (first, second) = (Arc::new(schema.open().await), Arc::new(schema.open().await));
    accounts(first.as_ref(), &["100", "200"]).await;
    const EACH: u64 = 150;
    let run = |store: Arc<PgStore>, from: &'static str, to: &'static str| {
        tokio::spawn(async move {
            for i in 0..EACH {
                store.relay(relay(from, to, &format!("{from}-{i}"), i)).await.unwrap();
            }
        })
    };
    // Every relay locks both chats of the pair: in opposite directions on two nodes, they must
    // neither deadlock nor interleave a chat's sequence numbers out of commit order.
    let (a, b) = (run(Arc::clone(&first), "100", "200"), run(Arc::clone(&second), "200", "100"));
    a.await.unwrap();
    b.await.unwrap();
    for (store, phone, peer) in [(&first, "100", "200"), (&second, "200", "100")] {
        let chat = store.recent_messages(phone, &jid(peer), 1_000).await.unwrap();
        assert_eq!(chat.len() as u64, 2 * EACH);
        // Each side's messages, its own and the peer's, in the order they were sent.
        for (from_me, author) in [(true, phone), (false, peer)] {
            let got: Vec<&str> =
                chat.iter().filter(|m| m.from_me == from_me).map(|m| m.id.as_str()).collect();
            let sent: Vec<String> = (0..EACH).map(|i| format!("{author}-{i}")).collect();
            assert_eq!(got, sent.iter().map(String::as_str).collect::<Vec<_>>());
        }
    }
}

/// A status column holding a number that no `WebMessageInfo.status` has is corrupt data.
#[tokio::test]
async fn a_status_no_message_can_have_is_corrupt_data() {
    let schema = Schema::create().await;
    let store = schema.open().await;
    accounts(&store, &["100"]).await;
    let m = store_support::message(&jid("2"), "S1", true, 1);
    store.insert_message("100", m.clone()).await.unwrap();
    let client = admin(&postgres_url()).await;
    let sql = format!("UPDATE {}.messages SET status = -1 WHERE msg_id = 'S1'", schema.name);
    client.batch_execute(&sql).await.unwrap();
    let err = store.find_message("100", m.key()).await.unwrap_err();
    assert_eq!(err, StoreError::Corrupt("message status"));
}
