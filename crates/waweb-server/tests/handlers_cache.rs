//! The relay handler reads accounts, push names and blocklists from the store's memory: every
//! change made through the store must show in the very next relay.

mod handlers_support;

use handlers_support::*;
use serde_json::json;
use waweb_server::store::AccountStore;

#[tokio::test]
async fn account_removal_blocklist_and_pushname_changes_apply_to_the_next_relay() {
    let env = Env::with_accounts().await;
    let (alice, _alice_rx) = env.connect(A, 1);
    let (_bob, mut bob_rx) = env.connect(B, 2);

    let first = json_of(env.binary(&alice, "C1", relay(B, "C1", "hi")).await);
    assert_eq!(first["status"], 200);
    assert_eq!(infos(&node_pushes(&drain(&mut bob_rx))[0])[0].push_name.as_deref(), Some("Alice"));

    // A new push name is the one the next relay carries.
    env.store().set_pushname(A, "Alice Liddell").await.unwrap();
    assert_eq!(json_of(env.binary(&alice, "C2", relay(B, "C2", "hi")).await)["status"], 200);
    let pushed = infos(&node_pushes(&drain(&mut bob_rx))[0])[0].push_name.clone();
    assert_eq!(pushed.as_deref(), Some("Alice Liddell"));

    // Blocked: answered, not delivered; unblocked: delivered again.
    env.store().set_blocklist(B, vec![cjid(A)]).await.unwrap();
    assert_eq!(json_of(env.binary(&alice, "C3", relay(B, "C3", "hi")).await)["status"], 200);
    assert!(drain(&mut bob_rx).is_empty());
    env.store().set_blocklist(B, vec![]).await.unwrap();
    assert_eq!(json_of(env.binary(&alice, "C4", relay(B, "C4", "hi")).await)["status"], 200);
    assert_eq!(node_pushes(&drain(&mut bob_rx)).len(), 1);

    // Removed: the next relay to it is refused.
    env.store().remove_account(B).await.unwrap();
    let gone = json_of(env.binary(&alice, "C5", relay(B, "C5", "hi")).await);
    assert_eq!(gone, json!({ "status": 404 }));
    assert!(drain(&mut bob_rx).is_empty());
}
