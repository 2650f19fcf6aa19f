//! `["Props",{…}]`: client settings the server pushes after login (limits, feature toggles). No
//! client in scope depends on any member, so the body stays an open map.

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

/// Body of a `Props` push, members in wire order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Props(pub Map<String, Value>);

impl Props {
    /// The 28 properties the real server sent in 2020, in its order.
    pub fn seed_defaults() -> Self {
        let entries = [
            ("camelotWeb", json!(false)),
            ("preloadStickers", json!(false)),
            ("webVoipInternalTester", json!(false)),
            ("webCleanIncomingFilename", json!(1)),
            ("webEnableModelStorage", json!(false)),
            ("wsCanCacheRequests", json!(false)),
            ("fbCrashlog", json!(true)),
            ("bucket", json!("")),
            ("gifSearch", json!("tenor")),
            ("maxFileSize", json!(100)),
            ("media", json!(64)),
            ("maxSubject", json!(25)),
            ("maxParticipants", json!(257)),
            ("imageMaxKBytes", json!(1024)),
            ("imageMaxEdge", json!(1600)),
            ("statusVideoMaxDuration", json!(30)),
            ("frequentlyForwardedMessages", json!(1)),
            ("suspiciousLinks", json!(1)),
            ("fwdUiStartTs", json!(1531267200)),
            ("restrictGroups", json!(1)),
            ("productCatalogOpenDeeplink", json!(1)),
            ("multicastLimitGlobal", json!(5)),
            ("finalLiveLocation", json!(1)),
            ("frequentlyForwardedMax", json!(1)),
            ("mmsMediaKeyTTL", json!(172800)),
            ("stickers", json!(1)),
            ("announceGroups", json!(1001)),
            ("groupDescLength", json!(512)),
        ];
        Props(entries.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
    }

    /// One property.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.0.get(key)
    }
}
