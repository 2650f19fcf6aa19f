//! Accounts, profile fields, blocklist, removal, schema versioning.

mod store_support;

use store_support::{accounts, jid, message, relay, rewind, schema_version, session};
use waweb_server::store::sqlite::SqliteStore;
use waweb_server::store::{
    Account, AccountStore, Chat, ChatStore, Contact, MessageStore, Store, StoreError,
};

async fn create_get_and_list_accounts(store: impl Store) {
    let mut alice = Account::new("491700000001", "Alice", 42);
    alice.status_text = "hi there".into();
    store.create_account(alice.clone()).await.unwrap();
    store.create_account(Account::new("331200000002", "Bob", 43)).await.unwrap();

    assert_eq!(store.account("491700000001").await.unwrap(), Some(alice.clone()));
    assert_eq!(store.account("999").await.unwrap(), None);
    let phones: Vec<_> = store.accounts().await.unwrap().into_iter().map(|a| a.phone).collect();
    assert_eq!(phones, ["331200000002", "491700000001"]);
}

async fn duplicate_account_is_already_exists(store: impl Store) {
    accounts(&store, &["100"]).await;
    let err = store.create_account(Account::new("100", "again", 0)).await.unwrap_err();
    assert_eq!(err, StoreError::AlreadyExists { what: "account" });
}

async fn phone_must_be_digits(store: impl Store) {
    for bad in ["", "+49170", "49 170", "abc"] {
        let err = store.create_account(Account::new(bad, "x", 0)).await.unwrap_err();
        assert!(matches!(err, StoreError::Invalid { field: "phone", .. }), "{bad}: {err}");
    }
    assert!(store.accounts().await.unwrap().is_empty());
}

async fn timestamps_above_i64_are_invalid(store: impl Store) {
    let err = store.create_account(Account::new("1", "x", u64::MAX)).await.unwrap_err();
    assert!(matches!(err, StoreError::Invalid { field: "created_ms", .. }));
}

async fn pushname_and_status_text(store: impl Store) {
    accounts(&store, &["100"]).await;
    assert_eq!(store.status_text("100").await.unwrap(), "");
    store.set_status_text("100", "Busy").await.unwrap();
    store.set_pushname("100", "Renamed").await.unwrap();
    assert_eq!(store.status_text("100").await.unwrap(), "Busy");
    let account = store.account("100").await.unwrap().unwrap();
    assert_eq!((account.pushname.as_str(), account.status_text.as_str()), ("Renamed", "Busy"));

    let missing = StoreError::NotFound { what: "account" };
    assert_eq!(store.status_text("200").await.unwrap_err(), missing);
    assert_eq!(store.set_status_text("200", "x").await.unwrap_err(), missing);
    assert_eq!(store.set_pushname("200", "x").await.unwrap_err(), missing);
}

async fn blocklist_is_replaced_sorted_and_deduplicated(store: impl Store) {
    accounts(&store, &["100"]).await;
    assert!(store.blocklist("100").await.unwrap().is_empty());
    let list = vec!["3@c.us".to_string(), "1@c.us".into(), "3@c.us".into()];
    store.set_blocklist("100", list).await.unwrap();
    assert_eq!(store.blocklist("100").await.unwrap(), ["1@c.us", "3@c.us"]);
    store.set_blocklist("100", vec!["2@c.us".into()]).await.unwrap();
    assert_eq!(store.blocklist("100").await.unwrap(), ["2@c.us"]);
    store.set_blocklist("100", vec![]).await.unwrap();
    assert!(store.blocklist("100").await.unwrap().is_empty());
    assert_eq!(store.blocklist("200").await.unwrap_err(), StoreError::NotFound { what: "account" });
}

async fn removing_an_account_removes_all_its_data_and_nothing_else(store: impl Store) {
    accounts(&store, &["100", "200", "300"]).await;
    store.relay(relay("100", "200", "A1", 10)).await.unwrap();
    store.relay(relay("200", "100", "A2", 11)).await.unwrap();
    store.relay(relay("300", "200", "A3", 12)).await.unwrap();
    store.upsert_contacts("100", vec![Contact::new(jid("300"))]).await.unwrap();
    store.upsert_chat("100", Chat::new(jid("300"), 5)).await.unwrap();
    store.set_blocklist("100", vec![jid("300")]).await.unwrap();
    store.pair_session(session("browser-100", "100", 1)).await.unwrap();
    store.pair_session(session("browser-200", "200", 2)).await.unwrap();

    store.remove_account("100").await.unwrap();

    assert_eq!(store.account("100").await.unwrap(), None);
    assert_eq!(store.session("browser-100").await.unwrap(), None);
    assert_eq!(
        store.remove_account("100").await.unwrap_err(),
        StoreError::NotFound { what: "account" }
    );
    assert_eq!(store.chats("100").await.unwrap_err(), StoreError::NotFound { what: "account" });

    // A new account with the same number starts empty.
    accounts(&store, &["100"]).await;
    assert!(store.chats("100").await.unwrap().is_empty());
    assert!(store.contacts("100").await.unwrap().is_empty());
    assert!(store.blocklist("100").await.unwrap().is_empty());
    assert!(store.pending_for("100", 100).await.unwrap().is_empty());
    assert!(store.sessions_of("100").await.unwrap().is_empty());
    assert!(store.recent_messages("100", &jid("200"), 100).await.unwrap().is_empty());

    // The others keep everything, including their copies of conversations with 100.
    assert_eq!(store.recent_messages("200", &jid("100"), 100).await.unwrap().len(), 2);
    assert_eq!(store.recent_messages("200", &jid("300"), 100).await.unwrap().len(), 1);
    assert_eq!(store.pending_for("200", 100).await.unwrap().len(), 2);
    assert!(store.session("browser-200").await.unwrap().is_some());
    assert_eq!(store.chats("300").await.unwrap().len(), 1);
}

#[tokio::test]
async fn data_survives_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db");
    {
        let store = SqliteStore::open(&path).unwrap();
        accounts(&store, &["100", "200"]).await;
        store.relay(relay("100", "200", "R1", 9)).await.unwrap();
        store.close().await.unwrap();
    }
    let store = SqliteStore::open(&path).unwrap();
    assert_eq!(store.accounts().await.unwrap().len(), 2);
    let got = store.recent_messages("200", &jid("100"), 10).await.unwrap();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].info, message(&jid("100"), "R1", false, 9).info);
}

#[tokio::test]
async fn newer_schema_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db");
    drop(SqliteStore::open(&path).unwrap());
    assert_eq!(schema_version(&path), 12);
    rewind(&path, "", 13);
    let err = SqliteStore::open(&path).err().unwrap();
    assert_eq!(err, StoreError::SchemaTooNew { found: 13, supported: 12 });
}

/// Takes the additions of schema versions 3 (stars), 4 (pictures), 5 (receipt times), 6 to 9
/// (groups, invite links, group pictures, group receipts), 10 (the contacts' JID index), 11
/// (spent message ids) and 12 (picture secrets, gone with the picture tables) back out: what a
/// version-2 file holds.
const BACK_TO_V2: &str =
    "DROP TABLE spent_ids; DROP INDEX contacts_by_jid; DROP TABLE group_reads; DROP TABLE group_sends;
                          DROP TABLE group_pictures; DROP TABLE group_members; DROP TABLE groups;
                          ALTER TABLE messages DROP COLUMN delivered_t;
                          ALTER TABLE messages DROP COLUMN read_t;
                          ALTER TABLE messages DROP COLUMN played_t;
                          DROP TABLE pictures; DROP INDEX messages_starred;
                          ALTER TABLE messages DROP COLUMN starred";

#[tokio::test]
async fn a_version_2_database_gets_stars_with_its_messages_unstarred() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db");
    let store = SqliteStore::open(&path).unwrap();
    accounts(&store, &["100", "200"]).await;
    store.relay(relay("100", "200", "R1", 50)).await.unwrap();
    store.close().await.unwrap();
    drop(store);
    rewind(&path, BACK_TO_V2, 2);

    let store = SqliteStore::open(&path).unwrap();
    let before = store.recent_messages("200", &jid("100"), 10).await.unwrap();
    assert_eq!(
        before.iter().map(|m| (m.id.as_str(), m.starred)).collect::<Vec<_>>(),
        [("R1", false)]
    );
    let key = before[0].key();
    assert_eq!(store.set_starred("200", vec![key.clone()], true).await.unwrap(), 1);
    assert!(store.find_message("200", key).await.unwrap().unwrap().starred);
}

#[tokio::test]
async fn a_version_1_database_loses_the_activity_index_and_keeps_its_chat_order() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db");
    let store = SqliteStore::open(&path).unwrap();
    accounts(&store, &["100"]).await;
    for (peer, t) in [("1", 50), ("2", 70), ("3", 60), ("0", 60)] {
        store.upsert_chat("100", Chat::new(jid(peer), t)).await.unwrap();
    }
    store.close().await.unwrap();
    drop(store);
    // What the first schema left: version 1, with the chats' activity index and no stars.
    let activity_index = "CREATE INDEX chats_by_activity ON chats (account_id, t DESC)";
    rewind(&path, &format!("{BACK_TO_V2}; {activity_index}"), 1);

    let store = SqliteStore::open(&path).unwrap();
    let order: Vec<_> = store.chats("100").await.unwrap().into_iter().map(|c| c.jid).collect();
    assert_eq!(order, [jid("2"), jid("0"), jid("3"), jid("1")]);
    assert_eq!(schema_version(&path), 12);
    let conn = rusqlite::Connection::open(&path).unwrap();
    let left: i64 = conn
        .query_row("SELECT count(*) FROM sqlite_master WHERE name = 'chats_by_activity'", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(left, 0);
}

#[tokio::test]
async fn open_sets_wal_and_durable_sync() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db");
    let _store = SqliteStore::open(&path).unwrap();
    let conn = rusqlite::Connection::open(&path).unwrap();
    let mode: String = conn.pragma_query_value(None, "journal_mode", |r| r.get(0)).unwrap();
    assert_eq!(mode, "wal");
    let page: i64 = conn.pragma_query_value(None, "page_size", |r| r.get(0)).unwrap();
    assert_eq!(page, 2048);
    let indexes: Vec<String> = conn
        .prepare(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        indexes,
        [
            "contacts_by_jid",
            "group_members_by_account",
            "groups_by_invite",
            "messages_by_chat",
            "messages_starred",
            "web_sessions_by_account"
        ]
    );
}

#[tokio::test]
async fn garbage_file_is_corrupt() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db");
    std::fs::write(&path, vec![0x5a; 8192]).unwrap();
    let err = SqliteStore::open(&path).err().unwrap();
    assert_eq!(err, StoreError::Corrupt("database file"));
}

#[tokio::test]
async fn a_database_made_with_other_pages_keeps_them_and_works() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db");
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch("PRAGMA page_size = 4096; PRAGMA journal_mode = WAL;").unwrap();
        conn.execute_batch("CREATE TABLE other (a INTEGER); INSERT INTO other VALUES (1);")
            .unwrap();
    }
    {
        let store = SqliteStore::open(&path).unwrap();
        accounts(&store, &["100", "200"]).await;
        store.relay(relay("100", "200", "P1", 10)).await.unwrap();
    }
    let conn = rusqlite::Connection::open(&path).unwrap();
    let page: i64 = conn.pragma_query_value(None, "page_size", |r| r.get(0)).unwrap();
    assert_eq!(page, 4096);
    let stored: i64 = conn
        .query_row("SELECT count(*) FROM messages WHERE msg_id = 'P1'", [], |r| r.get(0))
        .unwrap();
    assert_eq!(stored, 2);
}

store_support::store_suite!(
    create_get_and_list_accounts,
    duplicate_account_is_already_exists,
    phone_must_be_digits,
    timestamps_above_i64_are_invalid,
    pushname_and_status_text,
    blocklist_is_replaced_sorted_and_deduplicated,
    removing_an_account_removes_all_its_data_and_nothing_else,
);
