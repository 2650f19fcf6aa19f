//! `waweb migrate`'s copy: a SQLite store with every kind of data, copied into an empty
//! PostgreSQL schema, reads back the same through every method of the trait; a non-empty target
//! is refused, and the copy goes on where the source left off (new messages after the old).

mod store_support;

use store_support::{accounts, jid, message, relay, session, Schema};
use waweb_server::store::migrate::{sqlite_to_postgres, MigrationProgress};
use waweb_server::store::postgres::PgOptions;
use waweb_server::store::sqlite::SqliteStore;
use waweb_server::store::{
    AccountStore, Chat, ChatUpdate, Contact, FanOut, GroupChange, GroupRead, MemberCopy,
    MessageKey, MessageStore, NewGroup, Picture, RelayOutcome, Store, StoreError,
    WebMessageInfoStatus,
};

const PHONES: [&str; 3] = ["100", "200", "300"];

fn picture(tag: &str) -> Picture {
    Picture {
        tag: tag.into(),
        secret: "0123456789abcdef0123456789abcdef".into(),
        image: vec![1, 2, 3, 4, 5],
        preview: vec![9, 8, 7],
    }
}

/// Every kind of data the store keeps.
async fn fill(store: &impl Store) -> String {
    accounts(store, &PHONES).await;
    store.set_status_text("100", "about me").await.unwrap();
    store.set_blocklist("300", vec![jid("100"), jid("999")]).await.unwrap();
    let contact = Contact {
        jid: jid("555"),
        name: Some("Saved".into()),
        notify: Some("Pushed".into()),
        short: Some("S".into()),
    };
    store.upsert_contacts("100", vec![contact]).await.unwrap();
    for i in 0..30 {
        store.relay(relay("100", "200", &format!("r{i}"), 10 + i)).await.unwrap();
        store.relay(relay("200", "100", &format!("s{i}"), 50 + i)).await.unwrap();
    }
    // Delivery: some acknowledged, some left in the queue; receipts and stars.
    let pending = store.pending_for("200", 10).await.unwrap();
    store.ack_delivered("200", pending.iter().map(|p| p.id).collect()).await.unwrap();
    let key = |id: &str| MessageKey { chat_jid: jid("200"), id: id.into(), from_me: true };
    store.set_message_status("100", key("r3"), WebMessageInfoStatus::Read, 99).await.unwrap();
    store.set_starred("100", vec![key("r4"), key("r5")], true).await.unwrap();
    store.delete_messages("100", vec![key("r6")]).await.unwrap();
    let mut chat = Chat::new(jid("777"), 40);
    (chat.mute_until, chat.pinned, chat.archived, chat.name) = (500, 30, true, Some("x".into()));
    store.upsert_chat("300", chat).await.unwrap();
    store.insert_message("300", message(&jid("777"), "own", true, 41)).await.unwrap();
    store.update_chat("300", &jid("777"), ChatUpdate::MarkUnread).await.unwrap();
    store.set_picture("100", picture("7")).await.unwrap();
    // A group with members, a description, an invite, a picture, a message and its reads.
    let new = NewGroup {
        creator: "100".into(),
        subject: "Climbing".into(),
        time: 1_000,
        participants: vec!["200".into(), "300".into()],
    };
    let group = store.create_group(new).await.unwrap().group.jid;
    let promote = GroupChange::Promote(vec!["200".into()]);
    store.change_group(&group, "100", promote, 1_001).await.unwrap().unwrap();
    let code = GroupChange::InviteCode { fresh: "INVITE".into(), reset: false };
    store.change_group(&group, "100", code, 1_002).await.unwrap().unwrap();
    store.set_picture(&group, picture("8")).await.unwrap();
    let copy = |phone: &str| {
        let mut m = message(&group, "G1", false, 1_003);
        m.participant = Some(jid("100"));
        MemberCopy { phone: phone.into(), message: m, online: phone == "300" }
    };
    let fan_out = FanOut {
        sender: Some(("100".into(), message(&group, "G1", true, 1_003))),
        copies: vec![copy("200"), copy("300")],
        unread: true,
    };
    store.fan_out(fan_out).await.unwrap();
    let read = GroupRead { author: "100".into(), group: group.clone(), id: "G1".into() };
    store.note_group_reads("200", vec![read], 1_004).await.unwrap();
    store.pair_session(session("browser-1", "100", 1)).await.unwrap();
    store.pair_session(session("browser-2", "200", 2)).await.unwrap();
    group
}

/// Everything a store answers about the filled data, as text, so two stores compare at once.
async fn everything(store: &impl Store, group: &str) -> Vec<String> {
    let mut seen = vec![format!("{:?}", store.accounts().await.unwrap())];
    for phone in PHONES {
        seen.push(format!("{:?}", store.contacts(phone).await.unwrap()));
        seen.push(format!("{:?}", store.blocklist(phone).await.unwrap()));
        seen.push(format!(
            "{:?}",
            store.picture(phone).await.unwrap().map(|p| (p.tag, p.secret, p.image, p.preview))
        ));
        seen.push(format!(
            "{:?}",
            store
                .sessions_of(phone)
                .await
                .unwrap()
                .iter()
                .map(|s| (s.client_id.clone(), s.client_token.clone(), s.enc_key))
                .collect::<Vec<_>>()
        ));
        seen.push(format!("{:?}", store.pending_for(phone, 1_000).await.unwrap()));
        seen.push(format!("{:?}", store.starred_messages(phone, None, 1_000).await.unwrap()));
        seen.push(format!("{:?}", store.last_message_per_chat(phone).await.unwrap()));
        let chats = store.chats(phone).await.unwrap();
        for chat in &chats {
            seen.push(format!(
                "{:?}",
                store.recent_messages(phone, &chat.jid, 1_000).await.unwrap()
            ));
        }
        seen.push(format!("{chats:?}"));
    }
    seen.push(format!("{:?}", store.group(group).await.unwrap()));
    seen.push(format!("{:?}", store.group_by_invite("INVITE").await.unwrap()));
    let key = MessageKey { chat_jid: group.into(), id: "G1".into(), from_me: true };
    seen.push(format!("{:?}", store.group_receipts("100", key).await.unwrap()));
    seen.push(format!("{:?}", store.picture(group).await.unwrap().map(|p| (p.tag, p.image))));
    seen
}

#[tokio::test]
async fn a_sqlite_store_is_copied_whole_and_refused_into_a_non_empty_one() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("waweb.db");
    let source = SqliteStore::open(&path).unwrap();
    let group = fill(&source).await;
    let expected = everything(&source, &group).await;
    source.close().await.unwrap();
    drop(source);

    let schema = Schema::create().await;
    let options = PgOptions { schema: Some(schema.name.clone()), ..PgOptions::default() };
    let url = store_support::postgres_url();
    let mut progress = Vec::new();
    let report =
        sqlite_to_postgres(&path, &url, options.clone(), |p| progress.push(p)).await.unwrap();
    let last = progress.last().copied().unwrap();
    assert_eq!(
        last,
        MigrationProgress { table: "web_sessions", done: report.rows(), total: report.rows() }
    );
    let messages = report.tables.iter().find(|(t, _)| *t == "messages").unwrap().1;
    assert_eq!(
        messages,
        60 * 2 - 1 + 1 + 3,
        "relays (one copy deleted), one own, the group's three"
    );

    let copy = schema.open().await;
    assert_eq!(everything(&copy, &group).await, expected);
    // The removed message's id stays spent; new messages come after the copied ones.
    let reused = copy.relay(relay("100", "200", "r6", 500)).await.unwrap_err();
    assert!(matches!(reused, StoreError::Conflict(_)), "{reused:?}");
    let highest = copy.recent_messages("100", &jid("200"), 1).await.unwrap()[0].seq;
    let RelayOutcome::Stored { sender_seq, .. } =
        copy.relay(relay("100", "200", "new", 500)).await.unwrap()
    else {
        panic!("not stored")
    };
    assert!(sender_seq > highest);
    copy.create_account(waweb_server::store::Account::new("400", "n", 1)).await.unwrap();

    let again = sqlite_to_postgres(&path, &url, options, |_| {}).await.unwrap_err();
    assert!(matches!(again, StoreError::Conflict(m) if m.contains("not empty")), "{again:?}");
}
