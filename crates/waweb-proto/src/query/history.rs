//! History pages (docs/PROTOCOL.md §8.4):
//! `["query",{"type":"message","kind":"before"|"after","jid","count","index"?,"owner"?,
//! "participant"?},null]`, answered with a [`MessagePage`](super::page::MessagePage) of type
//! `message`, oldest first.

use super::{expect, lenient, optional, required, QueryError};
use crate::binary::node::bool_str;
use crate::binary::Node;

/// Which side of the reference message a page lies on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Direction {
    /// `kind:"before"`: strictly older messages (or the latest ones, without a reference).
    #[default]
    Before,
    /// `kind:"after"`: strictly newer messages.
    After,
}

impl Direction {
    /// The `kind` attribute's spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Before => "before",
            Direction::After => "after",
        }
    }
}

/// The reference message of a page: ids are unique only per chat and direction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    /// Its id (`index`).
    pub id: String,
    /// Whether it is from the asking account (`owner:"true"`).
    pub from_me: bool,
    /// Its sender in a group, when not from me (`participant`).
    pub participant: Option<String>,
}

/// `query type=message`: up to `count` messages of the chat `jid`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryQuery {
    /// The chat.
    pub jid: String,
    /// Before or after the cursor.
    pub direction: Direction,
    /// How many messages at most; `None` if absent or not a number (the server picks).
    pub count: Option<u32>,
    /// The reference message; without one, the latest messages of the chat.
    pub cursor: Option<Cursor>,
}

impl HistoryQuery {
    /// The latest `count` messages of `jid` (`kind:"before"` without a reference).
    pub fn latest(jid: impl Into<String>, count: u32) -> Self {
        HistoryQuery {
            jid: jid.into(),
            direction: Direction::Before,
            count: Some(count),
            cursor: None,
        }
    }

    /// The request node, attributes in the order `type, kind, jid, count, index, owner,
    /// participant` (without `epoch`, which the session adds).
    pub fn to_node(&self) -> Node {
        let mut node = Node::new("query")
            .attr("type", "message")
            .attr("kind", self.direction.as_str())
            .attr("jid", self.jid.as_str());
        if let Some(count) = self.count {
            node = node.attr("count", count.to_string());
        }
        if let Some(cursor) = &self.cursor {
            node = node.attr("index", cursor.id.as_str()).attr("owner", bool_str(cursor.from_me));
            if let Some(participant) = &cursor.participant {
                node = node.attr("participant", participant.as_str());
            }
        }
        node
    }

    /// Reads the request: `jid` is required; any `kind` but `after` is `before`, an `owner`
    /// other than `"true"` is not from me, and `owner`/`participant` without `index` are ignored.
    pub fn from_node(node: &Node) -> Result<Self, QueryError> {
        expect(node, "query", "message")?;
        let direction = match node.get_attr("kind") {
            Some("after") => Direction::After,
            _ => Direction::Before,
        };
        let cursor = node.get_attr("index").map(|id| Cursor {
            id: id.to_owned(),
            from_me: node.attr_is_true("owner"),
            participant: optional(node, "participant"),
        });
        Ok(HistoryQuery {
            jid: required(node, "jid")?.to_owned(),
            direction,
            count: lenient(node, "count"),
            cursor,
        })
    }
}
