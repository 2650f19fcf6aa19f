//! Reading a group (docs/PROTOCOL.md §8.10): who may (its members), the `GroupMetadata` JSON
//! query and the binary `group` query (its shape: [`waweb_proto::query::group`]).

use serde_json::Value;
use waweb_proto::binary::jid::{is_group, person_jid};
use waweb_proto::binary::Node;
use waweb_proto::json::group::{GroupMetadata, GroupParticipant};
use waweb_proto::query::group::{GroupResponse, Participant};
use waweb_proto::query::{self, group::Description, group::GroupInfo, group::GroupQuery};

use super::common::{Failure, Handled};
use super::Reply;
use crate::context::{Me, Shared};
use crate::store::{Group, Role, Store};

/// The group `gid` and the account's role in it: 404 if there is no such group, 401 if the
/// account is not a member.
pub(super) async fn member_of<S: Store>(
    shared: &Shared<S>,
    me: &Me,
    gid: &str,
) -> Result<(Group, Role), Failure> {
    let group = shared.store.group(gid).await?.ok_or(Failure(404))?;
    let role = group.member(&me.account).map(|m| m.role).ok_or(Failure(401))?;
    Ok((group, role))
}

/// `["query","GroupMetadata",gid]`: the metadata, for members only (401 otherwise, 404 if there
/// is no such group).
pub(super) async fn metadata<S: Store>(shared: &Shared<S>, me: &Me, gid: &str) -> Handled {
    let (group, _) = member_of(shared, me, gid).await?;
    let value = serde_json::to_value(metadata_of(&group)).map_err(|_| Failure(500))?;
    Ok(Reply::Json(value))
}

/// The `GroupMetadata` object of a group.
pub fn metadata_of(group: &Group) -> GroupMetadata {
    let participants = group
        .members
        .iter()
        .map(|m| GroupParticipant {
            id: person_jid(&m.phone),
            is_admin: m.role.is_admin(),
            is_super_admin: m.role == Role::SuperAdmin,
        })
        .collect();
    let flag = |on: bool| Value::from(if on { "true" } else { "false" });
    let mut extra = serde_json::Map::new();
    extra.insert("announce".into(), flag(group.announce));
    extra.insert("restrict".into(), flag(group.locked));
    let d = group.description.as_ref();
    GroupMetadata {
        status: None,
        id: group.jid.clone(),
        owner: Some(person_jid(&group.creator)),
        subject: Some(group.subject.clone()),
        creation: Some(group.created),
        participants,
        subject_time: Some(group.subject_time),
        subject_owner: Some(person_jid(&group.subject_owner)),
        desc: d.map(|d| d.text.clone()),
        desc_id: d.map(|d| d.id.clone()),
        desc_time: d.map(|d| d.time),
        desc_owner: d.map(|d| person_jid(&d.owner)),
        extra,
    }
}

/// `["query",{"type":"group","jid"},null]`: the group as a node
/// ([`waweb_proto::query::group`]), for members and former members (who still have the group's
/// chat): Baileys asks it after leaving a group.
pub(super) async fn query<S: Store>(shared: &Shared<S>, me: &Me, node: &Node) -> Handled {
    let q = GroupQuery::from_node(node).map_err(|_| Failure(400))?;
    if !is_group(&q.jid) {
        return Err(Failure(400));
    }
    let store = shared.store.as_ref();
    let Some(group) = store.group(&q.jid).await? else {
        return Ok(Reply::Node(GroupResponse::Missing.to_node()));
    };
    if group.member(&me.account).is_none() && store.chat(&me.account, &q.jid).await?.is_none() {
        return Err(Failure(401));
    }
    let participants = group
        .members
        .iter()
        .map(|m| Participant {
            jid: person_jid(&m.phone),
            role: match m.role {
                Role::SuperAdmin => query::group::Role::SuperAdmin,
                Role::Admin => query::group::Role::Admin,
                Role::Member => query::group::Role::Member,
            },
        })
        .collect();
    let description = group.description.map(|d| Description { id: d.id, text: d.text });
    let info = GroupInfo {
        creator: person_jid(&group.creator),
        created: group.created,
        subject: group.subject,
        participants,
        description,
    };
    Ok(Reply::Node(GroupResponse::Group(info).to_node()))
}
