//! The account's own settings (docs/PROTOCOL.md §8.5): the block list
//! `["block",{"type":"add"|"remove"},[["user",{"jid"},null]…]]`, the "about" text
//! `["status",null,<text>]`, the push name `["profile",{"name"},null]` and the profile (or
//! group, §8.10) picture `["picture",{"jid","id","type"},[["image",null,<jpeg>],["preview",null,
//! <jpeg>]]?]`.

use crate::binary::Node;

use super::error::{attr, expect, ActionError};

/// `block`: add users to the block list, or take them off.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// `type:"add"` (`true`) or `"remove"`.
    pub add: bool,
    /// The `jid` of each `user` child, as sent.
    pub users: Vec<String>,
}

impl Block {
    /// `["block",{"type"},[["user",{"jid"},null]…]]`.
    pub fn to_node(&self) -> Node {
        let users = self.users.iter().map(|j| Node::new("user").attr("jid", j.as_str())).collect();
        Node::new("block").attr("type", if self.add { "add" } else { "remove" }).children(users)
    }

    /// Reads a `block` node: `type` first; children other than `user` are skipped, a `user`
    /// without `jid` is an error.
    pub fn from_node(node: &Node) -> Result<Self, ActionError> {
        expect(node, "block")?;
        let add = match node.get_attr("type") {
            Some("add") => true,
            Some("remove") => false,
            _ => return Err(ActionError::InvalidAttr("type")),
        };
        let users = node
            .child_nodes()
            .iter()
            .filter(|u| u.description == "user")
            .map(|u| attr(u, "jid").map(str::to_owned))
            .collect::<Result<_, _>>()?;
        Ok(Block { add, users })
    }
}

/// `["status",null,<UTF-8 text>]`: the "about" text (empty without content).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AboutText {
    /// The text.
    pub text: String,
}

impl AboutText {
    /// `["status",null,<text>]`.
    pub fn to_node(&self) -> Node {
        Node::new("status").bytes(self.text.as_bytes().to_vec())
    }

    /// Reads a `status` node: no byte content is the empty text; bytes must be UTF-8.
    pub fn from_node(node: &Node) -> Result<Self, ActionError> {
        expect(node, "status")?;
        let bytes = node.content_bytes().unwrap_or_default();
        let text = std::str::from_utf8(bytes).map_err(|_| ActionError::NotUtf8("status"))?;
        Ok(AboutText { text: text.to_owned() })
    }
}

/// `["profile",{"name"},null]`: the push name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PushName {
    /// The name, as sent (the server refuses an empty one).
    pub name: String,
}

impl PushName {
    /// `["profile",{"name"},null]`.
    pub fn to_node(&self) -> Node {
        Node::new("profile").attr("name", self.name.as_str())
    }

    /// Reads a `profile` node; `name` is required.
    pub fn from_node(node: &Node) -> Result<Self, ActionError> {
        expect(node, "profile")?;
        Ok(PushName { name: attr(node, "name")?.to_owned() })
    }
}

/// What a `picture` action asks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PictureChange {
    /// `type:"set"` with the `image` and `preview` children's bytes (`None` when a child is
    /// absent or has no bytes; the server wants both, as JPEG).
    Set {
        /// The picture (640×640 in the official client).
        image: Option<Vec<u8>>,
        /// Its thumbnail (96×96).
        preview: Option<Vec<u8>>,
    },
    /// `type:"delete"`.
    Delete,
    /// Another `type`, or none (`""`): kept, so that the server answers it after checking who
    /// asks, as it always has.
    Other(String),
}

/// `picture`: set or remove the picture of `jid` (the account, or a group).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PictureAction {
    /// Whose picture.
    pub jid: String,
    /// `id`: the request's id (also its tag in the official client).
    pub id: Option<String>,
    /// What to do.
    pub change: PictureChange,
}

impl PictureAction {
    /// `["picture",{"jid","id"?,"type"},[["image",…],["preview",…]]?]`.
    pub fn to_node(&self) -> Node {
        self.clone().into_node()
    }

    /// [`PictureAction::to_node`] without copying the images.
    pub fn into_node(self) -> Node {
        let mut node = Node::new("picture").attr("jid", self.jid);
        if let Some(id) = self.id {
            node = node.attr("id", id);
        }
        match self.change {
            PictureChange::Set { image, preview } => {
                let child = |name: &str, bytes: Option<Vec<u8>>| match bytes {
                    Some(b) => Node::new(name).bytes(b),
                    None => Node::new(name),
                };
                node.attr("type", "set")
                    .children(vec![child("image", image), child("preview", preview)])
            }
            PictureChange::Delete => node.attr("type", "delete"),
            PictureChange::Other(kind) => node.attr("type", kind),
        }
    }

    /// Reads a `picture` node; only `jid` is required.
    pub fn from_node(node: &Node) -> Result<Self, ActionError> {
        expect(node, "picture")?;
        let jid = attr(node, "jid")?.to_owned();
        let bytes = |name: &str| {
            let child = node.child_nodes().iter().find(|c| c.description == name)?;
            child.content_bytes().map(<[u8]>::to_vec)
        };
        let change = match node.get_attr("type") {
            Some("set") => PictureChange::Set { image: bytes("image"), preview: bytes("preview") },
            Some("delete") => PictureChange::Delete,
            other => PictureChange::Other(other.unwrap_or_default().to_owned()),
        };
        Ok(PictureAction { jid, id: node.get_attr("id").map(str::to_owned), change })
    }
}
