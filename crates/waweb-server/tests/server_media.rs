//! Media hosting over real HTTP: `POST /mms/<type>/<hash>` stores a blob whose SHA-256 is the
//! one in the path, for a current upload token, within the type's size limit; its URL serves it
//! whole or by range. Every refused upload leaves no file behind.

mod support;

use std::path::{Path, PathBuf};
use std::time::Duration;

use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64URL;
use base64::Engine;
use serde_json::Value;
use sha2::{Digest, Sha256};
use support::http::{get_raw, send_raw, split_response};
use support::TestServer;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use waweb_server::context::now_ms;

const ALICE: &str = "15550000001";

/// Vector B6 (docs/PROTOCOL.md §10.3): the blob of `hello media` and its `fileEncSha256`.
const B6_BLOB: &str = "7f9bef39ef1650caa4aba10652270c9960575dfb7ec0f89ab88f";
const B6_HASH: &str = "3odK1nwSJxKGqeKvrovg0ahbkcJDjFZ5qkYJuG0pLNM";

fn hash_of(blob: &[u8]) -> String {
    B64URL.encode(Sha256::digest(blob))
}

/// `POST /mms/<kind>/<hash>?auth=…&token=<hash>` with `body`: (status, JSON answer).
async fn upload(
    server: &TestServer,
    kind: &str,
    hash: &str,
    auth: &str,
    body: &[u8],
) -> (u16, Value) {
    let head = format!(
        "POST /mms/{kind}/{hash}?auth={auth}&token={hash} HTTP/1.1\r\nContent-Length: {}\r\n\
         Origin: https://web.whatsapp.com",
        body.len()
    );
    let (status, _, body) = send_raw(server.addr, &head, body).await;
    (status, serde_json::from_slice(&body).unwrap_or(Value::Null))
}

/// An account with a fresh upload token.
async fn alice(server: &TestServer) -> String {
    server.account(ALICE, "Alice").await;
    server.media.tokens.issue(ALICE, now_ms()).0
}

/// Every file under the media directory (blobs and partial uploads).
fn media_files(server: &TestServer) -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else {
                out.push(path);
            }
        }
    }
    let mut out = Vec::new();
    walk(&server.dir.path().join("data/media"), &mut out);
    out
}

/// The path part of an answer's `url`.
fn url_path(server: &TestServer, answer: &Value) -> String {
    let url = answer["url"].as_str().unwrap();
    url.strip_prefix(&format!("http://{}", server.addr)).unwrap().to_owned()
}

#[tokio::test]
async fn an_uploaded_blob_is_served_at_its_url() {
    let server = TestServer::start().await;
    let auth = alice(&server).await;
    let blob = hex::decode(B6_BLOB).unwrap();
    let (status, answer) = upload(&server, "image", B6_HASH, &auth, &blob).await;
    assert_eq!(status, 200, "{answer}");
    let path = url_path(&server, &answer);
    assert_eq!(answer["direct_path"].as_str(), Some(path.as_str()));
    assert!(path.starts_with(&format!("/mms/d/{B6_HASH}/")) && path.ends_with(".enc"), "{path}");

    let (status, head, body) = get_raw(server.addr, &path).await;
    assert_eq!((status, body), (200, blob.clone()));
    assert!(head.contains("content-length: 26\r\n"), "{head}");
    assert!(head.contains("accept-ranges: bytes"), "{head}");
    assert!(head.contains("cache-control: public, max-age=31536000, immutable"), "{head}");
    assert!(head.contains("content-type: application/octet-stream"), "{head}");

    // With `=` padding (as go-whatsapp sends it): the same blob, the same URL.
    let (status, again) = upload(&server, "image", &format!("{B6_HASH}="), &auth, &blob).await;
    assert_eq!((status, url_path(&server, &again)), (200, path.clone()));
    let stored = server
        .dir
        .path()
        .join("data/media/blobs/de")
        .join("de874ad67c12271286a9e2afae8be0d1a85b91c2438c5679aa4609b86d292cd3");
    assert_eq!(media_files(&server), vec![stored.clone()]);
    assert_eq!(std::fs::read(&stored).unwrap(), blob);
    // Private like every file of the data directory, whatever the umask.
    let mode = |p: &Path| {
        std::os::unix::fs::PermissionsExt::mode(&p.metadata().unwrap().permissions()) & 0o777
    };
    assert_eq!(mode(&stored), 0o600);
    assert_eq!(mode(stored.parent().unwrap()), 0o700);
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn a_url_without_its_secret_part_finds_nothing() {
    let server = TestServer::start().await;
    let auth = alice(&server).await;
    let blob = hex::decode(B6_BLOB).unwrap();
    let (_, answer) = upload(&server, "image", B6_HASH, &auth, &blob).await;
    let path = url_path(&server, &answer);
    let tag = path.rsplit('/').next().unwrap();
    let mut other = tag.as_bytes().to_vec();
    other[0] = if other[0] == b'A' { b'B' } else { b'A' };
    let forged = format!("/mms/d/{B6_HASH}/{}", String::from_utf8(other).unwrap());
    for wrong in
        [forged.as_str(), &format!("/mms/d/{B6_HASH}/x.enc"), &format!("/mms/d/{B6_HASH}/")]
    {
        assert_eq!(get_raw(server.addr, wrong).await.0, 404, "{wrong}");
    }
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn ranges_are_served_with_their_content_range() {
    let server = TestServer::start().await;
    let auth = alice(&server).await;
    let blob: Vec<u8> = (0..1000u32).map(|i| (i * 7 % 251) as u8).collect();
    let (status, answer) = upload(&server, "document", &hash_of(&blob), &auth, &blob).await;
    assert_eq!(status, 200, "{answer}");
    let path = url_path(&server, &answer);
    let get = |range: &'static str| {
        let head = format!("GET {path} HTTP/1.1\r\nRange: {range}");
        async move { send_raw(server.addr, &head, b"").await }
    };
    let cases: [(&str, usize, usize); 4] = [
        ("bytes=10-19", 10, 19),
        ("bytes=990-", 990, 999),
        ("bytes=-5", 995, 999),
        ("bytes=0-5000", 0, 999),
    ];
    for (range, first, last) in cases {
        let (status, head, body) = get(range).await;
        assert_eq!(status, 206, "{range}");
        assert_eq!(body, blob[first..=last], "{range}");
        assert!(head.contains(&format!("content-range: bytes {first}-{last}/1000")), "{head}");
        assert!(head.contains(&format!("content-length: {}\r\n", last - first + 1)), "{head}");
    }
    let (status, head, _) = get("bytes=1000-").await;
    assert_eq!(status, 416);
    assert!(head.contains("content-range: bytes */1000"), "{head}");
    // Several ranges at once: the whole blob, which a server may answer instead.
    let (status, _, body) = get("bytes=0-1,5-6").await;
    assert_eq!((status, body), (200, blob.clone()));
    let (status, head, body) = send_raw(server.addr, &format!("HEAD {path} HTTP/1.1"), b"").await;
    assert_eq!((status, body.len()), (200, 0));
    assert!(head.contains("content-length: 1000\r\n"), "{head}");
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn a_large_upload_streams_through() {
    let server = TestServer::start().await;
    let auth = alice(&server).await;
    let blob: Vec<u8> = (0..3_000_000u32).map(|i| (i % 253) as u8).collect();
    let (status, answer) = upload(&server, "video", &hash_of(&blob), &auth, &blob).await;
    assert_eq!(status, 200, "{answer}");
    let (status, _, body) = get_raw(server.addr, &url_path(&server, &answer)).await;
    assert_eq!(status, 200);
    assert!(body == blob, "the downloaded blob differs");
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn bad_uploads_are_refused_and_leave_no_file() {
    let server = TestServer::start_with(|c| c.media.max_image_bytes = 100).await;
    let auth = alice(&server).await;
    let blob = hex::decode(B6_BLOB).unwrap();
    let big = vec![7u8; 200];
    let wrong_body = b"not the blob whose hash is in the path".to_vec();
    let cases: Vec<(&str, String, String, Vec<u8>, u16)> = vec![
        ("wrong hash", "image".into(), B6_HASH.into(), wrong_body, 400),
        ("unknown type", "sticker".into(), B6_HASH.into(), blob.clone(), 404),
        ("wrong auth", "image".into(), B6_HASH.into(), blob.clone(), 401),
        ("dot dot", "image".into(), "..".into(), blob.clone(), 400),
        ("escaped slash", "image".into(), "..%2F..%2Fadmin".into(), blob.clone(), 400),
        ("odd bytes", "image".into(), format!("{}%00", &B6_HASH[..42]), blob.clone(), 400),
        ("standard base64", "image".into(), format!("+{}", &B6_HASH[1..]), blob.clone(), 400),
        ("too large", "image".into(), hash_of(&big), big.clone(), 413),
    ];
    for (what, kind, hash, body, expected) in cases {
        let auth = if what == "wrong auth" { "AAAA" } else { auth.as_str() };
        let (status, answer) = upload(&server, &kind, &hash, auth, &body).await;
        assert_eq!(status, expected, "{what}: {answer}");
        assert_eq!(answer["status"], expected, "{what}: {answer}");
        assert!(answer["message"].as_str().is_some_and(|m| !m.is_empty()), "{what}: {answer}");
    }
    // The token parameter must name the same hash.
    let head = format!(
        "POST /mms/image/{B6_HASH}?auth={auth}&token={} HTTP/1.1\r\nContent-Length: 26",
        hash_of(b"other")
    );
    assert_eq!(send_raw(server.addr, &head, &blob).await.0, 400);
    // No auth at all.
    let head = format!("POST /mms/image/{B6_HASH} HTTP/1.1\r\nContent-Length: 26");
    assert_eq!(send_raw(server.addr, &head, &blob).await.0, 401);
    // Too large without a Content-Length: refused while streaming.
    let chunked = format!(
        "POST /mms/image/{}?auth={auth} HTTP/1.1\r\nTransfer-Encoding: chunked",
        hash_of(&big)
    );
    let body = [format!("{:x}\r\n", big.len()).as_bytes(), &big, b"\r\n0\r\n\r\n"].concat();
    assert_eq!(send_raw(server.addr, &chunked, &body).await.0, 413);
    // Other media types keep the default limit.
    let (status, _) = upload(&server, "document", &hash_of(&big), &auth, &big).await;
    assert_eq!(status, 200);
    let files = media_files(&server);
    assert_eq!(files.len(), 1, "{files:?}");
    assert!(files[0].ends_with(hex::encode(Sha256::digest(&big))), "{files:?}");
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn expired_and_rotated_tokens_get_401() {
    let server = TestServer::start_with(|c| c.media.auth_ttl_secs = 100).await;
    server.account(ALICE, "Alice").await;
    let blob = hex::decode(B6_BLOB).unwrap();
    // Issued 100 s ago: expired now.
    let (expired, _) = server.media.tokens.issue(ALICE, now_ms() - 100_000);
    assert_eq!(upload(&server, "image", B6_HASH, &expired, &blob).await.0, 401);
    // Issued 60 s ago (past half its life): asking again rotates it.
    let (old, _) = server.media.tokens.issue(ALICE, now_ms() - 60_000);
    let (new, _) = server.media.tokens.issue(ALICE, now_ms());
    assert_ne!(old, new);
    assert_eq!(upload(&server, "image", B6_HASH, &old, &blob).await.0, 401);
    assert_eq!(media_files(&server), Vec::<PathBuf>::new());
    assert_eq!(upload(&server, "image", B6_HASH, &new, &blob).await.0, 200);
    server.shutdown().await.unwrap();
}

/// Waits (up to a generous limit) until `check` holds.
async fn eventually(mut check: impl FnMut() -> bool, what: &str) {
    for _ in 0..200 {
        if check() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("{what}: not within 10 s");
}

#[tokio::test]
async fn an_upload_is_invisible_until_complete_and_a_truncated_one_leaves_nothing() {
    let server = TestServer::start().await;
    let auth = alice(&server).await;
    let blob: Vec<u8> = (0..100_000u32).map(|i| (i % 249) as u8).collect();
    let hash = hash_of(&blob);
    let head = format!(
        "POST /mms/document/{hash}?auth={auth} HTTP/1.1\r\nHost: x\r\nContent-Length: {}\r\n\r\n",
        blob.len()
    );
    let mut stream = TcpStream::connect(server.addr).await.unwrap();
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.write_all(&blob[..60_000]).await.unwrap();
    // The first part is on disk, under a temporary name only.
    let tmp = server.dir.path().join("data/media/tmp");
    eventually(|| std::fs::read_dir(&tmp).unwrap().count() == 1, "a partial file").await;
    let blobs = server.dir.path().join("data/media/blobs");
    assert_eq!(std::fs::read_dir(&blobs).unwrap().count(), 0);
    // The sender goes away mid-body.
    stream.shutdown().await.unwrap();
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw).await;
    if !raw.is_empty() {
        assert_eq!(split_response(&raw).0, 400);
    }
    eventually(|| media_files(&server).is_empty(), "the partial file removed").await;
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn partial_files_of_a_crashed_run_are_removed_at_start() {
    let server = TestServer::start().await;
    let (_, dir) = server.stop_keeping_data().await;
    let data = dir.path().join("data");
    let stale = data.join("media/tmp/0123.part");
    std::fs::write(&stale, b"half an upload").unwrap();
    let mut config = waweb_server::Config::new(&data);
    config.listen = "127.0.0.1:0".parse().unwrap();
    let server = waweb_server::Server::bind(config).await.unwrap();
    assert!(!stale.exists());
    assert_eq!(std::fs::read_dir(data.join("media/blobs")).unwrap().count(), 0);
    drop(server);
}
