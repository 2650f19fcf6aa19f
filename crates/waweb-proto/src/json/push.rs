//! Every JSON push of the server, `["Name", body…]`, as one enum.
//!
//! ```
//! use serde_json::json;
//! use waweb_proto::json::push::ServerPush;
//!
//! let v = json!(["Blocklist", {"id": 1, "blocklist": []}]);
//! let push = ServerPush::from_value(&v).unwrap();
//! assert!(matches!(&push, ServerPush::Blocklist(b) if b.blocklist.is_empty()));
//! assert_eq!(push.to_value(), v);
//! ```

use serde_json::{json, Value};

use super::blocklist::Blocklist;
use super::cmd::Cmd;
use super::conn::Conn;
use super::fields::{at, bool_at, from_value, head, serde_via_value, to_value};
use super::msg::MsgAck;
use super::presence::Presence;
use super::props::Props;
use super::status::StatusUpdate;
use super::stream::Stream;
use super::JsonError;

/// A plaintext push from the server (tags `s1`, `s2`, …) or a JSON answer shaped like one
/// (`["Pong",true]`).
// Pushes are few and short-lived, so boxing `Conn` would buy nothing but noisier matches.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum ServerPush {
    /// `["Conn",{…}]`.
    Conn(Box<Conn>),
    /// `["Cmd",{"type":…}]`.
    Cmd(Cmd),
    /// `["Blocklist",{…}]`.
    Blocklist(Blocklist),
    /// `["Stream",kind,…]`.
    Stream(Stream),
    /// `["Props",{…}]`.
    Props(Props),
    /// `["Pong",bool]`.
    Pong(bool),
    /// `["Presence",{…}]`.
    Presence(Presence),
    /// `["Msg",{"cmd":"ack"|"acks",…}]`.
    Msg(MsgAck),
    /// `["MsgInfo",{"cmd":"ack"|"acks",…}]`.
    MsgInfo(MsgAck),
    /// `["Status",{"id":…,"status":…}]`.
    Status(StatusUpdate),
    /// Any other push (`Chat`, `Contact`, `Location`, …), kept verbatim.
    Other(Value),
}

impl ServerPush {
    /// The leading name, e.g. `"Conn"`.
    pub fn name(&self) -> &str {
        match self {
            ServerPush::Conn(_) => "Conn",
            ServerPush::Cmd(_) => "Cmd",
            ServerPush::Blocklist(_) => "Blocklist",
            ServerPush::Stream(_) => "Stream",
            ServerPush::Props(_) => "Props",
            ServerPush::Pong(_) => "Pong",
            ServerPush::Presence(_) => "Presence",
            ServerPush::Msg(_) => "Msg",
            ServerPush::MsgInfo(_) => "MsgInfo",
            ServerPush::Status(_) => "Status",
            ServerPush::Other(v) => v.get(0).and_then(Value::as_str).unwrap_or(""),
        }
    }

    /// Reads a `["Name", …]` array. A known name with a malformed body is an error; an unknown
    /// name becomes [`ServerPush::Other`].
    pub fn from_value(v: &Value) -> Result<Self, JsonError> {
        let (name, a) = head(v)?;
        let body = || at(a, 1, "body");
        Ok(match name {
            "Conn" => ServerPush::Conn(Box::new(from_value(body()?)?)),
            "Cmd" => ServerPush::Cmd(Cmd::from_value(body()?)?),
            "Blocklist" => ServerPush::Blocklist(from_value(body()?)?),
            "Stream" => ServerPush::Stream(Stream::from_elements(a)?),
            "Props" => ServerPush::Props(from_value(body()?)?),
            "Pong" => ServerPush::Pong(bool_at(a, 1, "body")?),
            "Presence" => ServerPush::Presence(from_value(body()?)?),
            "Msg" => ServerPush::Msg(from_value(body()?)?),
            "MsgInfo" => ServerPush::MsgInfo(from_value(body()?)?),
            "Status" => ServerPush::Status(from_value(body()?)?),
            _ => ServerPush::Other(v.clone()),
        })
    }

    /// Builds the `["Name", …]` array.
    pub fn to_value(&self) -> Value {
        let body = match self {
            ServerPush::Conn(c) => to_value(c.as_ref()),
            ServerPush::Cmd(c) => c.to_value(),
            ServerPush::Blocklist(b) => to_value(b),
            ServerPush::Stream(s) => return s.to_value(),
            ServerPush::Props(p) => to_value(p),
            ServerPush::Pong(b) => Value::Bool(*b),
            ServerPush::Presence(p) => to_value(p),
            ServerPush::Msg(m) | ServerPush::MsgInfo(m) => to_value(m),
            ServerPush::Status(s) => to_value(s),
            ServerPush::Other(v) => return v.clone(),
        };
        json!([self.name(), body])
    }
}

serde_via_value!(ServerPush);

macro_rules! into_push {
    ($($ty:ty => $variant:ident),* $(,)?) => {
        $(impl From<$ty> for ServerPush {
            fn from(x: $ty) -> Self {
                ServerPush::$variant(x)
            }
        })*
    };
}

impl From<Conn> for ServerPush {
    fn from(c: Conn) -> Self {
        ServerPush::Conn(Box::new(c))
    }
}

into_push! {
    Cmd => Cmd,
    Blocklist => Blocklist,
    Stream => Stream,
    Props => Props,
    Presence => Presence,
    StatusUpdate => Status,
}
