//! Groups and their members, each member's chat with the group. A group message stored for
//! every member is in `fan_out.rs`.
//!
//! A change loads the group `FOR UPDATE`, so two admins on two nodes changing one group take
//! turns, each applying the rules to the state the other left.

use std::collections::HashSet;

use tokio_postgres::Row;

use super::super::group::{self, Applied, CreatedGroup, Description};
use super::super::group::{Group, GroupChange, Member, NewGroup, Refusal, Role};
use super::super::{StoreError, StoreResult};
use super::accounts::{find_id, NOT_FOUND as NO_ACCOUNT};
use super::convert::{get, sql_u64, u64_of};
use super::db::Db;

const NO_GROUP: StoreError = StoreError::NotFound { what: "group" };

/// How far ahead of the clock a creator's group JIDs may run (one group a second on average).
const MAX_AHEAD_S: u64 = 60;

/// The group with this JID, with its members; with `lock`, its row stays locked until the
/// transaction ends.
pub(super) async fn load(db: &Db, jid: &str, lock: bool) -> StoreResult<Option<Group>> {
    let sql = format!(
        "SELECT creator, created, subject, subject_time, subject_owner, desc_id, desc_text,
                desc_time, desc_owner, announce, locked, invite_code
         FROM groups WHERE jid = $1{}",
        if lock { " FOR UPDATE" } else { "" }
    );
    let Some(row) = db.query_opt(&sql, &[&jid]).await? else { return Ok(None) };
    let mut group = build(jid, &row)?;
    let rows = db
        .query(
            "SELECT a.phone, m.role FROM group_members m JOIN accounts a ON a.id = m.account_id
             WHERE m.group_jid = $1 ORDER BY m.position",
            &[&jid],
        )
        .await?;
    for row in &rows {
        group.members.push(Member { phone: get(row, 0)?, role: role_of(get(row, 1)?)? });
    }
    Ok(Some(group))
}

fn build(jid: &str, r: &Row) -> StoreResult<Group> {
    let description = match (get(r, 5)?, get(r, 6)?, get::<Option<i64>>(r, 7)?, get(r, 8)?) {
        (Some(id), Some(text), Some(time), Some(owner)) => {
            Some(Description { id, text, time: u64_of(time, "group")?, owner })
        }
        _ => None,
    };
    Ok(Group {
        jid: jid.to_owned(),
        creator: get(r, 0)?,
        created: u64_of(get(r, 1)?, "group")?,
        subject: get(r, 2)?,
        subject_time: u64_of(get(r, 3)?, "group")?,
        subject_owner: get(r, 4)?,
        description,
        announce: get(r, 9)?,
        locked: get(r, 10)?,
        invite_code: get(r, 11)?,
        members: Vec::new(),
    })
}

fn role_of(code: i16) -> StoreResult<Role> {
    match code {
        0 => Ok(Role::Member),
        1 => Ok(Role::Admin),
        2 => Ok(Role::SuperAdmin),
        _ => Err(StoreError::Corrupt("group member")),
    }
}

fn role_code(role: Role) -> i16 {
    match role {
        Role::Member => 0,
        Role::Admin => 1,
        Role::SuperAdmin => 2,
    }
}

/// Writes the group's row (not its members: see [`save_members`]).
async fn save(db: &Db, group: &Group) -> StoreResult<()> {
    let d = group.description.as_ref();
    let desc_time = d.map(|d| sql_u64(d.time, "description time")).transpose()?;
    let (created, subject_time) =
        (sql_u64(group.created, "created")?, sql_u64(group.subject_time, "subject time")?);
    db.execute(
        "INSERT INTO groups (jid, creator, created, subject, subject_time, subject_owner, desc_id,
                             desc_text, desc_time, desc_owner, announce, locked, invite_code)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
         ON CONFLICT (jid) DO UPDATE SET
            subject = excluded.subject, subject_time = excluded.subject_time,
            subject_owner = excluded.subject_owner, desc_id = excluded.desc_id,
            desc_text = excluded.desc_text, desc_time = excluded.desc_time,
            desc_owner = excluded.desc_owner, announce = excluded.announce,
            locked = excluded.locked, invite_code = excluded.invite_code",
        &[
            &group.jid,
            &group.creator,
            &created,
            &group.subject,
            &subject_time,
            &group.subject_owner,
            &d.map(|d| &d.id),
            &d.map(|d| &d.text),
            &desc_time,
            &d.map(|d| &d.owner),
            &group.announce,
            &group.locked,
            &group.invite_code,
        ],
    )
    .await?;
    Ok(())
}

/// Replaces the group's member rows with its member list.
async fn save_members(db: &Db, group: &Group) -> StoreResult<()> {
    db.execute("DELETE FROM group_members WHERE group_jid = $1", &[&group.jid]).await?;
    let phones: Vec<&str> = group.members.iter().map(|m| m.phone.as_str()).collect();
    let roles: Vec<i16> = group.members.iter().map(|m| role_code(m.role)).collect();
    let inserted = db
        .execute(
            "INSERT INTO group_members (group_jid, account_id, position, role)
             SELECT $1, a.id, g.position, g.role
             FROM unnest($2::text[], $3::smallint[]) WITH ORDINALITY AS g(phone, role, position)
             JOIN accounts a ON a.phone = g.phone",
            &[&group.jid, &phones, &roles],
        )
        .await?;
    if usize::try_from(inserted).ok() != Some(group.members.len()) {
        return Err(NO_ACCOUNT);
    }
    Ok(())
}

/// Gives the member's chat with the group the group's name (creating the chat if needed).
async fn name_chat(db: &Db, phone: &str, group: &Group, t: u64) -> StoreResult<()> {
    let account = find_id(db, phone).await?.ok_or(NO_ACCOUNT)?;
    db.execute(
        "INSERT INTO chats (account_id, jid, t, name) VALUES ($1, $2, $3, $4)
         ON CONFLICT (account_id, jid) DO UPDATE
         SET name = excluded.name, t = greatest(chats.t, excluded.t)",
        &[&account, &group.jid, &sql_u64(t, "t")?, &group.subject],
    )
    .await?;
    Ok(())
}

/// The JID of the group whose invite code this is, if any.
pub(super) async fn by_invite(db: &Db, code: &str) -> StoreResult<Option<String>> {
    let row = db.query_opt("SELECT jid FROM groups WHERE invite_code = $1", &[&code]).await?;
    row.map(|r| get(&r, 0)).transpose()
}

/// Creates a group under the first free JID `<creator>-<time or later>@g.us`.
pub(super) async fn create(db: &Db, new: &NewGroup) -> StoreResult<CreatedGroup> {
    if find_id(db, &new.creator).await?.is_none() {
        return Err(NO_ACCOUNT);
    }
    // Two nodes creating groups for one creator at once would pick the same second: they take
    // turns on a lock named after the creator.
    db.execute("SELECT pg_advisory_xact_lock(hashtext('group:' || $1))", &[&new.creator]).await?;
    let row =
        db.query_one("SELECT max(created) FROM groups WHERE creator = $1", &[&new.creator]).await?;
    let last: Option<i64> = get(&row, 0)?;
    let after_last = last.map(|t| u64_of(t, "group")).transpose()?.map(|t| t.saturating_add(1));
    let created = after_last.map_or(new.time, |t| t.max(new.time));
    if created > new.time.saturating_add(MAX_AHEAD_S) {
        return Err(StoreError::TooFast("creating groups"));
    }
    let mut group = Group {
        jid: format!("{}-{created}@g.us", new.creator),
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
    let mut results: Vec<(String, u16)> = Vec::new();
    for phone in &new.participants {
        if *phone == new.creator || results.iter().any(|(p, _)| p == phone) {
            continue;
        }
        let code = if find_id(db, phone).await?.is_some() { 200 } else { 404 };
        if code == 200 {
            group.members.push(Member { phone: phone.clone(), role: Role::Member });
        }
        results.push((phone.clone(), code));
    }
    save(db, &group).await?;
    save_members(db, &group).await?;
    for member in &group.members {
        name_chat(db, &member.phone, &group, created).await?;
    }
    Ok(CreatedGroup { group, results })
}

/// Applies and saves one change; `NotFound` if there is no such group.
pub(super) async fn change(
    db: &Db,
    jid: &str,
    actor: &str,
    change: &GroupChange,
    now: u64,
) -> StoreResult<Result<Applied, Refusal>> {
    let group = load(db, jid, true).await?.ok_or(NO_GROUP)?;
    let before = group.members.clone();
    // `apply` cannot fail, so the accounts an addition names are looked up first.
    let mut known = HashSet::new();
    if let GroupChange::Add(phones) = change {
        for phone in phones {
            if find_id(db, phone).await?.is_some() {
                known.insert(phone.as_str());
            }
        }
    }
    let applied = match group::apply(group, actor, change, |phone| known.contains(phone)) {
        Ok(applied) => applied,
        Err(refusal) => return Ok(Err(refusal)),
    };
    save(db, &applied.group).await?;
    if applied.group.members != before {
        save_members(db, &applied.group).await?;
    }
    match change {
        GroupChange::Add(_) | GroupChange::Join(_) => {
            for phone in applied.changed() {
                name_chat(db, &phone, &applied.group, now).await?;
            }
        }
        GroupChange::Subject(..) => {
            for member in &applied.group.members {
                name_chat(db, &member.phone, &applied.group, now).await?;
            }
        }
        _ => {}
    }
    Ok(Ok(applied))
}

/// Takes an account out of every group it is in, as if it left (so a group whose last admin it
/// was gets another one); run before the account itself is removed.
pub(super) async fn forget_member(db: &Db, account: i64, phone: &str) -> StoreResult<()> {
    let rows = db
        .query(
            "SELECT group_jid FROM group_members WHERE account_id = $1 ORDER BY group_jid",
            &[&account],
        )
        .await?;
    for row in &rows {
        let jid: String = get(row, 0)?;
        let group = load(db, &jid, true).await?.ok_or(NO_GROUP)?;
        if let Ok(applied) = group::apply(group, phone, &GroupChange::Leave, |_| true) {
            save(db, &applied.group).await?;
            save_members(db, &applied.group).await?;
        }
    }
    Ok(())
}
