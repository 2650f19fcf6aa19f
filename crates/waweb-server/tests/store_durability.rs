//! Durability: every write acknowledged before a `kill -9` is there after reopening.
//!
//! The test re-runs this test binary as a child process (selecting the ignored helper test
//! below and pointing it at a database with an environment variable). The child relays messages
//! from several tasks as fast as it can and prints each acknowledged id; the parent kills it
//! with SIGKILL mid-stream, reopens the database and looks for every printed id.

mod store_support;

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use store_support::{accounts, jid, relay};
use waweb_server::store::sqlite::SqliteStore;
use waweb_server::store::{ChatStore, MessageKey, MessageStore, RelayOutcome, SessionStore, Store};

const CHILD_ENV: &str = "WAWEB_STORE_DURABILITY_CHILD_DB";
const SENDERS: [&str; 4] = ["4901", "4902", "4903", "4904"];
const RECIPIENT: &str = "3300";
/// Acknowledgements to see before pulling the plug.
const KILL_AFTER: usize = 600;

#[tokio::test]
async fn kill_9_keeps_every_acknowledged_relay() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("durable.db");
    {
        let store = SqliteStore::open(&path).unwrap();
        accounts(&store, &SENDERS).await;
        accounts(&store, &[RECIPIENT]).await;
        store.close().await.unwrap();
    }

    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "durability_child_writer",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD_ENV, &path)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut acked = BTreeSet::new();
    let deadline = Instant::now() + Duration::from_secs(120);
    while acked.len() < KILL_AFTER {
        assert!(Instant::now() < deadline, "child too slow: {} acks", acked.len());
        let line = lines.next().expect("child ended early").unwrap();
        if let Some(ack) = line.strip_prefix("ACK ") {
            acked.insert(ack.to_owned());
        }
    }
    child.kill().unwrap(); // SIGKILL on Unix: no destructor, no close, no final checkpoint.
    child.wait().unwrap();
    // Whatever the child acknowledged before dying is still in the pipe.
    for line in lines {
        if let Some(ack) = line.unwrap().strip_prefix("ACK ") {
            acked.insert(ack.to_owned());
        }
    }

    let store = SqliteStore::open(&path).unwrap();
    for ack in &acked {
        let (sender, id) = ack.split_once(' ').unwrap();
        let sent = MessageKey { chat_jid: jid(RECIPIENT), id: id.to_owned(), from_me: true };
        assert!(store.find_message(sender, sent).await.unwrap().is_some(), "lost {ack}");
        let got = MessageKey { chat_jid: jid(sender), id: id.to_owned(), from_me: false };
        assert!(store.find_message(RECIPIENT, got).await.unwrap().is_some(), "lost copy {ack}");
    }
    // Counts agree with the stored messages (unacknowledged ones may or may not be there).
    let unread: i64 = store.chats(RECIPIENT).await.unwrap().iter().map(|c| c.unread).sum();
    let queued = store.pending_for(RECIPIENT, u32::MAX).await.unwrap().len();
    assert!(queued >= acked.len());
    assert_eq!(unread, queued as i64, "unread counts and queue come from the same commits");
    store.close().await.unwrap();

    let conn = rusqlite::Connection::open(&path).unwrap();
    let check: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(check, "ok");
}

/// The child half of [`kill_9_keeps_every_acknowledged_relay`]; does nothing unless started
/// by it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "helper process of kill_9_keeps_every_acknowledged_relay"]
async fn durability_child_writer() {
    let Some(path) = std::env::var_os(CHILD_ENV) else { return };
    let store = Arc::new(SqliteStore::open(path).unwrap());
    let tasks: Vec<_> = SENDERS
        .iter()
        .map(|sender| {
            let store = Arc::clone(&store);
            tokio::spawn(async move {
                for i in 0.. {
                    let id = format!("K{sender}-{i}");
                    let outcome = store.relay(relay(sender, RECIPIENT, &id, i)).await.unwrap();
                    assert!(matches!(outcome, RelayOutcome::Stored { .. }));
                    let mut out = std::io::stdout().lock();
                    writeln!(out, "ACK {sender} {id}").unwrap();
                    out.flush().unwrap();
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap();
    }
}
