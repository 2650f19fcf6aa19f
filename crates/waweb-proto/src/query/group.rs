//! A group's metadata as a node (docs/PROTOCOL.md §8.3, §8.10):
//! `["query",{"type":"group","jid":gid},null]`, answered with
//! `["response",{"type":"group"},[["group",{"creator","create","subject"},[participant…,
//! description?]]]]`, or `["response",{"type":"missing"},null]` for an unknown group. Baileys
//! asks it, among others after leaving a group.

use super::{expect, expect_node, number, required, QueryError};
use crate::binary::Node;

/// `query type=group` about the group `jid`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupQuery {
    /// The group (`…@g.us`).
    pub jid: String,
}

impl GroupQuery {
    /// The request node (without `epoch`).
    pub fn to_node(&self) -> Node {
        Node::new("query").attr("type", "group").attr("jid", self.jid.as_str())
    }

    /// Reads the request; `jid` is required (whether it names a group is the server's check).
    pub fn from_node(node: &Node) -> Result<Self, QueryError> {
        expect(node, "query", "group")?;
        Ok(GroupQuery { jid: required(node, "jid")?.to_owned() })
    }
}

/// A member's role (`type` of a `participant`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Role {
    /// No `type` attribute.
    #[default]
    Member,
    /// `type:"admin"`.
    Admin,
    /// `type:"superadmin"`: the creator.
    SuperAdmin,
}

/// `["participant",{"jid","type"?},null]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Participant {
    /// The member (`…@c.us`).
    pub jid: String,
    /// Their role.
    pub role: Role,
}

impl Participant {
    /// The `participant` node.
    pub fn to_node(&self) -> Node {
        let node = Node::new("participant").attr("jid", self.jid.as_str());
        match self.role {
            Role::SuperAdmin => node.attr("type", "superadmin"),
            Role::Admin => node.attr("type", "admin"),
            Role::Member => node,
        }
    }

    /// Reads a `participant`; a `type` other than `admin` or `superadmin` is an error.
    pub fn from_node(node: &Node) -> Result<Self, QueryError> {
        expect_node(node, "participant")?;
        let role = match node.get_attr("type") {
            None => Role::Member,
            Some("admin") => Role::Admin,
            Some("superadmin") => Role::SuperAdmin,
            Some(other) => return Err(QueryError::Invalid { name: "type", value: other.into() }),
        };
        Ok(Participant { jid: required(node, "jid")?.to_owned(), role })
    }
}

/// `["description",{"id"},<UTF-8 text>]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Description {
    /// The description's id (changes with each edit).
    pub id: String,
    /// The text.
    pub text: String,
}

/// The `group` node of the answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupInfo {
    /// Who made it (`creator`, `…@c.us`).
    pub creator: String,
    /// When, unix seconds (`create`).
    pub created: u64,
    /// Its subject.
    pub subject: String,
    /// Its members, in the server's order.
    pub participants: Vec<Participant>,
    /// Its description, if it has one.
    pub description: Option<Description>,
}

impl GroupInfo {
    /// `["group",{"creator","create","subject"},[participant…, description?]]`; the child list
    /// is there even when empty.
    pub fn to_node(&self) -> Node {
        let mut children: Vec<Node> = self.participants.iter().map(Participant::to_node).collect();
        if let Some(d) = &self.description {
            let text = d.text.clone().into_bytes();
            children.push(Node::new("description").attr("id", d.id.as_str()).bytes(text));
        }
        Node::new("group")
            .attr("creator", self.creator.as_str())
            .attr("create", self.created.to_string())
            .attr("subject", self.subject.as_str())
            .children(children)
    }

    /// Reads a `group` node: `creator`, `create` (a number) and `subject` are required; of the
    /// children, `participant`s and the first `description` are read, others skipped.
    pub fn from_node(node: &Node) -> Result<Self, QueryError> {
        expect_node(node, "group")?;
        let mut participants = Vec::new();
        let mut description = None;
        for child in node.child_nodes() {
            match child.description.as_str() {
                "participant" => participants.push(Participant::from_node(child)?),
                "description" if description.is_none() => {
                    let id = required(child, "id")?.to_owned();
                    let bytes = child.content_bytes().ok_or(QueryError::Content("description"))?;
                    let text = String::from_utf8(bytes.to_vec())
                        .map_err(|_| QueryError::Content("description"))?;
                    description = Some(Description { id, text });
                }
                _ => {}
            }
        }
        Ok(GroupInfo {
            creator: required(node, "creator")?.to_owned(),
            created: number(node, "create")?,
            subject: required(node, "subject")?.to_owned(),
            participants,
            description,
        })
    }
}

/// The answer to a [`GroupQuery`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GroupResponse {
    /// `["response",{"type":"group"},[group]]`.
    Group(GroupInfo),
    /// `["response",{"type":"missing"},null]`: no such group.
    Missing,
}

impl GroupResponse {
    /// The `response` node.
    pub fn to_node(&self) -> Node {
        match self {
            GroupResponse::Group(info) => {
                Node::new("response").attr("type", "group").children(vec![info.to_node()])
            }
            GroupResponse::Missing => Node::new("response").attr("type", "missing"),
        }
    }

    /// Reads the answer: `type:"missing"`, or `type:"group"` with a `group` child.
    pub fn from_node(node: &Node) -> Result<Self, QueryError> {
        if expect(node, "response", "missing").is_ok() {
            return Ok(GroupResponse::Missing);
        }
        expect(node, "response", "group")?;
        let group = node
            .child_nodes()
            .iter()
            .find(|n| n.description == "group")
            .ok_or(QueryError::Missing("group"))?;
        Ok(GroupResponse::Group(GroupInfo::from_node(group)?))
    }
}
