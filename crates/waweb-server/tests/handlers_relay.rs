//! The relay and its acknowledgements: stored on both sides, answered with the server time,
//! pushed to the recipient, `ack:2` to the sender; duplicates, refusals, blocked senders,
//! offline recipients (the message comes with their next sync), and receipts (`ack:3`, `ack:4`).

mod handlers_support;

use handlers_support::*;
use serde_json::json;
use waweb_proto::binary::Node;
use waweb_proto::message;
use waweb_server::hub::Delivery;
use waweb_server::store::{
    AccountStore, ChatStore, MessageKey, MessageStore, SessionStore, WebMessageInfoStatus,
};
use waweb_server::sync::{initial_sync, SyncPush};

fn key(chat: &str, id: &str, from_me: bool) -> MessageKey {
    MessageKey { chat_jid: jid(chat), id: id.to_owned(), from_me }
}

fn ack(id: &str, ack: i32, from: &str, to: &str, t: u64) -> serde_json::Value {
    json!(["Msg", {"cmd": "ack", "id": id, "ack": ack, "from": cjid(from), "to": cjid(to), "t": t}])
}

#[tokio::test]
async fn live_relay_is_stored_acked_and_delivered() {
    let env = Env::with_accounts().await;
    let (alice, mut alice_rx) = env.connect(A, 1);
    let (_alice2, mut alice2_rx) = env.connect(A, 2);
    let (_bob, mut bob_rx) = env.connect(B, 3);
    let answer = json_of(env.binary(&alice, "3EB0AA01", relay(B, "3EB0AA01", "hello")).await);
    assert_eq!(answer["status"], 200);
    let t = answer["t"].as_u64().unwrap();
    assert!(t > 1_600_000_000, "server time in seconds: {t}");
    assert_eq!(answer, json!({"status": 200, "t": t}));

    // Bob's session: one add=relay push with his view of the message.
    let to_bob = drain(&mut bob_rx);
    let pushes = node_pushes(&to_bob);
    assert_eq!(to_bob.len(), 1);
    assert_eq!(
        (pushes[0].description.as_str(), pushes[0].get_attr("add")),
        ("action", Some("relay"))
    );
    let got = &infos(&pushes[0])[0];
    let k = got.key.clone().unwrap();
    assert_eq!(
        (k.remote_jid.unwrap(), k.from_me, k.id.unwrap()),
        (jid(A), Some(false), "3EB0AA01".into())
    );
    assert_eq!((got.text(), got.message_timestamp, got.status), (Some("hello"), Some(t), None));
    assert_eq!(got.push_name.as_deref(), Some("Alice"));

    // Alice: the delivery ack on every session; her other session also sees her message.
    assert_eq!(json_pushes(&drain(&mut alice_rx)), [ack("3EB0AA01", 2, A, B, t)]);
    let other = drain(&mut alice2_rx);
    assert_eq!(json_pushes(&other), [ack("3EB0AA01", 2, A, B, t)]);
    let echo = &infos(&node_pushes(&other)[0])[0];
    assert_eq!(echo.key.clone().unwrap().from_me, Some(true));
    assert_eq!(echo.status, Some(WebMessageInfoStatus::DeliveryAck as i32));

    // Both copies are durable; the live one stays queued until Bob's connection wrote it to
    // its socket and acknowledged it.
    let mine = env.store().find_message(A, key(B, "3EB0AA01", true)).await.unwrap().unwrap();
    assert_eq!((mine.status, mine.timestamp), (WebMessageInfoStatus::DeliveryAck, t));
    let theirs = env.store().find_message(B, key(A, "3EB0AA01", false)).await.unwrap().unwrap();
    assert_eq!(message::decode(&theirs.info).unwrap().text(), Some("hello"));
    assert_eq!(env.store().pending_for(B, 10).await.unwrap().len(), 1);
    env.ack_written(B, &to_bob).await;
    assert!(env.store().pending_for(B, 10).await.unwrap().is_empty());
    assert_eq!(env.store().chat(B, &jid(A)).await.unwrap().unwrap().unread, 1);
}

#[tokio::test]
async fn a_repeated_relay_gets_the_original_time_and_no_second_delivery() {
    let env = Env::with_accounts().await;
    let (alice, mut alice_rx) = env.connect(A, 1);
    let (_bob, mut bob_rx) = env.connect(B, 2);
    let first = json_of(env.binary(&alice, "X1", relay(B, "X1", "one")).await);
    drain(&mut alice_rx);
    drain(&mut bob_rx);
    let again = json_of(env.binary(&alice, "X1", relay(B, "X1", "one")).await);
    assert_eq!(again, first);
    assert!(drain(&mut bob_rx).is_empty());
    assert!(drain(&mut alice_rx).is_empty());
}

#[tokio::test]
async fn relays_that_cannot_be_accepted() {
    let env = Env::with_accounts().await;
    let (alice, _rx) = env.connect(A, 1);
    let (_bob, mut bob_rx) = env.connect(B, 2);
    // Speaking for someone else.
    let forged = message::text_message(&jid(B), false, "F1", "hi", 1);
    assert_eq!(json_of(env.binary(&alice, "F1", relay_info(&forged)).await), status(400));
    // Nobody with that number.
    assert_eq!(json_of(env.binary(&alice, "F2", relay("4900001", "F2", "hi")).await), status(404));
    // No group with that JID.
    let group = message::text_message("1-2@g.us", true, "F3", "hi", 1);
    assert_eq!(json_of(env.binary(&alice, "F3", relay_info(&group)).await), status(404));
    // Not a protobuf, no message child.
    let junk = Node::new("action")
        .attr("type", "relay")
        .children(vec![Node::new("message").bytes(vec![0xff])]);
    assert_eq!(json_of(env.binary(&alice, "F4", junk).await), status(400));
    let bare = Node::new("action").attr("type", "relay");
    assert_eq!(json_of(env.binary(&alice, "F5", bare).await), status(400));
    assert!(drain(&mut bob_rx).is_empty());
    assert!(env.store().chats(B).await.unwrap().is_empty());
}

#[tokio::test]
async fn a_blocked_sender_is_answered_but_not_delivered() {
    let env = Env::with_accounts().await;
    env.store().set_blocklist(B, vec![cjid(A)]).await.unwrap();
    let (alice, mut alice_rx) = env.connect(A, 1);
    let (_bob, mut bob_rx) = env.connect(B, 2);
    let answer = json_of(env.binary(&alice, "B1", relay(B, "B1", "hi")).await);
    assert_eq!(answer["status"], 200);
    assert!(drain(&mut bob_rx).is_empty());
    assert!(drain(&mut alice_rx).is_empty());
    assert!(env.store().find_message(B, key(A, "B1", false)).await.unwrap().is_none());
    assert!(env.store().find_message(A, key(B, "B1", true)).await.unwrap().is_some());
}

#[tokio::test]
async fn offline_recipient_gets_the_message_in_the_next_sync() {
    let env = Env::with_accounts().await;
    let (alice, mut alice_rx) = env.connect(A, 1);
    let answer = json_of(env.binary(&alice, "OFF1", relay(B, "OFF1", "while you were out")).await);
    assert_eq!(answer["status"], 200);
    // Bob's phone is always reachable: delivered, even without a browser.
    let t = answer["t"].as_u64().unwrap();
    assert_eq!(json_pushes(&drain(&mut alice_rx)), [ack("OFF1", 2, A, B, t)]);
    assert_eq!(env.store().pending_for(B, 10).await.unwrap().len(), 1);

    let (bob, _bob_rx) = env.connect(B, 2);
    let sync = initial_sync(&env.shared, &bob).await.unwrap();
    let SyncPush::Preempt(chats) = &sync[1] else { panic!("chat list second") };
    assert_eq!(chats.child_nodes()[0].get_attr("jid"), Some(cjid(A).as_str()));
    assert_eq!(chats.child_nodes()[0].get_attr("count"), Some("1"));
    let SyncPush::Node(last) = &sync[2] else { panic!("add=last third") };
    assert_eq!(last.get_attr("add"), Some("last"));
    let got = &infos(last)[0];
    assert_eq!(got.text(), Some("while you were out"));
    assert_eq!(got.key.clone().unwrap().remote_jid.as_deref(), Some(jid(A).as_str()));
    assert!(env.store().pending_for(B, 10).await.unwrap().is_empty());
}

#[tokio::test]
async fn reading_sends_ack_3_to_the_author_once() {
    let env = Env::with_accounts().await;
    let (alice, mut alice_rx) = env.connect(A, 1);
    let (bob, mut bob_rx) = env.connect(B, 2);
    let (_bob2, mut bob2_rx) = env.connect(B, 3);
    for id in ["R1", "R2"] {
        env.binary(&alice, id, relay(B, id, "x")).await;
    }
    drain(&mut alice_rx);
    drain(&mut bob_rx);
    drain(&mut bob2_rx);
    let read = set(Node::new("read")
        .attr("jid", cjid(A))
        .attr("index", "R2")
        .attr("owner", "false")
        .attr("count", "2"));
    assert_eq!(json_of(env.binary(&bob, "r", read.clone()).await), json!({"status": 200}));
    let acks = json_pushes(&drain(&mut alice_rx));
    let t = acks[0][1]["t"].as_u64().unwrap();
    assert_eq!(acks, [ack("R2", 3, A, B, t), ack("R1", 3, A, B, t)]);
    for id in ["R1", "R2"] {
        assert_eq!(
            env.store().find_message(A, key(B, id, true)).await.unwrap().unwrap().status,
            WebMessageInfoStatus::Read
        );
        assert_eq!(
            env.store().find_message(B, key(A, id, false)).await.unwrap().unwrap().status,
            WebMessageInfoStatus::Read
        );
    }
    assert_eq!(env.store().chat(B, &jid(A)).await.unwrap().unwrap().unread, 0);
    // Bob's other browser learns the chat was read.
    let elsewhere = node_pushes(&drain(&mut bob2_rx));
    assert_eq!(
        elsewhere,
        [Node::new("action").children(vec![Node::new("read").attr("jid", cjid(A))])]
    );
    // Reading again sends nothing new.
    env.binary(&bob, "r2", read).await;
    assert!(drain(&mut alice_rx).is_empty());
}

#[tokio::test]
async fn marking_unread_and_playing() {
    let env = Env::with_accounts().await;
    let (alice, mut alice_rx) = env.connect(A, 1);
    let (bob, _bob_rx) = env.connect(B, 2);
    env.binary(&alice, "V1", relay(B, "V1", "voice")).await;
    drain(&mut alice_rx);
    let unread = set(Node::new("read").attr("jid", cjid(A)).attr("count", "-2"));
    assert_eq!(json_of(env.binary(&bob, "u", unread).await), json!({"status": 200}));
    assert_eq!(env.store().chat(B, &jid(A)).await.unwrap().unwrap().unread, -1);
    assert!(drain(&mut alice_rx).is_empty());

    let played =
        set(Node::new("received").attr("type", "played").attr("index", "V1").attr("from", cjid(A)));
    assert_eq!(json_of(env.binary(&bob, "p", played).await), json!({"status": 200}));
    let acks = json_pushes(&drain(&mut alice_rx));
    assert_eq!(acks.len(), 1);
    assert_eq!((acks[0][1]["id"].clone(), acks[0][1]["ack"].clone()), (json!("V1"), json!(4)));
    assert_eq!(
        env.store().find_message(A, key(B, "V1", true)).await.unwrap().unwrap().status,
        WebMessageInfoStatus::Played
    );
    // A read of a chat the account does not have.
    let nowhere =
        set(Node::new("read").attr("jid", cjid(C)).attr("index", "Z").attr("owner", "false"));
    assert_eq!(json_of(env.binary(&bob, "n", nowhere).await), json!({"status": 404}));
}

#[tokio::test]
async fn two_accounts_chat_back_and_forth() {
    let env = Env::with_accounts().await;
    let (alice, mut alice_rx) = env.connect(A, 1);
    let (bob, mut bob_rx) = env.connect(B, 2);
    env.binary(&alice, "C1", relay(B, "C1", "ping")).await;
    env.binary(&bob, "C2", relay(A, "C2", "pong")).await;
    let to_alice = drain(&mut alice_rx);
    let to_bob = drain(&mut bob_rx);
    let texts = |d: &[Delivery]| -> Vec<String> {
        node_pushes(d).iter().flat_map(infos).filter_map(|i| i.text().map(str::to_owned)).collect()
    };
    assert_eq!(texts(&to_alice), ["pong"]);
    assert_eq!(texts(&to_bob), ["ping"]);
    let q = query("message", &[("kind", "before"), ("jid", &cjid(B)), ("count", "10")]);
    assert_eq!(ids(&node_of(env.binary(&alice, "h", q).await)), ["C1", "C2"]);
}

#[tokio::test]
async fn reading_without_an_index_reads_everything_received() {
    let env = Env::with_accounts().await;
    let (alice, mut alice_rx) = env.connect(A, 1);
    let (bob, _bob_rx) = env.connect(B, 2);
    env.binary(&alice, "W1", relay(B, "W1", "one")).await;
    env.binary(&bob, "W2", relay(A, "W2", "mine")).await;
    env.binary(&alice, "W3", relay(B, "W3", "two")).await;
    drain(&mut alice_rx);
    let read = set(Node::new("read").attr("jid", cjid(A)));
    assert_eq!(json_of(env.binary(&bob, "r", read).await), json!({"status": 200}));
    let acked: Vec<_> =
        json_pushes(&drain(&mut alice_rx)).iter().map(|a| a[1]["id"].clone()).collect();
    assert_eq!(acked, [json!("W3"), json!("W1")]);
    // Bob's own message is not his to read.
    let own = env.store().find_message(B, key(A, "W2", true)).await.unwrap().unwrap();
    assert_eq!(own.status, WebMessageInfoStatus::DeliveryAck);
}
