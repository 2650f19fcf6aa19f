//! The rules of [`apply`]: who may change a group, and what each change answers per member.

use super::*;

fn group() -> Group {
    Group {
        jid: "1-100@g.us".into(),
        creator: "1".into(),
        created: 100,
        subject: "Team".into(),
        subject_time: 100,
        subject_owner: "1".into(),
        description: None,
        announce: false,
        locked: false,
        invite_code: None,
        members: vec![
            Member { phone: "1".into(), role: Role::SuperAdmin },
            Member { phone: "2".into(), role: Role::Admin },
            Member { phone: "3".into(), role: Role::Member },
        ],
    }
}

fn phones(list: &[&str]) -> Vec<String> {
    list.iter().map(|p| (*p).to_owned()).collect()
}

fn everyone(_: &str) -> bool {
    true
}

#[test]
fn admins_add_with_a_result_per_account_and_members_cannot() {
    let change = GroupChange::Add(phones(&["4", "3", "9", "4"]));
    let applied = apply(group(), "2", &change, |p| p != "9").unwrap();
    let codes: Vec<_> = applied.results.iter().map(|(p, c)| (p.as_str(), *c)).collect();
    assert_eq!(codes, [("4", 200), ("3", 409), ("9", 404)]);
    assert_eq!(applied.group.member("4").map(|m| m.role), Some(Role::Member));
    assert_eq!(applied.changed(), ["4"]);
    assert_eq!(apply(group(), "3", &change, everyone), Err(Refusal::NotAdmin));
    assert_eq!(apply(group(), "7", &change, everyone), Err(Refusal::NotMember));
}

#[test]
fn the_creator_cannot_be_removed_or_demoted_by_others() {
    let applied = apply(group(), "2", &GroupChange::Remove(phones(&["1", "3", "8"])), everyone);
    let codes: Vec<_> = applied.unwrap().results.into_iter().map(|(_, c)| c).collect();
    assert_eq!(codes, [403, 200, 404]);
    let applied = apply(group(), "2", &GroupChange::Demote(phones(&["1"])), everyone).unwrap();
    assert_eq!(applied.results, [("1".to_owned(), 403)]);
    assert_eq!(applied.group.member("1").map(|m| m.role), Some(Role::SuperAdmin));
}

#[test]
fn the_last_admin_cannot_be_demoted() {
    let mut g = group();
    g.members.retain(|m| m.phone != "1");
    let applied = apply(g, "2", &GroupChange::Demote(phones(&["2"])), everyone).unwrap();
    assert_eq!(applied.results, [("2".to_owned(), 403)]);
    assert_eq!(applied.group.member("2").map(|m| m.role), Some(Role::Admin));
}

#[test]
fn promote_and_demote_change_roles() {
    let applied = apply(group(), "1", &GroupChange::Promote(phones(&["3"])), everyone).unwrap();
    assert_eq!(applied.group.member("3").map(|m| m.role), Some(Role::Admin));
    let applied = apply(applied.group, "1", &GroupChange::Demote(phones(&["3"])), everyone);
    assert_eq!(applied.unwrap().group.member("3").map(|m| m.role), Some(Role::Member));
}

#[test]
fn when_the_last_admin_leaves_the_longest_standing_member_is_promoted() {
    let mut g = group();
    g.members.retain(|m| m.phone != "2");
    g.members.push(Member { phone: "4".into(), role: Role::Member });
    let applied = apply(g, "1", &GroupChange::Leave, everyone).unwrap();
    assert_eq!(applied.promoted, ["3"]);
    assert_eq!(applied.group.member("3").map(|m| m.role), Some(Role::Admin));
    assert!(applied.group.member("1").is_none());
    // With an admin left, nobody is promoted.
    let applied = apply(group(), "1", &GroupChange::Leave, everyone).unwrap();
    assert!(applied.promoted.is_empty());
    // A member may leave; a stranger may not.
    let left = apply(group(), "3", &GroupChange::Leave, everyone).unwrap();
    assert!(left.group.member("3").is_none());
    assert_eq!(apply(group(), "5", &GroupChange::Leave, everyone), Err(Refusal::NotMember));
}

#[test]
fn a_locked_group_lets_only_admins_rename_it() {
    let rename = GroupChange::Subject("New".into(), 200);
    let applied = apply(group(), "3", &rename, everyone).unwrap();
    assert_eq!(
        (applied.group.subject.as_str(), applied.group.subject_owner.as_str()),
        ("New", "3")
    );
    let mut locked = group();
    locked.locked = true;
    assert_eq!(apply(locked.clone(), "3", &rename, everyone), Err(Refusal::NotAdmin));
    let renamed = apply(locked, "2", &rename, everyone).unwrap().group;
    assert_eq!((renamed.subject.as_str(), renamed.subject_owner.as_str()), ("New", "2"));
    // The settings themselves are for admins only.
    assert_eq!(apply(group(), "3", &GroupChange::Locked(true), everyone), Err(Refusal::NotAdmin));
}

#[test]
fn a_description_that_changed_meanwhile_is_a_conflict() {
    let describe = |id: &str, prev: Option<&str>| GroupChange::Describe {
        description: Description {
            id: id.into(),
            text: "hi".into(),
            time: 5,
            owner: String::new(),
        },
        prev: prev.map(str::to_owned),
    };
    let first = apply(group(), "3", &describe("a", None), everyone).unwrap().group;
    assert_eq!(first.description.as_ref().map(|d| d.owner.as_str()), Some("3"));
    let second = apply(first.clone(), "2", &describe("b", Some("a")), everyone).unwrap().group;
    assert_eq!(second.description.map(|d| d.id), Some("b".to_owned()));
    assert_eq!(apply(first, "2", &describe("b", Some("x")), everyone), Err(Refusal::Conflict));
}

#[test]
fn announce_only_groups_let_admins_write() {
    let mut g = group();
    assert!(g.may_write("3"));
    g.announce = true;
    assert!(!g.may_write("3"));
    assert!(g.may_write("2"));
    assert!(!g.may_write("9"));
}

#[test]
fn admins_make_and_reset_the_invite_link_and_anyone_with_it_joins() {
    let code = |fresh: &str, reset| GroupChange::InviteCode { fresh: fresh.into(), reset };
    assert_eq!(apply(group(), "3", &code("a", false), everyone), Err(Refusal::NotAdmin));
    let g = apply(group(), "2", &code("a", false), everyone).unwrap().group;
    assert_eq!(g.invite_code.as_deref(), Some("a"));
    // Asking again keeps the link; a reset replaces it.
    let g = apply(g, "1", &code("b", false), everyone).unwrap().group;
    assert_eq!(g.invite_code.as_deref(), Some("a"));
    let g = apply(g, "1", &code("c", true), everyone).unwrap().group;
    assert_eq!(g.invite_code.as_deref(), Some("c"));

    assert_eq!(
        apply(g.clone(), "9", &GroupChange::Join("a".into()), everyone),
        Err(Refusal::UnknownInvite)
    );
    let joined = apply(g.clone(), "9", &GroupChange::Join("c".into()), everyone).unwrap();
    assert_eq!(joined.results, [("9".to_owned(), 200)]);
    assert_eq!(joined.group.member("9").map(|m| m.role), Some(Role::Member));
    let again = apply(joined.group, "9", &GroupChange::Join("c".into()), everyone).unwrap();
    assert_eq!(again.results, [("9".to_owned(), 409)]);
}

#[test]
fn a_change_to_the_role_a_member_has_is_409_and_changes_nothing() {
    let applied = apply(group(), "1", &GroupChange::Promote(phones(&["2"])), everyone).unwrap();
    assert_eq!(applied.results, [("2".to_owned(), 409)]);
    let applied = apply(group(), "1", &GroupChange::Demote(phones(&["3"])), everyone).unwrap();
    assert_eq!(applied.results, [("3".to_owned(), 409)]);
    assert!(applied.changed().is_empty());
}

#[test]
fn a_full_group_takes_nobody_more() {
    let mut g = group();
    for n in g.members.len()..MAX_MEMBERS {
        g.members.push(Member { phone: format!("9{n}"), role: Role::Member });
    }
    g.invite_code = Some("c".into());
    let applied = apply(g.clone(), "1", &GroupChange::Add(phones(&["77"])), everyone).unwrap();
    assert_eq!(applied.results, [("77".to_owned(), 406)]);
    assert_eq!(applied.group.members.len(), MAX_MEMBERS);
    assert_eq!(apply(g, "77", &GroupChange::Join("c".into()), everyone), Err(Refusal::Full));
}

#[test]
fn an_empty_group_loses_its_link_and_a_join_gives_an_adminless_one_an_admin() {
    let mut g = group();
    g.members.truncate(1);
    g.invite_code = Some("c".into());
    let left = apply(g, "1", &GroupChange::Leave, everyone).unwrap();
    assert!(left.group.members.is_empty());
    assert_eq!(left.group.invite_code, None);

    let mut adminless = group();
    adminless.members = vec![Member { phone: "3".into(), role: Role::Member }];
    adminless.invite_code = Some("c".into());
    let joined = apply(adminless, "8", &GroupChange::Join("c".into()), everyone).unwrap();
    assert_eq!(joined.promoted, ["3"], "the longest-standing member");
    assert_eq!(joined.group.member("3").map(|m| m.role), Some(Role::Admin));
}

#[test]
fn an_empty_description_removes_it() {
    let describe = |text: &str| GroupChange::Describe {
        description: Description {
            id: "d".into(),
            text: text.into(),
            time: 5,
            owner: String::new(),
        },
        prev: None,
    };
    let g = apply(group(), "3", &describe("hi"), everyone).unwrap().group;
    assert!(g.description.is_some());
    assert_eq!(apply(g, "3", &describe(""), everyone).unwrap().group.description, None);
}
