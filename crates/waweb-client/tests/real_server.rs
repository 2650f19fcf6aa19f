//! The real client against the real server over 127.0.0.1: QR pairing through the admin API, the
//! initial sync against the demo seed, history paging, status, presence and chat states, a live
//! two-account conversation with its acks, and delivery to an account that was offline.

mod real_support;

use std::collections::HashSet;
use std::time::Duration;

use real_support::{c_us, key_of, next, phone_of, RealServer, ALICE, BOB};
use waweb_client::{Ack, BatchKind, Event};
use waweb_server::store::{ChatStore, Direction, MessageStore};

fn s_wa(phone: &str) -> String {
    format!("{phone}@s.whatsapp.net")
}

#[tokio::test]
async fn pairing_gives_the_account_and_the_seeded_initial_sync() {
    let dir = tempfile::tempdir().unwrap();
    let server = RealServer::ephemeral(dir.path().join("data")).await;
    let mut alice = server.pair(ALICE.0).await;
    assert_eq!(alice.info.wid, c_us(ALICE.0));
    assert_eq!(alice.info.pushname.as_deref(), Some(ALICE.1));
    assert!(alice.client.is_ready());

    // The contacts come first (Baileys 3.5.3 names chats from the contacts it holds).
    let contacts = next(&mut alice.events, |e| match e {
        Event::Contacts(c) => Some(c.clone()),
        _ => None,
    })
    .await;
    let mut names: Vec<_> = contacts
        .iter()
        .map(|c| (phone_of(&c.jid).to_string(), c.notify.clone().unwrap_or_default()))
        .collect();
    names.sort();
    assert_eq!(
        names,
        [("15550000002".into(), "Bob".into()), ("15550000003".into(), "Carol".into())]
    );

    let pushed = next(&mut alice.events, |e| match e {
        Event::Chats(c) => Some(c.clone()),
        _ => None,
    })
    .await;
    let stored = server.store.chats(ALICE.0).await.unwrap();
    assert_eq!(stored.len(), 2, "Alice chats with Bob and Carol");
    let summary = |jid: &str, unread: i64, t: u64| (phone_of(jid).to_string(), unread, t);
    let expected: Vec<_> = stored.iter().map(|c| summary(&c.jid, c.unread, c.t)).collect();
    let got: Vec<_> = pushed.iter().map(|c| summary(&c.jid, c.unread, c.t)).collect();
    assert_eq!(got, expected, "the pushed chat list is the stored one, in order");
    // Bob's last line is still unread at Alice's.
    assert_eq!(got.iter().find(|c| c.0 == BOB.0).map(|c| c.1), Some(1));

    let last = next(&mut alice.events, |e| match e {
        Event::Messages { kind: BatchKind::Last, messages, .. } => Some(messages.clone()),
        _ => None,
    })
    .await;
    let newest = server.store.last_message_per_chat(ALICE.0).await.unwrap();
    let ids: Vec<_> = last.iter().map(|m| key_of(m).2).collect();
    assert_eq!(ids, newest.iter().map(|m| m.id.clone()).collect::<Vec<_>>());
    next(&mut alice.events, |e| match e {
        Event::Messages { kind: BatchKind::Before, last: true, .. } => Some(()),
        _ => None,
    })
    .await;

    let queried = alice.client.chats().await.unwrap();
    assert_eq!(queried, pushed, "chats() answers what the sync pushed");
    assert_eq!(alice.client.contacts().await.unwrap(), contacts);
}

#[tokio::test]
async fn history_pages_back_to_the_first_message_oldest_first() {
    let dir = tempfile::tempdir().unwrap();
    let server = RealServer::ephemeral(dir.path().join("data")).await;
    let alice = server.pair(ALICE.0).await;
    let mut pages = Vec::new();
    let mut before: Option<(String, bool)> = None;
    loop {
        let cursor = before.as_ref().map(|(id, me)| (id.as_str(), *me));
        let page = alice.client.history(&c_us(BOB.0), 4, cursor).await.unwrap();
        let Some(first) = page.first() else { break };
        assert!(page.len() <= 4);
        let (_, from_me, id) = key_of(first);
        before = Some((id, from_me));
        pages.push(page);
        assert!(pages.len() < 10, "paging does not end");
    }
    assert_eq!(pages.iter().map(Vec::len).collect::<Vec<_>>(), [4, 4, 4, 2]);
    let all: Vec<_> = pages.into_iter().rev().flatten().collect();
    let stored =
        server.store.history(ALICE.0, &s_wa(BOB.0), None, Direction::Before, 1000).await.unwrap();
    assert_eq!(stored.len(), 14);
    let got: Vec<_> = all.iter().map(|m| (key_of(m), m.text().map(str::to_string))).collect();
    let want: Vec<_> = stored
        .iter()
        .map(|m| {
            let info = waweb_proto::message::decode(&m.info).unwrap();
            ((BOB.0.to_string(), m.from_me, m.id.clone()), info.text().map(str::to_string))
        })
        .collect();
    assert_eq!(got, want, "every stored message, oldest first");
    let unique: HashSet<_> = all.iter().map(|m| key_of(m).2).collect();
    assert_eq!(unique.len(), all.len(), "no duplicates across pages");
    assert!(all.windows(2).all(|w| w[0].message_timestamp <= w[1].message_timestamp));
    assert_eq!(all.first().and_then(|m| m.text()), Some("Hi Bob!"));
}

#[tokio::test]
async fn status_presence_and_chat_states_reach_the_other_account() {
    let dir = tempfile::tempdir().unwrap();
    let server = RealServer::ephemeral(dir.path().join("data")).await;
    let mut alice = server.pair(ALICE.0).await;
    let mut bob = server.pair(BOB.0).await;
    assert_eq!(
        alice.client.status(&c_us(BOB.0)).await.unwrap().as_deref(),
        Some("At the climbing gym")
    );
    assert_eq!(
        bob.client.status(&c_us(ALICE.0)).await.unwrap().as_deref(),
        Some("Hey there! I am using waweb.")
    );

    let bob_presence = |e: &Event| match e {
        Event::Presence { jid, kind, t, .. } if phone_of(jid) == BOB.0 => Some((kind.clone(), *t)),
        _ => None,
    };
    alice.client.subscribe_presence(&c_us(BOB.0)).await.unwrap();
    // The current state comes first, whatever it is.
    next(&mut alice.events, bob_presence).await;
    bob.client.set_presence(false).await.unwrap();
    let (kind, t) = next(&mut alice.events, bob_presence).await;
    assert_eq!(kind, "unavailable");
    assert!(t.is_some_and(|t| t > 1_600_000_000), "last seen is set: {t:?}");
    bob.client.set_presence(true).await.unwrap();
    assert_eq!(next(&mut alice.events, bob_presence).await.0, "available");

    let alice_state = |e: &Event| match e {
        Event::Presence { jid, kind, .. } if phone_of(jid) == ALICE.0 => Some(kind.clone()),
        _ => None,
    };
    alice.client.composing(&c_us(BOB.0), true).await.unwrap();
    assert_eq!(next(&mut bob.events, alice_state).await, "composing");
    alice.client.composing(&c_us(BOB.0), false).await.unwrap();
    assert_eq!(next(&mut bob.events, alice_state).await, "paused");
}

/// The id and `status` of the newest message of the chat with `peer`.
async fn newest_status(client: &waweb_client::Client, peer: &str) -> (String, Option<i32>) {
    let page = client.history(&c_us(peer), 1, None).await.unwrap();
    let [m] = page.as_slice() else { panic!("one message: {page:?}") };
    (key_of(m).2, m.status)
}

#[tokio::test]
async fn a_live_conversation_gets_server_delivery_and_read_acks() {
    let dir = tempfile::tempdir().unwrap();
    let server = RealServer::ephemeral(dir.path().join("data")).await;
    let mut alice = server.pair(ALICE.0).await;
    let mut bob = server.pair(BOB.0).await;
    let before = real_support::now_s();
    let receipt =
        alice.client.send_text(&c_us(BOB.0), "Rope packed, see you at 9:30").await.unwrap();
    assert!(receipt.id.starts_with("3EB0"));
    assert!(receipt.t >= before && receipt.t <= before + 5, "server time {}", receipt.t);

    let live = next(&mut bob.events, |e| match e {
        Event::Messages { kind: BatchKind::Live, messages, .. } => Some(messages.clone()),
        _ => None,
    })
    .await;
    let [m] = live.as_slice() else { panic!("one live message: {live:?}") };
    assert_eq!(key_of(m), (ALICE.0.to_string(), false, receipt.id.clone()));
    assert_eq!(m.text(), Some("Rope packed, see you at 9:30"));
    assert_eq!(m.push_name.as_deref(), Some(ALICE.1));
    assert_eq!(m.message_timestamp, Some(receipt.t));

    let ack_of = |id: &str, level: Ack| {
        let id = id.to_string();
        move |e: &Event| match e {
            Event::Ack { id: got, ack, to, .. } if *got == id && *ack == level => Some(to.clone()),
            _ => None,
        }
    };
    let to = next(&mut alice.events, ack_of(&receipt.id, Ack::Delivered)).await;
    assert_eq!(phone_of(&to), BOB.0);
    assert_eq!(newest_status(&alice.client, BOB.0).await, (receipt.id.clone(), Some(3)));
    bob.client.read(&c_us(ALICE.0), &receipt.id).await.unwrap();
    next(&mut alice.events, ack_of(&receipt.id, Ack::Read)).await;
    // The stored status follows: delivered (3) then read (4), as `ack + 1`.
    assert_eq!(newest_status(&alice.client, BOB.0).await, (receipt.id.clone(), Some(4)));

    let chats = bob.client.chats().await.unwrap();
    let with_alice = chats.iter().find(|c| phone_of(&c.jid) == ALICE.0).unwrap();
    assert_eq!(with_alice.unread, 0, "read clears the unread count");
    assert_eq!(chats.first().map(|c| phone_of(&c.jid)), Some(ALICE.0), "most recent first");
}

#[tokio::test]
async fn a_message_sent_while_offline_is_in_the_next_sync() {
    let dir = tempfile::tempdir().unwrap();
    let server = RealServer::ephemeral(dir.path().join("data")).await;
    let alice = server.pair(ALICE.0).await;
    let mut bob = server.pair(BOB.0).await;
    let saved = bob.creds();
    bob.client.close();
    next(&mut bob.events, |e| matches!(e, Event::Disconnected(_)).then_some(())).await;
    tokio::time::sleep(Duration::from_millis(100)).await;

    let receipt = alice.client.send_text(&c_us(BOB.0), "Are you there?").await.unwrap();
    let mut bob = server.restore(&saved).await;
    assert_eq!(bob.info.wid, c_us(BOB.0));
    let chats = next(&mut bob.events, |e| match e {
        Event::Chats(c) => Some(c.clone()),
        _ => None,
    })
    .await;
    let first = chats.first().unwrap();
    assert_eq!((phone_of(&first.jid), first.unread), (ALICE.0, 1), "{chats:?}");
    let last = next(&mut bob.events, |e| match e {
        Event::Messages { kind: BatchKind::Last, messages, .. } => Some(messages.clone()),
        _ => None,
    })
    .await;
    let found = last.iter().find(|m| key_of(m).2 == receipt.id).expect("the offline message");
    assert_eq!(key_of(found), (ALICE.0.to_string(), false, receipt.id.clone()));
    assert_eq!(found.text(), Some("Are you there?"));
    let newest = bob.client.history(&c_us(ALICE.0), 1, None).await.unwrap();
    assert_eq!(newest.iter().map(|m| key_of(m).2).collect::<Vec<_>>(), [receipt.id]);
}

#[tokio::test]
async fn a_read_while_the_author_is_offline_shows_in_her_history() {
    let dir = tempfile::tempdir().unwrap();
    let server = RealServer::ephemeral(dir.path().join("data")).await;
    let mut alice = server.pair(ALICE.0).await;
    let bob = server.pair(BOB.0).await;
    let receipt = alice.client.send_text(&c_us(BOB.0), "Read me later").await.unwrap();
    let saved = alice.creds();
    alice.client.close();
    next(&mut alice.events, |e| matches!(e, Event::Disconnected(_)).then_some(())).await;

    bob.client.read(&c_us(ALICE.0), &receipt.id).await.unwrap();
    let alice = server.restore(&saved).await;
    assert_eq!(newest_status(&alice.client, BOB.0).await, (receipt.id, Some(4)));
}
