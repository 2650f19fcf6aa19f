//! `["Msg",{"cmd":"ack",…}]` and `["MsgInfo",…]`: delivery state of messages the client
//! sent — accepted by the server, delivered to the phone of the peer, read, played.
//!
//! ```
//! use waweb_proto::json::msg::{Ack, MsgAck};
//!
//! let ack = MsgAck::single("3EB0A1B2C3D4", Ack::Delivered, "33612345678@c.us",
//!                          "33698765432@c.us", 1588900011);
//! assert_eq!(ack.ack_state(), Ok(Ack::Delivered));
//! assert_eq!(ack.ids(), ["3EB0A1B2C3D4"]);
//! ```

use serde::{Deserialize, Serialize};

use super::{lenient, JsonError};
use crate::message::WebMessageInfoStatus;

/// Body of a `Msg`/`MsgInfo` push: one or several message ids reached state `ack`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MsgAck {
    /// `ack` (one id) or `acks` (several).
    pub cmd: AckCmd,
    /// The message id(s).
    pub id: MsgIds,
    /// The state reached, see [`Ack`].
    #[serde(deserialize_with = "lenient::int")]
    pub ack: i32,
    /// The sender of the message (the client's own JID, `…@c.us`).
    pub from: String,
    /// The chat the message went to.
    pub to: String,
    /// When the state was reached, Unix seconds.
    #[serde(deserialize_with = "lenient::int")]
    pub t: u64,
    /// In a group: the member who received or read it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub participant: Option<String>,
    /// Set for broadcast-list messages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub broadcast: Option<bool>,
}

/// The `cmd` member of a [`MsgAck`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AckCmd {
    /// One id.
    Ack,
    /// A list of ids.
    Acks,
}

/// The `id` member of a [`MsgAck`]: a string for `ack`, an array for `acks`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum MsgIds {
    /// `"3EB0…"`.
    One(String),
    /// `["3EB0…","3EB0…"]`.
    Many(Vec<String>),
}

/// Message states as the official client numbers them in `ack`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(i32)]
pub enum Ack {
    /// −1: sending failed.
    Error = -1,
    /// 0: the clock icon, not yet at the server.
    Pending = 0,
    /// 1: the server has it (one tick).
    Server = 1,
    /// 2: delivered to the recipient's phone (two ticks).
    Delivered = 2,
    /// 3: read (blue ticks).
    Read = 3,
    /// 4: voice note or video played.
    Played = 4,
}

impl Ack {
    /// A lower-case name for people and scripts: `error`, `pending`, `server`, `delivered`,
    /// `read`, `played`.
    pub fn name(self) -> &'static str {
        match self {
            Ack::Error => "error",
            Ack::Pending => "pending",
            Ack::Server => "server",
            Ack::Delivered => "delivered",
            Ack::Read => "read",
            Ack::Played => "played",
        }
    }

    /// The matching `WebMessageInfo.status`: Baileys stores `ack + 1`.
    pub fn status(self) -> WebMessageInfoStatus {
        match self {
            Ack::Error => WebMessageInfoStatus::Error,
            Ack::Pending => WebMessageInfoStatus::Pending,
            Ack::Server => WebMessageInfoStatus::ServerAck,
            Ack::Delivered => WebMessageInfoStatus::DeliveryAck,
            Ack::Read => WebMessageInfoStatus::Read,
            Ack::Played => WebMessageInfoStatus::Played,
        }
    }
}

impl From<Ack> for i32 {
    fn from(a: Ack) -> i32 {
        a as i32
    }
}

impl TryFrom<i32> for Ack {
    type Error = JsonError;

    fn try_from(n: i32) -> Result<Self, JsonError> {
        Ok(match n {
            -1 => Ack::Error,
            0 => Ack::Pending,
            1 => Ack::Server,
            2 => Ack::Delivered,
            3 => Ack::Read,
            4 => Ack::Played,
            _ => return Err(JsonError::InvalidValue { field: "ack", value: n.to_string() }),
        })
    }
}

impl MsgAck {
    /// `{"cmd":"ack","id":…,"ack":…,"from":…,"to":…,"t":…}` for one message.
    pub fn single(
        id: impl Into<String>,
        ack: Ack,
        from: impl Into<String>,
        to: impl Into<String>,
        t: u64,
    ) -> Self {
        MsgAck {
            cmd: AckCmd::Ack,
            id: MsgIds::One(id.into()),
            ack: ack.into(),
            from: from.into(),
            to: to.into(),
            t,
            participant: None,
            broadcast: None,
        }
    }

    /// `{"cmd":"acks","id":[…],…}` for several messages of one chat.
    pub fn many(
        ids: Vec<String>,
        ack: Ack,
        from: impl Into<String>,
        to: impl Into<String>,
        t: u64,
    ) -> Self {
        MsgAck { cmd: AckCmd::Acks, id: MsgIds::Many(ids), ..Self::single("", ack, from, to, t) }
    }

    /// The typed state, or [`JsonError::InvalidValue`] for a number outside −1..=4.
    pub fn ack_state(&self) -> Result<Ack, JsonError> {
        Ack::try_from(self.ack)
    }

    /// The ids, whichever form `id` has.
    pub fn ids(&self) -> Vec<&str> {
        match &self.id {
            MsgIds::One(id) => vec![id.as_str()],
            MsgIds::Many(ids) => ids.iter().map(String::as_str).collect(),
        }
    }
}
