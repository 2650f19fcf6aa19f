//! Answers to the per-contact JSON queries: `exist`, `Status` ("about") and `ProfilePicThumb`.
//!
//! Each may instead be answered with a bare `{"status":404}` (or 401 for a private picture); the
//! models accept that form too.

use serde::{Deserialize, Serialize};

use super::lenient;

/// Answer to `["query","exist",jid]`: `{"status":200,"jid":"<n>@c.us","biz":false}` or
/// `{"status":404}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExistResponse {
    /// 200 when the number is on WhatsApp, 404 otherwise.
    #[serde(deserialize_with = "lenient::int")]
    pub status: u16,
    /// The canonical JID (200 only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jid: Option<String>,
    /// Whether it is a business account (200 only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub biz: Option<bool>,
}

impl ExistResponse {
    /// `{"status":200,"jid":…,"biz":…}`.
    pub fn found(jid: impl Into<String>, biz: bool) -> Self {
        ExistResponse { status: 200, jid: Some(jid.into()), biz: Some(biz) }
    }

    /// `{"status":404}`.
    pub fn not_found() -> Self {
        ExistResponse { status: 404, jid: None, biz: None }
    }
}

/// Answer to `["query","Status",jid]`. Careful: on success `status` is the **about text**, a
/// string; on failure it is a number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AboutResponse {
    /// The about text, or an error code.
    pub status: AboutStatus,
}

/// The `status` member of an [`AboutResponse`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum AboutStatus {
    /// The contact's about text.
    Text(String),
    /// An error code, e.g. 404.
    Code(u16),
}

/// Answer to `["query","ProfilePicThumb",jid]`: `{"eurl":"https://…","tag":"…"}`, or
/// `{"status":404}` / `{"status":401}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfilePicResponse {
    /// Error code; absent on success.
    #[serde(
        default,
        deserialize_with = "lenient::opt_int",
        skip_serializing_if = "Option::is_none"
    )]
    pub status: Option<u16>,
    /// URL of the picture (Baileys reads `eurl`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub eurl: Option<String>,
    /// Version tag of the picture.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag: Option<String>,
}
