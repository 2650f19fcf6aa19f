//! # waweb-client — an async client for the legacy WhatsApp Web protocol
//!
//! A thin tokio shell around [`waweb_proto::session::ClientSession`]: one task owns the websocket
//! and the sans-IO session (keepalive, QR renewal, challenge, encryption), the [`Client`] handle
//! sends typed requests matched to their answers by tag, and an [`EventStream`] delivers what the
//! server pushes as [`Event`]s.
//!
//! * [`client`] — [`Client`], [`EventStream`], [`SendReceipt`]. The
//!   requests are grouped by what they are for: the chat and contact lists, history, presence,
//!   receipts and sending (`conversation.rs`); stars, deleting and clearing chats, and profile
//!   pictures (`manage.rs`); who got and read one of our messages ([`Client::message_info`],
//!   [`MessageInfo`]: `receipts.rs`); groups (`group.rs`: creating, members and roles, subject,
//!   description, settings, [`GroupMetadata`]; `group_invite.rs`: invite links).
//! * [`options`] — [`ClientOptions`]: timeouts, keepalive, reconnection, failover.
//! * [`media`] — sending media ([`Client::send_media`], [`OutgoingMedia`]) and downloading it
//!   ([`Client::download_media`]), with the protocol's media encryption.
//! * [`event`] — [`Event`] and the records it carries.
//! * [`session_file`] — saving and loading [`Credentials`] on disk.
//! * [`error`] — [`ClientError`].
//!
//! ```no_run
//! # async fn demo() -> Result<(), waweb_client::ClientError> {
//! use std::path::Path;
//! use waweb_client::{session_file, Client, Event};
//!
//! let path = Path::new("session.json");
//! let saved = session_file::load(path)?;
//! let (client, mut events) = Client::connect("ws://127.0.0.1:8080/ws", saved).await?;
//! while let Some(event) = events.recv().await {
//!     match event {
//!         Event::Qr { code, .. } => println!("scan: {code}"),
//!         Event::Ready { info, .. } => {
//!             if let Some(c) = client.credentials() {
//!                 session_file::save(path, &c)?;
//!             }
//!             for chat in client.chats().await? {
//!                 println!("{} ({} unread)", chat.jid, chat.unread);
//!             }
//!             println!("I am {}", info.wid);
//!         }
//!         Event::Disconnected(why) => println!("ended: {why:?}"),
//!         _ => {}
//!     }
//! }
//! # Ok(()) }
//! ```

#![forbid(unsafe_code)]

pub mod client;
mod conversation;
mod driver;
pub mod error;
pub mod event;
mod group;
mod group_invite;
mod manage;
pub mod media;
pub mod options;
mod receipts;
mod reconnect;
mod request;
mod servers;
pub mod session_file;
mod tls;

pub use client::{new_message_id, Client, EventStream, SendReceipt};
pub use error::ClientError;
pub use event::{BatchKind, Chat, ConnInfo, Contact, Disconnect, Event};
pub use group::{GroupCreated, GroupSetting};
pub use media::{extension_for, OutgoingMedia, Progress};
pub use options::ClientOptions;
pub use receipts::{MessageInfo, Receipt};
pub use tls::config as tls_config;
pub use waweb_proto::json::group::{GroupMetadata, GroupParticipant};
pub use waweb_proto::json::msg::Ack;
pub use waweb_proto::message::{Attachment, MediaKind, WebMessageInfo};
pub use waweb_proto::session::{Credentials, ProtocolError};

/// The error a request gets when the session ended for `reason`.
pub(crate) fn disconnect_error(reason: Disconnect) -> ClientError {
    match reason {
        Disconnect::Replaced => ClientError::Replaced,
        Disconnect::LoggedOut => ClientError::LoggedOut,
        Disconnect::InvalidSession(s) => ClientError::InvalidSession(s),
        other => ClientError::Disconnected(format!("{other:?}")),
    }
}
