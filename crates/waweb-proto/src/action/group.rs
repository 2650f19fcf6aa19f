//! The `group` action (docs/PROTOCOL.md §8.10): `["group",{"author"?,"id"?,"type","jid"?,
//! "subject"?},[participant…|description|setting]?]` — create a group, add, remove, promote or
//! demote members, leave, change the subject, the description or a setting.
//!
//! Only the shape is read here: the subject's length, the number of participants and whether
//! each is a user are the server's rules, checked in the order it has always checked them.

use crate::binary::node::bool_str;
use crate::binary::Node;

use super::error::{attr, expect, ActionError};

/// A group setting, the child of `type:"prop"`: `["announcement"|"locked"|"ephemeral",
/// {"value":"true"|"false"},null]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupProp {
    /// Only admins send messages.
    Announcement(bool),
    /// Only admins change the subject, description and settings.
    Locked(bool),
    /// Disappearing messages (which waweb does not keep: answered 501).
    Ephemeral(bool),
}

/// The description child of `type:"description"`: `["description",{"id","prev"?},<UTF-8>]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupDescription {
    /// The new description's id (not empty).
    pub id: String,
    /// The id of the description it replaces.
    pub prev: Option<String>,
    /// The text; empty removes the description.
    pub text: String,
}

/// What a `group` action does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GroupChange {
    /// `create` with `subject` and `participant` children.
    Create {
        /// `subject`, as sent (the server trims it).
        subject: Option<String>,
        /// The participants' JIDs.
        participants: Vec<String>,
    },
    /// `add` these members.
    Add(Vec<String>),
    /// `remove` these members.
    Remove(Vec<String>),
    /// `promote` these members to admins.
    Promote(Vec<String>),
    /// `demote` these admins.
    Demote(Vec<String>),
    /// `leave` the group.
    Leave,
    /// `subject`: rename the group.
    Subject(Option<String>),
    /// `description`: set or remove the description.
    Description(GroupDescription),
    /// `prop`: switch a setting.
    Prop(GroupProp),
}

impl GroupChange {
    /// The `type` attribute.
    pub fn kind(&self) -> &'static str {
        match self {
            GroupChange::Create { .. } => "create",
            GroupChange::Add(_) => "add",
            GroupChange::Remove(_) => "remove",
            GroupChange::Promote(_) => "promote",
            GroupChange::Demote(_) => "demote",
            GroupChange::Leave => "leave",
            GroupChange::Subject(_) => "subject",
            GroupChange::Description(_) => "description",
            GroupChange::Prop(_) => "prop",
        }
    }
}

/// One `group` action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupAction {
    /// `author`: the JID of who asks (our client sends it; the server knows who asks).
    pub author: Option<String>,
    /// `id`: the request's id.
    pub id: Option<String>,
    /// `jid`: the group changed (absent on a creation).
    pub jid: Option<String>,
    /// What to do.
    pub change: GroupChange,
}

impl GroupAction {
    /// `["group",{"author"?,"id"?,"type","jid"?,"subject"?},[…]?]`, attributes in that order.
    pub fn to_node(&self) -> Node {
        let mut node = Node::new("group");
        if let Some(author) = &self.author {
            node = node.attr("author", author.as_str());
        }
        if let Some(id) = &self.id {
            node = node.attr("id", id.as_str());
        }
        node = node.attr("type", self.change.kind());
        if let Some(jid) = &self.jid {
            node = node.attr("jid", jid.as_str());
        }
        let participants = |node: Node, jids: &[String]| {
            let children = jids.iter().map(|j| Node::new("participant").attr("jid", j.as_str()));
            node.children(children.collect())
        };
        match &self.change {
            GroupChange::Create { subject, participants: jids } => {
                let node = match subject {
                    Some(s) => node.attr("subject", s.as_str()),
                    None => node,
                };
                participants(node, jids)
            }
            GroupChange::Add(jids)
            | GroupChange::Remove(jids)
            | GroupChange::Promote(jids)
            | GroupChange::Demote(jids) => participants(node, jids),
            GroupChange::Leave => node,
            GroupChange::Subject(Some(s)) => node.attr("subject", s.as_str()),
            GroupChange::Subject(None) => node,
            GroupChange::Description(d) => {
                let mut child = Node::new("description").attr("id", d.id.as_str());
                if let Some(prev) = &d.prev {
                    child = child.attr("prev", prev.as_str());
                }
                node.children(vec![child.bytes(d.text.as_bytes().to_vec())])
            }
            GroupChange::Prop(prop) => {
                let (name, on) = match prop {
                    GroupProp::Announcement(on) => ("announcement", on),
                    GroupProp::Locked(on) => ("locked", on),
                    GroupProp::Ephemeral(on) => ("ephemeral", on),
                };
                node.children(vec![Node::new(name).attr("value", bool_str(*on))])
            }
        }
    }

    /// Reads a `group` node. A `participant` child without `jid` reads as the empty JID
    /// (which no user has: the server refuses it where it checks each participant); other
    /// children are skipped.
    pub fn from_node(node: &Node) -> Result<Self, ActionError> {
        expect(node, "group")?;
        let subject = || node.get_attr("subject").map(str::to_owned);
        let jids = || participants(node);
        let change = match attr(node, "type")? {
            "create" => GroupChange::Create { subject: subject(), participants: jids() },
            "add" => GroupChange::Add(jids()),
            "remove" => GroupChange::Remove(jids()),
            "promote" => GroupChange::Promote(jids()),
            "demote" => GroupChange::Demote(jids()),
            "leave" => GroupChange::Leave,
            "subject" => GroupChange::Subject(subject()),
            "description" => GroupChange::Description(description(node)?),
            "prop" => GroupChange::Prop(prop(node)?),
            _ => return Err(ActionError::InvalidAttr("type")),
        };
        let text = |k: &str| node.get_attr(k).map(str::to_owned);
        Ok(GroupAction { author: text("author"), id: text("id"), jid: text("jid"), change })
    }
}

/// The `jid` of each `participant` child (empty when absent).
fn participants(node: &Node) -> Vec<String> {
    node.child_nodes()
        .iter()
        .filter(|c| c.description == "participant")
        .map(|c| c.get_attr("jid").unwrap_or_default().to_owned())
        .collect()
}

/// The first `description` child: a non-empty `id`, UTF-8 text (empty without bytes).
fn description(node: &Node) -> Result<GroupDescription, ActionError> {
    let child = node.child_nodes().iter().find(|c| c.description == "description");
    let child = child.ok_or(ActionError::MissingChild("description"))?;
    let id = child.get_attr("id").filter(|id| !id.is_empty());
    let id = id.ok_or(ActionError::MissingAttr("id"))?.to_owned();
    let text = std::str::from_utf8(child.content_bytes().unwrap_or_default())
        .map_err(|_| ActionError::NotUtf8("description"))?;
    let prev = child.get_attr("prev").map(str::to_owned);
    Ok(GroupDescription { id, prev, text: text.to_owned() })
}

/// The first child of a `prop`: its `value` first, then its name.
fn prop(node: &Node) -> Result<GroupProp, ActionError> {
    let child = node.child_nodes().first().ok_or(ActionError::MissingChild("prop"))?;
    let on = match child.get_attr("value") {
        Some("true") => true,
        Some("false") => false,
        _ => return Err(ActionError::InvalidAttr("value")),
    };
    match child.description.as_str() {
        "announcement" => Ok(GroupProp::Announcement(on)),
        "locked" => Ok(GroupProp::Locked(on)),
        "ephemeral" => Ok(GroupProp::Ephemeral(on)),
        _ => Err(ActionError::MissingChild("prop")),
    }
}
