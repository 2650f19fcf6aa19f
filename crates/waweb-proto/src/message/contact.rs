//! Contact cards and group invitations.

use super::content::ContextInfo;

/// One contact card (field 4 of `Message`).
#[derive(Clone, PartialEq, ::prost::Message)]
pub struct ContactMessage {
    /// Name shown in the chat.
    #[prost(string, optional, tag = "1")]
    pub display_name: Option<String>,
    /// The card, vCard text.
    #[prost(string, optional, tag = "16")]
    pub vcard: Option<String>,
    /// Quote, mentions, forwarding.
    #[prost(message, optional, tag = "17")]
    pub context_info: Option<ContextInfo>,
}

/// Several contact cards (field 13 of `Message`).
#[derive(Clone, PartialEq, ::prost::Message)]
pub struct ContactsArrayMessage {
    /// Title shown in the chat.
    #[prost(string, optional, tag = "1")]
    pub display_name: Option<String>,
    /// The cards.
    #[prost(message, repeated, tag = "2")]
    pub contacts: Vec<ContactMessage>,
    /// Quote, mentions, forwarding.
    #[prost(message, optional, tag = "17")]
    pub context_info: Option<ContextInfo>,
}

/// An invitation to join a group (field 28 of `Message`).
#[derive(Clone, PartialEq, ::prost::Message)]
pub struct GroupInviteMessage {
    /// The group, `…@g.us`.
    #[prost(string, optional, tag = "1")]
    pub group_jid: Option<String>,
    /// The invite code.
    #[prost(string, optional, tag = "2")]
    pub invite_code: Option<String>,
    /// Expiry, Unix seconds.
    #[prost(int64, optional, tag = "3")]
    pub invite_expiration: Option<i64>,
    /// Group subject.
    #[prost(string, optional, tag = "4")]
    pub group_name: Option<String>,
    /// Inline JPEG of the group picture.
    #[prost(bytes = "vec", optional, tag = "5")]
    pub jpeg_thumbnail: Option<Vec<u8>>,
    /// Caption text.
    #[prost(string, optional, tag = "6")]
    pub caption: Option<String>,
    /// Quote, mentions, forwarding (note: field 7 here, not 17).
    #[prost(message, optional, tag = "7")]
    pub context_info: Option<ContextInfo>,
}
