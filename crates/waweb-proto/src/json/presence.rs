//! `["Presence",{…}]`: online state and chat state (typing, recording) of a contact the client
//! subscribed to with `["action","presence","subscribe",jid]`.

use serde::{Deserialize, Serialize};

use super::lenient;

/// Body of a `Presence` push.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Presence {
    /// The contact, or the group when `participant` is set (`…@c.us` / `…@g.us`).
    pub id: String,
    /// `available`, `unavailable`, `composing`, `recording` or `paused`.
    pub r#type: String,
    /// Last seen, Unix seconds.
    #[serde(
        default,
        deserialize_with = "lenient::opt_int",
        skip_serializing_if = "Option::is_none"
    )]
    pub t: Option<u64>,
    /// In a group: the member the state is about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub participant: Option<String>,
    /// The contact hides its last-seen time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deny: Option<bool>,
}
