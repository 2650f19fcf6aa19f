//! Profile pictures in the store: one per account or group, replaced whole, removed with the
//! account.

mod store_support;

use store_support::{accounts, open};
use waweb_server::store::{NewGroup, Picture, Store, StoreError};

fn picture(tag: &str) -> Picture {
    Picture { tag: tag.into(), image: vec![0xff, 0xd8, 1, 2, 3], preview: vec![0xff, 0xd8, 4] }
}

#[tokio::test]
async fn set_replace_remove() {
    let (_dir, store) = open();
    accounts(&store, &["100", "200"]).await;
    assert_eq!(store.picture("100").await.unwrap(), None);
    assert_eq!(store.set_picture("100", picture("1")).await.unwrap(), "1");
    assert_eq!(store.picture("100").await.unwrap(), Some(picture("1")));
    assert_eq!(store.picture_tag("100").await.unwrap().as_deref(), Some("1"));
    let mut newer = picture("2");
    newer.image.push(9);
    assert_eq!(store.set_picture("100", newer.clone()).await.unwrap(), "2");
    assert_eq!(store.picture("100").await.unwrap(), Some(newer));
    assert_eq!(store.picture("200").await.unwrap(), None, "only the account's own");
    assert!(store.remove_picture("100").await.unwrap());
    assert!(!store.remove_picture("100").await.unwrap());
    assert_eq!(store.picture("100").await.unwrap(), None);
}

#[tokio::test]
async fn unknown_accounts_and_removed_ones_have_none() {
    let (_dir, store) = open();
    accounts(&store, &["100"]).await;
    let missing = StoreError::NotFound { what: "account" };
    assert_eq!(store.picture("999").await.unwrap_err(), missing);
    assert_eq!(store.set_picture("999", picture("1")).await.unwrap_err(), missing);
    store.set_picture("100", picture("1")).await.unwrap();
    store.remove_account("100").await.unwrap();
    accounts(&store, &["100"]).await;
    assert_eq!(store.picture("100").await.unwrap(), None, "the old account's picture went with it");
}

#[tokio::test]
async fn debug_output_leaves_the_bytes_out() {
    let shown = format!("{:?}", picture("7"));
    assert_eq!(shown, "Picture { tag: \"7\", image_bytes: 5, preview_bytes: 3 }");
}

#[tokio::test]
async fn a_new_picture_always_gets_a_tag_above_the_last() {
    let (_dir, store) = open();
    accounts(&store, &["100"]).await;
    assert_eq!(store.set_picture("100", picture("500")).await.unwrap(), "500");
    // The caller's clock went back, or two uploads share a millisecond: one more than the last.
    assert_eq!(store.set_picture("100", picture("500")).await.unwrap(), "501");
    assert_eq!(store.set_picture("100", picture("7")).await.unwrap(), "502");
    assert_eq!(store.set_picture("100", picture("900")).await.unwrap(), "900");
    assert_eq!(store.picture_tag("100").await.unwrap().as_deref(), Some("900"));
    assert_eq!(
        store.picture_tag("999").await.unwrap_err(),
        StoreError::NotFound { what: "account" }
    );
}

#[tokio::test]
async fn a_group_has_its_own_picture() {
    let (_dir, store) = open();
    accounts(&store, &["100", "200"]).await;
    let new =
        NewGroup { creator: "100".into(), subject: "Team".into(), time: 5, participants: vec![] };
    let gid = store.create_group(new).await.unwrap().group.jid;
    assert_eq!(store.picture(&gid).await.unwrap(), None);
    assert_eq!(store.set_picture(&gid, picture("7")).await.unwrap(), "7");
    // A tag never comes back, per owner.
    assert_eq!(store.set_picture(&gid, picture("7")).await.unwrap(), "8");
    assert_eq!(store.picture_tag(&gid).await.unwrap().as_deref(), Some("8"));
    assert_eq!(store.picture("100").await.unwrap(), None, "the creator's own is apart");
    assert!(store.remove_picture(&gid).await.unwrap());
    assert_eq!(store.picture(&gid).await.unwrap(), None);
    let missing = StoreError::NotFound { what: "group" };
    assert_eq!(store.set_picture("100-1@g.us", picture("1")).await.unwrap_err(), missing);
    assert_eq!(store.picture_tag("100-1@g.us").await.unwrap_err(), missing);
}
