//! `Message`, the content union (normally exactly one field set), with the wrappers that nest it
//! (`FutureProofMessage`) and the quoting/forwarding metadata (`ContextInfo`).

use super::contact::{ContactMessage, ContactsArrayMessage, GroupInviteMessage};
use super::info::MessageKey;
use super::location::{LiveLocationMessage, LocationMessage};
use super::media::{AudioMessage, DocumentMessage, ImageMessage, StickerMessage, VideoMessage};
use super::protocol::ProtocolMessage;
use super::text::ExtendedTextMessage;

/// The content of a message. Readers take the first field set as the message type.
///
/// Content kinds this crate does not transcribe (payments, templates, buttons, …) are skipped by
/// the decoder.
#[derive(Clone, PartialEq, ::prost::Message)]
pub struct Message {
    /// Plain text (official client, go-whatsapp).
    #[prost(string, optional, tag = "1")]
    pub conversation: Option<String>,
    /// A picture.
    #[prost(message, optional, tag = "3")]
    pub image_message: Option<ImageMessage>,
    /// One contact card.
    #[prost(message, optional, tag = "4")]
    pub contact_message: Option<ContactMessage>,
    /// A place.
    #[prost(message, optional, tag = "5")]
    pub location_message: Option<LocationMessage>,
    /// Text with quote, mentions or link preview (Baileys sends all text this way).
    #[prost(message, optional, tag = "6")]
    pub extended_text_message: Option<ExtendedTextMessage>,
    /// A file.
    #[prost(message, optional, tag = "7")]
    pub document_message: Option<DocumentMessage>,
    /// Audio or a voice note.
    #[prost(message, optional, tag = "8")]
    pub audio_message: Option<AudioMessage>,
    /// A video or GIF.
    #[prost(message, optional, tag = "9")]
    pub video_message: Option<VideoMessage>,
    /// Revoke ("delete for everyone") and ephemeral settings.
    #[prost(message, optional, tag = "12")]
    pub protocol_message: Option<ProtocolMessage>,
    /// Several contact cards.
    #[prost(message, optional, tag = "13")]
    pub contacts_array_message: Option<ContactsArrayMessage>,
    /// A live-location update.
    #[prost(message, optional, tag = "18")]
    pub live_location_message: Option<LiveLocationMessage>,
    /// A sticker (WebP).
    #[prost(message, optional, tag = "26")]
    pub sticker_message: Option<StickerMessage>,
    /// An invitation to join a group.
    #[prost(message, optional, tag = "28")]
    pub group_invite_message: Option<GroupInviteMessage>,
    /// "View once" wrapper around the real content.
    #[prost(message, optional, tag = "37")]
    pub view_once_message: Option<FutureProofMessage>,
    /// Disappearing-message wrapper around the real content.
    #[prost(message, optional, tag = "40")]
    pub ephemeral_message: Option<FutureProofMessage>,
}

/// A wrapper holding another [`Message`] (`viewOnceMessage`, `ephemeralMessage`).
#[derive(Clone, PartialEq, ::prost::Message)]
pub struct FutureProofMessage {
    /// The wrapped content.
    #[prost(message, optional, boxed, tag = "1")]
    pub message: Option<Box<Message>>,
}

/// Quoting, mentions, forwarding and ephemeral metadata attached to a content message.
#[derive(Clone, PartialEq, ::prost::Message)]
#[prost(skip_debug)]
pub struct ContextInfo {
    /// Id of the quoted message.
    #[prost(string, optional, tag = "1")]
    pub stanza_id: Option<String>,
    /// Author of the quoted message.
    #[prost(string, optional, tag = "2")]
    pub participant: Option<String>,
    /// Content of the quoted message.
    #[prost(message, optional, boxed, tag = "3")]
    pub quoted_message: Option<Box<Message>>,
    /// Chat of the quoted message (groups).
    #[prost(string, optional, tag = "4")]
    pub remote_jid: Option<String>,
    /// JIDs mentioned with `@`.
    #[prost(string, repeated, tag = "15")]
    pub mentioned_jid: Vec<String>,
    /// Ad conversion source.
    #[prost(string, optional, tag = "18")]
    pub conversion_source: Option<String>,
    /// Ad conversion data.
    #[prost(bytes = "vec", optional, tag = "19")]
    pub conversion_data: Option<Vec<u8>>,
    /// Ad conversion delay, seconds.
    #[prost(uint32, optional, tag = "20")]
    pub conversion_delay_seconds: Option<u32>,
    /// How many times it was forwarded.
    #[prost(uint32, optional, tag = "21")]
    pub forwarding_score: Option<u32>,
    /// Marked as forwarded.
    #[prost(bool, optional, tag = "22")]
    pub is_forwarded: Option<bool>,
    /// Key of a placeholder message.
    #[prost(message, optional, tag = "24")]
    pub placeholder_key: Option<MessageKey>,
    /// Disappearing messages: lifetime, seconds.
    #[prost(uint32, optional, tag = "25")]
    pub expiration: Option<u32>,
    /// Disappearing messages: when the setting changed.
    #[prost(int64, optional, tag = "26")]
    pub ephemeral_setting_timestamp: Option<i64>,
    /// Disappearing messages: shared secret (redacted in `Debug`).
    #[prost(bytes = "vec", optional, tag = "27")]
    pub ephemeral_shared_secret: Option<Vec<u8>>,
    /// Entry-point conversion source.
    #[prost(string, optional, tag = "29")]
    pub entry_point_conversion_source: Option<String>,
    /// Entry-point conversion app.
    #[prost(string, optional, tag = "30")]
    pub entry_point_conversion_app: Option<String>,
    /// Entry-point conversion delay, seconds.
    #[prost(uint32, optional, tag = "31")]
    pub entry_point_conversion_delay_seconds: Option<u32>,
}

super::debug_redacting!(ContextInfo {
    stanza_id, participant, quoted_message, remote_jid, mentioned_jid, conversion_source,
    conversion_data, conversion_delay_seconds, forwarding_score, is_forwarded, placeholder_key,
    expiration, ephemeral_setting_timestamp, entry_point_conversion_source,
    entry_point_conversion_app, entry_point_conversion_delay_seconds
} redact { ephemeral_shared_secret });
