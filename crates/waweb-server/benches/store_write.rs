//! Write throughput and latency of the SQLite store.
//!
//! * `relay_group_commit/<tasks>`: many tasks relaying at once, so the writer commits them in
//!   groups; throughput is durable relays per second (each stores two messages).
//! * `relay_latency_single`: one relay at a time, i.e. one `fsync` per relay.
//!
//! The database lives under the target directory (a real disk, not a tmpfs) so `fsync` costs
//! what it costs.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use tokio::runtime::Runtime;
use waweb_server::store::sqlite::SqliteStore;
use waweb_server::store::{
    Account, AccountStore, MessageStore, NewMessage, Relay, WebMessageInfoStatus,
};

const SENDERS: usize = 64;
const RECIPIENTS: usize = 8;

/// A unique message id per relay, across all benchmarks.
static NEXT_ID: AtomicU64 = AtomicU64::new(0);

fn runtime() -> Runtime {
    tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap()
}

fn phone(prefix: char, n: usize) -> String {
    format!("{}{n:04}", if prefix == 's' { "49" } else { "33" })
}

fn open(rt: &Runtime) -> (tempfile::TempDir, Arc<SqliteStore>) {
    let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
    let store = SqliteStore::open(dir.path().join("bench.db")).unwrap();
    rt.block_on(async {
        for n in 0..SENDERS {
            store.create_account(Account::new(phone('s', n), format!("S{n}"), 0)).await.unwrap();
        }
        for n in 0..RECIPIENTS {
            store.create_account(Account::new(phone('r', n), format!("R{n}"), 0)).await.unwrap();
        }
    });
    (dir, Arc::new(store))
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

/// Runs `total` relays spread over `tasks` concurrent tasks; returns the wall time.
async fn relay_concurrently(store: &Arc<SqliteStore>, tasks: usize, total: u64) -> Duration {
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

/// Relays per measured iteration of the group-commit benchmark: enough that every task is busy
/// for many commits, so the measurement sees steady-state batching.
const BURST: u64 = 8_192;

fn group_commit(c: &mut Criterion) {
    let rt = runtime();
    let (_dir, store) = open(&rt);
    let mut group = c.benchmark_group("relay_group_commit");
    group.throughput(Throughput::Elements(BURST));
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(10));
    for tasks in [64, 512, 2048] {
        group.bench_with_input(BenchmarkId::from_parameter(tasks), &tasks, |b, &tasks| {
            b.iter_custom(|iters| {
                (0..iters).map(|_| rt.block_on(relay_concurrently(&store, tasks, BURST))).sum()
            });
        });
    }
    group.finish();
}

fn single_latency(c: &mut Criterion) {
    let rt = runtime();
    let (_dir, store) = open(&rt);
    let mut group = c.benchmark_group("relay_latency");
    group.measurement_time(Duration::from_secs(5));
    group.bench_function("single", |b| {
        b.iter_custom(|iters| rt.block_on(relay_concurrently(&store, 1, iters)));
    });
    group.finish();
}

criterion_group!(benches, group_commit, single_latency);
criterion_main!(benches);
