//! `["Status",{"id":jid,"status":text}]`: a contact changed its "about" text.

use serde::{Deserialize, Serialize};

/// Body of a `Status` push.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusUpdate {
    /// The contact, `…@c.us`.
    pub id: String,
    /// The new "about" text.
    pub status: String,
}
