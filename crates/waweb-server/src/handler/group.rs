//! Groups (docs/PROTOCOL.md §8.10): the `group` action (create, add, remove, promote, demote,
//! leave, subject, description, settings) and the group's picture; reading a group is in
//! `group_info`. Every change reaches each member concerned as a system ("stub") message in
//! the group's chat and, where clients expect one, a `["Chat",{…,"cmd":"action"}]` push; the
//! store applies the rules (see `store::group`) inside the write that saves the change.

use serde_json::{json, Value};
use waweb_proto::action::group::{GroupAction, GroupChange as Asked, GroupDescription, GroupProp};
use waweb_proto::action::profile::PictureAction;
use waweb_proto::binary::jid::{is_group, person_jid, person_number};
use waweb_proto::binary::Node;
use waweb_proto::json::cmd::Cmd;
use waweb_proto::json::push::ServerPush;
use waweb_proto::message::WebMessageInfoStubType as Stub;

use super::common::{json_push, now_s, ok, Failure, Handled};
use super::group_info::member_of;
use super::group_notice::{tell, Notice};
use super::Reply;
use crate::context::{Me, Shared};
use crate::store::MAX_MEMBERS;
use crate::store::{Applied, Description, Group, GroupChange, NewGroup, Refusal, Store};

/// `maxSubject` of the `Props` the server sends: characters in a subject.
const MAX_SUBJECT: usize = 25;
/// `groupDescLength`: characters in a description.
const MAX_DESCRIPTION: usize = 512;

/// The action `["group",{"type",…},[…]]` (a child of `action type=set`).
pub(super) async fn action<S: Store>(shared: &Shared<S>, me: &Me, child: &Node) -> Handled {
    let t = now_s();
    // A malformed node is a 400, as a missing group JID is: which comes first does not show.
    let GroupAction { jid, change: asked, .. } =
        GroupAction::from_node(child).map_err(|_| Failure(400))?;
    if let Asked::Create { subject, participants } = &asked {
        return create(shared, me, subject.as_deref(), participants, t).await;
    }
    let gid = jid.filter(|j| is_group(j)).ok_or(Failure(400))?;
    change(shared, me, &gid, &asked, t).await
}

/// `type:"create"`: answers `{"status":200,"gid","participants":[{"<jid>":{"code"}}]}`.
async fn create<S: Store>(
    shared: &Shared<S>,
    me: &Me,
    subject_asked: Option<&str>,
    jids: &[String],
    t: u64,
) -> Handled {
    let subject = subject(subject_asked)?;
    let participants = participants(jids)?;
    if participants.len() >= MAX_MEMBERS {
        return Err(Failure(406));
    }
    let new = NewGroup { creator: me.account.clone(), subject, time: t, participants };
    let created = shared.store.create_group(new).await?;
    let group = &created.group;
    let audience = group.phones();
    // The creation time, which may be a second or more after `t` if that JID was taken.
    let notice = Notice::new(
        group,
        &me.account,
        group.created,
        Stub::GroupCreate,
        vec![group.subject.clone()],
    )
    .with_push("create", creation_payload(group));
    tell(shared, &audience, notice).await?;
    let results: Vec<Value> = created
        .results
        .iter()
        .map(|(phone, code)| json!({ person_jid(phone): { "code": code.to_string() } }))
        .collect();
    Ok(Reply::Json(json!({ "status": 200, "gid": group.jid, "participants": results })))
}

/// Every other `type`: the change, then the notices. Answers `{"status":200}`, with a
/// `participants` object for the changes that name members.
async fn change<S: Store>(
    shared: &Shared<S>,
    me: &Me,
    gid: &str,
    asked: &Asked,
    t: u64,
) -> Handled {
    let change = parse_change(asked, t)?;
    let applied = shared.store.change_group(gid, &me.account, change.clone(), t).await?;
    let applied = applied.map_err(refused)?;
    let (told, promotion) = notices(&applied, &change, &me.account, t);
    if let Some(notice) = told {
        // Members who just left or were removed hear of it too: their chat turns read-only.
        let mut audience = applied.group.phones();
        if matches!(change, GroupChange::Remove(_) | GroupChange::Leave) {
            audience.extend(applied.changed());
        }
        tell(shared, &audience, notice).await?;
    }
    if let Some(notice) = promotion {
        tell(shared, &applied.group.phones(), notice).await?;
    }
    if change.participants().is_empty() {
        return ok();
    }
    let results: serde_json::Map<String, Value> = applied
        .results
        .iter()
        .map(|(phone, code)| (person_jid(phone), json!({ "code": code.to_string() })))
        .collect();
    Ok(Reply::Json(json!({ "status": 200, "participants": results })))
}

/// The status a refused change answers.
pub(super) fn refused(refusal: Refusal) -> Failure {
    match refusal {
        Refusal::NotMember | Refusal::NotAdmin => Failure(401),
        Refusal::Conflict => Failure(409),
        Refusal::UnknownInvite => Failure(404),
        Refusal::Full => Failure(406),
    }
}

/// The store's change for what a `group` action asks.
fn parse_change(asked: &Asked, t: u64) -> Result<GroupChange, Failure> {
    Ok(match asked {
        Asked::Add(jids) => GroupChange::Add(non_empty(participants(jids)?)?),
        Asked::Remove(jids) => GroupChange::Remove(non_empty(participants(jids)?)?),
        Asked::Promote(jids) => GroupChange::Promote(non_empty(participants(jids)?)?),
        Asked::Demote(jids) => GroupChange::Demote(non_empty(participants(jids)?)?),
        Asked::Leave => GroupChange::Leave,
        Asked::Subject(s) => GroupChange::Subject(subject(s.as_deref())?, t),
        Asked::Description(d) => describe(d, t)?,
        Asked::Prop(prop) => setting(*prop)?,
        Asked::Create { .. } => return Err(Failure(400)),
    })
}

/// The `subject`: trimmed, not empty, at most [`MAX_SUBJECT`] characters.
fn subject(subject: Option<&str>) -> Result<String, Failure> {
    let subject = subject.map(str::trim).unwrap_or_default();
    if subject.is_empty() {
        return Err(Failure(400));
    }
    if subject.chars().count() > MAX_SUBJECT {
        return Err(Failure(406));
    }
    Ok(subject.to_owned())
}

/// The phone numbers of the participants; a JID that is not a user's is a 400, and more than
/// a group holds a 406 (each is looked at inside the store's one writer).
fn participants(jids: &[String]) -> Result<Vec<String>, Failure> {
    if jids.len() > MAX_MEMBERS {
        return Err(Failure(406));
    }
    jids.iter().map(|j| person_number(j).ok_or(Failure(400))).collect()
}

fn non_empty(phones: Vec<String>) -> Result<Vec<String>, Failure> {
    if phones.is_empty() {
        Err(Failure(400))
    } else {
        Ok(phones)
    }
}

/// `type:"description"`: at most [`MAX_DESCRIPTION`] characters.
fn describe(asked: &GroupDescription, t: u64) -> Result<GroupChange, Failure> {
    if asked.text.chars().count() > MAX_DESCRIPTION {
        return Err(Failure(406));
    }
    let GroupDescription { id, prev, text } = asked.clone();
    let description = Description { id, text, time: t, owner: String::new() };
    Ok(GroupChange::Describe { description, prev })
}

/// `type:"prop"`: announcement or locked.
fn setting(prop: GroupProp) -> Result<GroupChange, Failure> {
    match prop {
        GroupProp::Announcement(on) => Ok(GroupChange::Announce(on)),
        GroupProp::Locked(on) => Ok(GroupChange::Locked(on)),
        // Disappearing messages are not kept by this server.
        GroupProp::Ephemeral(_) => Err(Failure(501)),
    }
}

/// The system message and push a change makes, if any, for everyone it concerns, and the
/// promotion it caused, if any, for the members that remain.
pub(super) fn notices(
    applied: &Applied,
    change: &GroupChange,
    actor: &str,
    t: u64,
) -> (Option<Notice>, Option<Notice>) {
    let group = &applied.group;
    let jids = |phones: &[String]| phones.iter().map(|p| person_jid(p)).collect::<Vec<_>>();
    let changed = applied.changed();
    let members = |stub, push: &str| {
        Notice::new(group, actor, t, stub, jids(&changed))
            .with_push(push, json!({ "participants": jids(&changed) }))
    };
    let on_off = |on: bool| vec![if on { "on" } else { "off" }.to_owned()];
    let notice = match change {
        _ if !change.participants().is_empty() && changed.is_empty() => None,
        GroupChange::Add(_) => Some(members(Stub::GroupParticipantAdd, "add")),
        GroupChange::Remove(_) => Some(members(Stub::GroupParticipantRemove, "remove")),
        GroupChange::Promote(_) => Some(members(Stub::GroupParticipantPromote, "promote")),
        GroupChange::Demote(_) => Some(members(Stub::GroupParticipantDemote, "demote")),
        GroupChange::Leave => Some(members(Stub::GroupParticipantLeave, "remove")),
        GroupChange::Subject(subject, _) => Some(
            Notice::new(group, actor, t, Stub::GroupChangeSubject, vec![subject.clone()])
                .with_push("subject", json!({ "subject": subject, "s_t": t })),
        ),
        GroupChange::Describe { description, .. } => {
            let payload = json!({
                "desc": description.text, "descId": description.id, "descTime": t,
            });
            Some(
                Notice::new(group, actor, t, Stub::GroupChangeDescription, Vec::new())
                    .with_push("desc_add", payload),
            )
        }
        GroupChange::Announce(on) => {
            Some(Notice::new(group, actor, t, Stub::GroupChangeAnnounce, on_off(*on)))
        }
        GroupChange::Locked(on) => {
            Some(Notice::new(group, actor, t, Stub::GroupChangeRestrict, on_off(*on)))
        }
        GroupChange::Join(_) if changed.is_empty() => None,
        GroupChange::Join(_) => Some(members(Stub::GroupParticipantInvite, "add")),
        // The link is the admins' business: the members are not told.
        GroupChange::InviteCode { .. } => None,
    };
    let promotion = (!applied.promoted.is_empty()).then(|| {
        let promoted = jids(&applied.promoted);
        Notice::new(group, actor, t, Stub::GroupParticipantPromote, promoted.clone())
            .with_push("promote", json!({ "participants": promoted }))
    });
    (notice, promotion)
}

/// The payload of the `create` push: `{creation, subject, s_o, s_t, admins, regulars}`.
fn creation_payload(group: &Group) -> Value {
    let (admins, regulars): (Vec<_>, Vec<_>) =
        group.members.iter().partition(|m| m.role.is_admin());
    let jids = |list: Vec<&crate::store::Member>| {
        list.into_iter().map(|m| person_jid(&m.phone)).collect::<Vec<_>>()
    };
    json!({
        "creation": group.created,
        "subject": group.subject,
        "s_o": person_jid(&group.subject_owner),
        "s_t": group.subject_time,
        "admins": jids(admins),
        "regulars": jids(regulars),
    })
}

/// `["picture",{"jid":gid,"id","type":"set"|"delete"},…]`: the group's picture, changed by any
/// member unless the group is locked (admins only then: 401), as its subject. The members get
/// the system message GROUP_CHANGE_ICON and `["Cmd",{"type":"picture","jid":gid,"tag"}]`.
pub(super) async fn picture<S: Store>(
    shared: &Shared<S>,
    me: &Me,
    asked: PictureAction,
) -> Handled {
    let (group, role) = member_of(shared, me, &asked.jid).await?;
    if group.locked && !role.is_admin() {
        return Err(Failure(401));
    }
    let (reply, tag) = super::picture::change_picture(shared, &group.jid, asked.change).await?;
    let audience = group.phones();
    let notice = Notice::new(&group, &me.account, now_s(), Stub::GroupChangeIcon, Vec::new());
    tell(shared, &audience, notice).await?;
    let push = ServerPush::Cmd(Cmd::picture(&group.jid, &tag));
    for phone in &audience {
        shared.hub.deliver(phone, json_push(push.clone()));
    }
    Ok(reply)
}
