//! Groups and their members, each member's chat with the group. A group message stored for
//! every member is in `fan_out.rs`.

use std::collections::HashSet;

use rusqlite::{params, Connection, OptionalExtension, Row};

use super::super::group::{self, Applied, CreatedGroup, Description};
use super::super::group::{Group, GroupChange, Member, NewGroup, Refusal, Role};
use super::super::{StoreError, StoreResult};
use super::accounts::NOT_FOUND as NO_ACCOUNT;
use super::cache::AccountCache;
use super::convert::{sql_u64, u64_of};

const NO_GROUP: StoreError = StoreError::NotFound { what: "group" };

/// How far ahead of the clock a creator's group JIDs may run (one group a second on average).
const MAX_AHEAD_S: u64 = 60;

/// The group with this JID, with its members.
pub(super) fn load(conn: &Connection, jid: &str) -> StoreResult<Option<Group>> {
    let raw = conn
        .prepare_cached(
            "SELECT creator, created, subject, subject_time, subject_owner, desc_id, desc_text,
                    desc_time, desc_owner, announce, locked, invite_code
             FROM groups WHERE jid = ?1",
        )?
        .query_row([jid], |r| RawGroup::from_row(jid, r))
        .optional()?;
    let Some(raw) = raw else { return Ok(None) };
    let mut group = raw.build()?;
    let mut statement = conn.prepare_cached(
        "SELECT a.phone, m.role FROM group_members m JOIN accounts a ON a.id = m.account_id
         WHERE m.group_jid = ?1 ORDER BY m.position",
    )?;
    let rows = statement.query_map([jid], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?;
    for row in rows {
        let (phone, role) = row?;
        group.members.push(Member { phone, role: role_of(role)? });
    }
    Ok(Some(group))
}

/// A `groups` row as read, before its numbers are checked.
struct RawGroup {
    jid: String,
    creator: String,
    created: i64,
    subject: String,
    subject_time: i64,
    subject_owner: String,
    description: (Option<String>, Option<String>, Option<i64>, Option<String>),
    announce: bool,
    locked: bool,
    invite_code: Option<String>,
}

impl RawGroup {
    fn from_row(jid: &str, r: &Row<'_>) -> rusqlite::Result<Self> {
        Ok(Self {
            jid: jid.to_owned(),
            creator: r.get(0)?,
            created: r.get(1)?,
            subject: r.get(2)?,
            subject_time: r.get(3)?,
            subject_owner: r.get(4)?,
            description: (r.get(5)?, r.get(6)?, r.get(7)?, r.get(8)?),
            announce: r.get(9)?,
            locked: r.get(10)?,
            invite_code: r.get(11)?,
        })
    }

    fn build(self) -> StoreResult<Group> {
        let description = match self.description {
            (Some(id), Some(text), Some(time), Some(owner)) => {
                Some(Description { id, text, time: u64_of(time, "group")?, owner })
            }
            _ => None,
        };
        Ok(Group {
            jid: self.jid,
            creator: self.creator,
            created: u64_of(self.created, "group")?,
            subject: self.subject,
            subject_time: u64_of(self.subject_time, "group")?,
            subject_owner: self.subject_owner,
            description,
            announce: self.announce,
            locked: self.locked,
            invite_code: self.invite_code,
            members: Vec::new(),
        })
    }
}

fn role_of(code: i64) -> StoreResult<Role> {
    match code {
        0 => Ok(Role::Member),
        1 => Ok(Role::Admin),
        2 => Ok(Role::SuperAdmin),
        _ => Err(StoreError::Corrupt("group member")),
    }
}

fn role_code(role: Role) -> i64 {
    match role {
        Role::Member => 0,
        Role::Admin => 1,
        Role::SuperAdmin => 2,
    }
}

/// Writes the group's row (not its members: see [`save_members`]).
fn save(conn: &Connection, group: &Group) -> StoreResult<()> {
    let d = group.description.as_ref();
    let desc_time = d.map(|d| sql_u64(d.time, "description time")).transpose()?;
    conn.prepare_cached(
        "INSERT INTO groups (jid, creator, created, subject, subject_time, subject_owner, desc_id,
                             desc_text, desc_time, desc_owner, announce, locked, invite_code)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)
         ON CONFLICT (jid) DO UPDATE SET
            subject = excluded.subject, subject_time = excluded.subject_time,
            subject_owner = excluded.subject_owner, desc_id = excluded.desc_id,
            desc_text = excluded.desc_text, desc_time = excluded.desc_time,
            desc_owner = excluded.desc_owner, announce = excluded.announce,
            locked = excluded.locked, invite_code = excluded.invite_code",
    )?
    .execute(params![
        group.jid,
        group.creator,
        sql_u64(group.created, "created")?,
        group.subject,
        sql_u64(group.subject_time, "subject time")?,
        group.subject_owner,
        d.map(|d| &d.id),
        d.map(|d| &d.text),
        desc_time,
        d.map(|d| &d.owner),
        group.announce,
        group.locked,
        group.invite_code,
    ])?;
    Ok(())
}

/// Replaces the group's member rows with its member list.
fn save_members(conn: &Connection, cache: &AccountCache, group: &Group) -> StoreResult<()> {
    conn.prepare_cached("DELETE FROM group_members WHERE group_jid = ?1")?.execute([&group.jid])?;
    let mut insert = conn.prepare_cached(
        "INSERT INTO group_members (group_jid, account_id, position, role)
         VALUES (?1, ?2, ?3, ?4)",
    )?;
    for (position, member) in group.members.iter().enumerate() {
        let account = cache.id_of(conn, &member.phone)?.ok_or(NO_ACCOUNT)?;
        let position = i64::try_from(position).unwrap_or(i64::MAX);
        insert.execute(params![group.jid, account, position, role_code(member.role)])?;
    }
    Ok(())
}

/// Gives the member's chat with the group the group's name (creating the chat if needed).
fn name_chat(
    conn: &Connection,
    cache: &AccountCache,
    phone: &str,
    group: &Group,
    t: u64,
) -> StoreResult<()> {
    let account = cache.id_of(conn, phone)?.ok_or(NO_ACCOUNT)?;
    conn.prepare_cached(
        "INSERT INTO chats (account_id, jid, t, name) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (account_id, jid) DO UPDATE SET name = excluded.name, t = max(t, excluded.t)",
    )?
    .execute(params![account, group.jid, sql_u64(t, "t")?, group.subject])?;
    Ok(())
}

/// The JID of the group whose invite code this is, if any.
pub(super) fn by_invite(conn: &Connection, code: &str) -> StoreResult<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT jid FROM groups WHERE invite_code = ?1")?
        .query_row([code], |r| r.get(0))
        .optional()?)
}

/// Creates a group under the first free JID `<creator>-<time or later>@g.us`.
pub(super) fn create(
    conn: &Connection,
    cache: &AccountCache,
    new: &NewGroup,
) -> StoreResult<CreatedGroup> {
    if cache.id_of(conn, &new.creator)?.is_none() {
        return Err(NO_ACCOUNT);
    }
    // A group's JID names its creator and a second: the creator's next group takes the second
    // after its last one if that is not in the past, and may run at most a minute ahead.
    let last: Option<i64> = conn
        .prepare_cached("SELECT max(created) FROM groups WHERE creator = ?1")?
        .query_row([&new.creator], |r| r.get(0))?;
    let after_last = last.map(|t| u64_of(t, "group")).transpose()?.map(|t| t.saturating_add(1));
    let created = after_last.map_or(new.time, |t| t.max(new.time));
    if created > new.time.saturating_add(MAX_AHEAD_S) {
        return Err(StoreError::TooFast("creating groups"));
    }
    let jid = format!("{}-{created}@g.us", new.creator);
    let mut group = Group {
        jid,
        creator: new.creator.clone(),
        created,
        subject: new.subject.clone(),
        subject_time: created,
        subject_owner: new.creator.clone(),
        description: None,
        announce: false,
        locked: false,
        invite_code: None,
        members: vec![Member { phone: new.creator.clone(), role: Role::SuperAdmin }],
    };
    let mut results = Vec::new();
    for phone in &new.participants {
        if *phone == new.creator || results.iter().any(|(p, _)| p == phone) {
            continue;
        }
        let code = if cache.id_of(conn, phone)?.is_some() { 200 } else { 404 };
        if code == 200 {
            group.members.push(Member { phone: phone.clone(), role: Role::Member });
        }
        results.push((phone.clone(), code));
    }
    save(conn, &group)?;
    save_members(conn, cache, &group)?;
    for member in &group.members {
        name_chat(conn, cache, &member.phone, &group, created)?;
    }
    Ok(CreatedGroup { group, results })
}

/// Applies and saves one change; `NotFound` if there is no such group.
pub(super) fn change(
    conn: &Connection,
    cache: &AccountCache,
    jid: &str,
    actor: &str,
    change: &GroupChange,
    now: u64,
) -> StoreResult<Result<Applied, Refusal>> {
    let group = load(conn, jid)?.ok_or(NO_GROUP)?;
    let before = group.members.clone();
    // `apply` cannot fail, so the accounts an addition names are looked up first.
    let mut known = HashSet::new();
    if let GroupChange::Add(phones) = change {
        for phone in phones {
            if cache.id_of(conn, phone)?.is_some() {
                known.insert(phone.as_str());
            }
        }
    }
    let applied = match group::apply(group, actor, change, |phone| known.contains(phone)) {
        Ok(applied) => applied,
        Err(refusal) => return Ok(Err(refusal)),
    };
    save(conn, &applied.group)?;
    if applied.group.members != before {
        save_members(conn, cache, &applied.group)?;
    }
    match change {
        GroupChange::Add(_) | GroupChange::Join(_) => {
            for phone in applied.changed() {
                name_chat(conn, cache, &phone, &applied.group, now)?;
            }
        }
        GroupChange::Subject(..) => {
            for member in &applied.group.members {
                name_chat(conn, cache, &member.phone, &applied.group, now)?;
            }
        }
        _ => {}
    }
    Ok(Ok(applied))
}

/// Takes an account out of every group it is in, as if it left (so a group whose last admin it
/// was gets another one); run before the account itself is removed.
pub(super) fn forget_member(
    conn: &Connection,
    cache: &AccountCache,
    phone: &str,
) -> StoreResult<()> {
    let account = cache.id_of(conn, phone)?.ok_or(NO_ACCOUNT)?;
    let jids: Vec<String> = conn
        .prepare_cached("SELECT group_jid FROM group_members WHERE account_id = ?1")?
        .query_map([account], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    for jid in jids {
        let group = load(conn, &jid)?.ok_or(NO_GROUP)?;
        if let Ok(applied) = group::apply(group, phone, &GroupChange::Leave, |_| true) {
            save(conn, &applied.group)?;
            save_members(conn, cache, &applied.group)?;
        }
    }
    Ok(())
}
