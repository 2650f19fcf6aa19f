//! Binary frame sealing and opening (AES-256-CBC + HMAC-SHA256 with the tag and header bytes) at
//! 1 KiB and 64 KiB, plus the bare cipher and MAC for comparison with `openssl speed`.
//!
//! Run: `cargo bench -p waweb-proto --bench frame_crypto`.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use rand::rngs::StdRng;
use rand::SeedableRng;
use waweb_proto::crypto::{self, SessionKeys};
use waweb_proto::frame::binary::{
    open_client_frame, open_server_frame, seal_client_frame, seal_server_frame,
};
use waweb_proto::frame::Flags;

const SIZES: [usize; 2] = [1024, 64 * 1024];

fn keys() -> SessionKeys {
    SessionKeys { enc_key: [7; 32], mac_key: [9; 32] }
}

fn bench_sizes(c: &mut Criterion) {
    let keys = keys();
    let mut rng = StdRng::seed_from_u64(1);
    let mut group = c.benchmark_group("frame_crypto");
    for size in SIZES {
        let plain = vec![0x5a_u8; size];
        group.throughput(Throughput::Bytes(size as u64));
        group.bench_function(BenchmarkId::new("seal_server", size), |b| {
            b.iter(|| seal_server_frame(&keys, &mut rng, "s-1", black_box(&plain)))
        });
        let sealed = seal_server_frame(&keys, &mut rng, "s-1", &plain);
        group.bench_function(BenchmarkId::new("open_server", size), |b| {
            b.iter(|| open_server_frame(&keys, black_box(&sealed)))
        });
        group.bench_function(BenchmarkId::new("seal_client", size), |b| {
            b.iter(|| {
                seal_client_frame(&keys, &mut rng, "1.--0", 16, Flags(0x80), black_box(&plain))
            })
        });
        let sealed = seal_client_frame(&keys, &mut rng, "1.--0", 16, Flags(0x80), &plain);
        group.bench_function(BenchmarkId::new("open_client", size), |b| {
            b.iter(|| open_client_frame(&keys, black_box(&sealed)))
        });
        group.bench_function(BenchmarkId::new("seal_raw", size), |b| {
            b.iter(|| crypto::seal::seal(&keys, [3; 16], black_box(&plain)))
        });
        let raw = crypto::seal::seal(&keys, [3; 16], &plain);
        group.bench_function(BenchmarkId::new("open_raw", size), |b| {
            b.iter(|| crypto::seal::open(&keys, black_box(&raw)))
        });
    }
    group.finish();
}

criterion_group!(frame, bench_sizes);
criterion_main!(frame);
