//! The chat list (docs/PROTOCOL.md §8.3, §8.8): `["query",{"type":"chat","kind":"retry"?},null]`,
//! answered — or pushed during the initial sync — with `["response",{"type":"chat"},[chat…]]`,
//! or `["response",{"type":"chat","duplicate":"true"},null]` when the list was already sent.

use super::{expect, expect_node, lenient, optional, required, QueryError};
use crate::binary::node::bool_str;
use crate::binary::Node;

/// `["query",{"type":"chat","kind":"retry"?},null]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ChatsQuery {
    /// `kind:"retry"`: send the full list even if it was already sent on this connection.
    pub retry: bool,
}

impl ChatsQuery {
    /// The request node (without `epoch`, which the session adds).
    pub fn to_node(&self) -> Node {
        let node = Node::new("query").attr("type", "chat");
        if self.retry {
            node.attr("kind", "retry")
        } else {
            node
        }
    }

    /// Reads the request; any `kind` other than `retry` is a plain query.
    pub fn from_node(node: &Node) -> Result<Self, QueryError> {
        expect(node, "query", "chat")?;
        Ok(ChatsQuery { retry: node.get_attr("kind") == Some("retry") })
    }
}

/// One chat of the list:
/// `["chat",{jid,count,t,mute?,modify_tag,spam,archive?,pin?,name?},null]`, in that order.
///
/// Read leniently, as clients do: only `jid` is required; a missing or non-numeric `count`,
/// `t`, `mute` or `modify_tag` reads as `0`, a `pin` that is not a number as no pin, and
/// `spam` and `archive` are set only by `"true"`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Chat {
    /// The chat's JID (a user, `…@c.us`, or a group).
    pub jid: String,
    /// A name for the chat (group subject), when the server gives one.
    pub name: Option<String>,
    /// Unread messages (`count`); `-1` means marked unread.
    pub unread: i64,
    /// Last activity, unix seconds (`t`).
    pub t: u64,
    /// Muted until, unix seconds; `0` (attribute absent) is not muted.
    pub mute: u64,
    /// Archived (`archive:"true"`).
    pub archived: bool,
    /// Pinned since, unix seconds.
    pub pin: Option<u64>,
    /// Bumped on each change of the chat (`modify_tag`).
    pub modify_tag: u64,
    /// Reported as spam (`spam`).
    pub spam: bool,
}

impl Chat {
    /// The `chat` node.
    pub fn to_node(&self) -> Node {
        let mut node = Node::new("chat")
            .attr("jid", self.jid.as_str())
            .attr("count", self.unread.to_string())
            .attr("t", self.t.to_string());
        if self.mute != 0 {
            node = node.attr("mute", self.mute.to_string());
        }
        node =
            node.attr("modify_tag", self.modify_tag.to_string()).attr("spam", bool_str(self.spam));
        if self.archived {
            node = node.attr("archive", "true");
        }
        if let Some(pin) = self.pin {
            node = node.attr("pin", pin.to_string());
        }
        if let Some(name) = &self.name {
            node = node.attr("name", name.as_str());
        }
        node
    }

    /// Reads a `chat` node; [`QueryError::Missing`] without a `jid`.
    pub fn from_node(node: &Node) -> Result<Self, QueryError> {
        expect_node(node, "chat")?;
        Ok(Chat {
            jid: required(node, "jid")?.to_owned(),
            name: optional(node, "name"),
            unread: lenient(node, "count").unwrap_or(0),
            t: lenient(node, "t").unwrap_or(0),
            mute: lenient(node, "mute").unwrap_or(0),
            archived: node.attr_is_true("archive"),
            pin: lenient(node, "pin"),
            modify_tag: lenient(node, "modify_tag").unwrap_or(0),
            spam: node.attr_is_true("spam"),
        })
    }
}

/// The answer to [`ChatsQuery`], also pushed (tag `preempt-<k>`) in the initial sync.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChatList {
    /// `["response",{"type":"chat"},[chat…]]`, most recent first. An empty list is sent with an
    /// empty child list, never without content: Baileys ignores a list without content (§9.1).
    Full(Vec<Chat>),
    /// `["response",{"type":"chat","duplicate":"true"},null]`: already sent on this connection.
    Duplicate,
}

impl ChatList {
    /// The `response` node.
    pub fn to_node(&self) -> Node {
        let node = Node::new("response").attr("type", "chat");
        match self {
            ChatList::Full(chats) => node.children(chats.iter().map(Chat::to_node).collect()),
            ChatList::Duplicate => node.attr("duplicate", "true"),
        }
    }

    /// Reads the answer. Children other than `chat`, and `chat` items without a `jid`, are
    /// skipped (clients keep the rest of the list).
    pub fn from_node(node: &Node) -> Result<Self, QueryError> {
        expect(node, "response", "chat")?;
        if node.attr_is_true("duplicate") {
            return Ok(ChatList::Duplicate);
        }
        let items = node.child_nodes().iter().filter_map(|n| Chat::from_node(n).ok());
        Ok(ChatList::Full(items.collect()))
    }

    /// The chats of the answer: none for a duplicate.
    pub fn into_chats(self) -> Vec<Chat> {
        match self {
            ChatList::Full(chats) => chats,
            ChatList::Duplicate => Vec::new(),
        }
    }
}
