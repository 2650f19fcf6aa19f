//! The WAL stays bounded under sustained writes although the writer never checkpoints at commit.

mod store_support;

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use store_support::{accounts, relay};
use waweb_server::store::sqlite::SqliteStore;
use waweb_server::store::MessageStore;

fn wal_bytes(db: &Path) -> u64 {
    let wal = db.with_extension("db-wal");
    std::fs::metadata(wal).map(|m| m.len()).unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_wal_is_rewound_under_sustained_relays() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("waweb.db");
    let store = Arc::new(SqliteStore::open(&db).unwrap());
    let phones: Vec<String> = (0..64).map(|n| format!("49{n:04}")).collect();
    let names: Vec<&str> = phones.iter().map(String::as_str).collect();
    accounts(store.as_ref(), &names).await;

    let done = Arc::new(AtomicBool::new(false));
    let sampler = {
        let (done, db) = (Arc::clone(&done), db.clone());
        tokio::spawn(async move {
            let mut largest = 0;
            while !done.load(Ordering::Acquire) {
                largest = largest.max(wal_bytes(&db));
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            largest
        })
    };
    let writers: Vec<_> = (0..128)
        .map(|t| {
            let (store, phones) = (Arc::clone(&store), phones.clone());
            tokio::spawn(async move {
                for i in 0..RELAYS_PER_TASK {
                    let (from, to) = (&phones[t % 64], &phones[(t + 1 + i % 7) % 64]);
                    store.relay(relay(from, to, &format!("w{t}-{i}"), i as u64)).await.unwrap();
                }
            })
        })
        .collect();
    for w in writers {
        w.await.unwrap();
    }
    done.store(true, Ordering::Release);
    let largest = sampler.await.unwrap();
    let written = 128 * RELAYS_PER_TASK as u64;
    eprintln!("{written} relays; largest WAL {largest} bytes; now {}", wal_bytes(&db));
    // Without the rewind it grows past 800 MB here; the rewind starts at 126 MB.
    assert!(largest < 180_000_000, "the WAL grew to {largest} bytes");
}

const RELAYS_PER_TASK: usize = 500;
