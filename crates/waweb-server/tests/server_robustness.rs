//! Bad input closes (or answers) only the connection that sent it: malformed text, binary
//! before login, a wrong MAC, an oversized frame, unknown commands. A second logged-in session
//! keeps working throughout.

mod support;

use rand::rngs::StdRng;
use rand::SeedableRng;
use serde_json::Value;
use support::client::assert_alive;
use support::{wait_for, Client, TestServer};
use waweb_proto::crypto::SessionKeys;
use waweb_proto::frame::binary::seal_client_frame;
use waweb_proto::frame::Flags;
use waweb_proto::session::ClientEvent;
use waweb_server::store::SessionStore;

const MAX: usize = 4096;

async fn server_with_bob() -> (TestServer, Client) {
    let server = TestServer::start_with(|c| c.max_frame_bytes = MAX).await;
    server.account("111", "Alice").await;
    server.account("222", "Bob").await;
    let (bob, _) = server.pair("222").await;
    (server, bob)
}

#[tokio::test]
async fn untagged_garbage_text_closes_with_a_protocol_error() {
    let (server, mut bob) = server_with_bob().await;
    let mut bad = Client::connect(server.addr, None).await;
    bad.send_text("this is not a frame").await;
    let (code, reason) = bad.closed().await;
    assert_eq!(code, 1002);
    assert!(reason.contains("malformed"), "{reason}");
    assert_alive(&mut bob).await;
}

#[tokio::test]
async fn unknown_commands_and_bad_json_get_error_statuses_and_the_socket_stays() {
    let (server, mut bob) = server_with_bob().await;
    let mut bad = Client::connect(server.addr, None).await;
    bad.raw_text().await; // the init answer
    bad.send_text("t1,[\"frobnicate\",1]").await;
    let answer = bad.raw_text().await;
    let (tag, body) = answer.split_once(',').unwrap();
    assert_eq!(tag, "t1");
    assert_eq!(serde_json::from_str::<Value>(body).unwrap()["status"], 404);
    bad.send_text("t2,{not json").await;
    let answer = bad.raw_text().await;
    assert!(answer.starts_with("t2,"), "{answer}");
    assert_eq!(serde_json::from_str::<Value>(&answer[3..]).unwrap()["status"], 400);
    bad.send_text("?,,").await;
    assert!(bad.raw_text().await.starts_with('!'));
    assert_alive(&mut bob).await;
}

#[tokio::test]
async fn binary_before_login_closes_the_connection() {
    let (server, mut bob) = server_with_bob().await;
    let mut bad = Client::connect(server.addr, None).await;
    bad.send_binary(vec![0xde, 0xad, 0xbe, 0xef, 0x00, 0x01]).await;
    let (code, reason) = bad.closed().await;
    assert_eq!(code, 1002);
    assert!(reason.contains("binary frame before login"), "{reason}");
    assert_alive(&mut bob).await;
}

#[tokio::test]
async fn a_frame_with_a_wrong_mac_closes_only_that_session() {
    let (server, mut bob) = server_with_bob().await;
    let (mut alice, _) = server.pair("111").await;
    let wrong = SessionKeys { enc_key: [1; 32], mac_key: [2; 32] };
    let mut rng = StdRng::seed_from_u64(3);
    let frame =
        seal_client_frame(&wrong, &mut rng, "x1", 5, Flags::EXPECTS_ANSWER, b"\xf8\x01\x00");
    alice.send_binary(frame).await;
    let (code, reason) = alice.closed().await;
    assert_eq!(code, 1002);
    assert!(reason.contains("cannot open binary frame"), "{reason}");
    assert_alive(&mut bob).await;
    // The pairing itself survives a bad frame.
    assert_eq!(server.store.sessions_of("111").await.unwrap().len(), 1);
}

#[tokio::test]
async fn an_oversized_frame_gets_a_clean_close_with_a_reason() {
    let (server, mut bob) = server_with_bob().await;
    let mut big = Client::connect(server.addr, None).await;
    big.send_text(&format!("t1,\"{}\"", "a".repeat(MAX))).await;
    let (code, reason) = big.closed().await;
    assert_eq!(code, 1002);
    assert!(reason.contains("exceeds the limit of 4096"), "{reason}");
    // Far beyond the limit: the websocket layer refuses it, still without harming others.
    let mut huge = Client::connect(server.addr, None).await;
    huge.send_binary(vec![0u8; MAX * 4]).await;
    let (code, _) = huge.closed().await;
    assert_eq!(code, 1002);
    assert_alive(&mut bob).await;
}

/// docs/PROTOCOL.md §5.6: a frame that opens (right MAC) but holds no valid node is answered
/// with 400 on its tag, and the session stays.
#[tokio::test]
async fn an_authentic_frame_with_an_undecodable_node_is_answered_400_and_the_session_stays() {
    let (server, mut bob) = server_with_bob().await;
    let (mut alice, creds) = server.pair("111").await;
    let mut rng = StdRng::seed_from_u64(4);
    let frame =
        seal_client_frame(&creds.keys, &mut rng, "x9", 5, Flags::EXPECTS_ANSWER, b"\xf8\x05");
    alice.send_binary(frame).await;
    let value = wait_for(&mut alice, |e| match e {
        ClientEvent::JsonResponse { tag, value } if tag == "x9" => Some(value.clone()),
        ClientEvent::Disconnected(r) => panic!("the session ended: {r:?}"),
        _ => None,
    })
    .await;
    assert_eq!(value["status"], 400);
    assert!(value["error"].as_str().unwrap().starts_with("bad node: "), "{value}");
    assert_alive(&mut alice).await;
    assert_alive(&mut bob).await;
}
