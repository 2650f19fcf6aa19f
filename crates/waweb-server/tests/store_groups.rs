//! Groups in the SQLite store: creating them (JIDs, roles, per-member chats), loading them,
//! changing them in one write (chats named and renamed, refusals leaving no trace), fanning a
//! group message out to the members (unread counts, delivery queue, duplicates), what survives
//! a reopen and an account's removal, and the upgrade of a version-5 database.
//!
//! The rules of [`apply_group_change`](waweb_server::store::apply_group_change) themselves are
//! unit-tested next to them; these tests check what the store makes of them.

mod store_support;

use store_support::{accounts, jid, message, rewind, schema_version};
use waweb_server::store::sqlite::SqliteStore;
use waweb_server::store::{
    Applied, CreatedGroup, DeliveryId, Description, FanOut, FanOutOutcome, Group, GroupChange,
    GroupRead, GroupStore, Member, MemberCopy, MessageKey, MessageStore, NewGroup, Refusal, Role,
    Store, StoreError, StoredMessage, WebMessageInfoStatus,
};

const T: u64 = 1_600_000_000;

fn phones(list: &[&str]) -> Vec<String> {
    list.iter().map(|p| (*p).to_owned()).collect()
}

fn new_group(creator: &str, subject: &str, time: u64, participants: &[&str]) -> NewGroup {
    NewGroup {
        creator: creator.to_owned(),
        subject: subject.to_owned(),
        time,
        participants: phones(participants),
    }
}

/// Group "Team" by 100 at [`T`], with these participants.
async fn team(store: &impl Store, participants: &[&str]) -> Group {
    store.create_group(new_group("100", "Team", T, participants)).await.unwrap().group
}

fn members(group: &Group) -> Vec<(&str, Role)> {
    group.members.iter().map(|m| (m.phone.as_str(), m.role)).collect()
}

/// The name of `phone`'s chat with the group, `None` if there is no such chat at all.
async fn chat_name(store: &impl Store, phone: &str, group: &str) -> Option<Option<String>> {
    store.chat(phone, group).await.unwrap().map(|c| c.name)
}

async fn change(
    store: &impl Store,
    group: &str,
    actor: &str,
    change: GroupChange,
) -> Result<Applied, Refusal> {
    store.change_group(group, actor, change, T + 50).await.unwrap()
}

/// A member's copy of a message from `sender` in `group`.
fn copy_for(phone: &str, group: &str, sender: &str, id: &str, t: u64, online: bool) -> MemberCopy {
    let mut m = message(group, id, false, t);
    m.participant = Some(jid(sender));
    m.info = format!("{phone}|{group}|{id}").into_bytes();
    MemberCopy { phone: phone.to_owned(), message: m, online }
}

/// A message from `sender` to `group`: its own copy and one per listed member.
fn group_message(group: &str, sender: &str, id: &str, t: u64, to: &[(&str, bool)]) -> FanOut {
    FanOut {
        sender: Some((sender.to_owned(), message(group, id, true, t))),
        copies: to.iter().map(|(p, online)| copy_for(p, group, sender, id, t, *online)).collect(),
        unread: true,
    }
}

fn stored(outcome: FanOutOutcome) -> Vec<Option<i64>> {
    match outcome {
        FanOutOutcome::Stored(seqs) => seqs,
        FanOutOutcome::Duplicate => panic!("expected the fan-out to be stored"),
    }
}

async fn history(store: &impl Store, phone: &str, group: &str) -> Vec<StoredMessage> {
    store.recent_messages(phone, group, 100).await.unwrap()
}

async fn unread(store: &impl Store, phone: &str, group: &str) -> i64 {
    store.chat(phone, group).await.unwrap().expect("a chat with the group").unread
}

async fn queued(store: &impl Store, phone: &str) -> Vec<(DeliveryId, String)> {
    let pending = store.pending_for(phone, 100).await.unwrap();
    pending.into_iter().map(|p| (p.id, p.message.id)).collect()
}

// --- create_group ---------------------------------------------------------------------------

async fn a_new_group_is_named_after_its_creator_and_time_with_the_creator_as_superadmin(
    store: impl Store,
) {
    accounts(&store, &["100", "200", "300"]).await;
    let CreatedGroup { group, results } =
        store.create_group(new_group("100", "Team", T, &["200", "300"])).await.unwrap();
    assert_eq!(group.jid, format!("100-{T}@g.us"));
    assert_eq!((group.creator.as_str(), group.created), ("100", T));
    assert_eq!((group.subject.as_str(), group.subject_time), ("Team", T));
    assert_eq!(group.subject_owner, "100");
    assert_eq!(group.description, None);
    assert!(!group.announce && !group.locked);
    assert_eq!(
        members(&group),
        [("100", Role::SuperAdmin), ("200", Role::Member), ("300", Role::Member)]
    );
    assert_eq!(results, [("200".to_owned(), 200), ("300".to_owned(), 200)]);
    // What create answered is what was stored.
    assert_eq!(store.group(&group.jid).await.unwrap(), Some(group));
}

async fn a_second_group_in_the_same_second_takes_the_next_one(store: impl Store) {
    accounts(&store, &["100", "200"]).await;
    let first = team(&store, &["200"]).await;
    let second = store.create_group(new_group("100", "Other", T, &[])).await.unwrap().group;
    assert_eq!(first.jid, format!("100-{T}@g.us"));
    assert_eq!(second.jid, format!("100-{}@g.us", T + 1));
    assert_eq!((second.created, second.subject_time), (T + 1, T + 1));
    // A third one skips both; another creator in the same second is not affected.
    let third = store.create_group(new_group("100", "Third", T, &[])).await.unwrap().group;
    assert_eq!(third.jid, format!("100-{}@g.us", T + 2));
    let theirs = store.create_group(new_group("200", "Theirs", T, &[])).await.unwrap().group;
    assert_eq!(theirs.jid, format!("200-{T}@g.us"));
    // Both groups are whole and distinct.
    let first_again = store.group(&first.jid).await.unwrap().unwrap();
    assert_eq!((first_again.subject.as_str(), first_again.members.len()), ("Team", 2));
    let second_again = store.group(&second.jid).await.unwrap().unwrap();
    assert_eq!(
        (second_again.subject.as_str(), members(&second_again)),
        ("Other", vec![("100", Role::SuperAdmin)])
    );
}

async fn creating_groups_faster_than_one_a_second_for_a_minute_is_too_fast(store: impl Store) {
    accounts(&store, &["100"]).await;
    for n in 0..=60 {
        let group = store.create_group(new_group("100", "G", T, &[])).await.unwrap().group;
        assert_eq!(group.created, T + n);
    }
    let refused = store.create_group(new_group("100", "G", T, &[])).await;
    assert_eq!(refused.unwrap_err(), StoreError::TooFast("creating groups"));
    // A minute later the clock caught up.
    let later = store.create_group(new_group("100", "G", T + 60, &[])).await.unwrap().group;
    assert_eq!(later.created, T + 61);
}

async fn a_member_copy_whose_id_another_member_used_is_not_stored(store: impl Store) {
    accounts(&store, &["100", "200", "300"]).await;
    let g = team(&store, &["200", "300"]).await.jid;
    let first = group_message(&g, "100", "SAME", T, &[("200", true), ("300", true)]);
    let seqs = stored(store.fan_out(first).await.unwrap());
    assert!(matches!(seqs[..], [Some(_), Some(_)]), "{seqs:?}");
    // 200 sends with the same id: 300 already has a received message with it (from 100).
    let second = group_message(&g, "200", "SAME", T + 1, &[("100", true), ("300", true)]);
    let seqs = stored(store.fan_out(second).await.unwrap());
    assert!(seqs[0].is_some(), "100 had none");
    assert_eq!(seqs[1], None, "300's copy is 100's message, not 200's");
    let kept: Vec<_> =
        history(&store, "300", &g).await.into_iter().map(|m| m.participant).collect();
    assert_eq!(kept, [Some(jid("100"))]);
}

async fn unknown_participants_get_404_and_repeats_and_the_creator_are_ignored(store: impl Store) {
    accounts(&store, &["100", "200", "300"]).await;
    let asked = ["999", "200", "100", "200", "300", "999"];
    let CreatedGroup { group, results } =
        store.create_group(new_group("100", "Team", T, &asked)).await.unwrap();
    let codes: Vec<_> = results.iter().map(|(p, c)| (p.as_str(), *c)).collect();
    assert_eq!(codes, [("999", 404), ("200", 200), ("300", 200)]);
    let expected = [("100", Role::SuperAdmin), ("200", Role::Member), ("300", Role::Member)];
    assert_eq!(members(&group), expected);
    let loaded = store.group(&group.jid).await.unwrap().unwrap();
    assert_eq!(members(&loaded), expected);
    // Nor did the unknown number become an account.
    assert_eq!(store.account("999").await.unwrap(), None);
}

async fn every_member_gets_a_chat_named_after_the_subject(store: impl Store) {
    accounts(&store, &["100", "200", "300", "400"]).await;
    let group = team(&store, &["200", "300"]).await;
    for phone in ["100", "200", "300"] {
        let chat = store.chat(phone, &group.jid).await.unwrap().expect("member's chat");
        assert_eq!((chat.name.as_deref(), chat.t, chat.unread), (Some("Team"), T, 0), "{phone}");
        let list = store.chats(phone).await.unwrap();
        assert_eq!(list.iter().map(|c| c.jid.as_str()).collect::<Vec<_>>(), [group.jid.as_str()]);
    }
    // Not a member: no chat.
    assert!(store.chats("400").await.unwrap().is_empty());
}

async fn an_unknown_creator_is_not_found_and_creates_nothing(store: impl Store) {
    accounts(&store, &["200"]).await;
    let err = store.create_group(new_group("999", "Team", T, &["200"])).await.unwrap_err();
    assert_eq!(err, StoreError::NotFound { what: "account" });
    assert_eq!(store.group(&format!("999-{T}@g.us")).await.unwrap(), None);
    assert!(store.chats("200").await.unwrap().is_empty());
}

// --- group() --------------------------------------------------------------------------------

async fn every_field_round_trips_after_changes(store: impl Store) {
    accounts(&store, &["100", "200", "300", "400"]).await;
    let g = team(&store, &["200", "300"]).await.jid;
    change(&store, &g, "100", GroupChange::Promote(phones(&["300"]))).await.unwrap();
    change(&store, &g, "300", GroupChange::Add(phones(&["400"]))).await.unwrap();
    change(&store, &g, "300", GroupChange::Subject("Renamed".into(), T + 7)).await.unwrap();
    let description = Description {
        id: "D1".into(),
        text: "What we do".into(),
        time: T + 8,
        owner: "ignored: the actor owns it".into(),
    };
    let describe = GroupChange::Describe { description, prev: None };
    change(&store, &g, "200", describe).await.unwrap();
    change(&store, &g, "100", GroupChange::Announce(true)).await.unwrap();
    change(&store, &g, "100", GroupChange::Locked(true)).await.unwrap();
    let invite = GroupChange::InviteCode { fresh: "Code22".into(), reset: false };
    change(&store, &g, "300", invite).await.unwrap();

    let expected = Group {
        jid: g.clone(),
        creator: "100".into(),
        created: T,
        subject: "Renamed".into(),
        subject_time: T + 7,
        subject_owner: "300".into(),
        description: Some(Description {
            id: "D1".into(),
            text: "What we do".into(),
            time: T + 8,
            owner: "200".into(),
        }),
        announce: true,
        locked: true,
        invite_code: Some("Code22".into()),
        members: vec![
            Member { phone: "100".into(), role: Role::SuperAdmin },
            Member { phone: "200".into(), role: Role::Member },
            Member { phone: "300".into(), role: Role::Admin },
            Member { phone: "400".into(), role: Role::Member },
        ],
    };
    assert_eq!(store.group(&g).await.unwrap(), Some(expected.clone()));

    // And back off again: flags and roles are stored both ways.
    change(&store, &g, "300", GroupChange::Announce(false)).await.unwrap();
    change(&store, &g, "300", GroupChange::Locked(false)).await.unwrap();
    change(&store, &g, "100", GroupChange::Demote(phones(&["300"]))).await.unwrap();
    change(&store, &g, "100", GroupChange::Promote(phones(&["400"]))).await.unwrap();
    let got = store.group(&g).await.unwrap().unwrap();
    assert!(!got.announce && !got.locked);
    assert_eq!(
        members(&got),
        [
            ("100", Role::SuperAdmin),
            ("200", Role::Member),
            ("300", Role::Member),
            ("400", Role::Admin)
        ]
    );
    assert_eq!(got.description, expected.description);
}

async fn an_invite_code_finds_its_group_until_it_is_reset_and_a_join_gets_a_chat(
    store: impl Store,
) {
    accounts(&store, &["100", "200", "900"]).await;
    let g = team(&store, &["200"]).await.jid;
    assert_eq!(store.group_by_invite("first").await.unwrap(), None);
    let make = |fresh: &str, reset| GroupChange::InviteCode { fresh: fresh.into(), reset };
    change(&store, &g, "100", make("first", false)).await.unwrap();
    assert_eq!(store.group_by_invite("first").await.unwrap(), Some(g.clone()));

    let joined = change(&store, &g, "900", GroupChange::Join("first".into())).await.unwrap();
    assert_eq!(joined.changed(), ["900"]);
    assert_eq!(chat_name(&store, "900", &g).await, Some(Some("Team".into())));

    change(&store, &g, "100", make("second", true)).await.unwrap();
    assert_eq!(store.group_by_invite("first").await.unwrap(), None);
    assert_eq!(store.group_by_invite("second").await.unwrap(), Some(g.clone()));
    let stale = change(&store, &g, "200", GroupChange::Join("first".into())).await;
    assert_eq!(stale, Err(Refusal::UnknownInvite));
}

async fn an_unknown_group_is_none(store: impl Store) {
    accounts(&store, &["100"]).await;
    team(&store, &[]).await;
    assert_eq!(store.group("100-1@g.us").await.unwrap(), None);
    assert_eq!(store.group(&format!("100-{}@g.us", T + 1)).await.unwrap(), None);
}

// --- change_group ---------------------------------------------------------------------------

async fn an_added_member_gets_a_chat_named_after_the_subject(store: impl Store) {
    accounts(&store, &["100", "200", "300"]).await;
    let g = team(&store, &["200"]).await.jid;
    assert_eq!(chat_name(&store, "300", &g).await, None);
    let applied = change(&store, &g, "100", GroupChange::Add(phones(&["300", "999"]))).await;
    let applied = applied.unwrap();
    let codes: Vec<_> = applied.results.iter().map(|(p, c)| (p.as_str(), *c)).collect();
    assert_eq!(codes, [("300", 200), ("999", 404)]);
    let chat = store.chat("300", &g).await.unwrap().expect("the added member's chat");
    assert_eq!((chat.name.as_deref(), chat.t), (Some("Team"), T + 50));
    let loaded = store.group(&g).await.unwrap().unwrap();
    assert_eq!(loaded, applied.group);
    assert_eq!(loaded.member("300").map(|m| m.role), Some(Role::Member));
    assert_eq!(store.account("999").await.unwrap(), None);
    assert_eq!(loaded.member("999"), None);
}

async fn a_new_subject_renames_every_members_chat(store: impl Store) {
    accounts(&store, &["100", "200", "300", "400"]).await;
    let g = team(&store, &["200", "300"]).await.jid;
    // Another group of the same members keeps its name.
    let other = store.create_group(new_group("200", "Other", T, &["100"])).await.unwrap().group;
    change(&store, &g, "200", GroupChange::Subject("Renamed".into(), T + 9)).await.unwrap();
    for phone in ["100", "200", "300"] {
        assert_eq!(chat_name(&store, phone, &g).await, Some(Some("Renamed".into())), "{phone}");
    }
    assert_eq!(chat_name(&store, "100", &other.jid).await, Some(Some("Other".into())));
    assert_eq!(chat_name(&store, "200", &other.jid).await, Some(Some("Other".into())));
    assert_eq!(chat_name(&store, "400", &g).await, None);
    let loaded = store.group(&g).await.unwrap().unwrap();
    assert_eq!(
        (loaded.subject.as_str(), loaded.subject_time, loaded.subject_owner.as_str()),
        ("Renamed", T + 9, "200")
    );
}

#[tokio::test]
async fn a_refused_change_leaves_nothing_behind_even_after_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("waweb.db");
    let store = SqliteStore::open(&path).unwrap();
    accounts(&store, &["100", "200", "300", "400"]).await;
    let g = team(&store, &["200", "300"]).await.jid;
    change(&store, &g, "100", GroupChange::Locked(true)).await.unwrap();
    let before = store.group(&g).await.unwrap().unwrap();

    let refused = [
        GroupChange::Add(phones(&["400"])),
        GroupChange::Remove(phones(&["300"])),
        GroupChange::Promote(phones(&["200"])),
        GroupChange::Subject("Hijacked".into(), T + 60),
        GroupChange::Announce(true),
    ];
    for attempt in refused {
        let outcome = change(&store, &g, "200", attempt.clone()).await;
        assert_eq!(outcome, Err(Refusal::NotAdmin), "{attempt:?}");
    }
    let outsider = change(&store, &g, "400", GroupChange::Leave).await;
    assert_eq!(outsider, Err(Refusal::NotMember));
    store.close().await.unwrap();
    drop(store);

    let store = SqliteStore::open(&path).unwrap();
    assert_eq!(store.group(&g).await.unwrap(), Some(before));
    assert_eq!(chat_name(&store, "400", &g).await, None);
    for phone in ["100", "200", "300"] {
        assert_eq!(chat_name(&store, phone, &g).await, Some(Some("Team".into())), "{phone}");
    }
}

async fn changing_an_unknown_group_is_not_found(store: impl Store) {
    accounts(&store, &["100"]).await;
    let outcome = store.change_group("100-1@g.us", "100", GroupChange::Leave, T).await;
    assert_eq!(outcome, Err(StoreError::NotFound { what: "group" }));
    let add = GroupChange::Add(phones(&["100"]));
    let outcome = store.change_group("100-1@g.us", "100", add, T).await;
    assert_eq!(outcome, Err(StoreError::NotFound { what: "group" }));
    assert!(store.chats("100").await.unwrap().is_empty());
}

#[tokio::test]
async fn when_the_last_admin_leaves_the_longest_standing_member_is_promoted_for_good() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("waweb.db");
    let store = SqliteStore::open(&path).unwrap();
    accounts(&store, &["100", "200", "300", "400"]).await;
    let g = team(&store, &["300", "200"]).await.jid;
    change(&store, &g, "100", GroupChange::Add(phones(&["400"]))).await.unwrap();

    let applied = change(&store, &g, "100", GroupChange::Leave).await.unwrap();
    assert_eq!(applied.promoted, ["300"]);
    let expected = [("300", Role::Admin), ("200", Role::Member), ("400", Role::Member)];
    assert_eq!(members(&applied.group), expected);
    assert_eq!(members(&store.group(&g).await.unwrap().unwrap()), expected);
    store.close().await.unwrap();
    drop(store);

    let store = SqliteStore::open(&path).unwrap();
    let loaded = store.group(&g).await.unwrap().unwrap();
    assert_eq!(members(&loaded), expected);
    assert_eq!(loaded.creator, "100", "the creator is still named after leaving");
    // The promoted member acts as an admin; the one who left is no longer a member.
    let added = change(&store, &g, "300", GroupChange::Add(phones(&["100"]))).await.unwrap();
    assert_eq!(added.changed(), ["100"]);
    assert_eq!(
        store.group(&g).await.unwrap().unwrap().member("100").map(|m| m.role),
        Some(Role::Member)
    );
}

// --- fan_out --------------------------------------------------------------------------------

async fn a_group_message_is_stored_for_everyone_and_queued_for_the_offline(store: impl Store) {
    accounts(&store, &["100", "200", "300"]).await;
    let g = team(&store, &["200", "300"]).await.jid;
    // The sender has unread messages in the group, which writing in it clears.
    let earlier = group_message(&g, "200", "E", T + 1, &[("100", true)]);
    stored(store.fan_out(earlier).await.unwrap());
    assert_eq!(unread(&store, "100", &g).await, 1);

    let request = group_message(&g, "100", "G1", T + 2, &[("200", true), ("300", false)]);
    let seqs = stored(store.fan_out(request.clone()).await.unwrap());
    assert_eq!(seqs.len(), 2);
    let (Some(seq_200), Some(seq_300)) = (seqs[0], seqs[1]) else {
        panic!("both stored: {seqs:?}")
    };
    assert_ne!(seq_200, seq_300);

    // Each copy is in its owner's history under the seq given for it.
    let own = history(&store, "100", &g).await;
    let own_last = own.last().expect("the sender's copy");
    let sender_copy = request.sender.clone().unwrap().1;
    assert_eq!(own_last, &StoredMessage::from_new(sender_copy, own_last.seq));
    assert!(own_last.seq != seq_200 && own_last.seq != seq_300);
    let got_200 = history(&store, "200", &g).await;
    let copy_200 = StoredMessage::from_new(request.copies[0].message.clone(), seq_200);
    assert_eq!(got_200.last(), Some(&copy_200));
    let copy_300 = StoredMessage::from_new(request.copies[1].message.clone(), seq_300);
    assert_eq!(history(&store, "300", &g).await, std::slice::from_ref(&copy_300));

    // Sender's chat read, members' chats one more unread, all moved forward.
    let sender_chat = store.chat("100", &g).await.unwrap().unwrap();
    assert_eq!((sender_chat.unread, sender_chat.t), (0, T + 2));
    assert_eq!(unread(&store, "200", &g).await, 1);
    let chat_300 = store.chat("300", &g).await.unwrap().unwrap();
    assert_eq!((chat_300.unread, chat_300.t, chat_300.name.as_deref()), (1, T + 2, Some("Team")));

    // Only the offline member's copy waits for delivery, under its seq.
    let pending = store.pending_for("300", 10).await.unwrap();
    assert_eq!(pending.len(), 1);
    assert_eq!((pending[0].id, &pending[0].message), (DeliveryId(seq_300), &copy_300));
    assert!(queued(&store, "200").await.is_empty());
    assert!(queued(&store, "100").await.is_empty(), "the sender's copies are not queued");

    // A second message counts up.
    let next = group_message(&g, "100", "G2", T + 3, &[("200", true), ("300", false)]);
    stored(store.fan_out(next).await.unwrap());
    assert_eq!((unread(&store, "200", &g).await, unread(&store, "300", &g).await), (2, 2));
    let ids: Vec<_> = queued(&store, "300").await.into_iter().map(|(_, id)| id).collect();
    assert_eq!(ids, ["G1", "G2"]);
}

async fn a_system_message_does_not_count_as_unread(store: impl Store) {
    accounts(&store, &["100", "200"]).await;
    let g = team(&store, &["200"]).await.jid;
    stored(store.fan_out(group_message(&g, "100", "M", T + 1, &[("200", false)])).await.unwrap());
    assert_eq!(unread(&store, "200", &g).await, 1);

    let notice = FanOut {
        sender: None,
        copies: vec![
            copy_for("100", &g, "100", "SYS", T + 5, true),
            copy_for("200", &g, "100", "SYS", T + 5, false),
        ],
        unread: false,
    };
    let seqs = stored(store.fan_out(notice).await.unwrap());
    assert!(matches!(seqs[..], [Some(_), Some(_)]), "{seqs:?}");
    let chat_200 = store.chat("200", &g).await.unwrap().unwrap();
    assert_eq!((chat_200.unread, chat_200.t), (1, T + 5));
    let chat_100 = store.chat("100", &g).await.unwrap().unwrap();
    assert_eq!((chat_100.unread, chat_100.t), (0, T + 5));
    let ids: Vec<_> = history(&store, "200", &g).await.into_iter().map(|m| m.id).collect();
    assert_eq!(ids, ["M", "SYS"]);
    let ids: Vec<_> = queued(&store, "200").await.into_iter().map(|(_, id)| id).collect();
    assert_eq!(ids, ["M", "SYS"]);
    assert!(queued(&store, "100").await.is_empty(), "100 was online");
}

async fn a_repeated_sender_id_is_a_duplicate_and_stores_nothing_more(store: impl Store) {
    accounts(&store, &["100", "200", "300"]).await;
    let g = team(&store, &["200", "300"]).await.jid;
    let first = group_message(&g, "100", "DUP", T + 1, &[("200", false)]);
    stored(store.fan_out(first).await.unwrap());
    // The retry reaches one more member and is later: still nothing of it is stored.
    let again = group_message(&g, "100", "DUP", T + 9, &[("200", false), ("300", false)]);
    assert_eq!(store.fan_out(again).await.unwrap(), FanOutOutcome::Duplicate);

    assert_eq!(history(&store, "100", &g).await.len(), 1);
    assert_eq!(history(&store, "200", &g).await.len(), 1);
    assert!(history(&store, "300", &g).await.is_empty());
    let chat_200 = store.chat("200", &g).await.unwrap().unwrap();
    assert_eq!((chat_200.unread, chat_200.t), (1, T + 1));
    let chat_300 = store.chat("300", &g).await.unwrap().unwrap();
    assert_eq!((chat_300.unread, chat_300.t), (0, T));
    assert_eq!(queued(&store, "200").await.len(), 1);
    assert!(queued(&store, "300").await.is_empty());
}

async fn an_id_the_sender_deleted_for_itself_is_spent_in_the_group(store: impl Store) {
    accounts(&store, &["100", "200"]).await;
    let g = team(&store, &["200"]).await.jid;
    stored(store.fan_out(group_message(&g, "100", "X", T + 1, &[("200", false)])).await.unwrap());
    let key =
        waweb_server::store::MessageKey { chat_jid: g.clone(), id: "X".into(), from_me: true };
    assert_eq!(store.delete_messages("100", vec![key]).await.unwrap(), 1);
    let again = group_message(&g, "100", "X", T + 2, &[("200", false)]);
    let spent = StoreError::Conflict("this message id was used by a message since removed");
    assert_eq!(store.fan_out(again).await.unwrap_err(), spent);
    // The member keeps the first copy only.
    let kept: Vec<_> = history(&store, "200", &g).await.into_iter().map(|m| m.timestamp).collect();
    assert_eq!(kept, [T + 1]);
}

async fn a_copy_for_a_missing_account_is_skipped_and_the_others_stored(store: impl Store) {
    accounts(&store, &["100", "200", "300"]).await;
    let g = team(&store, &["200", "300"]).await.jid;
    let to = [("200", false), ("999", false), ("300", false)];
    let seqs = stored(store.fan_out(group_message(&g, "100", "S", T + 1, &to)).await.unwrap());
    assert_eq!(seqs.len(), 3);
    assert_eq!(seqs[1], None);
    let (Some(a), Some(b)) = (seqs[0], seqs[2]) else { panic!("stored: {seqs:?}") };
    assert_eq!(queued(&store, "200").await, [(DeliveryId(a), "S".to_owned())]);
    assert_eq!(queued(&store, "300").await, [(DeliveryId(b), "S".to_owned())]);
    assert_eq!(history(&store, "100", &g).await.len(), 1);

    // An account removed after joining is skipped the same way.
    store.remove_account("300").await.unwrap();
    let to = [("200", false), ("300", false)];
    let seqs = stored(store.fan_out(group_message(&g, "100", "S2", T + 2, &to)).await.unwrap());
    assert!(matches!(seqs[..], [Some(_), None]), "{seqs:?}");
    let ids: Vec<_> = history(&store, "200", &g).await.into_iter().map(|m| m.id).collect();
    assert_eq!(ids, ["S", "S2"]);
}

async fn a_failing_copy_rolls_back_the_whole_fan_out(store: impl Store) {
    accounts(&store, &["100", "200", "300"]).await;
    let g = team(&store, &["200", "300"]).await.jid;
    let mut bad = group_message(&g, "100", "B", T + 1, &[("200", false), ("300", false)]);
    bad.copies[1].message.id.clear();
    let err = store.fan_out(bad).await.unwrap_err();
    assert!(matches!(err, StoreError::Invalid { .. }), "{err:?}");
    for phone in ["100", "200", "300"] {
        assert!(history(&store, phone, &g).await.is_empty(), "{phone}");
        assert!(queued(&store, phone).await.is_empty(), "{phone}");
        assert_eq!(unread(&store, phone, &g).await, 0, "{phone}");
    }
    // The id is free again: the retry is not a duplicate.
    let retry = group_message(&g, "100", "B", T + 1, &[("200", false), ("300", false)]);
    assert!(matches!(store.fan_out(retry).await.unwrap(), FanOutOutcome::Stored(_)));
}

async fn a_fan_out_from_an_unknown_sender_is_not_found(store: impl Store) {
    accounts(&store, &["100", "200"]).await;
    let g = team(&store, &["200"]).await.jid;
    let err = store.fan_out(group_message(&g, "999", "X", T + 1, &[("200", false)])).await;
    assert_eq!(err, Err(StoreError::NotFound { what: "account" }));
    assert!(history(&store, "200", &g).await.is_empty());
    assert!(queued(&store, "200").await.is_empty());
}

// --- durability and isolation ---------------------------------------------------------------

#[tokio::test]
async fn groups_members_and_their_messages_survive_a_reopen() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("waweb.db");
    let store = SqliteStore::open(&path).unwrap();
    accounts(&store, &["100", "200", "300"]).await;
    let created = team(&store, &["200", "300"]).await;
    let applied =
        change(&store, &created.jid, "100", GroupChange::Promote(phones(&["300"]))).await.unwrap();
    let request = group_message(&created.jid, "100", "P", T + 1, &[("200", false)]);
    let seqs = stored(store.fan_out(request.clone()).await.unwrap());
    store.close().await.unwrap();
    drop(store);

    let store = SqliteStore::open(&path).unwrap();
    assert_eq!(store.group(&created.jid).await.unwrap(), Some(applied.group));
    let copy = StoredMessage::from_new(request.copies[0].message.clone(), seqs[0].unwrap());
    assert_eq!(history(&store, "200", &created.jid).await, [copy]);
    assert_eq!(queued(&store, "200").await, [(DeliveryId(seqs[0].unwrap()), "P".to_owned())]);
    for phone in ["100", "200", "300"] {
        assert_eq!(chat_name(&store, phone, &created.jid).await, Some(Some("Team".into())));
    }
    // The next group of the same second still takes the next JID.
    let next = store.create_group(new_group("100", "Again", T, &[])).await.unwrap().group;
    assert_eq!(next.jid, format!("100-{}@g.us", T + 1));
}

async fn removing_a_members_account_takes_it_out_of_the_group_which_remains(store: impl Store) {
    accounts(&store, &["100", "200", "300", "400"]).await;
    let g = team(&store, &["200", "300", "400"]).await.jid;
    store.remove_account("300").await.unwrap();
    let loaded = store.group(&g).await.unwrap().expect("the group remains");
    assert_eq!(
        members(&loaded),
        [("100", Role::SuperAdmin), ("200", Role::Member), ("400", Role::Member)]
    );
    assert_eq!(loaded.subject, "Team");
    assert_eq!(chat_name(&store, "200", &g).await, Some(Some("Team".into())));

    // A new account under the same number is not a member, and may be added again.
    accounts(&store, &["300"]).await;
    assert_eq!(store.group(&g).await.unwrap().unwrap().member("300"), None);
    assert_eq!(chat_name(&store, "300", &g).await, None);
    let added = change(&store, &g, "100", GroupChange::Add(phones(&["300"]))).await.unwrap();
    assert_eq!(added.changed(), ["300"]);
    let order: Vec<_> =
        store.group(&g).await.unwrap().unwrap().members.into_iter().map(|m| m.phone).collect();
    assert_eq!(order, ["100", "200", "400", "300"]);

    // The creator's account going leaves the group, still naming its creator; it was the only
    // admin, so the longest-standing member becomes one, as when an admin leaves.
    store.remove_account("100").await.unwrap();
    let loaded = store.group(&g).await.unwrap().expect("the group remains");
    assert_eq!(loaded.creator, "100");
    assert_eq!(loaded.member("100"), None);
    assert_eq!(
        members(&loaded),
        [("200", Role::Admin), ("400", Role::Member), ("300", Role::Member)]
    );
}

// --- receipts -------------------------------------------------------------------------------

fn read_of(author: &str, group: &str, id: &str) -> GroupRead {
    GroupRead { author: author.into(), group: group.into(), id: id.into() }
}

async fn a_group_message_turns_read_once_every_member_it_went_to_has_read_it(store: impl Store) {
    accounts(&store, &["100", "200", "300", "400"]).await;
    let g = team(&store, &["200", "300"]).await.jid;
    store
        .fan_out(group_message(&g, "100", "M1", T, &[("200", true), ("300", false)]))
        .await
        .unwrap();
    // 400 joins later: the message did not go to it.
    change(&store, &g, "100", GroupChange::Add(phones(&["400"]))).await.unwrap();
    let key = MessageKey { chat_jid: g.clone(), id: "M1".into(), from_me: true };
    let receipts = store.group_receipts("100", key.clone()).await.unwrap().unwrap();
    assert_eq!(receipts.recipients, ["200", "300"]);
    assert_eq!((receipts.delivered, receipts.reads.len()), (T, 0));

    let by_200 = store.note_group_reads("200", vec![read_of("100", &g, "M1")], T + 5).await;
    let by_200 = by_200.unwrap();
    assert_eq!(by_200.len(), 1);
    assert!(!by_200[0].by_all);
    assert!(
        store.find_message("100", key.clone()).await.unwrap().unwrap().status
            < WebMessageInfoStatus::Read
    );
    // Twice is once; a member it did not go to, or an unknown message, notes nothing.
    let again = store.note_group_reads("200", vec![read_of("100", &g, "M1")], T + 6).await;
    assert!(again.unwrap().is_empty());
    let late = store.note_group_reads("400", vec![read_of("100", &g, "M1")], T + 6).await;
    assert!(late.unwrap().is_empty());
    let unknown = store.note_group_reads("200", vec![read_of("100", &g, "NOPE")], T + 6).await;
    assert!(unknown.unwrap().is_empty());

    let by_300 = store.note_group_reads("300", vec![read_of("100", &g, "M1")], T + 9).await;
    assert!(by_300.unwrap()[0].by_all);
    let mine = store.find_message("100", key.clone()).await.unwrap().unwrap();
    assert_eq!((mine.status, mine.receipts.read), (WebMessageInfoStatus::Read, Some(T + 9)));
    let receipts = store.group_receipts("100", key).await.unwrap().unwrap();
    assert_eq!(receipts.reads, [("200".to_owned(), T + 5), ("300".to_owned(), T + 9)]);

    // A one-to-one message has no group receipts.
    store.relay(store_support::relay("100", "200", "R1", T)).await.unwrap();
    let one_to_one = MessageKey { chat_jid: jid("200"), id: "R1".into(), from_me: true };
    assert_eq!(store.group_receipts("100", one_to_one).await.unwrap(), None);
}

// --- schema ---------------------------------------------------------------------------------

#[tokio::test]
async fn a_version_5_database_gets_the_group_tables_and_invite_links() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db");
    let store = SqliteStore::open(&path).unwrap();
    accounts(&store, &["100", "200"]).await;
    store.relay(store_support::relay("100", "200", "R1", 50)).await.unwrap();
    store.close().await.unwrap();
    drop(store);
    // What a version-5 file holds: no group tables.
    let drop_groups = "DROP TABLE group_reads; DROP TABLE group_sends; DROP TABLE group_pictures;
                       DROP TABLE group_members; DROP TABLE groups; DROP INDEX contacts_by_jid;
                       DROP TABLE spent_ids; ALTER TABLE pictures DROP COLUMN secret";
    rewind(&path, drop_groups, 5);

    let store = SqliteStore::open(&path).unwrap();
    assert_eq!(store.recent_messages("200", &jid("100"), 10).await.unwrap().len(), 1);
    let group = store.create_group(new_group("100", "Team", T, &["200"])).await.unwrap().group;
    assert_eq!(store.group(&group.jid).await.unwrap(), Some(group));
    store.close().await.unwrap();
    drop(store);
    assert_eq!(schema_version(&path), 12);
    let conn = rusqlite::Connection::open(&path).unwrap();
    let indexes: i64 = conn
        .query_row(
            "SELECT count(*) FROM sqlite_master
             WHERE name IN ('group_members_by_account', 'groups_by_invite')",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(indexes, 2);
}

store_support::store_suite!(
    a_new_group_is_named_after_its_creator_and_time_with_the_creator_as_superadmin,
    a_second_group_in_the_same_second_takes_the_next_one,
    creating_groups_faster_than_one_a_second_for_a_minute_is_too_fast,
    a_member_copy_whose_id_another_member_used_is_not_stored,
    unknown_participants_get_404_and_repeats_and_the_creator_are_ignored,
    every_member_gets_a_chat_named_after_the_subject,
    an_unknown_creator_is_not_found_and_creates_nothing,
    every_field_round_trips_after_changes,
    an_invite_code_finds_its_group_until_it_is_reset_and_a_join_gets_a_chat,
    an_unknown_group_is_none,
    an_added_member_gets_a_chat_named_after_the_subject,
    a_new_subject_renames_every_members_chat,
    changing_an_unknown_group_is_not_found,
    a_group_message_is_stored_for_everyone_and_queued_for_the_offline,
    a_system_message_does_not_count_as_unread,
    a_repeated_sender_id_is_a_duplicate_and_stores_nothing_more,
    an_id_the_sender_deleted_for_itself_is_spent_in_the_group,
    a_copy_for_a_missing_account_is_skipped_and_the_others_stored,
    a_failing_copy_rolls_back_the_whole_fan_out,
    a_fan_out_from_an_unknown_sender_is_not_found,
    removing_a_members_account_takes_it_out_of_the_group_which_remains,
    a_group_message_turns_read_once_every_member_it_went_to_has_read_it,
);
