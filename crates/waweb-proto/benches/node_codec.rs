//! Node codec throughput on two sync payloads encoded by another implementation (Baileys 3.5.3,
//! see `benches/data/README.md`): a chat list of 500 chats (attribute-heavy) and a batch of 50
//! messages (bytes-heavy), decoded into the node model the server and the client use, and
//! encoded back.
//!
//! Run: `cargo bench -p waweb-proto --bench node_codec`. Throughput is reported in bytes of
//! encoded node per second. `benches/baileys_decode.mjs` measures Baileys's decoder on the same
//! bytes; docs/PERFORMANCE.md has the figures.

use std::hint::black_box;

use mimalloc::MiMalloc;

/// The allocator of the `waweb` binary (server, CLI client and bench), so that the decode is
/// measured as they run it; the core itself leaves the choice to the program.
#[global_allocator]
static ALLOCATOR: MiMalloc = MiMalloc;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use waweb_proto::binary::{decode, encode::encode_into};

const CHATS_500: &[u8] = include_bytes!("data/chats500.bin");
const BATCH_50: &[u8] = include_bytes!("data/batch50.bin");

fn bench_payload(c: &mut Criterion, name: &str, bytes: &[u8]) {
    let node = decode(bytes).expect("the payload decodes");
    let mut group = c.benchmark_group(format!("node_codec/{name}"));
    group.throughput(Throughput::Bytes(bytes.len() as u64));
    group.bench_function("decode", |b| b.iter(|| decode(black_box(bytes))));
    let mut out = Vec::with_capacity(bytes.len());
    group.bench_function("encode", |b| {
        b.iter(|| {
            out.clear();
            encode_into(black_box(&node), &mut out);
            out.len()
        })
    });
    group.finish();
}

fn benches(c: &mut Criterion) {
    bench_payload(c, "chats500", CHATS_500);
    bench_payload(c, "batch50", BATCH_50);
}

criterion_group!(codec, benches);
criterion_main!(codec);
