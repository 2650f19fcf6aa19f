//! Contacts and chats: upserts, who holds a contact, ordering, attribute changes.

mod store_support;

use store_support::{accounts, jid};
use waweb_server::store::{Chat, ChatUpdate, Contact, Store, StoreError};

async fn contacts_upsert_replaces_every_field(store: impl Store) {
    accounts(&store, &["100"]).await;
    let mut bob = Contact::new("2@c.us");
    bob.name = Some("Bob".into());
    bob.notify = Some("bobby".into());
    bob.short = Some("B".into());
    store.upsert_contacts("100", vec![bob.clone(), Contact::new("1@c.us")]).await.unwrap();
    assert_eq!(store.contacts("100").await.unwrap(), [Contact::new("1@c.us"), bob.clone()]);

    let mut renamed = bob.clone();
    renamed.name = Some("Robert".into());
    renamed.short = None;
    store.upsert_contacts("100", vec![renamed.clone()]).await.unwrap();
    assert_eq!(store.contacts("100").await.unwrap(), [Contact::new("1@c.us"), renamed]);

    let err = store.upsert_contacts("999", vec![bob]).await.unwrap_err();
    assert_eq!(err, StoreError::NotFound { what: "account" });
}

async fn the_holders_of_a_contact_are_found_in_either_spelling(store: impl Store) {
    accounts(&store, &["100", "200", "300", "400"]).await;
    store.upsert_contacts("300", vec![Contact::new("100@c.us")]).await.unwrap();
    store
        .upsert_contacts("200", vec![Contact::new(jid("100")), Contact::new(jid("400"))])
        .await
        .unwrap();
    // A relay makes the recipient's contact too.
    store.relay(store_support::relay("100", "400", "R1", 5)).await.unwrap();
    assert_eq!(store.contact_holders("100").await.unwrap(), ["200", "300", "400"]);
    assert_eq!(store.contact_holders("400").await.unwrap(), ["100", "200"]);
    store.remove_account("300").await.unwrap();
    assert_eq!(store.contact_holders("100").await.unwrap(), ["200", "400"]);
    assert!(store.contact_holders("999").await.unwrap().is_empty());
}

async fn chats_are_listed_newest_first(store: impl Store) {
    accounts(&store, &["100"]).await;
    for (peer, t) in [("1", 50), ("2", 70), ("3", 60)] {
        store.upsert_chat("100", Chat::new(jid(peer), t)).await.unwrap();
    }
    let order: Vec<_> = store.chats("100").await.unwrap().into_iter().map(|c| c.t).collect();
    assert_eq!(order, [70, 60, 50]);
}

async fn upsert_chat_round_trips_every_attribute(store: impl Store) {
    accounts(&store, &["100"]).await;
    let chat = Chat {
        jid: "12-34@g.us".into(),
        t: 1_600_000_000,
        unread: -1,
        mute_until: 1_700_000_000,
        modify_tag: 77,
        archived: true,
        pinned: 1_650_000_000,
        spam: true,
        name: Some("Group".into()),
    };
    store.upsert_chat("100", chat.clone()).await.unwrap();
    assert_eq!(store.chat("100", "12-34@g.us").await.unwrap(), Some(chat.clone()));
    let plain = Chat::new("12-34@g.us", 5);
    store.upsert_chat("100", plain.clone()).await.unwrap();
    assert_eq!(store.chat("100", "12-34@g.us").await.unwrap(), Some(plain));
    assert_eq!(store.chat("100", "nobody@c.us").await.unwrap(), None);
}

async fn update_chat_changes_one_attribute_and_bumps_modify_tag(store: impl Store) {
    accounts(&store, &["100"]).await;
    let mut chat = Chat::new(jid("2"), 10);
    chat.unread = 4;
    store.upsert_chat("100", chat.clone()).await.unwrap();

    let steps = [
        (
            ChatUpdate::Archive(true),
            Box::new(|c: &mut Chat| c.archived = true) as Box<dyn Fn(&mut Chat)>,
        ),
        (ChatUpdate::Mute(1_234), Box::new(|c: &mut Chat| c.mute_until = 1_234)),
        (ChatUpdate::Pin(99), Box::new(|c: &mut Chat| c.pinned = 99)),
        (ChatUpdate::Spam(true), Box::new(|c: &mut Chat| c.spam = true)),
        (ChatUpdate::Read, Box::new(|c: &mut Chat| c.unread = 0)),
        (ChatUpdate::MarkUnread, Box::new(|c: &mut Chat| c.unread = -1)),
        (ChatUpdate::Name(Some("N".into())), Box::new(|c: &mut Chat| c.name = Some("N".into()))),
        (ChatUpdate::Archive(false), Box::new(|c: &mut Chat| c.archived = false)),
        (ChatUpdate::Mute(0), Box::new(|c: &mut Chat| c.mute_until = 0)),
        (ChatUpdate::Name(None), Box::new(|c: &mut Chat| c.name = None)),
    ];
    for (update, apply) in steps {
        apply(&mut chat);
        chat.modify_tag += 1;
        let got = store.update_chat("100", &jid("2"), update.clone()).await.unwrap();
        assert_eq!(got, chat, "{update:?}");
        assert_eq!(store.chat("100", &jid("2")).await.unwrap(), Some(chat.clone()));
    }
}

async fn update_of_a_missing_chat_is_not_found(store: impl Store) {
    accounts(&store, &["100"]).await;
    let err = store.update_chat("100", &jid("2"), ChatUpdate::Read).await.unwrap_err();
    assert_eq!(err, StoreError::NotFound { what: "chat" });
    let err = store.update_chat("999", &jid("2"), ChatUpdate::Read).await.unwrap_err();
    assert_eq!(err, StoreError::NotFound { what: "account" });
    let err = store.update_chat("100", &jid("2"), ChatUpdate::Mute(u64::MAX)).await.unwrap_err();
    assert!(matches!(err, StoreError::Invalid { field: "mute_until", .. }));
}

store_support::store_suite!(
    contacts_upsert_replaces_every_field,
    the_holders_of_a_contact_are_found_in_either_spelling,
    chats_are_listed_newest_first,
    upsert_chat_round_trips_every_attribute,
    update_chat_changes_one_attribute_and_bumps_modify_tag,
    update_of_a_missing_chat_is_not_found,
);
