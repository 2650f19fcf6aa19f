//! The `WebMessageInfo` protobuf family: the content of every `message` node in binary frames
//! (history, relays, incoming messages).
//!
//! The types are generated at build time by prost from `proto/message.proto`, the legacy schema
//! field for field (proto2: every scalar is an `Option`, repeated fields are `Vec`s, enum fields
//! are `Option<i32>` with typed getters such as [`WebMessageInfo::status`], and the message
//! fields that lead back to [`Message`] are boxed). The schema is compiled in Rust: no `protoc`
//! is needed to build. The enums nested in a message in the schema are re-exported here under
//! their schema names.
//!
//! ```
//! use waweb_proto::message::{self, ProtoMessage, WebMessageInfo, WebMessageInfoStatus};
//!
//! let info = message::text_message("33612345678@s.whatsapp.net", true, "3EB0A1B2C3D4", "test",
//!                                  1588844230);
//! assert_eq!(info.status(), WebMessageInfoStatus::Pending);
//! let bytes = info.encode_to_vec();
//! let back = WebMessageInfo::decode(bytes.as_slice()).unwrap();
//! assert_eq!(back.text(), Some("test"));
//! ```
//!
//! Secrets (`media_key`, `ephemeral_shared_secret`) are redacted from `Debug` output.

mod attachment;
pub mod envelope;
mod redact;

/// The code prost generates from the schema.
mod generated {
    include!(concat!(env!("OUT_DIR"), "/proto.rs"));
}

pub use attachment::{media_message, Attachment, MediaKind};
pub use generated::extended_text_message::{
    ExtendedTextMessageFontType, ExtendedTextMessagePreviewType,
};
pub use generated::protocol_message::ProtocolMessageType;
pub use generated::video_message::VideoMessageAttribution;
pub use generated::web_message_info::{
    WebMessageInfoBizPrivacyStatus, WebMessageInfoStatus, WebMessageInfoStubType,
};
pub use generated::{
    AudioMessage, ContactMessage, ContactsArrayMessage, ContextInfo, DocumentMessage,
    ExtendedTextMessage, FutureProofMessage, GroupInviteMessage, ImageMessage,
    InteractiveAnnotation, LiveLocationMessage, Location, LocationMessage, Message, MessageKey,
    Point, ProtocolMessage, StickerMessage, VideoMessage, WebMessageInfo,
};
pub use prost::DecodeError;
/// The prost trait that gives every struct here `encode_to_vec` and `decode`.
pub use prost::Message as ProtoMessage;

/// Decodes a `WebMessageInfo`; malformed input is an error, never a panic.
pub fn decode(bytes: &[u8]) -> Result<WebMessageInfo, DecodeError> {
    <WebMessageInfo as prost::Message>::decode(bytes)
}

/// Encodes a `WebMessageInfo` in field-number order (the same bytes protobufjs writes).
pub fn encode(info: &WebMessageInfo) -> Vec<u8> {
    prost::Message::encode_to_vec(info)
}

/// A plain-text message using `conversation` (official client, go-whatsapp).
///
/// `from_me` messages get status PENDING, which is what clients put in a relay; received
/// messages carry no status.
pub fn text_message(
    remote_jid: &str,
    from_me: bool,
    id: &str,
    text: &str,
    timestamp: u64,
) -> WebMessageInfo {
    let content = Message { conversation: Some(text.to_owned()), ..Default::default() };
    envelope(remote_jid, from_me, id, content, timestamp)
}

/// A plain-text message using `extendedTextMessage{text}` (what Baileys 3.5.3 sends).
pub fn extended_text_message(
    remote_jid: &str,
    from_me: bool,
    id: &str,
    text: &str,
    timestamp: u64,
) -> WebMessageInfo {
    let extended = ExtendedTextMessage { text: Some(text.to_owned()), ..Default::default() };
    let content = Message { extended_text_message: Some(Box::new(extended)), ..Default::default() };
    envelope(remote_jid, from_me, id, content, timestamp)
}

fn envelope(
    remote_jid: &str,
    from_me: bool,
    id: &str,
    content: Message,
    timestamp: u64,
) -> WebMessageInfo {
    WebMessageInfo {
        key: Some(MessageKey {
            remote_jid: Some(remote_jid.to_owned()),
            from_me: Some(from_me),
            id: Some(id.to_owned()),
            participant: None,
        }),
        message: Some(content),
        message_timestamp: Some(timestamp),
        status: from_me.then_some(WebMessageInfoStatus::Pending as i32),
        ..Default::default()
    }
}

impl WebMessageInfo {
    /// Whether this is a system message (`messageStubType` set: a group created, a member
    /// added...) rather than something a person wrote.
    pub fn is_system(&self) -> bool {
        self.message_stub_type.is_some_and(|t| t != 0)
    }

    /// The text of a text message: `conversation`, else `extendedTextMessage.text`, looking
    /// through view-once and ephemeral wrappers.
    pub fn text(&self) -> Option<&str> {
        self.message.as_ref().and_then(Message::text)
    }
}

impl Message {
    /// See [`WebMessageInfo::text`].
    pub fn text(&self) -> Option<&str> {
        if let Some(text) = &self.conversation {
            return Some(text);
        }
        if let Some(text) = self.extended_text_message.as_ref().and_then(|e| e.text.as_deref()) {
            return Some(text);
        }
        [&self.ephemeral_message, &self.view_once_message]
            .into_iter()
            .flatten()
            .find_map(|w| w.message.as_deref().and_then(Message::text))
    }
}
