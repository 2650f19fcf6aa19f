//! `["Blocklist",{"id":1,"blocklist":[…]}]`: the JIDs the user blocked, pushed after login and
//! again on every change. Baileys crashes unless `blocklist` is an array, so it is never optional.

use serde::{Deserialize, Serialize};

use super::lenient;

/// Body of a `Blocklist` push.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Blocklist {
    /// Always 1 in captures.
    #[serde(deserialize_with = "lenient::int")]
    pub id: u64,
    /// Blocked JIDs, `"<number>@c.us"`.
    pub blocklist: Vec<String>,
}

impl Blocklist {
    /// `{"id":1,"blocklist":[…]}`.
    pub fn new(blocklist: Vec<String>) -> Self {
        Blocklist { id: 1, blocklist }
    }
}
