//! Whole-server behaviour: no compression, idle timeout, graceful shutdown, recording, and a
//! binary request reaching the handlers.

mod support;

use serde_json::Value;
use support::client::now;
use support::{wait_for, Client, TestServer};
use waweb_proto::binary::Node;
use waweb_proto::frame::binary::open_server_frame;
use waweb_proto::frame::{Flags, Metric};
use waweb_proto::session::ClientEvent;
use waweb_server::store::AccountStore;

#[tokio::test]
async fn permessage_deflate_is_never_granted() {
    let server = TestServer::start().await;
    let client = Client::connect(server.addr, None).await;
    assert_eq!(client.extensions, None);
}

#[tokio::test]
async fn silent_connections_are_closed_after_the_idle_limit() {
    let server = TestServer::start_with(|c| c.session.idle_timeout_ms = 300).await;
    let mut client = Client::connect(server.addr, None).await;
    let (code, reason) = client.closed().await;
    assert_eq!((code, reason.as_str()), (1001, "idle timeout"));
}

#[tokio::test]
async fn shutdown_closes_sessions_as_going_away_and_closes_the_store() {
    let server = TestServer::start().await;
    server.account("111", "Alice").await;
    let (mut client, _) = server.pair("111").await;
    let store = server.store.clone();
    let stopping = tokio::spawn(server.shutdown());
    let (code, reason) = client.closed().await;
    assert_eq!(code, 1001);
    assert_eq!(reason, "server shutting down");
    stopping.await.unwrap().unwrap();
    assert!(store.accounts().await.is_err(), "the store is closed after run returns");
}

#[tokio::test]
async fn a_binary_request_gets_an_answer_on_its_tag() {
    let server = TestServer::start().await;
    server.account("111", "Alice").await;
    let (mut client, _) = server.pair("111").await;
    let query = Node::new("query").attr("type", "contacts").attr("epoch", "1");
    let tag = client
        .session
        .send_node(now(), &query, Metric::QueryContacts, Flags::EXPECTS_ANSWER)
        .unwrap();
    let answered = wait_for(&mut client, |e| match e {
        ClientEvent::Response { tag: t, .. } | ClientEvent::JsonResponse { tag: t, .. } => {
            Some(t.clone())
        }
        ClientEvent::RequestTimedOut { tag } => panic!("no answer to {tag}"),
        _ => None,
    })
    .await;
    assert_eq!(answered, tag);
}

#[tokio::test]
async fn recording_logs_frames_both_ways_with_the_keys() {
    let dir = tempfile::tempdir().unwrap();
    let record = dir.path().join("rec");
    let server = TestServer::start_with(|c| c.record_dir = Some(record.clone())).await;
    server.account("111", "Alice").await;
    let (mut client, creds) = server.pair("111").await;
    let query = Node::new("query").attr("type", "contacts").attr("epoch", "1");
    client.session.send_node(now(), &query, Metric::QueryContacts, Flags::EXPECTS_ANSWER).unwrap();
    wait_for(&mut client, |e| match e {
        ClientEvent::Response { .. } | ClientEvent::JsonResponse { .. } => Some(()),
        _ => None,
    })
    .await;
    drop(client);
    server.shutdown().await.unwrap();
    let files: Vec<_> = std::fs::read_dir(&record).unwrap().map(|e| e.unwrap().path()).collect();
    assert_eq!(files.len(), 1);
    let lines: Vec<Value> = std::fs::read_to_string(&files[0])
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines[0]["format"], "waweb-session-log");
    let keys = lines.iter().find(|l| l["kind"] == "keys").expect("a keys record");
    use base64::Engine;
    let enc = base64::engine::general_purpose::STANDARD.decode(keys["encKey"].as_str().unwrap());
    assert_eq!(enc.unwrap(), creds.keys.enc_key);
    let init_in = lines
        .iter()
        .any(|l| l["dir"] == "in" && l["text"].as_str().is_some_and(|t| t.contains("\"init\"")));
    assert!(init_in, "the init request is recorded");
    assert!(lines
        .iter()
        .any(|l| l["dir"] == "out"
            && l["text"].as_str().is_some_and(|t| t.starts_with("s1,[\"Conn\""))));
    let binary_in = lines.iter().find(|l| l["dir"] == "in" && l["kind"] == "binary").unwrap();
    let plain = base64::engine::general_purpose::STANDARD
        .decode(binary_in["plain"].as_str().expect("plain bytes of the request"))
        .unwrap();
    assert_eq!(waweb_proto::binary::decode(&plain).unwrap(), query);
    // What the session handed out with each frame it sealed is what the client opens.
    let b64 = |l: &Value, k: &str| {
        let text = l[k].as_str().unwrap_or_else(|| panic!("no {k} in {l}"));
        base64::engine::general_purpose::STANDARD.decode(text).unwrap()
    };
    let outs: Vec<&Value> =
        lines.iter().filter(|l| l["dir"] == "out" && l["kind"] == "binary").collect();
    assert!(!outs.is_empty(), "the initial sync is recorded");
    for out in outs {
        let (_, opened) = open_server_frame(&creds.keys, &b64(out, "wire")).unwrap();
        assert_eq!(opened, b64(out, "plain"));
    }
}
