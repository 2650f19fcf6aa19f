//! The `WebMessageInfo` protobuf family: the content of every `message` node in binary frames
//! (history, relays, incoming messages).
//!
//! Hand-written prost structs following the legacy schema field for field (proto2: every scalar
//! is an `Option`, repeated fields are `Vec`s, enum fields are `Option<i32>` with typed getters
//! such as [`WebMessageInfo::status`]). No `protoc` is needed to build.
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
mod contact;
mod content;
pub mod envelope;
mod info;
mod location;
mod media;
mod protocol;
mod stub;
mod text;

use std::fmt;

pub use attachment::{media_message, Attachment, MediaKind};
pub use contact::{ContactMessage, ContactsArrayMessage, GroupInviteMessage};
pub use content::{ContextInfo, FutureProofMessage, Message};
pub use info::{MessageKey, WebMessageInfo, WebMessageInfoBizPrivacyStatus, WebMessageInfoStatus};
pub use location::{LiveLocationMessage, LocationMessage};
pub use media::{
    AudioMessage, DocumentMessage, ImageMessage, InteractiveAnnotation, Location, Point,
    StickerMessage, VideoMessage, VideoMessageAttribution,
};
pub use prost::DecodeError;
/// The prost trait that gives every struct here `encode_to_vec` and `decode`.
pub use prost::Message as ProtoMessage;
pub use protocol::{ProtocolMessage, ProtocolMessageType};
pub use stub::WebMessageInfoStubType;
pub use text::{ExtendedTextMessage, ExtendedTextMessageFontType, ExtendedTextMessagePreviewType};

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
    let content = Message { extended_text_message: Some(extended), ..Default::default() };
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

/// Stands in for secret bytes in `Debug` output, keeping only their length.
struct Redacted(usize);

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<redacted {} bytes>", self.0)
    }
}

fn redacted(secret: &Option<Vec<u8>>) -> Option<Redacted> {
    secret.as_ref().map(|s| Redacted(s.len()))
}

/// `Debug` for a prost struct declared with `#[prost(skip_debug)]`: lists the plain fields, then
/// the secret byte fields as `<redacted N bytes>`.
macro_rules! debug_redacting {
    ($ty:ident { $($field:ident),* $(,)? } redact { $($secret:ident),* $(,)? }) => {
        impl ::std::fmt::Debug for $ty {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct(stringify!($ty))
                    $(.field(stringify!($field), &self.$field))*
                    $(.field(stringify!($secret), &super::redacted(&self.$secret)))*
                    .finish()
            }
        }
    };
}
use debug_redacting;
