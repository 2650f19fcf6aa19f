//! Answer to `["query","mediaConn"]`: where and with which token to upload media.
//!
//! The official client requires `auth`, `ttl` and a non-empty `hosts`.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::lenient;

/// `{"status":200,"media_conn":{…}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MediaConnResponse {
    /// 200.
    #[serde(deserialize_with = "lenient::int")]
    pub status: u16,
    /// The upload parameters.
    pub media_conn: MediaConn,
}

/// The `media_conn` object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MediaConn {
    /// Token for the `auth` query parameter of uploads.
    pub auth: String,
    /// Seconds this answer may be cached.
    #[serde(deserialize_with = "lenient::int")]
    pub ttl: u64,
    /// Seconds `auth` stays valid.
    #[serde(
        default,
        deserialize_with = "lenient::opt_int",
        skip_serializing_if = "Option::is_none"
    )]
    pub auth_ttl: Option<u64>,
    /// Media servers, in order of preference.
    pub hosts: Vec<MediaHost>,
}

/// One media server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MediaHost {
    /// Host name for `https://<hostname>/mms/…`.
    pub hostname: String,
    /// Its addresses (shape not pinned down by any source, kept as JSON).
    #[serde(default)]
    pub ips: Vec<Value>,
}

impl MediaConnResponse {
    /// A 200 answer naming a single upload host.
    pub fn single_host(auth: impl Into<String>, ttl: u64, hostname: impl Into<String>) -> Self {
        MediaConnResponse {
            status: 200,
            media_conn: MediaConn {
                auth: auth.into(),
                ttl,
                auth_ttl: Some(ttl),
                hosts: vec![MediaHost { hostname: hostname.into(), ips: Vec::new() }],
            },
        }
    }
}
