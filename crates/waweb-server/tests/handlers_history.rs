//! History pages: latest page, paging back to the start, paging forward, unknown chats and
//! references, the count cap, served statuses, and isolation between accounts.

mod handlers_support;

use handlers_support::*;
use waweb_proto::binary::Node;
use waweb_server::store::{MessageKey, MessageStore, WebMessageInfoStatus};

fn page_ids(range: std::ops::Range<usize>) -> Vec<String> {
    range.map(|i| format!("M{i:02}")).collect()
}

#[tokio::test]
async fn pages_back_to_the_start_oldest_first() {
    let env = Env::with_accounts().await;
    env.history(A, B, 25).await;
    let (me, _rx) = env.connect(A, 1);
    let latest = query("message", &[("kind", "before"), ("jid", &cjid(B)), ("count", "10")]);
    let page = node_of(env.binary(&me, "1", latest).await);
    assert_eq!((page.description.as_str(), page.get_attr("type")), ("response", Some("message")));
    assert_eq!(ids(&page), page_ids(15..25));

    // As a client pages: the oldest message of each answer is the next reference.
    let chat = cjid(B);
    let mut seen = infos(&page);
    let mut sizes = Vec::new();
    loop {
        let oldest = seen[0].key.clone().unwrap();
        let owner = if oldest.from_me == Some(true) { "true" } else { "false" };
        let id = oldest.id.unwrap();
        let attrs = [
            ("kind", "before"),
            ("jid", chat.as_str()),
            ("count", "10"),
            ("index", id.as_str()),
            ("owner", owner),
        ];
        let older = infos(&node_of(env.binary(&me, "p", query("message", &attrs)).await));
        sizes.push(older.len());
        if older.is_empty() {
            break;
        }
        seen.splice(0..0, older);
    }
    assert_eq!(sizes, [10, 5, 0]);
    let all: Vec<String> = seen.iter().map(|i| i.key.clone().unwrap().id.unwrap()).collect();
    assert_eq!(all, page_ids(0..25));
}

#[tokio::test]
async fn the_start_is_an_empty_answer_and_after_pages_forward() {
    let env = Env::with_accounts().await;
    env.history(A, B, 5).await;
    let (me, _rx) = env.connect(A, 1);
    let before_first = query(
        "message",
        &[
            ("kind", "before"),
            ("jid", &jid(B)),
            ("count", "10"),
            ("index", "M00"),
            ("owner", "true"),
        ],
    );
    let answer = node_of(env.binary(&me, "1", before_first).await);
    assert_eq!(answer, Node::new("response").attr("type", "message"));
    let after = query(
        "message",
        &[
            ("kind", "after"),
            ("jid", &cjid(B)),
            ("count", "2"),
            ("index", "M01"),
            ("owner", "false"),
        ],
    );
    assert_eq!(ids(&node_of(env.binary(&me, "2", after).await)), page_ids(2..4));
    // A wrong owner flag names another message, which does not exist: empty.
    let wrong_owner = query(
        "message",
        &[
            ("kind", "after"),
            ("jid", &cjid(B)),
            ("count", "2"),
            ("index", "M01"),
            ("owner", "true"),
        ],
    );
    let empty = node_of(env.binary(&me, "3", wrong_owner).await);
    assert!(empty.child_nodes().is_empty());
}

#[tokio::test]
async fn unknown_chat_is_empty_and_count_is_capped() {
    let env = Env::with_accounts().await;
    env.history(A, B, 120).await;
    let (me, _rx) = env.connect(A, 1);
    let unknown = query("message", &[("kind", "before"), ("jid", "4999@c.us"), ("count", "5")]);
    assert_eq!(
        node_of(env.binary(&me, "1", unknown).await),
        Node::new("response").attr("type", "message")
    );
    let huge = query("message", &[("kind", "before"), ("jid", &cjid(B)), ("count", "100000")]);
    assert_eq!(ids(&node_of(env.binary(&me, "2", huge).await)), page_ids(20..120));
    let no_jid = query("message", &[("kind", "before"), ("count", "5")]);
    assert_eq!(json_of(env.binary(&me, "3", no_jid).await), serde_json::json!({"status": 400}));
}

#[tokio::test]
async fn own_messages_carry_the_stored_status_and_received_ones_none() {
    let env = Env::with_accounts().await;
    env.history(A, B, 2).await;
    let key = MessageKey { chat_jid: jid(B), id: "M00".into(), from_me: true };
    env.store().set_message_status(A, key, WebMessageInfoStatus::Read, 500).await.unwrap();
    let (me, _rx) = env.connect(A, 1);
    let q = query("message", &[("kind", "before"), ("jid", &cjid(B)), ("count", "5")]);
    let got = infos(&node_of(env.binary(&me, "1", q).await));
    assert_eq!(got.len(), 2);
    assert_eq!(got[0].status, Some(WebMessageInfoStatus::Read as i32));
    assert_eq!(got[0].text(), Some("text 0"));
    assert_eq!(got[1].status, None);
    assert_eq!(got[1].key.as_ref().unwrap().from_me, Some(false));
}

#[tokio::test]
async fn an_account_cannot_read_another_accounts_chats() {
    let env = Env::with_accounts().await;
    env.history(B, C, 6).await;
    let (alice, _rx) = env.connect(A, 1);
    let q = query("message", &[("kind", "before"), ("jid", &cjid(C)), ("count", "50")]);
    assert!(node_of(env.binary(&alice, "1", q.clone()).await).child_nodes().is_empty());
    let q_bob = query("message", &[("kind", "before"), ("jid", &cjid(B)), ("count", "50")]);
    assert!(node_of(env.binary(&alice, "2", q_bob).await).child_nodes().is_empty());
    let chats = node_of(env.binary(&alice, "3", query("chat", &[])).await);
    assert!(chats.child_nodes().is_empty());
    // Bob sees his own.
    let (bob, _rx2) = env.connect(B, 2);
    assert_eq!(ids(&node_of(env.binary(&bob, "1", q).await)).len(), 6);
}
