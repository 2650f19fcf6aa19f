//! The metric byte (docs/PROTOCOL.md): the second byte after the tag of a client binary frame,
//! naming the kind of request for the server's statistics.
//!
//! Values and names follow the official client's table (May 2020). Other clients disagree:
//! Baileys 3.5.3 labels 3 `liveLocation` (officially `QUERY_RECEIPT`) and 22 `queryRead`
//! (officially `QUERY_MESSAGE_INFO`); go-whatsapp stops at 39 and the reveng tables at 48; and
//! clients pick different metrics for the same request. A server therefore accepts any byte
//! (0 means "none") and routes on the decrypted node only; this enum is for display and for
//! choosing what a client sends.

macro_rules! metrics {
    ($($variant:ident = $value:literal => $name:literal,)*) => {
        /// A metric of the official table.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[repr(u8)]
        pub enum Metric {
            $(
                #[doc = concat!("`", $name, "` = ", stringify!($value), ".")]
                $variant = $value,
            )*
        }

        impl Metric {
            /// Every metric, in numeric order.
            pub const ALL: &'static [Metric] = &[$(Metric::$variant),*];

            /// The metric with this byte value, if the official table has one.
            pub const fn from_u8(value: u8) -> Option<Metric> {
                match value {
                    $($value => Some(Metric::$variant),)*
                    _ => None,
                }
            }

            /// The official name, e.g. `QUERY_CONTACTS`.
            pub const fn name(self) -> &'static str {
                match self {
                    $(Metric::$variant => $name,)*
                }
            }
        }
    };
}

metrics! {
    DebugLog = 1 => "DEBUG_LOG",
    QueryResume = 2 => "QUERY_RESUME",
    QueryReceipt = 3 => "QUERY_RECEIPT",
    QueryMedia = 4 => "QUERY_MEDIA",
    QueryChat = 5 => "QUERY_CHAT",
    QueryContacts = 6 => "QUERY_CONTACTS",
    QueryMessages = 7 => "QUERY_MESSAGES",
    Presence = 8 => "PRESENCE",
    PresenceSubscribe = 9 => "PRESENCE_SUBSCRIBE",
    Group = 10 => "GROUP",
    Read = 11 => "READ",
    Chat = 12 => "CHAT",
    Received = 13 => "RECEIVED",
    Pic = 14 => "PIC",
    Status = 15 => "STATUS",
    Message = 16 => "MESSAGE",
    QueryActions = 17 => "QUERY_ACTIONS",
    Block = 18 => "BLOCK",
    QueryGroup = 19 => "QUERY_GROUP",
    QueryPreview = 20 => "QUERY_PREVIEW",
    QueryEmoji = 21 => "QUERY_EMOJI",
    QueryMessageInfo = 22 => "QUERY_MESSAGE_INFO",
    Spam = 23 => "SPAM",
    QuerySearch = 24 => "QUERY_SEARCH",
    QueryIdentity = 25 => "QUERY_IDENTITY",
    QueryUrl = 26 => "QUERY_URL",
    Profile = 27 => "PROFILE",
    Contact = 28 => "CONTACT",
    QueryVcard = 29 => "QUERY_VCARD",
    QueryStatus = 30 => "QUERY_STATUS",
    QueryStatusUpdate = 31 => "QUERY_STATUS_UPDATE",
    PrivacyStatus = 32 => "PRIVACY_STATUS",
    QueryLiveLocations = 33 => "QUERY_LIVE_LOCATIONS",
    LiveLocation = 34 => "LIVE_LOCATION",
    QueryVname = 35 => "QUERY_VNAME",
    QueryLabels = 36 => "QUERY_LABELS",
    Call = 37 => "CALL",
    QueryCall = 38 => "QUERY_CALL",
    QueryQuickReplies = 39 => "QUERY_QUICK_REPLIES",
    QueryCallOffer = 40 => "QUERY_CALL_OFFER",
    QueryResponse = 41 => "QUERY_RESPONSE",
    QueryStickerPacks = 42 => "QUERY_STICKER_PACKS",
    QueryStickers = 43 => "QUERY_STICKERS",
    AddOrRemoveLabels = 44 => "ADD_OR_REMOVE_LABELS",
    QueryNextLabelColor = 45 => "QUERY_NEXT_LABEL_COLOR",
    QueryLabelPalette = 46 => "QUERY_LABEL_PALETTE",
    CreateOrDeleteLabels = 47 => "CREATE_OR_DELETE_LABELS",
    EditLabels = 48 => "EDIT_LABELS",
    QueryRecentStickers = 49 => "QUERY_RECENT_STICKERS",
}

impl Metric {
    /// The byte value.
    pub const fn as_u8(self) -> u8 {
        self as u8
    }
}

impl From<Metric> for u8 {
    fn from(metric: Metric) -> u8 {
        metric.as_u8()
    }
}

impl std::fmt::Display for Metric {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_complete_and_consistent() {
        assert_eq!(Metric::ALL.len(), 49);
        for (index, metric) in Metric::ALL.iter().enumerate() {
            assert_eq!(usize::from(metric.as_u8()), index + 1);
            assert_eq!(Metric::from_u8(metric.as_u8()), Some(*metric));
        }
        assert_eq!(Metric::from_u8(0), None);
        assert_eq!(Metric::from_u8(50), None);
        assert_eq!(Metric::from_u8(255), None);
    }

    #[test]
    fn official_names() {
        assert_eq!(Metric::DebugLog.name(), "DEBUG_LOG");
        assert_eq!(Metric::QueryReceipt.name(), "QUERY_RECEIPT");
        assert_eq!(Metric::Presence.as_u8(), 8);
        assert_eq!(Metric::QueryMessageInfo.as_u8(), 22);
        assert_eq!(Metric::AddOrRemoveLabels.as_u8(), b',');
        assert_eq!(Metric::QueryRecentStickers.to_string(), "QUERY_RECENT_STICKERS");
    }
}
