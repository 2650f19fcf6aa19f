//! The server's JSON answers to `admin` requests and actions: the `admin init` reply, the `reref`
//! reply and the generic `{"status":…}` object.
//!
//! ```
//! use waweb_proto::json::response::{InitResponse, StatusResponse};
//!
//! let init = InitResponse::new("1@abc", 20000, "2.2017.6", 1515592039037.0);
//! let text = serde_json::to_string(&init).unwrap();
//! assert!(text.ends_with(r#""time":1515592039037.0}"#));
//!
//! let relay = StatusResponse::ok().with("t", 1588900010);
//! assert_eq!(serde_json::to_string(&relay).unwrap(), r#"{"status":200,"t":1588900010}"#);
//! ```

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::lenient;

/// Reply to `admin init`:
/// `{"status":200,"ref":…,"ttl":20000,"update":false,"curr":…,"time":…}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InitResponse {
    /// 200 on success.
    #[serde(deserialize_with = "lenient::int")]
    pub status: u16,
    /// The server reference that goes into the QR code.
    pub r#ref: String,
    /// Milliseconds the ref stays valid (20000 in every capture).
    #[serde(deserialize_with = "lenient::int")]
    pub ttl: u64,
    /// `false` when no update is needed; the official client also understands a number.
    pub update: Value,
    /// Current WA Web version, e.g. `"2.2017.6"`.
    pub curr: String,
    /// Server time in milliseconds since the Unix epoch. An `f64` so that it serializes with the
    /// trailing `.0` the real server wrote (`1515592039037.0`).
    pub time: f64,
}

impl InitResponse {
    /// A successful reply: status 200, `update: false`.
    pub fn new(r#ref: impl Into<String>, ttl: u64, curr: impl Into<String>, time_ms: f64) -> Self {
        InitResponse {
            status: 200,
            r#ref: r#ref.into(),
            ttl,
            update: Value::Bool(false),
            curr: curr.into(),
            time: time_ms,
        }
    }
}

/// Reply to `admin Conn reref`: a new ref (200), "keep the old one" (304) or "no more" (429).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RerefResponse {
    /// 200, 304 or 429.
    #[serde(deserialize_with = "lenient::int")]
    pub status: u16,
    /// The new ref (200 only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub r#ref: Option<String>,
    /// Validity of the new ref in milliseconds (200 only).
    #[serde(
        default,
        deserialize_with = "lenient::opt_int",
        skip_serializing_if = "Option::is_none"
    )]
    pub ttl: Option<u64>,
}

impl RerefResponse {
    /// `{"status":200,"ref":…,"ttl":…}`.
    pub fn new_ref(r#ref: impl Into<String>, ttl: u64) -> Self {
        RerefResponse { status: 200, r#ref: Some(r#ref.into()), ttl: Some(ttl) }
    }

    /// A bare status: 304 (keep the previous ref) or 429 (no more refs).
    pub fn with_status(status: u16) -> Self {
        RerefResponse { status, r#ref: None, ttl: None }
    }
}

/// A `{"status":N,…}` reply, with any further members kept in order (`t`, `eurl`, `gid`, …).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusResponse {
    /// The HTTP-like status code.
    #[serde(deserialize_with = "lenient::int")]
    pub status: u16,
    /// Every other member, e.g. `"t"` on a relay acknowledgement.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl StatusResponse {
    /// `{"status":200}`.
    pub fn ok() -> Self {
        Self::with_status(200)
    }

    /// `{"status":N}`.
    pub fn with_status(status: u16) -> Self {
        StatusResponse { status, extra: Map::new() }
    }

    /// Adds a member after the status, builder style.
    pub fn with(mut self, key: impl Into<String>, value: impl Into<Value>) -> Self {
        self.extra.insert(key.into(), value.into());
        self
    }

    /// Whether the status is 2xx.
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }
}
