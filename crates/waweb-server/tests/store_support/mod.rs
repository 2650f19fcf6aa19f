//! Shared builders for the store tests, and [`store_suite!`], which runs the cases written
//! once against the [`Store`] trait on every backend.
#![allow(dead_code)]

use std::path::Path;

use waweb_server::store::postgres::{PgOptions, PgStore};
use waweb_server::store::sqlite::SqliteStore;
use waweb_server::store::{
    Account, NewMessage, Relay, Store, WebMessageInfoStatus, WebSessionRecord,
};

/// A store in a fresh temporary directory (on disk, so the read pool and WAL are exercised).
pub fn open() -> (tempfile::TempDir, SqliteStore) {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(dir.path().join("waweb.db")).unwrap();
    (dir, store)
}

/// The PostgreSQL server the tests use: `WAWEB_TEST_POSTGRES`, by default the local one.
pub fn postgres_url() -> String {
    std::env::var("WAWEB_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned())
}

/// A schema of its own for one test, dropped (with everything in it) when this is dropped.
pub struct Schema {
    /// The schema's name.
    pub name: String,
    url: String,
}

impl Schema {
    /// Creates a fresh, empty schema; fails the test, saying how to fix it, when the server
    /// cannot be reached.
    pub async fn create() -> Self {
        static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let url = postgres_url();
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let name = format!("t_{}_{n}_{nanos}", std::process::id());
        let client = admin(&url).await;
        client.batch_execute(&format!("CREATE SCHEMA {name}")).await.unwrap();
        Self { name, url }
    }

    /// A store in this schema.
    pub async fn open(&self) -> PgStore {
        let options = PgOptions {
            pool_size: 8,
            schema: Some(self.name.clone()),
            // Each test's connections can be told apart (and ended) on a shared server.
            application_name: Some(self.name.clone()),
        };
        PgStore::open(&self.url, options).await.unwrap()
    }
}

impl Drop for Schema {
    fn drop(&mut self) {
        let (url, name) = (self.url.clone(), self.name.clone());
        // Drop cannot await, and the test's runtime may be ending: a thread of its own.
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build();
            runtime.unwrap().block_on(async move {
                let client = admin(&url).await;
                client.batch_execute(&format!("DROP SCHEMA {name} CASCADE")).await.unwrap();
            });
        });
        let _ = dropped.join();
    }
}

/// A plain connection to the test server, for the tests' own SQL.
pub async fn admin(url: &str) -> tokio_postgres::Client {
    match tokio_postgres::connect(url, tokio_postgres::NoTls).await {
        Ok((client, connection)) => {
            tokio::spawn(connection);
            client
        }
        Err(e) => panic!(
            "PostgreSQL is not reachable at {url} ({e}). The store tests need a PostgreSQL \
             server (15 or later) with trust auth whose database may get throwaway schemas: \
             start one on 127.0.0.1:5432 with a database `test`, or set WAWEB_TEST_POSTGRES to \
             postgres://USER@HOST:PORT/DATABASE."
        ),
    }
}

/// A PostgreSQL store on a fresh schema of its own.
pub async fn open_postgres() -> (Schema, PgStore) {
    let schema = Schema::create().await;
    let store = schema.open().await;
    (schema, store)
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
        status: WebMessageInfoStatus::Pending,
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
/// per backend (`sqlite::case`, `postgres::case`), each on a fresh, empty store of its own (a
/// new schema, for PostgreSQL: see [`Schema`]). A case that needs a
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
        mod postgres {
            $(
                #[tokio::test]
                async fn $case() {
                    let (_schema, store) = crate::store_support::open_postgres().await;
                    super::$case(store).await;
                }
            )*
        }
    };
}
#[allow(unused_imports)]
pub(crate) use store_suite;
