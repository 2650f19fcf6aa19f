//! Groups (docs/PROTOCOL.md §8.10): the `group` action (create, add, remove, promote, demote,
//! leave, subject, description, settings) and the group's picture; reading a group is in
//! `group_info`. Every change reaches each member concerned as a system ("stub") message in
//! the group's chat and, where clients expect one, a `["Chat",{…,"cmd":"action"}]` push; the
//! store applies the rules (see `store::group`) inside the write that saves the change.

use serde_json::{json, Value};
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
    match child.get_attr("type") {
        Some("create") => create(shared, me, child, t).await,
        Some(kind) => change(shared, me, child, kind, t).await,
        None => Err(Failure(400)),
    }
}

/// `type:"create"`: answers `{"status":200,"gid","participants":[{"<jid>":{"code"}}]}`.
async fn create<S: Store>(shared: &Shared<S>, me: &Me, child: &Node, t: u64) -> Handled {
    let subject = subject(child)?;
    let participants = participants(child)?;
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
    child: &Node,
    kind: &str,
    t: u64,
) -> Handled {
    let gid = child.get_attr("jid").filter(|j| is_group(j)).ok_or(Failure(400))?;
    let change = parse_change(child, kind, t)?;
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

/// Reads the change a `group` node asks for.
fn parse_change(child: &Node, kind: &str, t: u64) -> Result<GroupChange, Failure> {
    Ok(match kind {
        "add" => GroupChange::Add(non_empty(participants(child)?)?),
        "remove" => GroupChange::Remove(non_empty(participants(child)?)?),
        "promote" => GroupChange::Promote(non_empty(participants(child)?)?),
        "demote" => GroupChange::Demote(non_empty(participants(child)?)?),
        "leave" => GroupChange::Leave,
        "subject" => GroupChange::Subject(subject(child)?, t),
        "description" => describe(child, t)?,
        "prop" => setting(child)?,
        _ => return Err(Failure(400)),
    })
}

/// The `subject` attribute: trimmed, not empty, at most [`MAX_SUBJECT`] characters.
fn subject(child: &Node) -> Result<String, Failure> {
    let subject = child.get_attr("subject").map(str::trim).unwrap_or_default();
    if subject.is_empty() {
        return Err(Failure(400));
    }
    if subject.chars().count() > MAX_SUBJECT {
        return Err(Failure(406));
    }
    Ok(subject.to_owned())
}

/// The phone numbers of the `participant` children; a JID that is not a user's is a 400, and
/// more than a group holds a 406 (each is looked at inside the store's one writer).
fn participants(child: &Node) -> Result<Vec<String>, Failure> {
    let nodes: Vec<&Node> =
        child.child_nodes().iter().filter(|c| c.description == "participant").collect();
    if nodes.len() > MAX_MEMBERS {
        return Err(Failure(406));
    }
    nodes
        .into_iter()
        .map(|c| c.get_attr("jid").and_then(person_number).ok_or(Failure(400)))
        .collect()
}

fn non_empty(phones: Vec<String>) -> Result<Vec<String>, Failure> {
    if phones.is_empty() {
        Err(Failure(400))
    } else {
        Ok(phones)
    }
}

/// `type:"description"` with `[["description",{"id","prev"?},<utf-8>]]`.
fn describe(child: &Node, t: u64) -> Result<GroupChange, Failure> {
    let node = child.child_nodes().iter().find(|c| c.description == "description");
    let node = node.ok_or(Failure(400))?;
    let id = node.get_attr("id").filter(|id| !id.is_empty()).ok_or(Failure(400))?;
    let text = node.content_bytes().map(|b| String::from_utf8(b.to_vec()));
    let text = text.unwrap_or(Ok(String::new())).map_err(|_| Failure(400))?;
    if text.chars().count() > MAX_DESCRIPTION {
        return Err(Failure(406));
    }
    let description = Description { id: id.to_owned(), text, time: t, owner: String::new() };
    let prev = node.get_attr("prev").map(str::to_owned);
    Ok(GroupChange::Describe { description, prev })
}

/// `type:"prop"` with `[["announcement"|"locked",{"value":"true"|"false"}]]`.
fn setting(child: &Node) -> Result<GroupChange, Failure> {
    let node = child.child_nodes().first().ok_or(Failure(400))?;
    let on = match node.get_attr("value") {
        Some("true") => true,
        Some("false") => false,
        _ => return Err(Failure(400)),
    };
    match node.description.as_str() {
        "announcement" => Ok(GroupChange::Announce(on)),
        "locked" => Ok(GroupChange::Locked(on)),
        // Disappearing messages are not kept by this server.
        "ephemeral" => Err(Failure(501)),
        _ => Err(Failure(400)),
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
    gid: &str,
    child: &Node,
) -> Handled {
    let (group, role) = member_of(shared, me, gid).await?;
    if group.locked && !role.is_admin() {
        return Err(Failure(401));
    }
    let (reply, tag) = super::profile::change_picture(shared, &group.jid, child).await?;
    let audience = group.phones();
    let notice = Notice::new(&group, &me.account, now_s(), Stub::GroupChangeIcon, Vec::new());
    tell(shared, &audience, notice).await?;
    let push = ServerPush::Cmd(Cmd::picture(&group.jid, &tag));
    for phone in &audience {
        shared.hub.deliver(phone, json_push(push.clone()));
    }
    Ok(reply)
}
