//! `["Cmd",{"type":…}]`: commands the server (or the phone) gives the web client — the login
//! challenge, a forced disconnect, and a family of less important notices kept as raw objects.

use serde_json::{Map, Value};

use super::fields::serde_via_value;
use super::JsonError;

/// Body of a `Cmd` push, chosen by its `type` member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cmd {
    /// `{"type":"challenge","challenge":"<b64>"}`: prove you hold macKey (sent on a restore
    /// with stale tokens).
    Challenge {
        /// base64 of the bytes to HMAC.
        challenge: String,
    },
    /// `{"type":"disconnect","kind":"replaced"}` (another browser took over) or without `kind`
    /// (the phone logged this browser out).
    Disconnect {
        /// `Some("replaced")` on takeover, `None` when logged out by the phone.
        kind: Option<String>,
    },
    /// Any other type (`picture`, `update`, `read`, `privacy`, `const`, …), kept verbatim,
    /// `type` member included.
    Other(Map<String, Value>),
}

/// Why the server ends a session with `{"type":"disconnect","kind"?}` (docs/PROTOCOL.md §4.6,
/// §4.7): the one mapping between the `kind` member and its meaning, for both ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DisconnectKind {
    /// `kind:"replaced"`: another browser took over the account.
    Replaced,
    /// Any other `kind`, or none: the phone (or the server) logged this browser out.
    LoggedOut,
}

impl DisconnectKind {
    /// The meaning of a `kind` member (unknown values are read as a logout, as clients do).
    pub fn from_kind(kind: Option<&str>) -> Self {
        match kind {
            Some("replaced") => DisconnectKind::Replaced,
            _ => DisconnectKind::LoggedOut,
        }
    }

    /// The `kind` member that says it (none for a logout).
    pub fn kind(self) -> Option<&'static str> {
        match self {
            DisconnectKind::Replaced => Some("replaced"),
            DisconnectKind::LoggedOut => None,
        }
    }
}

impl Cmd {
    /// The `{"type":"disconnect","kind"?}` that ends a session for `why`.
    ///
    /// ```
    /// use waweb_proto::json::cmd::{Cmd, DisconnectKind};
    /// let cmd = Cmd::disconnect(DisconnectKind::LoggedOut);
    /// assert_eq!(cmd.to_value(), serde_json::json!({"type": "disconnect"}));
    /// assert_eq!(cmd.disconnect_kind(), Some(DisconnectKind::LoggedOut));
    /// assert_eq!(Cmd::replaced().disconnect_kind(), Some(DisconnectKind::Replaced));
    /// ```
    pub fn disconnect(why: DisconnectKind) -> Self {
        Cmd::Disconnect { kind: why.kind().map(str::to_owned) }
    }

    /// The `{"type":"disconnect","kind":"replaced"}` sent to a session that was taken over.
    pub fn replaced() -> Self {
        Self::disconnect(DisconnectKind::Replaced)
    }

    /// Why a `disconnect` command ends the session; `None` for other commands.
    pub fn disconnect_kind(&self) -> Option<DisconnectKind> {
        match self {
            Cmd::Disconnect { kind } => Some(DisconnectKind::from_kind(kind.as_deref())),
            _ => None,
        }
    }

    /// `{"type":"picture","jid":jid,"tag":tag}`: the profile picture of `jid` changed (its new
    /// version tag, or `"removed"`).
    ///
    /// ```
    /// use waweb_proto::json::cmd::Cmd;
    /// let cmd = Cmd::picture("15550000001@c.us", "1588844300");
    /// assert_eq!(cmd.kind_name(), "picture");
    /// assert_eq!(cmd.to_value()["tag"], "1588844300");
    /// ```
    pub fn picture(jid: &str, tag: &str) -> Self {
        let mut body = Map::new();
        body.insert("type".into(), "picture".into());
        body.insert("jid".into(), jid.into());
        body.insert("tag".into(), tag.into());
        Cmd::Other(body)
    }

    /// The `type` member.
    pub fn kind_name(&self) -> &str {
        match self {
            Cmd::Challenge { .. } => "challenge",
            Cmd::Disconnect { .. } => "disconnect",
            Cmd::Other(m) => m.get("type").and_then(Value::as_str).unwrap_or(""),
        }
    }

    /// Reads the object body.
    pub fn from_value(v: &Value) -> Result<Self, JsonError> {
        let m = v.as_object().ok_or(JsonError::NotAnObject)?;
        let kind = m
            .get("type")
            .ok_or(JsonError::MissingField("type"))?
            .as_str()
            .ok_or(JsonError::WrongType { field: "type", expected: "a string" })?;
        match kind {
            "challenge" => Ok(Cmd::Challenge { challenge: string_member(m, "challenge")? }),
            "disconnect" => Ok(Cmd::Disconnect { kind: optional_string_member(m, "kind")? }),
            _ => Ok(Cmd::Other(m.clone())),
        }
    }

    /// Builds the object body.
    pub fn to_value(&self) -> Value {
        let mut m = Map::new();
        match self {
            Cmd::Challenge { challenge } => {
                m.insert("type".into(), "challenge".into());
                m.insert("challenge".into(), challenge.as_str().into());
            }
            Cmd::Disconnect { kind } => {
                m.insert("type".into(), "disconnect".into());
                if let Some(kind) = kind {
                    m.insert("kind".into(), kind.as_str().into());
                }
            }
            Cmd::Other(other) => m.clone_from(other),
        }
        Value::Object(m)
    }
}

serde_via_value!(Cmd);

fn string_member(m: &Map<String, Value>, key: &'static str) -> Result<String, JsonError> {
    optional_string_member(m, key)?.ok_or(JsonError::MissingField(key))
}

fn optional_string_member(
    m: &Map<String, Value>,
    key: &'static str,
) -> Result<Option<String>, JsonError> {
    match m.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(JsonError::WrongType { field: key, expected: "a string" }),
    }
}
