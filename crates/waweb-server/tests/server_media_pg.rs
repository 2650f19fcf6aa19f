//! Media hosting on the PostgreSQL store: blobs live in the database as chunks, each test on a
//! fresh schema of its own; two nodes on one schema serve each other's uploads.

mod store_support;
mod support;

use std::time::{Duration, SystemTime};

use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64URL;
use base64::Engine;
use serde_json::Value;
use sha2::{Digest, Sha256};
use store_support::{admin, postgres_url, Schema};
use support::http::{get_raw, send_raw};
use support::TestServer;
use waweb_server::context::now_ms;
use waweb_server::media::blob::BlobKey;
use waweb_server::media::pg::CHUNK_BYTES;
use waweb_server::media::sweep::Sweep;

const ALICE: &str = "15550000001";

/// The store URL of a server on `schema`.
fn store_url(schema: &Schema) -> String {
    format!("{}?options=-c%20search_path%3D{}", postgres_url(), schema.name)
}

/// A server whose store (and so its blobs) is `schema`.
async fn node(schema: &Schema) -> TestServer {
    let url = store_url(schema);
    TestServer::start_with(move |c| c.store = Some(url)).await
}

/// Bytes that differ from chunk to chunk and within one.
fn blob_of(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i * 7 % 251) as u8).collect()
}

/// Uploads `body` as a document under the hash `hash`: the status and the JSON answer.
async fn upload_as(server: &TestServer, hash: &[u8], body: &[u8]) -> (u16, Value) {
    let auth = server.media.tokens.issue(ALICE, now_ms()).0;
    let h = B64URL.encode(hash);
    let head = format!(
        "POST /mms/document/{h}?auth={auth}&token={h} HTTP/1.1\r\nContent-Length: {}",
        body.len()
    );
    let (status, _, answer) = send_raw(server.addr, &head, body).await;
    (status, serde_json::from_slice(&answer).unwrap_or(Value::Null))
}

/// Uploads `blob`, expecting success: the path of its URL.
async fn upload(server: &TestServer, blob: &[u8]) -> String {
    let (status, answer) = upload_as(server, &Sha256::digest(blob), blob).await;
    assert_eq!(status, 200, "{answer}");
    answer["direct_path"].as_str().unwrap().to_owned()
}

/// Rows in each media table: (blobs, stages, chunks).
async fn rows(schema: &Schema) -> (i64, i64, i64) {
    let db = admin(&postgres_url()).await;
    let n = schema.name.as_str();
    let sql = format!(
        "SELECT (SELECT count(*) FROM {n}.media_blobs), (SELECT count(*) FROM {n}.media_stages), \
         (SELECT count(*) FROM {n}.media_chunks)"
    );
    let row = db.query_one(&sql, &[]).await.unwrap();
    (row.get(0), row.get(1), row.get(2))
}

/// Waits (up to a generous limit) until the media tables hold `want` rows.
async fn rows_become(schema: &Schema, want: (i64, i64, i64)) {
    let mut last = (0, 0, 0);
    for _ in 0..200 {
        last = rows(schema).await;
        if last == want {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("media rows {last:?}, expected {want:?}");
}

#[tokio::test]
async fn a_blob_of_several_chunks_is_served_whole_and_in_ranges() {
    let schema = Schema::create().await;
    let server = node(&schema).await;
    server.account(ALICE, "Alice").await;
    let blob = blob_of(2 * CHUNK_BYTES + 1000);
    let path = upload(&server, &blob).await;
    assert_eq!(rows(&schema).await, (1, 1, 3));

    let (status, head, body) = get_raw(server.addr, &path).await;
    assert_eq!(status, 200);
    assert!(body == blob, "the downloaded blob differs ({} bytes)", body.len());
    assert!(head.contains(&format!("content-length: {}\r\n", blob.len())), "{head}");

    let size = blob.len();
    let across = (CHUNK_BYTES - 3, CHUNK_BYTES + 4);
    for (range, first, last) in [
        (format!("bytes={}-{}", across.0, across.1), across.0, across.1),
        ("bytes=-5".to_owned(), size - 5, size - 1),
        (format!("bytes={}-", 2 * CHUNK_BYTES), 2 * CHUNK_BYTES, size - 1),
        ("bytes=10-19".to_owned(), 10, 19),
    ] {
        let head = format!("GET {path} HTTP/1.1\r\nRange: {range}");
        let (status, head, body) = send_raw(server.addr, &head, b"").await;
        assert_eq!(status, 206, "{range}");
        assert_eq!(body, blob[first..=last], "{range}");
        assert!(head.contains(&format!("content-range: bytes {first}-{last}/{size}")), "{head}");
    }

    // The same bytes again: the same blob, its extra stage gone.
    assert_eq!(upload(&server, &blob).await, path);
    rows_become(&schema, (1, 1, 3)).await;
    // An empty blob has no chunk.
    let empty = upload(&server, b"").await;
    let (status, _, body) = get_raw(server.addr, &empty).await;
    assert_eq!((status, body.len()), (200, 0));
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn a_wrong_hash_and_stale_stages_leave_nothing_behind() {
    let schema = Schema::create().await;
    let server = node(&schema).await;
    server.account(ALICE, "Alice").await;
    // Over a chunk, so that chunks were written before the hash is found wrong.
    let body = blob_of(CHUNK_BYTES + 10);
    let (status, answer) = upload_as(&server, &[9; 32], &body).await;
    assert_eq!(status, 400, "{answer}");
    rows_become(&schema, (0, 0, 0)).await;
    let path = format!("/mms/d/{}/x.enc", B64URL.encode([9; 32]));
    assert_eq!(get_raw(server.addr, &path).await.0, 404);
    server.shutdown().await.unwrap();

    // A node that stopped mid-upload left a stage: the next node to start removes it once stale.
    let db = admin(&postgres_url()).await;
    let n = schema.name.as_str();
    db.batch_execute(&format!(
        "INSERT INTO {n}.media_stages (id, touched_at) OVERRIDING SYSTEM VALUE \
             VALUES (1000, now() - interval '2 hours'), (1001, now());
         INSERT INTO {n}.media_chunks (stage, n, data) VALUES (1000, 0, '\\x01'), (1001, 0, '\\x02');"
    ))
    .await
    .unwrap();
    let server = node(&schema).await;
    // The fresh one may be an upload in progress on another node: kept.
    assert_eq!(rows(&schema).await, (0, 1, 1));
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn the_sweep_removes_expired_blobs_with_their_chunks() {
    let schema = Schema::create().await;
    let server = node(&schema).await;
    server.account(ALICE, "Alice").await;
    let old = blob_of(CHUNK_BYTES + 1);
    let old_path = upload(&server, &old).await;
    let db = admin(&postgres_url()).await;
    db.execute(
        &format!(
            "UPDATE {}.media_blobs SET stored_at = stored_at - interval '30 days' WHERE key = $1",
            schema.name
        ),
        &[&Sha256::digest(&old).as_slice()],
    )
    .await
    .unwrap();
    let mut sweep = Sweep::new(server.store.clone(), server.media.clone());
    let mut removed = 0;
    for _ in 0..10_000 {
        let report = sweep.pass(SystemTime::now()).await;
        removed += report.removed_expired;
        if report.cycle_done {
            break;
        }
    }
    assert_eq!(removed, 1);
    assert_eq!(get_raw(server.addr, &old_path).await.0, 404);
    assert_eq!(rows(&schema).await, (0, 0, 0));
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn a_blob_uploaded_through_one_node_is_served_by_another() {
    let schema = Schema::create().await;
    let (one, two) = (node(&schema).await, node(&schema).await);
    one.account(ALICE, "Alice").await;
    let blob = blob_of(3 * CHUNK_BYTES / 2);
    let path = upload(&one, &blob).await;
    // Both nodes build the same URL for it (the URL key is in the database).
    let key = BlobKey(Sha256::digest(&blob).into());
    assert_eq!(two.media.direct_path(&key), path);
    let (status, _, body) = get_raw(two.addr, &path).await;
    assert_eq!(status, 200);
    assert!(body == blob, "node two served {} bytes, not the blob", body.len());
    let range = format!("GET {path} HTTP/1.1\r\nRange: bytes={}-{}", CHUNK_BYTES - 1, CHUNK_BYTES);
    let (status, _, body) = send_raw(two.addr, &range, b"").await;
    assert_eq!((status, body), (206, blob[CHUNK_BYTES - 1..=CHUNK_BYTES].to_vec()));
    one.shutdown().await.unwrap();
    two.shutdown().await.unwrap();
}

#[tokio::test]
async fn an_upload_is_invisible_until_complete_and_a_truncated_one_leaves_nothing() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let schema = Schema::create().await;
    let server = node(&schema).await;
    server.account(ALICE, "Alice").await;
    let blob = blob_of(2 * CHUNK_BYTES + 5);
    let h = B64URL.encode(Sha256::digest(&blob));
    let auth = server.media.tokens.issue(ALICE, now_ms()).0;
    let head = format!(
        "POST /mms/document/{h}?auth={auth} HTTP/1.1\r\nHost: x\r\nContent-Length: {}\r\n\r\n",
        blob.len()
    );
    let mut stream = tokio::net::TcpStream::connect(server.addr).await.unwrap();
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.write_all(&blob[..CHUNK_BYTES + 10]).await.unwrap();
    // One full chunk is stored, under a stage only: no blob yet.
    rows_become(&schema, (0, 1, 1)).await;
    // The sender goes away mid-body.
    stream.shutdown().await.unwrap();
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw).await;
    rows_become(&schema, (0, 0, 0)).await;
    server.shutdown().await.unwrap();
}
