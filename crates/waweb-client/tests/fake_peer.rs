//! The client against an in-memory peer (`support::FakeServer`: the protocol core's server
//! session behind a real websocket on 127.0.0.1): pairing, restore, queries, send and ack,
//! takeover, logout, timeouts and reconnection.

mod support;

use std::time::Duration;
use support::{FakeServer, BOB, ME};
use tokio::time::timeout;
use waweb_client::{
    Ack, Client, ClientError, ClientOptions, Credentials, Disconnect, Event, EventStream,
};

const WAIT: Duration = Duration::from_secs(10);

async fn next_matching(events: &mut EventStream, mut f: impl FnMut(&Event) -> bool) -> Event {
    timeout(WAIT, async {
        loop {
            let e = events.recv().await.expect("the stream ended early");
            if f(&e) {
                return e;
            }
        }
    })
    .await
    .expect("the expected event did not come")
}

/// Pairs a new client by scanning its QR; returns it once ready.
async fn pair(server: &FakeServer, options: ClientOptions) -> (Client, EventStream) {
    let (client, mut events) = Client::connect_with(&server.url(), None, options).await.unwrap();
    let Event::Qr { code, expires_at } =
        next_matching(&mut events, |e| matches!(e, Event::Qr { .. })).await
    else {
        unreachable!()
    };
    assert!(expires_at > 1_600_000_000_000);
    assert!(!client.is_ready());
    server.scan(&code);
    let Event::Ready { info, new_pairing } =
        next_matching(&mut events, |e| matches!(e, Event::Ready { .. })).await
    else {
        unreachable!()
    };
    assert!(new_pairing);
    assert_eq!(info.wid, ME);
    assert_eq!(info.pushname.as_deref(), Some("Alice"));
    assert_eq!(info.battery, Some(80));
    assert!(client.is_ready());
    (client, events)
}

async fn restore(server: &FakeServer, creds: Credentials) -> (Client, EventStream) {
    let (client, mut events) = Client::connect(&server.url(), Some(creds)).await.unwrap();
    let e = next_matching(&mut events, |e| {
        matches!(e, Event::Ready { .. } | Event::Qr { .. } | Event::Disconnected(_))
    })
    .await;
    assert!(matches!(e, Event::Ready { new_pairing: false, .. }), "restore gave {e:?}");
    (client, events)
}

#[tokio::test]
async fn pairing_sync_and_queries() {
    let server = FakeServer::start().await;
    let (client, mut events) = pair(&server, ClientOptions::default()).await;
    assert_eq!(server.origins(), vec![Some("https://web.whatsapp.com".to_string())]);
    let creds = client.credentials().expect("credentials after pairing");
    assert_eq!((creds.wid.as_str(), creds.client_token.as_str()), (ME, "ct-1"));

    let Event::Chats(pushed) = next_matching(&mut events, |e| matches!(e, Event::Chats(_))).await
    else {
        unreachable!()
    };
    assert_eq!(pushed[0].jid, BOB);
    let battery = next_matching(&mut events, |e| matches!(e, Event::Battery { .. })).await;
    assert_eq!(battery, Event::Battery { value: 55, live: false });

    let chats = client.chats().await.unwrap();
    assert_eq!(chats.len(), 1);
    assert_eq!((chats[0].jid.as_str(), chats[0].unread, chats[0].t), (BOB, 2, 1_600_000_005));
    let contacts = client.contacts().await.unwrap();
    assert_eq!(contacts[0].notify.as_deref(), Some("Bob"));
    assert_eq!(client.status(BOB).await.unwrap().as_deref(), Some("At the gym"));
    assert_eq!(client.status(ME).await.unwrap(), None);
    client.set_presence(true).await.unwrap();
    client.set_presence(false).await.unwrap();
    client.composing(BOB, true).await.unwrap();
    client.read(BOB, "MSG5").await.unwrap();
}

#[tokio::test]
async fn history_pages_backwards() {
    let server = FakeServer::start().await;
    let (client, _events) = pair(&server, ClientOptions::default()).await;
    let page = client.history(BOB, 2, None).await.unwrap();
    let ids = |p: &[waweb_client::WebMessageInfo]| -> Vec<String> {
        p.iter().map(|m| m.key.as_ref().unwrap().id.clone().unwrap()).collect()
    };
    assert_eq!(ids(&page), ["MSG4", "MSG5"]);
    assert_eq!(page[1].text(), Some("text 5"));
    let first = page[0].key.clone().unwrap();
    let older = client.history(BOB, 2, Some((first.id.as_deref().unwrap(), true))).await.unwrap();
    assert_eq!(ids(&older), ["MSG2", "MSG3"]);
    let oldest = client.history(BOB, 10, Some(("MSG1", false))).await.unwrap();
    assert!(oldest.is_empty(), "nothing before the first message");
}

#[tokio::test]
async fn send_text_gets_the_server_ack_then_delivery() {
    let server = FakeServer::start().await;
    let (client, mut events) = pair(&server, ClientOptions::default()).await;
    let receipt = client.send_text(BOB, "hello").await.unwrap();
    assert_eq!(receipt.t, 1_700_000_000);
    assert_eq!(receipt.id.len(), 20);
    let ack = next_matching(&mut events, |e| matches!(e, Event::Ack { .. })).await;
    let Event::Ack { id, ack, to, t, .. } = ack else { unreachable!() };
    assert_eq!((id, ack, t), (receipt.id, Ack::Delivered, 1_700_000_001));
    assert_eq!(to, "33698765432@s.whatsapp.net");
    client.subscribe_presence(BOB).await.unwrap();
    let p = next_matching(&mut events, |e| matches!(e, Event::Presence { .. })).await;
    assert_eq!(
        p,
        Event::Presence {
            jid: BOB.into(),
            kind: "available".into(),
            t: Some(7),
            participant: None
        }
    );
}

#[tokio::test]
async fn restore_needs_no_qr_and_rotates_tokens() {
    let server = FakeServer::start().await;
    let (client, _events) = pair(&server, ClientOptions::default()).await;
    let creds = client.credentials().unwrap();
    client.close();
    let (again, _ev) = restore(&server, creds.clone()).await;
    let newer = again.credentials().unwrap();
    assert_eq!(newer.keys, creds.keys);
    assert_ne!(newer.client_token, creds.client_token, "tokens rotate at every login");
    assert_eq!(again.chats().await.unwrap()[0].jid, BOB);
}

#[tokio::test]
async fn stale_tokens_are_an_invalid_session() {
    let server = FakeServer::start().await;
    let (client, _events) = pair(&server, ClientOptions::default()).await;
    let mut creds = client.credentials().unwrap();
    client.close();
    creds.client_token = "forged".into();
    let (_c, mut events) = Client::connect(&server.url(), Some(creds)).await.unwrap();
    let e = next_matching(&mut events, |e| matches!(e, Event::Disconnected(_))).await;
    assert_eq!(e, Event::Disconnected(Disconnect::InvalidSession(401)));
    assert_eq!(
        events.wait_ready().await,
        Err(ClientError::Disconnected("the event stream ended".into()))
    );
}

#[tokio::test]
async fn a_second_login_replaces_the_first() {
    let server = FakeServer::start().await;
    let (first, mut first_events) = pair(&server, ClientOptions::default()).await;
    let (second, _ev) = restore(&server, first.credentials().unwrap()).await;
    let e = next_matching(&mut first_events, |e| matches!(e, Event::Disconnected(_))).await;
    assert_eq!(e, Event::Disconnected(Disconnect::Replaced));
    assert!(first_events.recv().await.is_none(), "the stream ends after Disconnected");
    assert!(matches!(first.chats().await, Err(ClientError::Disconnected(_))));
    assert!(second.chats().await.is_ok());
}

#[tokio::test]
async fn logout_ends_the_session_and_the_server_forgets_it() {
    let server = FakeServer::start().await;
    let (client, mut events) = pair(&server, ClientOptions::default()).await;
    let creds = client.credentials().unwrap();
    assert_eq!(server.pairings(), 1);
    client.logout().await.unwrap();
    let e = next_matching(&mut events, |e| matches!(e, Event::Disconnected(_))).await;
    assert_eq!(e, Event::Disconnected(Disconnect::LoggedOut));
    assert_eq!(server.pairings(), 0);
    let (_c, mut events) = Client::connect(&server.url(), Some(creds)).await.unwrap();
    assert_eq!(events.wait_ready().await, Err(ClientError::InvalidSession(401)));
}

#[tokio::test]
async fn unanswered_requests_time_out() {
    let server = FakeServer::start().await;
    server.ignore_query("emoji");
    let options =
        ClientOptions { request_timeout: Duration::from_millis(300), ..ClientOptions::default() };
    let (client, _events) = pair(&server, options).await;
    let started = std::time::Instant::now();
    assert_eq!(client.emoji().await, Err(ClientError::Timeout(300)));
    assert!(started.elapsed() >= Duration::from_millis(300));
    assert_eq!(client.chats().await.unwrap().len(), 1, "the connection is still usable");
}

#[tokio::test]
async fn reconnects_after_a_network_drop_without_a_new_qr() {
    let server = FakeServer::start().await;
    let options = ClientOptions {
        reconnect: true,
        backoff_base: Duration::from_millis(50),
        ..ClientOptions::default()
    };
    let (client, mut events) = pair(&server, options).await;
    let before = client.credentials().unwrap();
    server.drop_connections();
    let e = next_matching(&mut events, |e| {
        matches!(e, Event::Reconnecting { .. } | Event::Disconnected(_))
    })
    .await;
    assert!(matches!(e, Event::Reconnecting { attempt: 1, .. }), "{e:?}");
    let e = next_matching(&mut events, |e| {
        matches!(e, Event::Ready { .. } | Event::Qr { .. } | Event::Disconnected(_))
    })
    .await;
    assert!(matches!(e, Event::Ready { new_pairing: false, .. }), "{e:?}");
    assert_ne!(client.credentials().unwrap().client_token, before.client_token);
    assert_eq!(client.chats().await.unwrap()[0].jid, BOB);
}

#[tokio::test]
async fn without_reconnect_a_drop_is_final() {
    let server = FakeServer::start().await;
    let (client, mut events) = pair(&server, ClientOptions::default()).await;
    server.drop_connections();
    let e = next_matching(&mut events, |e| matches!(e, Event::Disconnected(_))).await;
    assert!(matches!(e, Event::Disconnected(Disconnect::Network(_))), "{e:?}");
    assert!(!client.is_ready());
}

#[tokio::test]
async fn an_unreachable_server_fails_to_connect() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let err = Client::connect(&format!("ws://{addr}/ws"), None).await.unwrap_err();
    assert!(matches!(err, ClientError::Unreachable { .. }), "{err:?}");
    let err = Client::connect("not a url", None).await.unwrap_err();
    assert!(matches!(err, ClientError::Unreachable { .. }), "{err:?}");
}

#[tokio::test]
async fn connects_to_the_next_address_when_the_first_does_not_answer() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let dead = format!("ws://{}/ws", listener.local_addr().unwrap());
    drop(listener);
    let server = FakeServer::start().await;
    let options = ClientOptions { fallback_urls: vec![server.url()], ..ClientOptions::default() };
    let (client, mut events) = Client::connect_with(&dead, None, options).await.unwrap();
    let e = next_matching(&mut events, |e| matches!(e, Event::Qr { .. })).await;
    assert!(matches!(e, Event::Qr { .. }), "{e:?}");
    assert_eq!(server.origins().len(), 1, "the second address got the connection");
    drop(client);
}

#[tokio::test]
async fn a_lost_node_is_replaced_by_another_node_without_a_new_qr() {
    let node1 = FakeServer::start().await;
    let node2 = node1.another_node().await;
    let options = ClientOptions {
        reconnect: true,
        backoff_base: Duration::from_millis(50),
        fallback_urls: vec![node2.url()],
        ..ClientOptions::default()
    };
    let (client, mut events) = pair(&node1, options).await;
    let before = client.credentials().unwrap();
    node1.kill().await;
    let e = next_matching(&mut events, |e| {
        matches!(e, Event::Ready { .. } | Event::Qr { .. } | Event::Disconnected(_))
    })
    .await;
    assert!(matches!(e, Event::Ready { new_pairing: false, .. }), "{e:?}");
    assert_ne!(client.credentials().unwrap().client_token, before.client_token);
    assert_eq!(client.chats().await.unwrap()[0].jid, BOB, "node 2 answers");
}

/// A peer that accepts the websocket, records what it gets, and never answers.
async fn silent_peer() -> (String, tokio::sync::mpsc::UnboundedReceiver<String>) {
    use futures_util::StreamExt;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("ws://{}/ws", listener.local_addr().unwrap());
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    tokio::spawn(async move {
        let (tcp, _) = listener.accept().await.unwrap();
        let mut ws = tokio_tungstenite::accept_async(tcp).await.unwrap();
        while let Some(Ok(m)) = ws.next().await {
            if let Ok(t) = m.to_text() {
                let _ = tx.send(t.to_string());
            }
        }
    });
    (url, rx)
}

#[tokio::test]
async fn keepalive_pings_and_a_silent_server_is_declared_dead() {
    let (url, mut seen) = silent_peer().await;
    let options = ClientOptions {
        keepalive_interval: Duration::from_millis(100),
        dead_after: Duration::from_millis(450),
        ..ClientOptions::default()
    };
    let started = std::time::Instant::now();
    let (_client, mut events) = Client::connect_with(&url, None, options).await.unwrap();
    let e = next_matching(&mut events, |e| matches!(e, Event::Disconnected(_))).await;
    assert!(matches!(&e, Event::Disconnected(Disconnect::Network(_))), "{e:?}");
    assert!(started.elapsed() >= Duration::from_millis(450), "not before the deadline");
    let mut frames = Vec::new();
    // The peer's loop ends when the client closes the socket, which closes the channel.
    while let Some(f) = timeout(WAIT, seen.recv()).await.unwrap() {
        frames.push(f);
    }
    assert!(frames[0].contains("[\"admin\",\"init\""), "init first: {frames:?}");
    let pings = frames.iter().filter(|f| f.as_str() == "?,,").count();
    assert!(pings >= 3, "a ping every 100 ms: {frames:?}");
}
