//! Account and chat settings: archive, mute, pin; block list with its push; "about" text with
//! its push to accounts that know this one; push name.

mod handlers_support;

use handlers_support::*;
use serde_json::json;
use waweb_proto::binary::Node;
use waweb_server::store::Store;

#[tokio::test]
async fn chat_attributes_are_stored() {
    let env = Env::with_accounts().await;
    env.history(A, B, 1).await;
    let (alice, _rx) = env.connect(A, 1);
    let chat = |attrs: &[(&str, &str)]| {
        let mut n = Node::new("chat").attr("jid", cjid(B));
        for (k, v) in attrs {
            n = n.attr(*k, *v);
        }
        set(n)
    };
    let ok = json!({"status": 200});
    assert_eq!(json_of(env.binary(&alice, "1", chat(&[("type", "archive")])).await), ok);
    assert_eq!(
        json_of(env.binary(&alice, "2", chat(&[("type", "mute"), ("mute", "1588930630")])).await),
        ok
    );
    assert_eq!(
        json_of(env.binary(&alice, "3", chat(&[("type", "pin"), ("pin", "1588844300")])).await),
        ok
    );
    let stored = env.store().chat(A, &jid(B)).await.unwrap().unwrap();
    assert_eq!((stored.archived, stored.mute_until, stored.pinned), (true, 1588930630, 1588844300));
    env.binary(&alice, "4", chat(&[("type", "mute"), ("previous", "1588930630")])).await;
    env.binary(&alice, "5", chat(&[("type", "unarchive")])).await;
    let stored = env.store().chat(A, &jid(B)).await.unwrap().unwrap();
    assert_eq!((stored.archived, stored.mute_until), (false, 0));
    assert_eq!(
        json_of(env.binary(&alice, "6", chat(&[("type", "forget")])).await),
        json!({"status": 400})
    );
    assert_eq!(
        json_of(env.binary(&alice, "7", chat(&[("type", "mute"), ("mute", "soon")])).await),
        json!({"status": 400})
    );
    let other = set(Node::new("chat").attr("type", "archive").attr("jid", cjid(C)));
    assert_eq!(json_of(env.binary(&alice, "8", other).await), json!({"status": 404}));
}

#[tokio::test]
async fn a_spam_report_marks_the_chat() {
    let env = Env::with_accounts().await;
    env.history(A, B, 1).await;
    let (alice, _rx) = env.connect(A, 1);
    assert!(!env.store().chat(A, &jid(B)).await.unwrap().unwrap().spam);
    let report = |peer: &str| set(Node::new("spam").attr("jid", cjid(peer)));
    assert_eq!(json_of(env.binary(&alice, "1", report(B)).await), json!({"status": 200}));
    assert!(env.store().chat(A, &jid(B)).await.unwrap().unwrap().spam);
    let list = node_of(env.binary(&alice, "2", query("chat", &[])).await);
    assert_eq!(list.child_nodes()[0].get_attr("spam"), Some("true"));
    // Bob's side of the chat is Bob's.
    assert!(env.store().chat(B, &jid(A)).await.unwrap().is_none_or(|c| !c.spam));
    assert_eq!(json_of(env.binary(&alice, "3", report(C)).await), json!({"status": 404}));
    let no_jid = set(Node::new("spam"));
    assert_eq!(json_of(env.binary(&alice, "4", no_jid).await), json!({"status": 400}));
}

#[tokio::test]
async fn block_and_unblock_push_the_whole_list() {
    let env = Env::with_accounts().await;
    let (alice, mut rx) = env.connect(A, 1);
    let block = |kind: &str, who: &[&str]| {
        let users = who.iter().map(|p| Node::new("user").attr("jid", cjid(p))).collect();
        set(Node::new("block").attr("type", kind).children(users))
    };
    env.binary(&alice, "1", block("add", &[C, B])).await;
    assert_eq!(
        json_pushes(&drain(&mut rx)),
        [json!(["Blocklist", {"id": 1, "blocklist": [cjid(B), cjid(C)]}])]
    );
    env.binary(&alice, "2", block("remove", &[B])).await;
    assert_eq!(
        json_pushes(&drain(&mut rx)),
        [json!(["Blocklist", {"id": 1, "blocklist": [cjid(C)]}])]
    );
    assert_eq!(env.store().blocklist(A).await.unwrap(), [cjid(C)]);
}

#[tokio::test]
async fn about_text_is_stored_and_pushed_to_accounts_that_know_me() {
    let env = Env::with_accounts().await;
    env.contact(B, A, "Alice").await;
    let (alice, _rx) = env.connect(A, 1);
    let (_bob, mut bob_rx) = env.connect(B, 2);
    let (_carol, mut carol_rx) = env.connect(C, 3);
    let status = set(Node::new("status").bytes("Climbing".as_bytes().to_vec()));
    assert_eq!(json_of(env.binary(&alice, "1", status).await), json!({"status": 200}));
    assert_eq!(env.store().status_text(A).await.unwrap(), "Climbing");
    assert_eq!(
        json_pushes(&drain(&mut bob_rx)),
        [json!(["Status", {"id": cjid(A), "status": "Climbing"}])]
    );
    assert!(drain(&mut carol_rx).is_empty());
    let (carol, _rx3) = env.connect(C, 4);
    let about = json_of(env.json(&carol, json!(["query", "Status", cjid(A)])).await);
    assert_eq!(about, json!({"status": "Climbing"}));
}

#[tokio::test]
async fn push_name_is_stored_and_echoed() {
    let env = Env::with_accounts().await;
    let (alice, _rx) = env.connect(A, 1);
    let profile = set(Node::new("profile").attr("name", "Albert"));
    assert_eq!(
        json_of(env.binary(&alice, "1", profile).await),
        json!({"status": 200, "pushname": "Albert"})
    );
    assert_eq!(env.store().account(A).await.unwrap().unwrap().pushname, "Albert");
    // The new name travels on the next relay.
    let (_bob, mut bob_rx) = env.connect(B, 2);
    env.binary(&alice, "2", relay(B, "N1", "hi")).await;
    let got = infos(&node_pushes(&drain(&mut bob_rx))[0]);
    assert_eq!(got[0].push_name.as_deref(), Some("Albert"));
}
