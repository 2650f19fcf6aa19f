//! Account and chat settings: archive, mute, pin; block list with its push; "about" text with
//! its push to accounts that know this one; push name.

mod handlers_support;

use handlers_support::*;
use serde_json::json;
use waweb_proto::binary::Node;
use waweb_server::store::{AccountStore, ChatStore};

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
    env.history(B, A, 1).await;
    let (alice, _rx) = env.connect(A, 1);
    assert!(!env.store().chat(A, &jid(B)).await.unwrap().unwrap().spam);
    let report = |peer: &str| set(Node::new("spam").attr("jid", cjid(peer)));
    assert_eq!(json_of(env.binary(&alice, "1", report(B)).await), json!({"status": 200}));
    assert!(env.store().chat(A, &jid(B)).await.unwrap().unwrap().spam);
    let list = node_of(env.binary(&alice, "2", query("chat", &[])).await);
    assert_eq!(list.child_nodes()[0].get_attr("spam"), Some("true"));
    // Bob's side of the chat is Bob's.
    let bobs = env.store().chat(B, &jid(A)).await.unwrap().expect("Bob's chat with Alice");
    assert!(!bobs.spam, "Alice's report marked Bob's chat");
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

/// `["picture",{"id","jid","type"},children]`.
fn picture_action(jid: &str, kind: &str, children: Vec<Node>) -> Node {
    let node = Node::new("picture").attr("id", "pic-1").attr("jid", jid).attr("type", kind);
    set(if children.is_empty() { node } else { node.children(children) })
}

fn jpeg(marker: u8) -> Vec<u8> {
    vec![0xff, 0xd8, 0xff, 0xe0, marker]
}

#[tokio::test]
async fn a_profile_picture_is_stored_served_and_announced_to_who_knows_me() {
    let env = Env::with_accounts().await;
    env.contact(B, A, "Alice").await;
    let (alice, _rx) = env.connect(A, 1);
    let (bob, mut bob_rx) = env.connect(B, 2);
    let (_carol, mut carol_rx) = env.connect(C, 3);
    let images = vec![Node::new("image").bytes(jpeg(1)), Node::new("preview").bytes(jpeg(2))];
    let answer =
        json_of(env.binary(&alice, "pic-1", picture_action(&cjid(A), "set", images)).await);
    let tag = answer["tag"].as_str().unwrap().to_owned();
    assert_eq!(answer["status"], 200);
    let stored = env.store().picture(A).await.unwrap().unwrap();
    assert_eq!(answer["eurl"], format!("/pp/{A}/{tag}-{}", stored.secret));
    let secret = stored.secret.clone();
    assert!(secret.len() == 32 && secret.bytes().all(|b| b.is_ascii_hexdigit()), "{secret}");
    assert_eq!(
        (stored.tag.as_str(), stored.image, stored.preview),
        (tag.as_str(), jpeg(1), jpeg(2))
    );

    // Bob has Alice as a contact: told. Carol is not.
    let told = json!(["Cmd", {"type": "picture", "jid": cjid(A), "tag": tag}]);
    assert_eq!(json_pushes(&drain(&mut bob_rx)), [told]);
    // Set again at once: a new tag, even within the same millisecond (the URL is immutable).
    let again = vec![Node::new("image").bytes(jpeg(3)), Node::new("preview").bytes(jpeg(4))];
    let answer = json_of(env.binary(&alice, "pic-3", picture_action(&cjid(A), "set", again)).await);
    let newer = answer["tag"].as_str().unwrap().to_owned();
    assert!(newer.parse::<u64>().unwrap() > tag.parse::<u64>().unwrap(), "{newer} after {tag}");
    let told = json!(["Cmd", {"type": "picture", "jid": cjid(A), "tag": newer}]);
    assert_eq!(json_pushes(&drain(&mut bob_rx)), [told]);
    let tag = newer;
    assert!(drain(&mut carol_rx).is_empty());
    // Each upload draws a new secret.
    let newer_secret = env.store().picture(A).await.unwrap().unwrap().secret;
    assert_ne!(newer_secret, secret);
    let asked = json_of(env.json(&bob, json!(["query", "ProfilePicThumb", cjid(A)])).await);
    assert_eq!(asked, json!({"eurl": format!("/pp/{A}/{tag}-{newer_secret}"), "tag": tag}));

    // Removed: announced as such, and then there is none.
    let removed = picture_action(&cjid(A), "delete", vec![]);
    assert_eq!(json_of(env.binary(&alice, "pic-2", removed).await), json!({"status": 200}));
    let told = json!(["Cmd", {"type": "picture", "jid": cjid(A), "tag": "removed"}]);
    assert_eq!(json_pushes(&drain(&mut bob_rx)), [told]);
    let asked = json_of(env.json(&bob, json!(["query", "ProfilePicThumb", cjid(A)])).await);
    assert_eq!(asked, json!({"status": 404}));
}

#[tokio::test]
async fn bad_picture_requests_and_blocked_askers() {
    let env = Env::with_accounts().await;
    let (alice, _rx) = env.connect(A, 1);
    let (bob, mut bob_rx) = env.connect(B, 2);
    let good = || vec![Node::new("image").bytes(jpeg(1)), Node::new("preview").bytes(jpeg(2))];
    // Another user's picture, a non-JPEG, a missing preview, no type.
    let not_mine = picture_action(&cjid(B), "set", good());
    assert_eq!(json_of(env.binary(&alice, "p1", not_mine).await), json!({"status": 401}));
    let png = vec![Node::new("image").bytes(b"\x89PNG".to_vec()), good().remove(1)];
    let png = picture_action(&cjid(A), "set", png);
    assert_eq!(json_of(env.binary(&alice, "p2", png).await), json!({"status": 400}));
    let no_preview = picture_action(&cjid(A), "set", vec![good().remove(0)]);
    assert_eq!(json_of(env.binary(&alice, "p3", no_preview).await), json!({"status": 400}));
    let no_type = set(Node::new("picture").attr("jid", cjid(A)).children(good()));
    assert_eq!(json_of(env.binary(&alice, "p4", no_type).await), json!({"status": 400}));
    assert_eq!(env.store().picture(A).await.unwrap(), None);

    // Alice blocks Bob: Bob no longer sees her picture, and gets the very answer of "no
    // picture" (so he cannot tell when she sets one); Carol sees it, and so does Alice. Both
    // have her as a contact; only Carol is told of the new picture.
    env.contact(B, A, "Alice").await;
    env.contact(C, A, "Alice").await;
    let block = set(Node::new("block")
        .attr("type", "add")
        .children(vec![Node::new("user").attr("jid", cjid(B))]));
    env.binary(&alice, "p6", block).await;
    let ask = json!(["query", "ProfilePicThumb", cjid(A)]);
    let without_picture = json_of(env.json(&bob, ask.clone()).await);
    assert_eq!(without_picture, json!({"status": 404}));
    let (carol, mut carol_rx) = env.connect(C, 3);
    drain(&mut bob_rx);
    let set_again =
        json_of(env.binary(&alice, "p5", picture_action(&cjid(A), "set", good())).await);
    let told = json!(["Cmd", {"type": "picture", "jid": cjid(A), "tag": set_again["tag"]}]);
    assert_eq!(json_pushes(&drain(&mut carol_rx)), [told]);
    assert!(drain(&mut bob_rx).is_empty(), "the blocked contact is not told");
    assert_eq!(json_of(env.json(&bob, ask.clone()).await), without_picture);
    assert!(json_of(env.json(&carol, ask.clone()).await)["eurl"].is_string());
    assert!(json_of(env.json(&alice, ask).await)["eurl"].is_string());
}

#[tokio::test]
async fn about_text_and_push_name_longer_than_whatsapp_allows_are_refused_with_406() {
    let env = Env::with_accounts().await;
    let (alice, _rx) = env.connect(A, 1);
    let about = |text: String| set(Node::new("status").bytes(text.into_bytes()));
    // Characters, not bytes: 139 two-byte letters are fine.
    let longest = "é".repeat(139);
    assert_eq!(
        json_of(env.binary(&alice, "1", about(longest.clone())).await),
        json!({"status": 200})
    );
    for (tag, text) in [("2", "é".repeat(140)), ("3", "x".repeat(600_000))] {
        assert_eq!(json_of(env.binary(&alice, tag, about(text)).await), json!({"status": 406}));
    }
    assert_eq!(env.store().status_text(A).await.unwrap(), longest);

    let name = |n: String| set(Node::new("profile").attr("name", n));
    let longest = "ü".repeat(25);
    assert_eq!(
        json_of(env.binary(&alice, "4", name(longest.clone())).await),
        json!({"status": 200, "pushname": longest})
    );
    for (tag, n) in [("5", "ü".repeat(26)), ("6", "x".repeat(300_000))] {
        assert_eq!(json_of(env.binary(&alice, tag, name(n)).await), json!({"status": 406}));
    }
    assert_eq!(env.store().account(A).await.unwrap().unwrap().pushname, longest);
}
