//! The real client's session lifecycle against the real server: restoring after the server
//! restarts (automatic reconnection on the same address, and a fresh restore on a new port),
//! takeover by a second client with the same credentials, and logout invalidating them.

mod real_support;

use std::time::Duration;

use real_support::{c_us, key_of, next, restore_at, restored, RealServer, ALICE, BOB};
use waweb_client::{BatchKind, Client, ClientError, ClientOptions, Disconnect, Event};

#[tokio::test]
async fn sessions_survive_server_restarts_without_a_new_qr() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let server = RealServer::ephemeral(data.clone()).await;
    let addr = server.addr;
    let options = ClientOptions {
        reconnect: true,
        backoff_base: Duration::from_millis(100),
        backoff_max: Duration::from_millis(500),
        max_reconnect_attempts: Some(40),
        ..ClientOptions::default()
    };
    let mut alice = server.pair_with(ALICE.0, options).await;
    let sent = alice.client.send_text(&c_us(BOB.0), "before the restart").await.unwrap();
    server.stop().await.unwrap();
    next(&mut alice.events, |e| match e {
        Event::Reconnecting { .. } => Some(()),
        Event::Disconnected(why) => panic!("gave up instead of reconnecting: {why:?}"),
        _ => None,
    })
    .await;
    assert!(!alice.client.is_ready());

    // Same data, same address: the reconnecting client finds it on its own.
    let server = RealServer::start(data.clone(), addr).await;
    let info = restored(&mut alice.events).await;
    assert_eq!(info.wid, c_us(ALICE.0));
    let newest = alice.client.history(&c_us(BOB.0), 1, None).await.unwrap();
    assert_eq!(newest.first().and_then(|m| m.text()), Some("before the restart"));
    assert_eq!(newest.first().and_then(|m| m.key.clone()).and_then(|k| k.id), Some(sent.id));

    // The reconnected session is live again: a message from Bob is pushed to it.
    let bob = server.pair(BOB.0).await;
    let back = bob.client.send_text(&c_us(ALICE.0), "welcome back").await.unwrap();
    let live = next(&mut alice.events, |e| match e {
        Event::Messages { kind: BatchKind::Live, messages, .. } => Some(messages.clone()),
        _ => None,
    })
    .await;
    assert_eq!(live.iter().map(|m| key_of(m).2).collect::<Vec<_>>(), [back.id]);
    bob.client.close();

    // Then on another port: a fresh connection with the saved (rotated) credentials.
    let saved = alice.creds();
    alice.client.close();
    server.stop().await.unwrap();
    let server = RealServer::ephemeral(data).await;
    let again = restore_at(&server.url(), &saved).await;
    assert_eq!(again.info.wid, c_us(ALICE.0));
    assert_eq!(again.client.chats().await.unwrap().len(), 2);
}

#[tokio::test]
async fn a_second_client_with_the_same_credentials_replaces_the_first() {
    let dir = tempfile::tempdir().unwrap();
    let server = RealServer::ephemeral(dir.path().join("data")).await;
    let mut first = server.pair(ALICE.0).await;
    let second = server.restore(&first.creds()).await;
    let why = next(&mut first.events, |e| match e {
        Event::Disconnected(why) => Some(why.clone()),
        _ => None,
    })
    .await;
    assert_eq!(why, Disconnect::Replaced);
    assert!(!first.client.is_ready());
    assert!(first.client.chats().await.is_err(), "the replaced client cannot ask anything");
    assert_eq!(second.client.chats().await.unwrap().len(), 2, "the new one works");
}

#[tokio::test]
async fn after_logout_the_old_credentials_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let server = RealServer::ephemeral(dir.path().join("data")).await;
    let mut alice = server.pair(ALICE.0).await;
    let saved = alice.creds();
    alice.client.logout().await.unwrap();
    let why = next(&mut alice.events, |e| match e {
        Event::Disconnected(why) => Some(why.clone()),
        _ => None,
    })
    .await;
    assert_eq!(why, Disconnect::LoggedOut);

    let (_client, mut events) = Client::connect(&server.url(), Some(saved)).await.unwrap();
    let refused = tokio::time::timeout(real_support::WAIT, events.wait_ready()).await.unwrap();
    assert!(matches!(refused, Err(ClientError::InvalidSession(_))), "{refused:?}");
}
