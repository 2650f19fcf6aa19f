//! `WebMessageInfo`, the envelope of every stored or relayed message, and `MessageKey`.

use super::content::Message;
use super::location::LiveLocationMessage;

/// A message with its routing and state: the content of every `message` node.
///
/// Field numbers follow the legacy schema exactly; unset fields are not written. Types that are
/// not transcribed (payment info, media data, photo change) are skipped by the decoder, so
/// re-encoding drops them — relay the original bytes when fidelity matters.
#[derive(Clone, PartialEq, ::prost::Message)]
pub struct WebMessageInfo {
    /// Chat, direction and id. "required" for go-whatsapp: always set it.
    #[prost(message, optional, tag = "1")]
    pub key: Option<MessageKey>,
    /// The content; absent on stub (system) messages.
    #[prost(message, optional, tag = "2")]
    pub message: Option<Message>,
    /// Unix seconds.
    #[prost(uint64, optional, tag = "3")]
    pub message_timestamp: Option<u64>,
    /// Delivery state ([`WebMessageInfoStatus`]); absent on received messages.
    #[prost(enumeration = "WebMessageInfoStatus", optional, tag = "4")]
    pub status: Option<i32>,
    /// Group messages: the sender, `…@s.whatsapp.net`.
    #[prost(string, optional, tag = "5")]
    pub participant: Option<String>,
    /// Client-to-server timestamp (newer clients).
    #[prost(uint64, optional, tag = "6")]
    pub message_c2s_timestamp: Option<u64>,
    /// Hidden from the chat list.
    #[prost(bool, optional, tag = "16")]
    pub ignore: Option<bool>,
    /// Starred by the user.
    #[prost(bool, optional, tag = "17")]
    pub starred: Option<bool>,
    /// Sent to a broadcast list.
    #[prost(bool, optional, tag = "18")]
    pub broadcast: Option<bool>,
    /// The sender's push name, on incoming messages.
    #[prost(string, optional, tag = "19")]
    pub push_name: Option<String>,
    /// SHA-256 of the media ciphertext.
    #[prost(bytes = "vec", optional, tag = "20")]
    pub media_ciphertext_sha256: Option<Vec<u8>>,
    /// Multicast message.
    #[prost(bool, optional, tag = "21")]
    pub multicast: Option<bool>,
    /// The text contains a URL.
    #[prost(bool, optional, tag = "22")]
    pub url_text: Option<bool>,
    /// The text contains a phone number.
    #[prost(bool, optional, tag = "23")]
    pub url_number: Option<bool>,
    /// System message kind ([`WebMessageInfoStubType`]), e.g. REVOKE, GROUP_CREATE.
    #[prost(enumeration = "WebMessageInfoStubType", optional, tag = "24")]
    pub message_stub_type: Option<i32>,
    /// The media was cleared.
    #[prost(bool, optional, tag = "25")]
    pub clear_media: Option<bool>,
    /// Arguments of the stub message (JIDs, subject, …).
    #[prost(string, repeated, tag = "26")]
    pub message_stub_parameters: Vec<String>,
    /// Duration, seconds (live location, calls).
    #[prost(uint32, optional, tag = "27")]
    pub duration: Option<u32>,
    /// Business labels.
    #[prost(string, repeated, tag = "28")]
    pub labels: Vec<String>,
    /// Last position of a finished live location.
    #[prost(message, optional, tag = "30")]
    pub final_live_location: Option<LiveLocationMessage>,
    /// Disappearing messages: start time, Unix seconds.
    #[prost(uint64, optional, tag = "32")]
    pub ephemeral_start_timestamp: Option<u64>,
    /// Disappearing messages: lifetime, seconds.
    #[prost(uint32, optional, tag = "33")]
    pub ephemeral_duration: Option<u32>,
    /// Disappearing messages were switched on by this message.
    #[prost(bool, optional, tag = "34")]
    pub ephemeral_off_to_on: Option<bool>,
    /// Disappearing-message settings out of sync.
    #[prost(bool, optional, tag = "35")]
    pub ephemeral_out_of_sync: Option<bool>,
    /// Business privacy ([`WebMessageInfoBizPrivacyStatus`]).
    #[prost(enumeration = "WebMessageInfoBizPrivacyStatus", optional, tag = "36")]
    pub biz_privacy_status: Option<i32>,
    /// Verified business name.
    #[prost(string, optional, tag = "37")]
    pub verified_biz_name: Option<String>,
}

/// Identifies a message: chat, direction and id. Uniqueness is per (chat, `from_me`, id).
#[derive(Clone, PartialEq, Eq, Hash, ::prost::Message)]
pub struct MessageKey {
    /// The chat: peer user, group or broadcast JID (`…@s.whatsapp.net`, `…@g.us`).
    #[prost(string, optional, tag = "1")]
    pub remote_jid: Option<String>,
    /// Sent by the account owner.
    #[prost(bool, optional, tag = "2")]
    pub from_me: Option<bool>,
    /// The message id, e.g. `3EB0A1B2C3D4`.
    #[prost(string, optional, tag = "3")]
    pub id: Option<String>,
    /// Groups: the sender, when not `from_me`.
    #[prost(string, optional, tag = "4")]
    pub participant: Option<String>,
}

/// Delivery state of a message (field 4).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, ::prost::Enumeration)]
#[repr(i32)]
pub enum WebMessageInfoStatus {
    /// Failed; also what decoders report when the field is absent.
    Error = 0,
    /// Not yet acknowledged; what clients put in a relay.
    Pending = 1,
    /// Accepted by the server.
    ServerAck = 2,
    /// Delivered to the recipient.
    DeliveryAck = 3,
    /// Read by the recipient.
    Read = 4,
    /// Played (voice notes, videos).
    Played = 5,
}

/// Business privacy mode of a message (field 36).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, ::prost::Enumeration)]
#[repr(i32)]
pub enum WebMessageInfoBizPrivacyStatus {
    /// End-to-end encrypted.
    E2ee = 0,
    /// Business service provider.
    Bsp = 1,
    /// Facebook.
    Fb = 2,
    /// Business service provider and Facebook.
    BspAndFb = 3,
}

pub use super::stub::WebMessageInfoStubType;
