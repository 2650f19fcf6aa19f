//! The contact list (docs/PROTOCOL.md §8.3, §8.8):
//! `["query",{"type":"contacts","kind":"retry"?},null]`, answered — or pushed during the initial
//! sync — with `["response",{"type":"contacts"},[user…]]`, or with `duplicate:"true"` and no
//! content when the list was already sent.

use super::{expect, expect_node, optional, required, QueryError};
use crate::binary::Node;

/// `["query",{"type":"contacts","kind":"retry"?},null]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ContactsQuery {
    /// `kind:"retry"`: send the full list even if it was already sent on this connection.
    pub retry: bool,
}

impl ContactsQuery {
    /// The request node (without `epoch`, which the session adds).
    pub fn to_node(&self) -> Node {
        let node = Node::new("query").attr("type", "contacts");
        if self.retry {
            node.attr("kind", "retry")
        } else {
            node
        }
    }

    /// Reads the request; any `kind` other than `retry` is a plain query.
    pub fn from_node(node: &Node) -> Result<Self, QueryError> {
        expect(node, "query", "contacts")?;
        Ok(ContactsQuery { retry: node.get_attr("kind") == Some("retry") })
    }
}

/// One contact: `["user",{jid,notify?,name?,short?},null]`, in that order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Contact {
    /// The contact's JID.
    pub jid: String,
    /// Address-book name.
    pub name: Option<String>,
    /// The name they chose (push name).
    pub notify: Option<String>,
    /// Short name.
    pub short: Option<String>,
}

impl Contact {
    /// A contact known only by its JID.
    pub fn new(jid: impl Into<String>) -> Self {
        Contact { jid: jid.into(), ..Contact::default() }
    }

    /// The `user` node.
    pub fn to_node(&self) -> Node {
        let mut node = Node::new("user").attr("jid", self.jid.as_str());
        for (key, value) in [("notify", &self.notify), ("name", &self.name), ("short", &self.short)]
        {
            if let Some(value) = value {
                node = node.attr(key, value.as_str());
            }
        }
        node
    }

    /// Reads a `user` node; [`QueryError::Missing`] without a `jid`.
    pub fn from_node(node: &Node) -> Result<Self, QueryError> {
        expect_node(node, "user")?;
        Ok(Contact {
            jid: required(node, "jid")?.to_owned(),
            name: optional(node, "name"),
            notify: optional(node, "notify"),
            short: optional(node, "short"),
        })
    }
}

/// The answer to [`ContactsQuery`], also pushed (tag `preempt-<k>`) in the initial sync.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ContactList {
    /// `["response",{"type":"contacts"},[user…]]`; an empty list keeps its empty child list
    /// (Baileys ignores a list without content, §9.1).
    Full(Vec<Contact>),
    /// `["response",{"type":"contacts","duplicate":"true"},null]`.
    Duplicate,
}

impl ContactList {
    /// The `response` node.
    pub fn to_node(&self) -> Node {
        let node = Node::new("response").attr("type", "contacts");
        match self {
            ContactList::Full(users) => node.children(users.iter().map(Contact::to_node).collect()),
            ContactList::Duplicate => node.attr("duplicate", "true"),
        }
    }

    /// Reads the answer. Children other than `user`, and users without a `jid`, are skipped.
    pub fn from_node(node: &Node) -> Result<Self, QueryError> {
        expect(node, "response", "contacts")?;
        if node.attr_is_true("duplicate") {
            return Ok(ContactList::Duplicate);
        }
        let items = node.child_nodes().iter().filter_map(|n| Contact::from_node(n).ok());
        Ok(ContactList::Full(items.collect()))
    }

    /// The contacts of the answer: none for a duplicate.
    pub fn into_contacts(self) -> Vec<Contact> {
        match self {
            ContactList::Full(users) => users,
            ContactList::Duplicate => Vec::new(),
        }
    }
}
