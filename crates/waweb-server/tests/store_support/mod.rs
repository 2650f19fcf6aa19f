//! Shared builders for the store tests, and [`store_suite!`], which runs the cases written
//! once against the [`Store`] trait on every backend.
#![allow(dead_code)]

use std::path::Path;

use waweb_server::store::sqlite::SqliteStore;
use waweb_server::store::{Account, NewMessage, Relay, Store, WebSessionRecord, STATUS_PENDING};

/// A store in a fresh temporary directory (on disk, so the read pool and WAL are exercised).
pub fn open() -> (tempfile::TempDir, SqliteStore) {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(dir.path().join("waweb.db")).unwrap();
    (dir, store)
}

/// The JID of a phone number, as protobuf keys carry it.
pub fn jid(phone: &str) -> String {
    format!("{phone}@s.whatsapp.net")
}

/// Creates accounts with names derived from their numbers.
pub async fn accounts(store: &impl Store, phones: &[&str]) {
    for phone in phones {
        store.create_account(Account::new(*phone, format!("name-{phone}"), 1_000)).await.unwrap();
    }
}

/// A message whose `info` bytes encode its identity, so tests can tell copies apart.
pub fn message(chat: &str, id: &str, from_me: bool, timestamp: u64) -> NewMessage {
    NewMessage {
        chat_jid: chat.to_owned(),
        id: id.to_owned(),
        from_me,
        timestamp,
        status: STATUS_PENDING,
        participant: None,
        push_name: None,
        info: format!("{chat}|{id}|{from_me}").into_bytes(),
    }
}

/// A relay from `sender` to `recipient` as the server would build it.
pub fn relay(sender: &str, recipient: &str, id: &str, timestamp: u64) -> Relay {
    let mut recipient_copy = message(&jid(sender), id, false, timestamp);
    recipient_copy.push_name = Some(format!("name-{sender}"));
    Relay {
        sender: sender.to_owned(),
        recipient: recipient.to_owned(),
        sender_copy: message(&jid(recipient), id, true, timestamp),
        recipient_copy,
        recipient_online: false,
    }
}

/// A web session with tokens derived from `n`.
pub fn session(client_id: &str, account: &str, n: u8) -> WebSessionRecord {
    WebSessionRecord {
        client_id: client_id.to_owned(),
        account: account.to_owned(),
        client_token: format!("ct-{client_id}-{n}"),
        server_token: format!("1@st-{client_id}-{n}"),
        browser_token: format!("1@bt-{client_id}-{n}"),
        enc_key: [n; 32],
        mac_key: [n.wrapping_add(1); 32],
        created_ms: 5_000,
        last_seen_ms: 5_000,
    }
}

/// Makes the closed database at `path` what an older version left: runs `undo` (the later
/// versions' additions taken back out) and sets its schema version to `version`.
pub fn rewind(path: &Path, undo: &str, version: i64) {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.execute_batch(undo).unwrap();
    conn.pragma_update(None, "user_version", version).unwrap();
}

/// The schema version the database at `path` says it has.
pub fn schema_version(path: &Path) -> i64 {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.pragma_query_value(None, "user_version", |r| r.get(0)).unwrap()
}

/// Turns each named `async fn case(store: impl Store)` of the calling test file into one test
/// per backend (`sqlite::case`), each on a fresh, empty store of its own. A case that needs a
/// particular backend (reopening a file, the schema version) stays a plain test instead.
#[allow(unused_macros)]
macro_rules! store_suite {
    ($($case:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $case() {
                    let (_dir, store) = crate::store_support::open();
                    super::$case(store).await;
                }
            )*
        }
    };
}
#[allow(unused_imports)]
pub(crate) use store_suite;
