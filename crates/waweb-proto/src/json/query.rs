//! Text (JSON) queries and actions a client sends outside the `admin` family:
//! `["query","exist",jid]`, `["query","Status",jid]`, `["action","presence","subscribe",jid]`, …
//!
//! Every form a server must answer has a variant; anything else (business queries, calls, and the
//! binary-style `["query",{…},null]`) is [`JsonQuery::Other`], so the server can answer it with
//! an error status instead of failing to parse.

use serde_json::{json, Value};

use super::fields::{head, serde_via_value, str_at, string_at};
use super::JsonError;

/// A JSON `query`/`action` request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JsonQuery {
    /// `["query","exist",jid]` → `{"status":200,"jid":…,"biz":bool}` or `{"status":404}`.
    Exist(String),
    /// `["query","Status",jid]` → `{"status":"<about text>"}` or `{"status":404}`.
    Status(String),
    /// `["query","ProfilePicThumb",jid]` → `{"eurl":…,"tag":…}` or `{"status":404}`.
    ProfilePicThumb(String),
    /// `["query","Presence","lastseen",jid]` → `{"t":<unix>}` (2016 clients).
    LastSeen(String),
    /// `["query","GroupMetadata",gid]` → the group's metadata object.
    GroupMetadata(String),
    /// `["query","inviteCode",gid]` → `{"status":200,"code":…}`.
    InviteCode(String),
    /// `["query","invite",code]` → group info for an invite code.
    InviteInfo(String),
    /// `["query","mediaConn"]` → `{"status":200,"media_conn":{…}}`.
    MediaConn,
    /// `["action","encr_upload",type,base64(fileEncSha256)]` → `{"status":200,"url":…}`: where
    /// to upload one blob (the form clients used before `mediaConn`).
    EncrUpload {
        /// `image`, `video`, `audio` or `document`.
        kind: String,
        /// The blob's SHA-256 in base64, as sent.
        hash: String,
    },
    /// `["action","presence","subscribe",jid]` → `{"status":200}`, then `Presence` pushes.
    PresenceSubscribe(String),
    /// `["action","invite",code]` → `{"status":200,"gid":…}`.
    AcceptInvite(String),
    /// `["action","inviteReset",gid]` → `{"status":200}`.
    InviteReset(String),
    /// Any other `query`/`action` array, verbatim.
    Other(Value),
}

impl JsonQuery {
    /// Reads a `["query", …]` or `["action", …]` array.
    pub fn from_value(v: &Value) -> Result<Self, JsonError> {
        let (kind, a) = head(v)?;
        // Binary-style requests carry an attribute object in position 1, not a word.
        let Some(word) = a.get(1).and_then(Value::as_str) else {
            return match kind {
                "query" | "action" => Ok(JsonQuery::Other(v.clone())),
                _ => Err(JsonError::UnknownCommand(kind.to_owned())),
            };
        };
        let jid = || string_at(a, 2, "jid");
        Ok(match (kind, word) {
            ("query", "exist") => JsonQuery::Exist(jid()?),
            ("query", "Status") => JsonQuery::Status(jid()?),
            ("query", "ProfilePicThumb") => JsonQuery::ProfilePicThumb(jid()?),
            ("query", "Presence") if str_at(a, 2, "presence kind")? == "lastseen" => {
                JsonQuery::LastSeen(string_at(a, 3, "jid")?)
            }
            ("query", "GroupMetadata") => JsonQuery::GroupMetadata(jid()?),
            ("query", "inviteCode") => JsonQuery::InviteCode(jid()?),
            ("query", "invite") => JsonQuery::InviteInfo(string_at(a, 2, "code")?),
            ("query", "mediaConn") => JsonQuery::MediaConn,
            ("action", "presence") if str_at(a, 2, "presence kind")? == "subscribe" => {
                JsonQuery::PresenceSubscribe(string_at(a, 3, "jid")?)
            }
            ("action", "invite") => JsonQuery::AcceptInvite(string_at(a, 2, "code")?),
            ("action", "encr_upload") => JsonQuery::EncrUpload {
                kind: string_at(a, 2, "media type")?,
                hash: string_at(a, 3, "hash")?,
            },
            ("action", "inviteReset") => JsonQuery::InviteReset(jid()?),
            ("query" | "action", _) => JsonQuery::Other(v.clone()),
            _ => return Err(JsonError::UnknownCommand(kind.to_owned())),
        })
    }

    /// Builds the wire array.
    pub fn to_value(&self) -> Value {
        match self {
            JsonQuery::Exist(j) => json!(["query", "exist", j]),
            JsonQuery::Status(j) => json!(["query", "Status", j]),
            JsonQuery::ProfilePicThumb(j) => json!(["query", "ProfilePicThumb", j]),
            JsonQuery::LastSeen(j) => json!(["query", "Presence", "lastseen", j]),
            JsonQuery::GroupMetadata(g) => json!(["query", "GroupMetadata", g]),
            JsonQuery::InviteCode(g) => json!(["query", "inviteCode", g]),
            JsonQuery::InviteInfo(c) => json!(["query", "invite", c]),
            JsonQuery::MediaConn => json!(["query", "mediaConn"]),
            JsonQuery::EncrUpload { kind, hash } => json!(["action", "encr_upload", kind, hash]),
            JsonQuery::PresenceSubscribe(j) => json!(["action", "presence", "subscribe", j]),
            JsonQuery::AcceptInvite(c) => json!(["action", "invite", c]),
            JsonQuery::InviteReset(g) => json!(["action", "inviteReset", g]),
            JsonQuery::Other(v) => v.clone(),
        }
    }
}

serde_via_value!(JsonQuery);
