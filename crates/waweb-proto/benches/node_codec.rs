//! Node codec throughput on sync-sized payloads: a chat list of 500 chats and a batch of 50 text
//! messages (each carrying an encoded `WebMessageInfo`), decoded and encoded.
//!
//! Each payload is measured with the owned codec (`decode`, `encode`) and with the borrowed
//! view (`decode_view`, `encode_view`, which copies the nodes that arrived in compact form).
//!
//! Run: `cargo bench -p waweb-proto --bench node_codec`. Throughput is reported in bytes of
//! encoded node per second.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use waweb_proto::binary::view::{decode_view, encode_view_into};
use waweb_proto::binary::{decode, encode, encode::encode_into, Node};
use waweb_proto::message::{self, text_message};

/// The chat list response of the initial sync, as the server sends it for 500 chats.
fn chat_list(chats: usize) -> Node {
    let children = (0..chats)
        .map(|i| {
            Node::new("chat")
                .attr("jid", format!("{}@c.us", 33_600_000_000u64 + i as u64))
                .attr("count", (i % 7).to_string())
                .attr("t", (1_600_000_000 + i as u64 * 61).to_string())
                .attr("mute", "0")
                .attr("spam", "false")
                .attr("modify_tag", (100_000 + i).to_string())
                .attr("name", format!("Contact number {i}"))
        })
        .collect();
    Node::new("response").attr("type", "chat").attr("duplicate", "true").children(children)
}

/// A history batch: 50 `message` nodes, each with a text `WebMessageInfo`.
fn message_batch(count: usize) -> Node {
    let children = (0..count)
        .map(|i| {
            let info = text_message(
                "33612345678@s.whatsapp.net",
                i % 2 == 0,
                &format!("3EB0{i:016X}"),
                &format!("message {i}: the quick brown fox jumps over the lazy dog"),
                1_600_000_000 + i as u64,
            );
            Node::new("message").bytes(message::encode(&info))
        })
        .collect();
    Node::new("action").attr("add", "before").attr("last", "true").children(children)
}

fn bench_payload(c: &mut Criterion, name: &str, node: &Node) {
    let bytes = encode(node);
    let mut group = c.benchmark_group(format!("node_codec/{name}"));
    group.throughput(Throughput::Bytes(bytes.len() as u64));
    group.bench_function(BenchmarkId::new("decode", bytes.len()), |b| {
        b.iter(|| decode(black_box(&bytes)))
    });
    let mut out = Vec::with_capacity(bytes.len());
    group.bench_function(BenchmarkId::new("encode", bytes.len()), |b| {
        b.iter(|| {
            out.clear();
            encode_into(black_box(node), &mut out);
            out.len()
        })
    });
    group.bench_function(BenchmarkId::new("decode+encode", bytes.len()), |b| {
        b.iter(|| decode(black_box(&bytes)).map(|n| encode(&n).len()))
    });
    group.bench_function(BenchmarkId::new("decode_view", bytes.len()), |b| {
        b.iter(|| decode_view(black_box(&bytes)).map(|t| t.node_count()))
    });
    let tree = decode_view(&bytes).expect("the payload decodes");
    group.bench_function(BenchmarkId::new("encode_view", bytes.len()), |b| {
        b.iter(|| {
            out.clear();
            encode_view_into(black_box(tree.root()), &mut out).map(|()| out.len())
        })
    });
    group.bench_function(BenchmarkId::new("decode_view+encode_view", bytes.len()), |b| {
        b.iter(|| {
            decode_view(black_box(&bytes)).map(|tree| {
                let mut out = Vec::new();
                encode_view_into(tree.root(), &mut out).map(|()| out.len())
            })
        })
    });
    group.finish();
}

fn benches(c: &mut Criterion) {
    bench_payload(c, "chats_500", &chat_list(500));
    bench_payload(c, "messages_50", &message_batch(50));
}

criterion_group!(codec, benches);
criterion_main!(codec);
