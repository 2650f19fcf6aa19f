//! Write throughput and latency of the PostgreSQL store, the same relays as `store_write`
//! (SQLite) makes, against the server at `WAWEB_TEST_POSTGRES` (default the local one), in a
//! throwaway schema.
//!
//! * `pg_relay_concurrent/<tasks>`: many tasks relaying at once, each relay one call of the
//!   relay function, on a pool of 16 connections.
//! * `pg_relay_latency`: one relay at a time.
//!
//! At the end it prints the database's committed transactions per relay over a counted run
//! (`pg_stat_database.xact_commit`): a relay is one statement in its own implicit transaction,
//! so one round trip.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use tokio::runtime::Runtime;
use waweb_server::store::postgres::{PgOptions, PgStore};
use waweb_server::store::{
    Account, AccountStore, MessageStore, NewMessage, Relay, WebMessageInfoStatus,
};

const SENDERS: usize = 64;
const RECIPIENTS: usize = 8;
/// Relays per measured iteration of the concurrent benchmark.
const BURST: u64 = 2_048;

static NEXT_ID: AtomicU64 = AtomicU64::new(0);

fn url() -> String {
    std::env::var("WAWEB_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned())
}

fn runtime() -> Runtime {
    tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap()
}

fn phone(prefix: char, n: usize) -> String {
    format!("{}{n:04}", if prefix == 's' { "49" } else { "33" })
}

/// An admin connection to the bench's server.
async fn admin() -> tokio_postgres::Client {
    let (client, connection) =
        tokio_postgres::connect(&url(), tokio_postgres::NoTls).await.unwrap_or_else(|e| {
            panic!("PostgreSQL unreachable at {} ({e}): set WAWEB_TEST_POSTGRES", url())
        });
    tokio::spawn(connection);
    client
}

/// A store in a fresh schema, with the accounts.
fn open(rt: &Runtime, name: &str) -> Arc<PgStore> {
    rt.block_on(async {
        let sql = format!("DROP SCHEMA IF EXISTS {name} CASCADE; CREATE SCHEMA {name}");
        admin().await.batch_execute(&sql).await.unwrap();
        let options = PgOptions { schema: Some(name.to_owned()), ..PgOptions::default() };
        let store = PgStore::open(&url(), options).await.unwrap();
        for n in 0..SENDERS {
            store.create_account(Account::new(phone('s', n), format!("S{n}"), 0)).await.unwrap();
        }
        for n in 0..RECIPIENTS {
            store.create_account(Account::new(phone('r', n), format!("R{n}"), 0)).await.unwrap();
        }
        Arc::new(store)
    })
}

fn copy(chat: String, id: &str, from_me: bool, info: &[u8]) -> NewMessage {
    NewMessage {
        chat_jid: chat,
        id: id.to_owned(),
        from_me,
        timestamp: 1_600_000_000,
        status: WebMessageInfoStatus::Pending,
        participant: None,
        push_name: None,
        info: info.to_vec(),
    }
}

/// A relay the size of a short text message (~120 bytes of `WebMessageInfo`).
fn relay(sender: usize) -> Relay {
    let n = NEXT_ID.fetch_add(1, Ordering::Relaxed);
    let id = format!("3EB0{n:016X}");
    let (from, to) = (phone('s', sender), phone('r', sender % RECIPIENTS));
    let info = [0x42_u8; 120];
    Relay {
        sender_copy: copy(format!("{to}@s.whatsapp.net"), &id, true, &info),
        recipient_copy: copy(format!("{from}@s.whatsapp.net"), &id, false, &info),
        sender: from,
        recipient: to,
        recipient_online: false,
    }
}

async fn relay_concurrently(store: &Arc<PgStore>, tasks: usize, total: u64) -> Duration {
    let start = Instant::now();
    let handles: Vec<_> = (0..tasks)
        .map(|t| {
            let store = Arc::clone(store);
            let share = total / tasks as u64 + u64::from((t as u64) < total % tasks as u64);
            tokio::spawn(async move {
                for _ in 0..share {
                    store.relay(relay(t % SENDERS)).await.unwrap();
                }
            })
        })
        .collect();
    for h in handles {
        h.await.unwrap();
    }
    start.elapsed()
}

fn concurrent(c: &mut Criterion) {
    let rt = runtime();
    let store = open(&rt, "bench_pg_concurrent");
    let mut group = c.benchmark_group("pg_relay_concurrent");
    group.throughput(Throughput::Elements(BURST));
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(10));
    for tasks in [64, 512] {
        group.bench_with_input(BenchmarkId::from_parameter(tasks), &tasks, |b, &tasks| {
            b.iter_custom(|iters| {
                (0..iters).map(|_| rt.block_on(relay_concurrently(&store, tasks, BURST))).sum()
            });
        });
    }
    group.finish();
    round_trips(&rt, &store);
}

/// Prints the transactions the database committed per relay over 1,000 relays (on an otherwise
/// idle database: other sessions' commits count too).
fn round_trips(rt: &Runtime, store: &Arc<PgStore>) {
    rt.block_on(async {
        let client = admin().await;
        let commits = || async {
            let sql = "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()";
            // The statistics are sent at the end of each transaction, and read once a
            // transaction: a fresh snapshot each time.
            client.batch_execute("SELECT pg_stat_clear_snapshot()").await.unwrap();
            client.query_one(sql, &[]).await.unwrap().get::<_, i64>(0)
        };
        let before = commits().await;
        relay_concurrently(store, 16, 1_000).await;
        tokio::time::sleep(Duration::from_millis(1_500)).await;
        let after = commits().await;
        // The two reads of the counter are transactions of their own.
        let per_relay = (after - before - 1) as f64 / 1_000.0;
        println!("pg relay: {per_relay:.3} committed transactions per relay (1 statement each)");
    });
}

fn single_latency(c: &mut Criterion) {
    let rt = runtime();
    let store = open(&rt, "bench_pg_latency");
    let mut group = c.benchmark_group("pg_relay_latency");
    group.measurement_time(Duration::from_secs(5));
    group.bench_function("single", |b| {
        b.iter(|| rt.block_on(store.relay(relay(0))).unwrap());
    });
    group.finish();
}

criterion_group!(benches, concurrent, single_latency);
criterion_main!(benches);
