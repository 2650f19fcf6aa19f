//! Binary and JSON queries answered by value: chat and contact lists (once, then `duplicate`),
//! empty and unimplemented types, unknown requests, and the JSON queries.

mod handlers_support;

use handlers_support::*;
use serde_json::json;
use waweb_proto::binary::Node;
use waweb_server::handler::Reply;
use waweb_server::store::{
    AccountStore, ChatStore, ChatUpdate, MessageKey, MessageStore, WebMessageInfoStatus,
};

#[tokio::test]
async fn contacts_are_listed_once_then_duplicate_unless_retry() {
    let env = Env::with_accounts().await;
    env.contact(A, B, "Bob").await;
    env.contact(A, C, "Carol").await;
    let (me, _rx) = env.connect(A, 1);
    let first = node_of(env.binary(&me, "1", query("contacts", &[])).await);
    let expected = Node::new("response").attr("type", "contacts").children(vec![
        Node::new("user").attr("jid", cjid(B)).attr("notify", "Bob").attr("name", "Bob Full"),
        Node::new("user").attr("jid", cjid(C)).attr("notify", "Carol").attr("name", "Carol Full"),
    ]);
    assert_eq!(first, expected);
    let again = node_of(env.binary(&me, "2", query("contacts", &[])).await);
    assert_eq!(again, Node::new("response").attr("type", "contacts").attr("duplicate", "true"));
    let retry = node_of(env.binary(&me, "3", query("contacts", &[("kind", "retry")])).await);
    assert_eq!(retry, expected);
    // Another connection of the same account gets its own full list.
    let (other, _rx2) = env.connect(A, 2);
    assert_eq!(node_of(env.binary(&other, "1", query("contacts", &[])).await), expected);
}

#[tokio::test]
async fn chat_list_carries_times_unread_counts_and_flags() {
    let env = Env::with_accounts().await;
    env.history(A, B, 3).await;
    env.history(A, C, 1).await;
    env.store().update_chat(A, &jid(C), ChatUpdate::Archive(true)).await.unwrap();
    env.store().update_chat(A, &jid(B), ChatUpdate::MarkUnread).await.unwrap();
    env.store().update_chat(A, &jid(B), ChatUpdate::Mute(5_000)).await.unwrap();
    let (me, _rx) = env.connect(A, 1);
    let list = node_of(env.binary(&me, "1", query("chat", &[])).await);
    let expected = Node::new("response").attr("type", "chat").children(vec![
        Node::new("chat")
            .attr("jid", cjid(B))
            .attr("count", "-1")
            .attr("t", "102")
            .attr("mute", "5000")
            .attr("modify_tag", "2")
            .attr("spam", "false"),
        Node::new("chat")
            .attr("jid", cjid(C))
            .attr("count", "0")
            .attr("t", "100")
            .attr("modify_tag", "1")
            .attr("spam", "false")
            .attr("archive", "true"),
    ]);
    assert_eq!(list, expected);
    let dup = node_of(env.binary(&me, "2", query("chat", &[])).await);
    assert_eq!(dup.get_attr("duplicate"), Some("true"));
}

#[tokio::test]
async fn empty_lists_have_an_empty_child_list() {
    let env = Env::with_accounts().await;
    let (me, _rx) = env.connect(C, 1);
    let list = node_of(env.binary(&me, "1", query("chat", &[])).await);
    assert_eq!(list, Node::new("response").attr("type", "chat").children(vec![]));
    assert_eq!(waweb_proto::binary::encode(&list), [0xf8, 0x04, 0x4d, 0x5b, 0x13, 0x00]);
}

#[tokio::test]
async fn status_emoji_and_business_queries_get_empty_responses() {
    let env = Env::with_accounts().await;
    let (me, _rx) = env.connect(A, 1);
    for kind in ["status", "emoji", "quick_reply", "label"] {
        let answer = node_of(env.binary(&me, "1", query(kind, &[])).await);
        assert_eq!(answer, Node::new("response").attr("type", kind));
    }
    let search = node_of(env.binary(&me, "1", query("search", &[("search", "x")])).await);
    assert_eq!(search, Node::new("response").attr("type", "search").attr("last", "true"));
}

#[tokio::test]
async fn unknown_and_unimplemented_requests_get_error_statuses() {
    let env = Env::with_accounts().await;
    let (me, _rx) = env.connect(A, 1);
    let status = |code: u16| Reply::Json(json!({ "status": code }));
    assert_eq!(env.binary(&me, "1", query("nonsense", &[])).await, status(400));
    assert_eq!(env.binary(&me, "1", query("preview", &[])).await, status(501));
    assert_eq!(env.binary(&me, "1", Node::new("weird")).await, status(400));
    let unknown = set(Node::new("teleport").attr("to", cjid(B)));
    assert_eq!(env.binary(&me, "1", unknown).await, status(400));
    let contacts = set(Node::new("contacts").attr("type", "add"));
    assert_eq!(env.binary(&me, "1", contacts).await, status(501));
    let empty = Node::new("action").attr("type", "set").attr("epoch", "1");
    assert_eq!(env.binary(&me, "1", empty).await, status(400));
    let odd = Node::new("action").attr("type", "frobnicate").children(vec![Node::new("x")]);
    assert_eq!(env.binary(&me, "1", odd).await, status(400));
    assert_eq!(env.json(&me, json!(["query", "somethingElse", "x"])).await, status(400));
    assert_eq!(env.json(&me, json!(["action", "invite", "NO-SUCH-CODE"])).await, status(404));
}

#[tokio::test]
async fn media_conn_hands_out_the_accounts_upload_token() {
    let env = Env::with_accounts().await;
    let (me, _rx) = env.connect(A, 1);
    let answer = json_of(env.json(&me, json!(["query", "mediaConn"])).await);
    let auth = answer["media_conn"]["auth"].as_str().unwrap().to_owned();
    let now = waweb_server::context::now_ms();
    assert_eq!(env.shared.media.tokens.check(&auth, now).as_deref(), Some(A));
    let expected = json!({"status": 200, "media_conn": {
        "auth": auth, "ttl": 3600, "auth_ttl": 3600, "hosts": [{"hostname": "", "ips": []}],
    }});
    assert_eq!(answer, expected);
    // Asked again soon after: the same token. Another account: its own.
    assert_eq!(
        json_of(env.json(&me, json!(["query", "mediaConn"])).await)["media_conn"]["auth"],
        auth
    );
    let (bob, _rx) = env.connect(B, 2);
    let other = json_of(env.json(&bob, json!(["query", "mediaConn"])).await);
    assert_ne!(other["media_conn"]["auth"], auth);
}

#[tokio::test]
async fn json_exist_status_and_picture() {
    let env = Env::with_accounts().await;
    env.store().set_status_text(B, "At the gym").await.unwrap();
    let (me, _rx) = env.connect(A, 1);
    let exist = json_of(env.json(&me, json!(["query", "exist", jid(B)])).await);
    assert_eq!(exist, json!({"status": 200, "jid": cjid(B), "biz": false}));
    let missing = json_of(env.json(&me, json!(["query", "exist", "4900000@c.us"])).await);
    assert_eq!(missing, json!({"status": 404}));
    let about = json_of(env.json(&me, json!(["query", "Status", cjid(B)])).await);
    assert_eq!(about, json!({"status": "At the gym"}));
    let nobody = json_of(env.json(&me, json!(["query", "Status", "4900000@c.us"])).await);
    assert_eq!(nobody, json!({"status": 404}));
    let pic = json_of(env.json(&me, json!(["query", "ProfilePicThumb", cjid(B)])).await);
    assert_eq!(pic, json!({"status": 404}));
    let group = json_of(env.json(&me, json!(["query", "GroupMetadata", "1-2@g.us"])).await);
    assert_eq!(group, json!({"status": 404}));
}

#[tokio::test]
async fn message_info_says_when_the_peer_got_read_and_played_my_message() {
    let env = Env::with_accounts().await;
    env.history(A, B, 2).await; // M00 Alice's (stored delivered at t=100), M01 Bob's
    let (alice, _rx) = env.connect(A, 1);
    let info = |id: &str| query("message_info", &[("jid", &cjid(B)), ("index", id)]);
    let user = |t: &str| Node::new("user").attr("jid", cjid(B)).attr("t", t);
    let list = |name: &str, t: &str| Node::new(name).children(vec![user(t)]);
    let response = Node::new("response").attr("type", "message_info");

    let got = node_of(env.binary(&alice, "1", info("M00")).await);
    assert_eq!(got, response.clone().children(vec![list("delivery", "100")]));
    let key = MessageKey { chat_jid: jid(B), id: "M00".into(), from_me: true };
    env.store().set_message_status(A, key.clone(), WebMessageInfoStatus::Read, 500).await.unwrap();
    env.store().set_message_status(A, key, WebMessageInfoStatus::Played, 600).await.unwrap();
    let got = node_of(env.binary(&alice, "2", info("M00")).await);
    let all = vec![list("read", "500"), list("delivery", "100"), list("played", "600")];
    assert_eq!(got, response.children(all));

    // Bob's message, an unknown one, a missing index.
    let status = |code: u16| Reply::Json(json!({ "status": code }));
    assert_eq!(env.binary(&alice, "3", info("M01")).await, status(404));
    assert_eq!(env.binary(&alice, "4", info("M99")).await, status(404));
    let no_index = query("message_info", &[("jid", &cjid(B))]);
    assert_eq!(env.binary(&alice, "5", no_index).await, status(400));
}
