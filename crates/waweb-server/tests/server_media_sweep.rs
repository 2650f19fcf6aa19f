//! The media sweep over real HTTP: blobs past the media TTL and blobs no stored message
//! references (once past the upload grace) are removed, in passes that stay within their budget,
//! and their URLs then answer `404`; referenced and fresh blobs keep being served.

mod support;

use std::time::{Duration, SystemTime};

use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64URL;
use base64::Engine;
use serde_json::Value;
use sha2::{Digest, Sha256};
use support::http::{get_raw, send_raw};
use support::TestServer;
use waweb_proto::message::{media_message, Attachment, MediaKind, ProtoMessage};
use waweb_server::config::SweepBudget;
use waweb_server::context::now_ms;
use waweb_server::media::sweep::Sweep;
use waweb_server::store::{MessageStore, NewMessage, WebMessageInfoStatus};

const ALICE: &str = "15550000001";
const BOB: &str = "15550000002@s.whatsapp.net";
/// The media TTL of these tests, and the upload grace (the token lifetime).
const TTL: u64 = 1000;
const GRACE: u64 = 100;

/// Uploads `blob` as an image; its hash and the path of its URL.
async fn upload(server: &TestServer, auth: &str, blob: &[u8]) -> ([u8; 32], String) {
    let hash: [u8; 32] = Sha256::digest(blob).into();
    let h = B64URL.encode(hash);
    let head = format!(
        "POST /mms/image/{h}?auth={auth}&token={h} HTTP/1.1\r\nContent-Length: {}",
        blob.len()
    );
    let (status, _, body) = send_raw(server.addr, &head, blob).await;
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    let answer: Value = serde_json::from_slice(&body).unwrap();
    (hash, answer["direct_path"].as_str().unwrap().to_owned())
}

/// Sets a blob's stored time `secs` seconds back.
fn age(server: &TestServer, hash: &[u8; 32], secs: u64) {
    let hex = hex::encode(hash);
    let path = server.dir.path().join("data/media/blobs").join(&hex[..2]).join(&hex);
    let file = std::fs::File::options().write(true).open(path).unwrap();
    file.set_modified(SystemTime::now() - Duration::from_secs(secs)).unwrap();
}

/// Stores, in Alice's chat with Bob, a picture message naming this blob.
async fn reference(server: &TestServer, id: &str, hash: &[u8; 32], url: &str) {
    let attachment = Attachment {
        kind: Some(MediaKind::Image),
        url: Some(url.to_owned()),
        media_key: vec![7; 32],
        file_enc_sha256: Some(hash.to_vec()),
        file_sha256: Some(vec![1; 32]),
        file_length: Some(10),
        ..Attachment::default()
    };
    let info = media_message(BOB, true, id, &attachment, 1_700_000_000).unwrap();
    insert(server, id, info.encode_to_vec()).await;
}

async fn insert(server: &TestServer, id: &str, info: Vec<u8>) {
    let message = NewMessage {
        chat_jid: "15550000002@c.us".into(),
        id: id.into(),
        from_me: true,
        timestamp: 1_700_000_000,
        status: WebMessageInfoStatus::ServerAck,
        participant: None,
        push_name: None,
        info,
    };
    server.store.insert_message(ALICE, message).await.unwrap();
}

#[tokio::test]
async fn expired_and_unreferenced_blobs_go_in_bounded_passes_and_their_urls_answer_404() {
    let budget = SweepBudget { blobs: 2, messages: 1 };
    let server = TestServer::start_with(|c| {
        c.media.blob_ttl_secs = TTL;
        c.media.auth_ttl_secs = GRACE;
        c.media.sweep_interval_secs = 3600; // only the passes this test makes
        c.media.sweep_budget = budget;
    })
    .await;
    server.account(ALICE, "Alice").await;
    server.account("15550000002", "Bob").await;
    let auth = server.media.tokens.issue(ALICE, now_ms()).0;
    let (kept, kept_url) = upload(&server, &auth, b"referenced and fresh").await;
    let (orphan, orphan_url) = upload(&server, &auth, b"never sent in a message").await;
    let (old, old_url) = upload(&server, &auth, b"referenced but past the TTL").await;
    let (_, pending_url) = upload(&server, &auth, b"uploaded, its message to come").await;
    reference(&server, "3EB0KEPT", &kept, &kept_url).await;
    insert(&server, "3EB0TEXT", b"\x0a\x00".to_vec()).await; // not media: names nothing
    reference(&server, "3EB0OLD", &old, &old_url).await;
    age(&server, &orphan, GRACE * 2);
    age(&server, &old, TTL + 10);
    for url in [&kept_url, &orphan_url, &old_url, &pending_url] {
        assert_eq!(get_raw(server.addr, url).await.0, 200, "{url} before the sweep");
    }

    let mut sweep = Sweep::new(server.store.clone(), server.media.clone());
    let (mut expired, mut unreferenced, mut passes) = (0, 0, 0);
    loop {
        let report = sweep.pass(SystemTime::now()).await;
        passes += 1;
        assert!(report.messages_read <= budget.messages, "{report:?}");
        assert!(report.blobs_seen <= budget.blobs, "{report:?}");
        expired += report.removed_expired;
        unreferenced += report.removed_unreferenced;
        if report.cycle_done {
            break;
        }
        assert!(passes < 1000, "the cycle ends");
    }
    assert!(passes > 3, "the budget split the cycle into several passes ({passes})");
    assert_eq!((expired, unreferenced), (1, 1));

    assert_eq!(get_raw(server.addr, &kept_url).await.0, 200, "referenced and fresh: kept");
    assert_eq!(get_raw(server.addr, &pending_url).await.0, 200, "within the grace: kept");
    let (status, _, body) = get_raw(server.addr, &orphan_url).await;
    assert_eq!(status, 404, "unreferenced: removed ({})", String::from_utf8_lossy(&body));
    assert_eq!(get_raw(server.addr, &old_url).await.0, 404, "past the TTL: removed");

    // Uploaded again, the same bytes are served again at the same URL.
    assert_eq!(upload(&server, &auth, b"never sent in a message").await.1, orphan_url);
    assert_eq!(get_raw(server.addr, &orphan_url).await.0, 200);
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn the_server_sweeps_on_its_own() {
    let server = TestServer::start_with(|c| {
        c.media.blob_ttl_secs = TTL;
        c.media.auth_ttl_secs = GRACE;
        c.media.sweep_interval_secs = 1;
    })
    .await;
    server.account(ALICE, "Alice").await;
    let auth = server.media.tokens.issue(ALICE, now_ms()).0;
    let (hash, url) = upload(&server, &auth, b"expires at once").await;
    age(&server, &hash, TTL + 1);
    // The periodic pass removes it; poll (each try a second apart) for at most a minute.
    let mut status = 200;
    for _ in 0..60 {
        status = get_raw(server.addr, &url).await.0;
        if status == 404 {
            break;
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
    assert_eq!(status, 404, "the server's own sweep removed the expired blob");
    server.shutdown().await.unwrap();
}
