//! Messages: idempotent insert, lookup, status, history paging.

mod store_support;

use store_support::{accounts, jid, message};
use waweb_server::store::{
    Cursor, Direction, InsertOutcome, MessageKey, MessageStore, Receipts, Store, StoreError,
    StoredMessage, WebMessageInfoStatus,
};

/// Stores `n` messages numbered from 0 in one chat of account 100, alternating senders.
async fn chat_with(store: &impl Store, n: usize) -> Vec<String> {
    let mut ids = Vec::new();
    for i in 0..n {
        let id = format!("M{i:04}");
        let outcome = store
            .insert_message("100", message(&jid("2"), &id, i % 2 == 0, 1_000 + i as u64))
            .await
            .unwrap();
        assert!(matches!(outcome, InsertOutcome::Inserted(_)));
        ids.push(id);
    }
    ids
}

fn ids(page: &[StoredMessage]) -> Vec<String> {
    page.iter().map(|m| m.id.clone()).collect()
}

fn cursor_of(m: &StoredMessage) -> Option<Cursor> {
    Some(Cursor { id: m.id.clone(), from_me: m.from_me })
}

async fn insert_is_idempotent_on_the_key(store: impl Store) {
    accounts(&store, &["100"]).await;
    let m = message(&jid("2"), "3EB0AA", true, 7);
    let InsertOutcome::Inserted(seq) = store.insert_message("100", m.clone()).await.unwrap() else {
        panic!("first insert must store");
    };
    let mut again = m.clone();
    again.info = b"different bytes".to_vec();
    assert_eq!(store.insert_message("100", again).await.unwrap(), InsertOutcome::Duplicate(seq));
    // Same id, other direction or other chat: a different message.
    let other_dir = message(&jid("2"), "3EB0AA", false, 8);
    let other_chat = message(&jid("3"), "3EB0AA", true, 8);
    assert!(
        matches!(store.insert_message("100", other_dir).await.unwrap(), InsertOutcome::Inserted(s) if s > seq)
    );
    assert!(matches!(
        store.insert_message("100", other_chat).await.unwrap(),
        InsertOutcome::Inserted(_)
    ));

    let found = store.find_message("100", m.key()).await.unwrap().unwrap();
    assert_eq!(found, StoredMessage::from_new(m, seq));
    assert_eq!(store.recent_messages("100", &jid("2"), 10).await.unwrap().len(), 2);
}

async fn insert_creates_the_chat_and_moves_t_forward_only(store: impl Store) {
    accounts(&store, &["100"]).await;
    store.insert_message("100", message(&jid("2"), "a", false, 50)).await.unwrap();
    store.insert_message("100", message(&jid("2"), "b", false, 40)).await.unwrap();
    let chat = store.chat("100", &jid("2")).await.unwrap().unwrap();
    assert_eq!((chat.t, chat.unread), (50, 0));
}

async fn empty_id_is_invalid(store: impl Store) {
    accounts(&store, &["100"]).await;
    let err = store.insert_message("100", message(&jid("2"), "", true, 1)).await.unwrap_err();
    assert!(matches!(err, StoreError::Invalid { field: "id", .. }));
    assert!(store.chats("100").await.unwrap().is_empty(), "failed insert left a chat behind");
}

async fn status_only_goes_up(store: impl Store) {
    accounts(&store, &["100"]).await;
    let m = message(&jid("2"), "S1", true, 1);
    store.insert_message("100", m.clone()).await.unwrap();
    let read =
        store.set_message_status("100", m.key(), WebMessageInfoStatus::Read, 50).await.unwrap();
    assert_eq!(read, WebMessageInfoStatus::Read);
    let late = store
        .set_message_status("100", m.key(), WebMessageInfoStatus::DeliveryAck, 60)
        .await
        .unwrap();
    assert_eq!(late, WebMessageInfoStatus::Read);
    assert_eq!(
        store.find_message("100", m.key()).await.unwrap().unwrap().status,
        WebMessageInfoStatus::Read
    );

    let missing = MessageKey { chat_jid: jid("2"), id: "S1".into(), from_me: false };
    let err = store
        .set_message_status("100", missing.clone(), WebMessageInfoStatus::Read, 70)
        .await
        .unwrap_err();
    assert_eq!(err, StoreError::NotFound { what: "message" });
    assert_eq!(store.find_message("100", missing).await.unwrap(), None);
}

async fn paging_before_walks_to_the_start_without_gaps_or_overlap(store: impl Store) {
    accounts(&store, &["100"]).await;
    let all = chat_with(&store, 53).await;

    let mut pages = Vec::new();
    let mut page = store.history("100", &jid("2"), None, Direction::Before, 10).await.unwrap();
    assert_eq!(ids(&page), all[43..]);
    while !page.is_empty() {
        let cursor = cursor_of(&page[0]);
        pages.push(page);
        page = store.history("100", &jid("2"), cursor, Direction::Before, 10).await.unwrap();
    }
    assert_eq!(pages.len(), 6);
    assert_eq!(pages.last().unwrap().len(), 3);
    let mut seen: Vec<String> = pages.iter().rev().flat_map(|p| ids(p)).collect();
    assert_eq!(seen, all, "pages must tile the history, oldest first");
    seen.dedup();
    assert_eq!(seen.len(), 53);
    for p in &pages {
        assert!(p.windows(2).all(|w| w[0].seq < w[1].seq), "a page is oldest first");
    }
}

async fn paging_after_walks_to_the_end(store: impl Store) {
    accounts(&store, &["100"]).await;
    let all = chat_with(&store, 25).await;
    let first = store
        .find_message("100", message(&jid("2"), &all[0], true, 0).key())
        .await
        .unwrap()
        .unwrap();
    let mut collected = vec![first.id.clone()];
    let mut cursor = cursor_of(&first);
    loop {
        let page = store.history("100", &jid("2"), cursor, Direction::After, 7).await.unwrap();
        let Some(last) = page.last() else { break };
        cursor = cursor_of(last);
        collected.extend(ids(&page));
    }
    assert_eq!(collected, all);
}

async fn after_without_cursor_is_the_latest_page(store: impl Store) {
    accounts(&store, &["100"]).await;
    let all = chat_with(&store, 5).await;
    let page = store.history("100", &jid("2"), None, Direction::After, 2).await.unwrap();
    assert_eq!(ids(&page), all[3..]);
    assert!(store.history("100", &jid("2"), None, Direction::Before, 0).await.unwrap().is_empty());
}

async fn cursor_must_exist_in_this_chat(store: impl Store) {
    accounts(&store, &["100"]).await;
    chat_with(&store, 3).await;
    store.insert_message("100", message(&jid("3"), "elsewhere", true, 1)).await.unwrap();
    for cursor in [
        Cursor { id: "nope".into(), from_me: true },
        Cursor { id: "M0000".into(), from_me: false }, // M0000 is from_me=true
        Cursor { id: "elsewhere".into(), from_me: true },
    ] {
        let err =
            store.history("100", &jid("2"), Some(cursor), Direction::Before, 5).await.unwrap_err();
        assert_eq!(err, StoreError::NotFound { what: "message" });
    }
}

async fn last_message_per_chat_follows_the_chat_list(store: impl Store) {
    accounts(&store, &["100"]).await;
    store.insert_message("100", message(&jid("2"), "x1", true, 10)).await.unwrap();
    store.insert_message("100", message(&jid("3"), "y1", false, 30)).await.unwrap();
    store.insert_message("100", message(&jid("2"), "x2", false, 20)).await.unwrap();
    let last = store.last_message_per_chat("100").await.unwrap();
    let got: Vec<_> = last.iter().map(|m| (m.chat_jid.as_str(), m.id.as_str())).collect();
    assert_eq!(got, [(jid("3").as_str(), "y1"), (jid("2").as_str(), "x2")]);
}

async fn recent_messages_returns_the_tail(store: impl Store) {
    accounts(&store, &["100"]).await;
    let all = chat_with(&store, 8).await;
    let tail = store.recent_messages("100", &jid("2"), 3).await.unwrap();
    assert_eq!(ids(&tail), all[5..]);
    assert_eq!(tail[0].status, WebMessageInfoStatus::Pending);
    assert_eq!(ids(&store.recent_messages("100", &jid("2"), 100).await.unwrap()), all);
}

async fn each_receipt_level_keeps_the_time_it_was_first_reached(store: impl Store) {
    accounts(&store, &["100"]).await;
    let mut stored_delivered = message(&jid("2"), "D", true, 10);
    stored_delivered.status = WebMessageInfoStatus::DeliveryAck;
    store.insert_message("100", stored_delivered.clone()).await.unwrap();
    let pending = message(&jid("2"), "P", true, 20);
    store.insert_message("100", pending.clone()).await.unwrap();
    let receipts = |key| {
        let store = &store;
        async move { store.find_message("100", key).await.unwrap().unwrap().receipts }
    };
    // Stored delivered: delivered at its timestamp, nothing else yet.
    let r = receipts(stored_delivered.key()).await;
    assert_eq!((r.delivered, r.read, r.played), (Some(10), None, None));
    assert_eq!(receipts(pending.key()).await, Receipts::default());

    store
        .set_message_status("100", stored_delivered.key(), WebMessageInfoStatus::Read, 30)
        .await
        .unwrap();
    // A repeat, or a late lower level, moves no time.
    store
        .set_message_status("100", stored_delivered.key(), WebMessageInfoStatus::Read, 40)
        .await
        .unwrap();
    store
        .set_message_status("100", stored_delivered.key(), WebMessageInfoStatus::DeliveryAck, 45)
        .await
        .unwrap();
    let r = receipts(stored_delivered.key()).await;
    assert_eq!((r.delivered, r.read, r.played), (Some(10), Some(30), None));
    // Played straight from pending: the levels below take the same time.
    store.set_message_status("100", pending.key(), WebMessageInfoStatus::Played, 50).await.unwrap();
    let r = receipts(pending.key()).await;
    assert_eq!((r.delivered, r.read, r.played), (Some(50), Some(50), Some(50)));
    // History pages carry them too.
    let page = store.recent_messages("100", &jid("2"), 10).await.unwrap();
    assert_eq!(page.iter().map(|m| m.receipts.read).collect::<Vec<_>>(), [Some(30), Some(50)]);
}

store_support::store_suite!(
    insert_is_idempotent_on_the_key,
    insert_creates_the_chat_and_moves_t_forward_only,
    empty_id_is_invalid,
    status_only_goes_up,
    paging_before_walks_to_the_start_without_gaps_or_overlap,
    paging_after_walks_to_the_end,
    after_without_cursor_is_the_latest_page,
    cursor_must_exist_in_this_chat,
    last_message_per_chat_follows_the_chat_list,
    recent_messages_returns_the_tail,
    each_receipt_level_keeps_the_time_it_was_first_reached,
);

/// A status column holding a number that no `WebMessageInfo.status` has is reported as corrupt
/// data, not served or turned into some status (SQLite; PostgreSQL in `store_postgres.rs`).
#[tokio::test]
async fn a_status_no_message_can_have_is_corrupt_data_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db");
    let store = waweb_server::store::sqlite::SqliteStore::open(&path).unwrap();
    accounts(&store, &["100"]).await;
    let m = message(&jid("2"), "S1", true, 1);
    store.insert_message("100", m.clone()).await.unwrap();
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute("UPDATE messages SET status = 9 WHERE msg_id = 'S1'", []).unwrap();
    drop(conn);
    let err = store.find_message("100", m.key()).await.unwrap_err();
    assert_eq!(err, StoreError::Corrupt("message status"));
    let err = store.set_message_status("100", m.key(), WebMessageInfoStatus::Read, 2).await;
    assert_eq!(err, Err(StoreError::Corrupt("message status")));
}
