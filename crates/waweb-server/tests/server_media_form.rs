//! The `encr_upload` way of uploading, over real HTTP: the URL the action answers takes the blob
//! as the `file` field of a `multipart/form-data` body (with or without the `?f=j` old clients
//! append), answers its download URL, and refuses a form without a file, leaving nothing.

mod support;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde_json::Value;
use sha2::{Digest, Sha256};
use support::http::{get_raw, send_raw};
use support::TestServer;
use waweb_server::context::now_ms;

const ALICE: &str = "15550000001";
const BOUNDARY: &str = "----wawebFormBoundary7MA4YWxkTrZu0gW";

/// A form with the `hash` field and, if given, the `file` field.
fn form(hash: &str, file: Option<&[u8]>) -> Vec<u8> {
    let mut body =
        format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"hash\"\r\n\r\n{hash}\r\n")
            .into_bytes();
    if let Some(file) = file {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"blob\"\r\n\
                 Content-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(file);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

/// POSTs `body` as a form to the path and query of `url`: (status, JSON answer).
async fn post_form(server: &TestServer, url: &str, body: &[u8]) -> (u16, Value) {
    let target = url.strip_prefix(&format!("http://{}", server.addr)).unwrap();
    let head = format!(
        "POST {target} HTTP/1.1\r\nContent-Type: multipart/form-data; boundary={BOUNDARY}\r\n\
         Content-Length: {}",
        body.len()
    );
    let (status, _, answer) = send_raw(server.addr, &head, body).await;
    (status, serde_json::from_slice(&answer).unwrap_or(Value::Null))
}

/// How many blobs the server keeps.
fn blob_files(server: &TestServer) -> usize {
    let blobs = server.dir.path().join("data/media/blobs");
    std::fs::read_dir(blobs)
        .unwrap()
        .map(|bucket| std::fs::read_dir(bucket.unwrap().path()).unwrap().count())
        .sum()
}

#[tokio::test]
async fn an_encr_upload_form_stores_the_blob_and_answers_its_url() {
    let server = TestServer::start().await;
    server.account(ALICE, "Alice").await;
    let blob: Vec<u8> = (0..5000u32).map(|i| (i * 7 % 251) as u8).collect();
    let hash = STANDARD.encode(Sha256::digest(&blob));
    let answer = server.media.encr_upload_answer(ALICE, "document", &hash, now_ms());
    let url = answer["url"].as_str().unwrap().to_owned();

    // A form without the file: refused, nothing kept.
    let (status, refused) = post_form(&server, &url, &form(&hash, None)).await;
    assert_eq!(status, 400, "{refused}");
    assert_eq!(blob_files(&server), 0, "nothing stored");

    // As whatsapp-web-reveng did it: the URL with `?f=j` appended.
    let (status, stored) =
        post_form(&server, &format!("{url}?f=j"), &form(&hash, Some(&blob))).await;
    assert_eq!(status, 200, "{stored}");
    let direct = stored["direct_path"].as_str().unwrap();
    let (status, _, served) = get_raw(server.addr, direct).await;
    assert_eq!((status, served), (200, blob.clone()), "the very blob, without the form around it");

    // Other bytes under that hash: refused.
    let (status, _) = post_form(&server, &url, &form(&hash, Some(b"something else"))).await;
    assert_eq!(status, 400);
    assert_eq!(blob_files(&server), 1, "only the good one");
    server.shutdown().await.unwrap();
}
