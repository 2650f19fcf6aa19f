//! A new URL for a media message (docs/PROTOCOL.md §10.3):
//! `["query",{"type":"media","index":id,"owner":"true"|"false","jid":chat},null]`, answered with
//! `["response",{"url","directPath"},null]` (no `type`). Baileys 3.5.3 asks it when a download
//! answers `404`, and copies every attribute of the answer into the message.

use super::{expect, expect_node, required, QueryError};
use crate::binary::node::bool_str;
use crate::binary::Node;

/// `query type=media` for the message `id` of the chat `jid`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaQuery {
    /// The chat.
    pub jid: String,
    /// The message id (`index`).
    pub id: String,
    /// Whether the message is from the asking account (`owner`).
    pub from_me: bool,
}

impl MediaQuery {
    /// The request node, attributes in the order `type, index, owner, jid` (without `epoch`).
    pub fn to_node(&self) -> Node {
        Node::new("query")
            .attr("type", "media")
            .attr("index", self.id.as_str())
            .attr("owner", bool_str(self.from_me))
            .attr("jid", self.jid.as_str())
    }

    /// Reads the request: `jid` and `index` are required; `owner` absent is `false`, and a value
    /// other than `"true"` or `"false"` is an error.
    pub fn from_node(node: &Node) -> Result<Self, QueryError> {
        expect(node, "query", "media")?;
        let jid = required(node, "jid")?.to_owned();
        let id = required(node, "index")?.to_owned();
        let from_me = match node.get_attr("owner") {
            Some("true") => true,
            Some("false") | None => false,
            Some(other) => return Err(QueryError::Invalid { name: "owner", value: other.into() }),
        };
        Ok(MediaQuery { jid, id, from_me })
    }
}

/// The answer: where the blob is now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaResponse {
    /// The full URL (`url`).
    pub url: String,
    /// The URL's path on the media host (`directPath`).
    pub direct_path: String,
}

impl MediaResponse {
    /// `["response",{"url","directPath"},null]`.
    pub fn to_node(&self) -> Node {
        Node::new("response")
            .attr("url", self.url.as_str())
            .attr("directPath", self.direct_path.as_str())
    }

    /// Reads the answer; both attributes are required.
    pub fn from_node(node: &Node) -> Result<Self, QueryError> {
        expect_node(node, "response")?;
        let url = required(node, "url")?.to_owned();
        Ok(MediaResponse { url, direct_path: required(node, "directPath")?.to_owned() })
    }
}
