//! The store serves accounts and blocklists from memory: every change must show at once, a
//! failed write must change nothing, and a reopened store must see what was committed.

mod store_support;

use std::sync::Arc;

use store_support::{accounts, jid, open, relay};
use waweb_server::store::sqlite::SqliteStore;
use waweb_server::store::{
    Account, AccountStore, Chat, MessageStore, RelayOutcome, SeedAccount, SeedChat, Store,
    StoreError, StoredMessage,
};

const NO_ACCOUNT: StoreError = StoreError::NotFound { what: "account" };

fn seed(account: Account) -> SeedAccount {
    SeedAccount { account, contacts: vec![], chats: vec![], blocklist: vec![] }
}

/// The push name the recipient's contact entry for `sender` carries.
async fn notify_of(store: &impl Store, owner: &str, peer: &str) -> Option<String> {
    let contacts = store.contacts(owner).await.unwrap();
    contacts.into_iter().find(|c| c.jid == jid(peer)).and_then(|c| c.notify)
}

async fn removal_shows_at_once_and_relays_to_the_removed_account_fail(store: impl Store) {
    accounts(&store, &["100", "200"]).await;
    store.relay(relay("100", "200", "R1", 1)).await.unwrap();
    store.remove_account("200").await.unwrap();
    assert_eq!(store.account("200").await.unwrap(), None);
    assert_eq!(store.blocklist("200").await.unwrap_err(), NO_ACCOUNT);
    assert_eq!(store.status_text("200").await.unwrap_err(), NO_ACCOUNT);
    let phones: Vec<_> = store.accounts().await.unwrap().into_iter().map(|a| a.phone).collect();
    assert_eq!(phones, ["100"]);
    assert_eq!(store.relay(relay("100", "200", "R2", 2)).await.unwrap_err(), NO_ACCOUNT);
    assert_eq!(store.relay(relay("200", "100", "R3", 3)).await.unwrap_err(), NO_ACCOUNT);
}

async fn pushname_status_and_blocklist_changes_show_at_once(store: impl Store) {
    accounts(&store, &["100", "200"]).await;
    store.set_pushname("100", "Alice").await.unwrap();
    store.set_status_text("100", "busy").await.unwrap();
    store.set_blocklist("100", vec![jid("300"), jid("200"), jid("300")]).await.unwrap();
    let account = store.account("100").await.unwrap().unwrap();
    assert_eq!((account.pushname.as_str(), account.status_text.as_str()), ("Alice", "busy"));
    assert_eq!(store.status_text("100").await.unwrap(), "busy");
    assert_eq!(store.blocklist("100").await.unwrap(), [jid("200"), jid("300")]);
    // The relay takes the sender's name from the cache: the recipient's contact has the new one.
    store.relay(relay("100", "200", "P1", 1)).await.unwrap();
    assert_eq!(notify_of(&store, "200", "100").await.as_deref(), Some("Alice"));
    store.set_pushname("100", "Alice B").await.unwrap();
    store.relay(relay("100", "200", "P2", 2)).await.unwrap();
    assert_eq!(notify_of(&store, "200", "100").await.as_deref(), Some("Alice B"));
    store.set_blocklist("100", vec![]).await.unwrap();
    assert!(store.blocklist("100").await.unwrap().is_empty());
}

async fn failed_writes_leave_the_cache_alone(store: impl Store) {
    accounts(&store, &["100"]).await;
    let taken = store.create_account(Account::new("100", "other", 5)).await.unwrap_err();
    assert_eq!(taken, StoreError::AlreadyExists { what: "account" });
    assert_eq!(store.account("100").await.unwrap().unwrap().pushname, "name-100");
    assert_eq!(store.set_pushname("999", "x").await.unwrap_err(), NO_ACCOUNT);
    assert_eq!(store.account("999").await.unwrap(), None);
    // A seed that fails half-way (100 exists) stores nothing, and caches nothing.
    let seeds = vec![seed(Account::new("500", "new", 1)), seed(Account::new("100", "again", 1))];
    assert!(store.seed(seeds).await.is_err());
    assert_eq!(store.account("500").await.unwrap(), None);
    assert_eq!(store.accounts().await.unwrap().len(), 1);
}

async fn seeded_accounts_and_blocklists_are_cached(store: impl Store) {
    let mut seven = seed(Account::new("700", "Seven", 1));
    seven.blocklist = vec![jid("9"), jid("8")];
    seven.chats = vec![SeedChat { chat: Chat::new(jid("8"), 1), messages: vec![] }];
    store.seed(vec![seven]).await.unwrap();
    assert_eq!(store.account("700").await.unwrap().unwrap().pushname, "Seven");
    assert_eq!(store.blocklist("700").await.unwrap(), [jid("8"), jid("9")]);
}

#[tokio::test]
async fn a_reopened_store_loads_what_was_committed() {
    let (dir, store) = open();
    accounts(&store, &["100", "200", "300"]).await;
    store.set_pushname("100", "Renamed").await.unwrap();
    store.set_blocklist("200", vec![jid("100")]).await.unwrap();
    store.remove_account("300").await.unwrap();
    store.close().await.unwrap();
    drop(store);
    let store = SqliteStore::open(dir.path().join("waweb.db")).unwrap();
    let phones: Vec<_> = store.accounts().await.unwrap().into_iter().map(|a| a.phone).collect();
    assert_eq!(phones, ["100", "200"]);
    assert_eq!(store.account("100").await.unwrap().unwrap().pushname, "Renamed");
    assert_eq!(store.blocklist("200").await.unwrap(), [jid("100")]);
    assert!(store.blocklist("100").await.unwrap().is_empty());
}

/// Removal, re-creation (which may reuse the removed row id) and relays submitted together: each
/// relay lands in the account that existed when it ran, never in another one's rows.
async fn remove_and_recreate_in_one_burst_never_mixes_accounts(store: impl Store) {
    let store = Arc::new(store);
    accounts(store.as_ref(), &["100", "200"]).await;
    for round in 0..20 {
        let (s1, s2, s3) = (Arc::clone(&store), Arc::clone(&store), Arc::clone(&store));
        let id = format!("M{round}");
        let (removed, created, relayed) = tokio::join!(
            tokio::spawn(async move { s1.remove_account("200").await }),
            tokio::spawn(async move {
                s2.create_account(Account::new("300", format!("n{round}"), 1)).await
            }),
            tokio::spawn(async move { s3.relay(relay("100", "200", &id, round)).await }),
        );
        removed.unwrap().unwrap();
        created.unwrap().unwrap();
        let relayed = relayed.unwrap();
        // 300 never received anything: a relay to 200 never used a reused id.
        let stray = store.recent_messages("300", &jid("100"), 10).await.unwrap();
        assert!(stray.is_empty(), "round {round}: {stray:?} / {relayed:?}");
        if let Ok(RelayOutcome::Stored { .. }) = relayed {
            // Stored before the removal, so removed with it.
        } else {
            assert_eq!(relayed.unwrap_err(), NO_ACCOUNT);
        }
        store.remove_account("300").await.unwrap();
        accounts(store.as_ref(), &["200"]).await;
    }
    let none: Vec<StoredMessage> = store.recent_messages("200", &jid("100"), 10).await.unwrap();
    assert!(none.is_empty());
}

#[tokio::test]
async fn an_account_another_process_added_to_the_file_is_found_not_taken_for_missing() {
    let (dir, store) = open();
    // A second store on the same file plays the other process (a CLI, an operator's tool).
    let other = SqliteStore::open(dir.path().join("waweb.db")).unwrap();
    other.create_account(Account::new("300", "Zed", 5)).await.unwrap();
    other.set_status_text("300", "new here").await.unwrap();
    other.set_blocklist("300", vec![jid("100")]).await.unwrap();
    other.close().await.unwrap();

    let found = store.account("300").await.unwrap().unwrap();
    assert_eq!((found.pushname.as_str(), found.status_text.as_str()), ("Zed", "new here"));
    assert_eq!(store.status_text("300").await.unwrap(), "new here");
    assert_eq!(store.blocklist("300").await.unwrap(), [jid("100")]);
    let phones: Vec<_> = store.accounts().await.unwrap().into_iter().map(|a| a.phone).collect();
    assert_eq!(phones, ["300"]);
    // Writes through this store find it too.
    store.create_account(Account::new("100", "Al", 6)).await.unwrap();
    let relayed = store.relay(relay("300", "100", "X1", 7)).await.unwrap();
    assert!(matches!(relayed, RelayOutcome::Stored { .. }), "{relayed:?}");
    assert_eq!(store.account("400").await.unwrap(), None);
}

store_support::store_suite!(
    removal_shows_at_once_and_relays_to_the_removed_account_fail,
    pushname_status_and_blocklist_changes_show_at_once,
    failed_writes_leave_the_cache_alone,
    seeded_accounts_and_blocklists_are_cached,
    remove_and_recreate_in_one_burst_never_mixes_accounts,
);
