//! The initial sync: order and shape of every push, the per-chat message budget, lists already
//! answered to a query, and the demo seed.

mod handlers_support;

use std::sync::Arc;

use handlers_support::*;
use waweb_proto::binary::Node;
use waweb_server::demo;
use waweb_server::store::{AccountStore, StoreError};
use waweb_server::sync::{initial_sync, SyncPush};

fn node(push: &SyncPush) -> &Node {
    match push {
        SyncPush::Preempt(n) | SyncPush::Node(n) => n,
    }
}

#[tokio::test]
async fn sync_order_and_shapes() {
    let mut env = Env::with_accounts().await;
    Arc::get_mut(&mut env.shared.config).unwrap().sync_messages_per_chat = 4;
    env.contact(A, B, "Bob").await;
    env.history(A, C, 2).await; // M00 (t 100), M01 (t 101)
    env.history(A, B, 6).await; // M00..M05, newest chat
    let (alice, _rx) = env.connect(A, 1);
    let sync = initial_sync(&env.shared, &alice).await.unwrap();
    assert_eq!(sync.len(), 7);
    assert!(matches!(sync[0], SyncPush::Preempt(_)) && matches!(sync[1], SyncPush::Preempt(_)));
    assert!(sync[2..].iter().all(|p| matches!(p, SyncPush::Node(_))));

    // Contacts first: Baileys 3.5.3 names the chats from the contacts it already holds.
    let contacts = node(&sync[0]);
    assert_eq!(contacts.get_attr("type"), Some("contacts"));
    assert_eq!(contacts.child_nodes()[0].get_attr("notify"), Some("Bob"));
    let chats = node(&sync[1]);
    assert_eq!(chats.get_attr("type"), Some("chat"));
    let jids: Vec<_> = chats.child_nodes().iter().map(|c| c.get_attr("jid").unwrap()).collect();
    assert_eq!(jids, [cjid(B), cjid(C)]);
    assert_eq!(chats.child_nodes()[0].get_attr("t"), Some("105"));

    let last = node(&sync[2]);
    assert_eq!(last.attrs, [("add".into(), "last".into())]);
    assert_eq!(ids(last), ["M05", "M01"]);
    let before_b = node(&sync[3]);
    assert_eq!(before_b.attrs, [("add".into(), "before".into())]);
    assert_eq!(ids(before_b), ["M02", "M03", "M04"]);
    let before_c = node(&sync[4]);
    assert_eq!(before_c.get_attr("last"), Some("true"));
    assert_eq!(ids(before_c), ["M00"]);
    let texts: Vec<_> = infos(before_c).iter().map(|i| i.text().unwrap().to_owned()).collect();
    assert_eq!(texts, ["text 0"]);

    let frequent = Node::new("action").children(vec![Node::new("contacts")
        .attr("type", "frequent")
        .children(vec![
            Node::new("message").attr("jid", cjid(B)),
            Node::new("message").attr("jid", cjid(C)),
        ])]);
    assert_eq!(node(&sync[5]), &frequent);
    let battery = Node::new("action").children(vec![Node::new("battery")
        .attr("value", "100")
        .attr("live", "true")
        .attr("powersave", "false")]);
    assert_eq!(node(&sync[6]), &battery);
}

#[tokio::test]
async fn an_empty_account_gets_lists_frequent_and_battery_only() {
    let env = Env::with_accounts().await;
    let (carol, _rx) = env.connect(C, 1);
    let sync = initial_sync(&env.shared, &carol).await.unwrap();
    let kinds: Vec<_> = sync.iter().map(|p| node(p).description.clone()).collect();
    assert_eq!(kinds, ["response", "response", "action", "action"]);
    assert_eq!(node(&sync[1]), &Node::new("response").attr("type", "chat").children(vec![]));
}

#[tokio::test]
async fn one_message_per_chat_marks_add_last_as_the_last_batch() {
    // Baileys 3.2.4 waits for a batch with `last:"true"`; with one message per chat there is no
    // `add:before`, so `add:last` must carry it.
    let env = Env::with_accounts().await;
    env.history(A, B, 1).await;
    env.history(A, C, 1).await;
    let (alice, _rx) = env.connect(A, 1);
    let sync = initial_sync(&env.shared, &alice).await.unwrap();
    assert_eq!(sync.len(), 5);
    let last = node(&sync[2]);
    assert_eq!(last.attrs, [("add".into(), "last".into()), ("last".into(), "true".into())]);
    assert_eq!(ids(last), ["M00", "M00"]);
    assert_eq!(node(&sync[3]).child_nodes()[0].description, "contacts");
}

#[tokio::test]
async fn lists_answered_to_a_query_first_are_not_pushed_again() {
    let env = Env::with_accounts().await;
    env.history(A, B, 1).await;
    let (alice, _rx) = env.connect(A, 1);
    let answered = node_of(env.binary(&alice, "1", query("chat", &[])).await);
    assert_eq!(answered.child_nodes().len(), 1);
    let sync = initial_sync(&env.shared, &alice).await.unwrap();
    let preempts: Vec<_> = sync
        .iter()
        .filter_map(|p| match p {
            SyncPush::Preempt(n) => n.get_attr("type"),
            SyncPush::Node(_) => None,
        })
        .collect();
    assert_eq!(preempts, ["contacts"]);
    let later = node_of(env.binary(&alice, "2", query("contacts", &[])).await);
    assert_eq!(later.get_attr("duplicate"), Some("true"));
}

#[tokio::test]
async fn demo_seed_gives_a_full_sync_and_runs_once() {
    let env = Env::new();
    let summary = demo::seed(env.store()).await.unwrap();
    assert!(!summary.already_present);
    assert_eq!(summary.accounts, [A, B, C]);
    assert_eq!((summary.report.accounts, summary.report.contacts, summary.report.chats), (3, 6, 6));
    assert_eq!(summary.report.messages, 2 * (14 + 12 + 10));

    let (alice, _rx) = env.connect(A, 1);
    let sync = initial_sync(&env.shared, &alice).await.unwrap();
    let chats = node(&sync[1]);
    assert_eq!(chats.child_nodes().len(), 2);
    let unread: i64 = chats
        .child_nodes()
        .iter()
        .map(|c| c.get_attr("count").unwrap().parse::<i64>().unwrap())
        .sum();
    assert_eq!(unread, 1, "Bob's last line to Alice is unread");
    assert_eq!(node(&sync[0]).child_nodes().len(), 2);
    let last = node(&sync[2]);
    assert_eq!(last.get_attr("add"), Some("last"));
    let newest: Vec<_> = infos(last).iter().map(|i| i.text().unwrap().to_owned()).collect();
    assert_eq!(newest, ["Great, come with us!", "By the way, Carol wants to come too."]);
    let history: usize = sync[3..5].iter().map(|p| node(p).child_nodes().len()).sum();
    assert_eq!(history, 13 + 11);

    // Both sides of a conversation hold the same message.
    let q = query("message", &[("kind", "before"), ("jid", &cjid(A)), ("count", "100")]);
    let (bob, _rx2) = env.connect(B, 2);
    let bobs = infos(&node_of(env.binary(&bob, "1", q).await));
    assert_eq!(bobs.len(), 14);
    assert_eq!(bobs[0].text(), Some("Hi Bob!"));
    assert_eq!(bobs[0].push_name.as_deref(), Some("Alice"));
    assert_eq!(bobs[0].key.clone().unwrap().from_me, Some(false));

    let again = demo::seed(env.store()).await.unwrap();
    assert!(again.already_present);
    assert_eq!(again.report.messages, 0);
}

#[tokio::test]
async fn demo_seed_refuses_a_partial_set() {
    let env = Env::new();
    env.store().create_account(waweb_server::store::Account::new(B, "Someone", 1)).await.unwrap();
    assert_eq!(
        demo::seed(env.store()).await.unwrap_err(),
        StoreError::AlreadyExists { what: "account" }
    );
    assert_eq!(env.store().accounts().await.unwrap().len(), 1);
}
