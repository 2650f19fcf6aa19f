//! Web sessions: pairing, restore checks, token rotation, logout, secrecy.

mod store_support;

use store_support::{accounts, session};
use waweb_server::store::{Store, StoreError, TokenRotation};

fn rotation(client_id: &str, expected: &str, n: u8) -> TokenRotation {
    TokenRotation {
        client_id: client_id.into(),
        expected_server_token: expected.into(),
        new_client_token: format!("ct-new-{n}"),
        new_server_token: format!("1@st-new-{n}"),
        now_ms: 9_000 + u64::from(n),
    }
}

async fn pair_and_find_by_client_id_and_browser_token(store: impl Store) {
    accounts(&store, &["100"]).await;
    let record = session("cid==", "100", 3);
    store.pair_session(record.clone()).await.unwrap();
    assert_eq!(store.session("cid==").await.unwrap(), Some(record.clone()));
    assert_eq!(
        store.session_by_browser_token(&record.browser_token).await.unwrap(),
        Some(record.clone())
    );
    assert_eq!(store.session_by_browser_token("1@unknown").await.unwrap(), None);
    assert_eq!(store.sessions_of("100").await.unwrap(), [record]);
    assert_eq!(store.session("other").await.unwrap(), None);
}

async fn a_paired_client_id_is_never_paired_again_with_any_account(store: impl Store) {
    accounts(&store, &["100", "200"]).await;
    let first = session("cid", "100", 1);
    store.pair_session(first.clone()).await.unwrap();
    let taken = StoreError::Conflict("this client id is paired already");
    for account in ["200", "100"] {
        assert_eq!(store.pair_session(session("cid", account, 2)).await.unwrap_err(), taken);
    }
    assert_eq!(store.session("cid").await.unwrap(), Some(first));
    assert!(store.sessions_of("200").await.unwrap().is_empty());
    // Once logged out (the pairing forgotten), the id may pair again.
    assert!(store.remove_session("cid").await.unwrap());
    store.pair_session(session("cid", "200", 3)).await.unwrap();
    assert_eq!(store.sessions_of("200").await.unwrap().len(), 1);
}

async fn pairing_needs_an_account_and_unique_tokens(store: impl Store) {
    accounts(&store, &["100"]).await;
    let err = store.pair_session(session("cid", "999", 1)).await.unwrap_err();
    assert_eq!(err, StoreError::NotFound { what: "account" });
    store.pair_session(session("a", "100", 1)).await.unwrap();
    let mut clash = session("b", "100", 2);
    clash.server_token = session("a", "100", 1).server_token.clone();
    let err = store.pair_session(clash).await.unwrap_err();
    assert_eq!(err, StoreError::Conflict("token already in use"));
    assert!(store.session("b").await.unwrap().is_none());
}

#[tokio::test]
async fn tokens_match_only_the_current_pair() {
    let record = session("cid", "100", 1);
    assert!(record.tokens_match("ct-cid-1", "1@st-cid-1"));
    assert!(!record.tokens_match("ct-cid-1", "1@st-cid-2"));
    assert!(!record.tokens_match("ct-cid-2", "1@st-cid-1"));
    assert!(!record.tokens_match("", ""));
    assert!(!record.tokens_match("ct-cid-1x", "1@st-cid-1"));
}

async fn rotation_replaces_tokens_and_the_old_ones_stop_matching(store: impl Store) {
    accounts(&store, &["100"]).await;
    let old = session("cid", "100", 1);
    store.pair_session(old.clone()).await.unwrap();

    let rotated = store.rotate_tokens(rotation("cid", &old.server_token, 1)).await.unwrap();
    assert_eq!(rotated.client_token, "ct-new-1");
    assert_eq!(rotated.server_token, "1@st-new-1");
    assert_eq!(rotated.last_seen_ms, 9_001);
    assert_eq!((rotated.enc_key, rotated.mac_key), (old.enc_key, old.mac_key));
    assert_eq!(rotated.browser_token, old.browser_token);

    let stored = store.session("cid").await.unwrap().unwrap();
    assert_eq!(stored, rotated);
    assert!(!stored.tokens_match(&old.client_token, &old.server_token));
    assert!(stored.tokens_match("ct-new-1", "1@st-new-1"));

    // A second login racing with the old tokens loses.
    let err = store.rotate_tokens(rotation("cid", &old.server_token, 2)).await.unwrap_err();
    assert_eq!(err, StoreError::Conflict("server token changed"));
    assert_eq!(store.session("cid").await.unwrap().unwrap(), rotated);

    let err = store.rotate_tokens(rotation("ghost", "x", 3)).await.unwrap_err();
    assert_eq!(err, StoreError::NotFound { what: "web session" });
}

async fn concurrent_rotations_with_the_same_tokens_have_one_winner(store: impl Store) {
    accounts(&store, &["100"]).await;
    let old = session("cid", "100", 1);
    store.pair_session(old.clone()).await.unwrap();
    let attempts = (0..8).map(|n| store.rotate_tokens(rotation("cid", &old.server_token, n)));
    let results = futures_util::future::join_all(attempts).await;
    let winners = results.iter().filter(|r| r.is_ok()).count();
    assert_eq!(winners, 1);
    assert!(results
        .iter()
        .all(|r| r.is_ok()
            || r.as_ref().err() == Some(&StoreError::Conflict("server token changed"))));
}

async fn touch_updates_last_seen(store: impl Store) {
    accounts(&store, &["100"]).await;
    store.pair_session(session("cid", "100", 1)).await.unwrap();
    store.touch_session("cid", 77_000).await.unwrap();
    assert_eq!(store.session("cid").await.unwrap().unwrap().last_seen_ms, 77_000);
    let err = store.touch_session("ghost", 1).await.unwrap_err();
    assert_eq!(err, StoreError::NotFound { what: "web session" });
}

async fn logout_forgets_the_session(store: impl Store) {
    accounts(&store, &["100"]).await;
    let record = session("cid", "100", 1);
    store.pair_session(record.clone()).await.unwrap();
    assert!(store.remove_session("cid").await.unwrap());
    assert!(!store.remove_session("cid").await.unwrap());
    assert_eq!(store.session("cid").await.unwrap(), None);
    assert_eq!(store.session_by_browser_token(&record.browser_token).await.unwrap(), None);
    let err = store.rotate_tokens(rotation("cid", &record.server_token, 1)).await.unwrap_err();
    assert_eq!(err, StoreError::NotFound { what: "web session" });
    // The tokens are free for a new pairing.
    let mut fresh = record.clone();
    fresh.client_id = "cid2".into();
    store.pair_session(fresh.clone()).await.unwrap();
    assert_eq!(store.session("cid2").await.unwrap(), Some(fresh));
}

#[tokio::test]
async fn debug_output_hides_secrets() {
    let record = session("visible-client", "100", 0xab);
    let shown = format!("{record:?}");
    assert!(shown.contains("visible-client"));
    for secret in [&record.client_token, &record.server_token, &record.browser_token] {
        assert!(!shown.contains(secret.as_str()), "{shown}");
    }
    assert!(!shown.contains("171"), "key bytes leaked: {shown}");
    let rot = rotation("cid", "1@old-secret", 5);
    let shown = format!("{rot:?}");
    assert!(!shown.contains("old-secret") && !shown.contains("new-5"), "{shown}");
}

store_support::store_suite!(
    pair_and_find_by_client_id_and_browser_token,
    a_paired_client_id_is_never_paired_again_with_any_account,
    pairing_needs_an_account_and_unique_tokens,
    rotation_replaces_tokens_and_the_old_ones_stop_matching,
    concurrent_rotations_with_the_same_tokens_have_one_winner,
    touch_updates_last_seen,
    logout_forgets_the_session,
);
