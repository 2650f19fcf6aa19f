//! A user who blocked someone shows them nothing of their presence, last seen and "about"
//! text, and hears none of their chat states; everyone else sees and hears as before.

mod handlers_support;

use handlers_support::*;
use serde_json::json;
use waweb_proto::binary::Node;

/// Alice blocks Bob (Carol is not blocked).
async fn alice_blocks_bob(env: &Env) -> waweb_server::context::Me {
    let (alice, _rx) = env.connect(A, 1);
    let block = set(Node::new("block")
        .attr("type", "add")
        .children(vec![Node::new("user").attr("jid", cjid(B))]));
    assert_eq!(json_of(env.binary(&alice, "b1", block).await), json!({"status": 200}));
    alice
}

fn presence(kind: &str) -> Node {
    set(Node::new("presence").attr("type", kind))
}

#[tokio::test]
async fn a_blocked_user_gets_no_presence_and_no_last_seen() {
    let env = Env::with_accounts().await;
    let alice = alice_blocks_bob(&env).await;
    env.binary(&alice, "p1", presence("available")).await;
    let (bob, mut bob_rx) = env.connect(B, 2);
    let (carol, mut carol_rx) = env.connect(C, 3);
    for (who, tag) in [(&bob, "s1"), (&carol, "s2")] {
        let sub = env.json(who, json!(["action", "presence", "subscribe", cjid(A)])).await;
        assert_eq!(json_of(sub), json!({"status": 200}), "{tag}");
    }
    // Bob is told what he would be told of someone who never said anything.
    assert_eq!(
        json_pushes(&drain(&mut bob_rx)),
        [json!(["Presence", {"id": cjid(A), "type": "unavailable"}])]
    );
    assert_eq!(json_pushes(&drain(&mut carol_rx))[0][1]["type"], "available");
    env.binary(&alice, "p2", presence("unavailable")).await;
    assert!(drain(&mut bob_rx).is_empty());
    let to_carol = json_pushes(&drain(&mut carol_rx));
    assert_eq!(to_carol[0][1]["type"], "unavailable");
    let seen = |who| env.json(who, json!(["query", "Presence", "lastseen", cjid(A)]));
    assert_eq!(json_of(seen(&bob).await), json!({"status": 404}));
    assert_eq!(json_of(seen(&carol).await), json!({"t": to_carol[0][1]["t"]}));
}

#[tokio::test]
async fn a_blocked_user_does_not_read_the_about_text() {
    let env = Env::with_accounts().await;
    env.contact(B, A, "Alice").await;
    env.contact(C, A, "Alice").await;
    let alice = alice_blocks_bob(&env).await;
    let (bob, mut bob_rx) = env.connect(B, 2);
    let (carol, mut carol_rx) = env.connect(C, 3);
    let status = set(Node::new("status").bytes("Climbing".as_bytes().to_vec()));
    assert_eq!(json_of(env.binary(&alice, "a1", status).await), json!({"status": 200}));
    assert!(drain(&mut bob_rx).is_empty());
    assert_eq!(
        json_pushes(&drain(&mut carol_rx)),
        [json!(["Status", {"id": cjid(A), "status": "Climbing"}])]
    );
    let about = |who| env.json(who, json!(["query", "Status", cjid(A)]));
    assert_eq!(json_of(about(&bob).await), json!({"status": ""}));
    assert_eq!(json_of(about(&carol).await), json!({"status": "Climbing"}));
}

#[tokio::test]
async fn the_blocker_hears_no_chat_state_from_the_blocked_user() {
    let env = Env::with_accounts().await;
    alice_blocks_bob(&env).await;
    let (_alice, mut alice_rx) = env.connect(A, 4);
    let (bob, _bob_rx) = env.connect(B, 2);
    let (carol, _carol_rx) = env.connect(C, 3);
    for (who, tag) in [(&bob, "c1"), (&carol, "c2")] {
        let typing = set(Node::new("presence").attr("type", "composing").attr("to", cjid(A)));
        // The blocked sender is answered as usual: it learns nothing of the block.
        assert_eq!(json_of(env.binary(who, tag, typing).await), json!({"status": 200}));
    }
    assert_eq!(
        json_pushes(&drain(&mut alice_rx)),
        [json!(["Presence", {"id": cjid(C), "type": "composing"}])]
    );
}

#[tokio::test]
async fn subscriptions_take_user_jids_of_sensible_length_up_to_a_limit() {
    let env = Env::with_accounts().await;
    let (alice, _rx) = env.connect(A, 1);
    let sub = |jid: String| env.json(&alice, json!(["action", "presence", "subscribe", jid]));
    let huge = format!("1{}@c.us", "9".repeat(1_000_000));
    assert_eq!(json_of(sub(huge).await), json!({"status": 400}));
    assert_eq!(json_of(sub(format!("{}@c.us", "9".repeat(21))).await), json!({"status": 400}));
    for n in 0..waweb_server::hub::MAX_SUBSCRIPTIONS {
        assert_eq!(json_of(sub(format!("{n}@c.us")).await), json!({"status": 200}));
    }
    assert_eq!(json_of(sub("99999@c.us".into()).await), json!({"status": 429}));
    assert_eq!(env.shared.hub.subscription_count(), waweb_server::hub::MAX_SUBSCRIPTIONS);
    // Closing the connection drops them.
    env.shared.hub.unregister(A, 1);
    assert_eq!(env.shared.hub.subscription_count(), 0);
}
