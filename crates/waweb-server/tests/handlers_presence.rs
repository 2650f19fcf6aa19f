//! Presence: subscription (answer, then the current state), available/unavailable pushed to
//! subscribers only, chat states pushed to the chat partner, and the last-seen query.

mod handlers_support;

use handlers_support::*;
use serde_json::json;
use waweb_proto::binary::Node;

fn presence(kind: &str) -> Node {
    set(Node::new("presence").attr("type", kind))
}

#[tokio::test]
async fn subscribers_get_presence_changes_and_others_do_not() {
    let env = Env::with_accounts().await;
    let (alice, mut alice_rx) = env.connect(A, 1);
    let (bob, mut bob_rx) = env.connect(B, 2);
    let (_carol, mut carol_rx) = env.connect(C, 3);

    let sub = env.json(&alice, json!(["action", "presence", "subscribe", cjid(B)])).await;
    assert_eq!(json_of(sub), json!({"status": 200}));
    // Bob never said anything yet.
    assert_eq!(
        json_pushes(&drain(&mut alice_rx)),
        [json!(["Presence", {"id": cjid(B), "type": "unavailable"}])]
    );

    assert_eq!(json_of(env.binary(&bob, "1", presence("available")).await), json!({"status": 200}));
    let got = json_pushes(&drain(&mut alice_rx));
    let t = got[0][1]["t"].as_u64().unwrap();
    assert_eq!(got, [json!(["Presence", {"id": cjid(B), "type": "available", "t": t}])]);
    assert!(drain(&mut carol_rx).is_empty());
    assert!(drain(&mut bob_rx).is_empty());

    env.binary(&bob, "2", presence("unavailable")).await;
    let got = json_pushes(&drain(&mut alice_rx));
    assert_eq!(got[0][1]["type"], "unavailable");

    // A later subscriber learns the current state with its time.
    let (carol, mut carol_rx) = env.connect(C, 4);
    env.json(&carol, json!(["action", "presence", "subscribe", jid(B)])).await;
    let got = json_pushes(&drain(&mut carol_rx));
    assert_eq!(got[0][1]["type"], "unavailable");
    assert!(got[0][1]["t"].is_u64());
    let seen = json_of(env.json(&carol, json!(["query", "Presence", "lastseen", cjid(B)])).await);
    assert_eq!(seen, json!({"t": got[0][1]["t"]}));
    let never = json_of(env.json(&carol, json!(["query", "Presence", "lastseen", cjid(A)])).await);
    assert_eq!(never, json!({"status": 404}));
}

#[tokio::test]
async fn chat_states_go_to_the_partner_only() {
    let env = Env::with_accounts().await;
    let (alice, mut alice_rx) = env.connect(A, 1);
    let (_bob, mut bob_rx) = env.connect(B, 2);
    let (_carol, mut carol_rx) = env.connect(C, 3);
    for kind in ["composing", "paused"] {
        let node = set(Node::new("presence").attr("type", kind).attr("to", cjid(B)));
        assert_eq!(json_of(env.binary(&alice, "1", node).await), json!({"status": 200}));
    }
    assert_eq!(
        json_pushes(&drain(&mut bob_rx)),
        [
            json!(["Presence", {"id": cjid(A), "type": "composing"}]),
            json!(["Presence", {"id": cjid(A), "type": "paused"}]),
        ]
    );
    assert!(drain(&mut carol_rx).is_empty());
    assert!(drain(&mut alice_rx).is_empty());
    let no_target = set(Node::new("presence").attr("type", "composing"));
    assert_eq!(json_of(env.binary(&alice, "2", no_target).await), json!({"status": 400}));
    assert_eq!(json_of(env.binary(&alice, "3", presence("dancing")).await), json!({"status": 400}));
    let bad = env.json(&alice, json!(["action", "presence", "subscribe", "nobody"])).await;
    assert_eq!(json_of(bad), json!({"status": 400}));
}
