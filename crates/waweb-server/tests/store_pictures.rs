//! Profile pictures in the store: one per account or group, replaced whole, removed with the
//! account.

mod store_support;

use store_support::accounts;
use waweb_server::store::{AccountStore, NewGroup, Picture, Store, StoreError};

fn picture(tag: &str) -> Picture {
    Picture {
        tag: tag.into(),
        secret: format!("{tag:a>32}"),
        image: vec![0xff, 0xd8, 1, 2, 3],
        preview: vec![0xff, 0xd8, 4],
    }
}

/// The tag `picture_key` reads for `owner`.
async fn tag_of(store: &impl Store, owner: &str) -> Result<Option<String>, StoreError> {
    Ok(store.picture_key(owner).await?.map(|k| k.tag))
}

async fn set_replace_remove(store: impl Store) {
    accounts(&store, &["100", "200"]).await;
    assert_eq!(store.picture("100").await.unwrap(), None);
    assert_eq!(store.set_picture("100", picture("1")).await.unwrap(), "1");
    assert_eq!(store.picture("100").await.unwrap(), Some(picture("1")));
    let key = store.picture_key("100").await.unwrap().unwrap();
    assert_eq!((key.tag.as_str(), key.secret.as_str()), ("1", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1"));
    let mut newer = picture("2");
    newer.image.push(9);
    assert_eq!(store.set_picture("100", newer.clone()).await.unwrap(), "2");
    assert_eq!(store.picture("100").await.unwrap(), Some(newer));
    assert_eq!(store.picture("200").await.unwrap(), None, "only the account's own");
    assert!(store.remove_picture("100").await.unwrap());
    assert!(!store.remove_picture("100").await.unwrap());
    assert_eq!(store.picture("100").await.unwrap(), None);
}

async fn unknown_accounts_and_removed_ones_have_none(store: impl Store) {
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
    assert_eq!(
        shown,
        "Picture { tag: \"7\", secret: \"<redacted>\", image_bytes: 5, preview_bytes: 3 }"
    );
}

async fn a_new_picture_always_gets_a_tag_above_the_last(store: impl Store) {
    accounts(&store, &["100"]).await;
    assert_eq!(store.set_picture("100", picture("500")).await.unwrap(), "500");
    // The caller's clock went back, or two uploads share a millisecond: one more than the last.
    assert_eq!(store.set_picture("100", picture("500")).await.unwrap(), "501");
    assert_eq!(store.set_picture("100", picture("7")).await.unwrap(), "502");
    assert_eq!(store.set_picture("100", picture("900")).await.unwrap(), "900");
    assert_eq!(tag_of(&store, "100").await.unwrap().as_deref(), Some("900"));
    assert_eq!(tag_of(&store, "999").await.unwrap_err(), StoreError::NotFound { what: "account" });
}

async fn a_group_has_its_own_picture(store: impl Store) {
    accounts(&store, &["100", "200"]).await;
    let new =
        NewGroup { creator: "100".into(), subject: "Team".into(), time: 5, participants: vec![] };
    let gid = store.create_group(new).await.unwrap().group.jid;
    assert_eq!(store.picture(&gid).await.unwrap(), None);
    assert_eq!(store.set_picture(&gid, picture("7")).await.unwrap(), "7");
    // A tag never comes back, per owner.
    assert_eq!(store.set_picture(&gid, picture("7")).await.unwrap(), "8");
    assert_eq!(tag_of(&store, &gid).await.unwrap().as_deref(), Some("8"));
    assert_eq!(store.picture("100").await.unwrap(), None, "the creator's own is apart");
    assert!(store.remove_picture(&gid).await.unwrap());
    assert_eq!(store.picture(&gid).await.unwrap(), None);
    let missing = StoreError::NotFound { what: "group" };
    assert_eq!(store.set_picture("100-1@g.us", picture("1")).await.unwrap_err(), missing);
    assert_eq!(tag_of(&store, "100-1@g.us").await.unwrap_err(), missing);
}

async fn a_secret_under_128_bits_is_refused(store: impl Store) {
    accounts(&store, &["100"]).await;
    let weak = Picture { secret: "abc".into(), ..picture("1") };
    assert_eq!(
        store.set_picture("100", weak).await.unwrap_err(),
        StoreError::Invalid { field: "picture secret", reason: "under 128 bits" }
    );
    assert_eq!(store.picture("100").await.unwrap(), None);
}

#[tokio::test]
async fn pictures_of_a_version_11_database_get_a_random_secret() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db");
    let store = waweb_server::store::sqlite::SqliteStore::open(&path).unwrap();
    accounts(&store, &["100", "200"]).await;
    store.set_picture("100", picture("5")).await.unwrap();
    store.set_picture("200", picture("5")).await.unwrap();
    store.close().await.unwrap();
    drop(store);
    let undo = "ALTER TABLE pictures DROP COLUMN secret;
                ALTER TABLE group_pictures DROP COLUMN secret";
    store_support::rewind(&path, undo, 11);

    let store = waweb_server::store::sqlite::SqliteStore::open(&path).unwrap();
    assert_eq!(store_support::schema_version(&path), 12);
    let first = store.picture_key("100").await.unwrap().unwrap();
    let second = store.picture_key("200").await.unwrap().unwrap();
    for key in [&first, &second] {
        assert_eq!(key.tag, "5");
        assert!(key.secret.len() == 32 && key.secret.bytes().all(|b| b.is_ascii_hexdigit()));
    }
    assert_ne!(first.secret, second.secret);
    assert_ne!(first.secret, picture("5").secret, "drawn anew, not kept from before");
}

store_support::store_suite!(
    set_replace_remove,
    unknown_accounts_and_removed_ones_have_none,
    a_new_picture_always_gets_a_tag_above_the_last,
    a_group_has_its_own_picture,
    a_secret_under_128_bits_is_refused,
);
