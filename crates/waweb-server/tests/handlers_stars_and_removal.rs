//! The `chat` actions on messages: star and unstar (and the `star` query), "delete for me" of
//! some messages or of a whole chat, and the push of each to the account's other connections.

mod handlers_support;

use handlers_support::*;
use waweb_proto::binary::Node;
use waweb_proto::message;
use waweb_server::store::{ChatStore, MessageStore};

/// `["chat",{"jid":peer,"type":kind,attrs…},[["item",{"index","owner"}]…]]` in an action.
fn chat_action(peer: &str, kind: &str, attrs: &[(&str, &str)], items: &[(&str, bool)]) -> Node {
    let mut node = Node::new("chat").attr("jid", cjid(peer)).attr("type", kind);
    for (k, v) in attrs {
        node = node.attr(*k, *v);
    }
    if !items.is_empty() {
        let items = items
            .iter()
            .map(|(id, mine)| Node::new("item").attr("index", *id).attr("owner", mine.to_string()))
            .collect();
        node = node.children(items);
    }
    set(node)
}

/// The ids a query answers with, and which of them are starred.
async fn answer(env: &Env, me: &waweb_server::context::Me, q: Node) -> Vec<(String, bool)> {
    let node = node_of(env.binary(me, "q", q).await);
    infos(&node)
        .into_iter()
        .map(|i| (i.key.unwrap().id.unwrap(), i.starred == Some(true)))
        .collect()
}

fn page(ids: &[(&str, bool)]) -> Vec<(String, bool)> {
    ids.iter().map(|(id, s)| (id.to_string(), *s)).collect()
}

#[tokio::test]
async fn starred_messages_are_served_starred_and_listed() {
    let env = Env::with_accounts().await;
    env.history(A, B, 4).await; // M00 mine, M01 theirs, M02 mine, M03 theirs
    let (alice, _rx) = env.connect(A, 1);
    let star = chat_action(B, "star", &[], &[("M01", false), ("M02", true)]);
    assert_eq!(json_of(env.binary(&alice, "1", star).await), status(200));

    let history = query("message", &[("jid", &cjid(B)), ("count", "10"), ("kind", "before")]);
    let expected = page(&[("M00", false), ("M01", true), ("M02", true), ("M03", false)]);
    assert_eq!(answer(&env, &alice, history).await, expected);
    let starred = answer(&env, &alice, query("star", &[("count", "10")])).await;
    assert_eq!(starred, page(&[("M01", true), ("M02", true)]));
    let of_c = answer(&env, &alice, query("star", &[("jid", &cjid(C))])).await;
    assert!(of_c.is_empty());

    let unstar = chat_action(B, "unstar", &[], &[("M01", false)]);
    assert_eq!(json_of(env.binary(&alice, "2", unstar).await), status(200));
    let starred = answer(&env, &alice, query("star", &[("jid", &cjid(B))])).await;
    assert_eq!(starred, page(&[("M02", true)]));
}

#[tokio::test]
async fn bad_star_requests_say_why() {
    let env = Env::with_accounts().await;
    env.history(A, B, 2).await;
    let (alice, _rx) = env.connect(A, 1);
    // A message both have a copy of, which Alice stars.
    assert_eq!(json_of(env.binary(&alice, "R1", relay(B, "R1", "hi")).await)["status"], 200);
    let star = chat_action(B, "star", &[], &[("R1", true)]);
    assert_eq!(json_of(env.binary(&alice, "0", star).await), status(200));
    // No such message (M01 is not Alice's own): 404. No item, or an item without index: 400.
    let unknown = chat_action(B, "star", &[], &[("M01", true)]);
    assert_eq!(json_of(env.binary(&alice, "1", unknown).await), status(404));
    assert_eq!(
        json_of(env.binary(&alice, "2", chat_action(B, "star", &[], &[])).await),
        status(400)
    );
    let bad_item = set(Node::new("chat")
        .attr("jid", cjid(B))
        .attr("type", "star")
        .children(vec![Node::new("item").attr("owner", "true")]));
    assert_eq!(json_of(env.binary(&alice, "3", bad_item).await), status(400));
    // More than 500 items in one action: refused as a whole, R1 among them stays.
    let ids: Vec<String> =
        std::iter::once("R1".to_owned()).chain((1..501).map(|i| format!("X{i}"))).collect();
    let many: Vec<(&str, bool)> = ids.iter().map(|id| (id.as_str(), true)).collect();
    let too_many = chat_action(B, "clear", &[], &many);
    assert_eq!(json_of(env.binary(&alice, "4", too_many).await), status(413));
    let alices = || answer(&env, &alice, query("message", &[("jid", &cjid(B)), ("count", "10")]));
    assert!(alices().await.contains(&("R1".to_owned(), true)), "nothing of a refused clear");
    let just_enough = chat_action(B, "clear", &[], &many[..500]);
    assert_eq!(json_of(env.binary(&alice, "5", just_enough).await), status(200));
    assert!(alices().await.iter().all(|(id, _)| id != "R1"), "Alice's R1 is gone");
    // Bob's copy of the same chat is untouched by any of it.
    let bobs = env.store().recent_messages(B, &jid(A), 10).await.unwrap();
    let bobs: Vec<_> = bobs.iter().map(|m| (m.id.as_str(), m.starred)).collect();
    assert_eq!(bobs, [("R1", false)]);
}

#[tokio::test]
async fn clearing_messages_removes_them_and_tells_my_other_connections() {
    let env = Env::with_accounts().await;
    env.history(A, B, 5).await;
    let (alice, mut here) = env.connect(A, 1);
    let (_alice_elsewhere, mut there) = env.connect(A, 2);
    let clear = chat_action(B, "clear", &[("modify_tag", "77")], &[("M01", false), ("M04", true)]);
    assert_eq!(json_of(env.binary(&alice, "1", clear.clone()).await), status(200));
    let history = query("message", &[("jid", &cjid(B)), ("count", "10")]);
    let left = page(&[("M00", false), ("M02", false), ("M03", false)]);
    assert_eq!(answer(&env, &alice, history).await, left);
    // The other connection gets the phone's form of the same change; this one nothing.
    assert_eq!(
        node_pushes(&drain(&mut there)),
        [Node::new("action").children(clear.child_nodes().to_vec())]
    );
    assert!(drain(&mut here).is_empty());
    // Asking again is not an error.
    assert_eq!(json_of(env.binary(&alice, "2", clear).await), status(200));
}

#[tokio::test]
async fn clearing_a_chat_stops_at_the_index_and_spares_stars_unless_told() {
    let env = Env::with_accounts().await;
    env.history(A, B, 6).await;
    let (alice, _rx) = env.connect(A, 1);
    let star = chat_action(B, "star", &[], &[("M01", false)]);
    env.binary(&alice, "1", star).await;
    // The client's last message was M03: M05 and M04 came later and stay, as does the star.
    let attrs = [("index", "M03"), ("owner", "false"), ("star", "false")];
    assert_eq!(
        json_of(env.binary(&alice, "2", chat_action(B, "clear", &attrs, &[])).await),
        status(200)
    );
    let history = query("message", &[("jid", &cjid(B)), ("count", "10")]);
    let left = page(&[("M01", true), ("M04", false), ("M05", false)]);
    assert_eq!(answer(&env, &alice, history.clone()).await, left);
    // Everything, stars included.
    let all = chat_action(B, "clear", &[("star", "true")], &[]);
    assert_eq!(json_of(env.binary(&alice, "3", all).await), status(200));
    assert!(answer(&env, &alice, history).await.is_empty());
    assert!(env.store().chat(A, &jid(B)).await.unwrap().is_some());
    // A cursor this chat does not have, or a chat Alice does not have: 404.
    let stale = chat_action(B, "clear", &[("index", "M99"), ("owner", "true")], &[]);
    assert_eq!(json_of(env.binary(&alice, "4", stale).await), status(404));
    assert_eq!(
        json_of(env.binary(&alice, "5", chat_action(C, "clear", &[], &[])).await),
        status(404)
    );
}

#[tokio::test]
async fn deleting_a_chat_takes_it_out_of_the_chat_list() {
    let env = Env::with_accounts().await;
    env.history(A, B, 3).await;
    env.history(A, C, 1).await;
    let (alice, _rx) = env.connect(A, 1);
    let attrs = [("index", "M02"), ("owner", "true")];
    assert_eq!(
        json_of(env.binary(&alice, "1", chat_action(B, "delete", &attrs, &[])).await),
        status(200)
    );
    let list = node_of(env.binary(&alice, "2", query("chat", &[])).await);
    let jids: Vec<_> = list.child_nodes().iter().filter_map(|c| c.get_attr("jid")).collect();
    assert_eq!(jids, [cjid(C)]);
    let history = query("message", &[("jid", &cjid(B)), ("count", "10")]);
    assert!(answer(&env, &alice, history).await.is_empty());
    assert_eq!(
        json_of(env.binary(&alice, "3", chat_action(B, "delete", &[], &[])).await),
        status(404)
    );
}

#[tokio::test]
async fn an_id_whose_message_i_cleared_cannot_be_relayed_again_with_other_text() {
    let env = Env::with_accounts().await;
    let (alice, _rx) = env.connect(A, 1);
    let (_bob, mut bob_rx) = env.connect(B, 2);
    assert_eq!(json_of(env.binary(&alice, "1", relay(B, "3EB0X", "first")).await)["status"], 200);
    drain(&mut bob_rx);
    // "Delete for me" of the one message, then of the whole chat: both spend the id.
    let one = chat_action(B, "clear", &[], &[("3EB0X", true)]);
    assert_eq!(json_of(env.binary(&alice, "2", one).await), status(200));
    assert_eq!(json_of(env.binary(&alice, "3", relay(B, "3EB0X", "second")).await), status(409));
    assert_eq!(json_of(env.binary(&alice, "4", relay(B, "3EB0Y", "first")).await)["status"], 200);
    let all = chat_action(B, "clear", &[("star", "true")], &[]);
    assert_eq!(json_of(env.binary(&alice, "5", all).await), status(200));
    assert_eq!(json_of(env.binary(&alice, "6", relay(B, "3EB0Y", "other")).await), status(409));

    // Bob's live client got nothing under the old ids after the first two relays, and his
    // stored copies keep the first texts.
    let texts: Vec<_> = node_pushes(&drain(&mut bob_rx))
        .iter()
        .flat_map(infos)
        .filter_map(|i| i.text().map(str::to_owned))
        .collect();
    assert_eq!(texts, ["first"], "only 3EB0Y's first text");
    for id in ["3EB0X", "3EB0Y"] {
        let key =
            waweb_server::store::MessageKey { chat_jid: jid(A), id: id.into(), from_me: false };
        let kept = env.store().find_message(B, key).await.unwrap().unwrap();
        assert_eq!(message::decode(&kept.info).unwrap().text(), Some("first"), "{id}");
    }
    // The id stays free in another chat, and for Bob.
    let (bob, _rx) = env.connect(B, 3);
    assert_eq!(json_of(env.binary(&alice, "7", relay(C, "3EB0X", "hi")).await)["status"], 200);
    assert_eq!(json_of(env.binary(&bob, "8", relay(A, "3EB0X", "hi")).await)["status"], 200);
}
