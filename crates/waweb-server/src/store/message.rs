//! Messages: what an account's phone keeps of every conversation, and how history is paged.
//!
//! The store keeps the `WebMessageInfo` protobuf bytes exactly as the phone would send them back
//! (`info`), plus copies of the fields it must index or update (`id`, `from_me`, `timestamp`,
//! `status`, ...). The store never decodes `info`: the `status` column is the authority, and the
//! server patches it into the protobuf when it serves a message.

pub use waweb_proto::message::WebMessageInfoStatus;

use super::{StoreError, StoreResult};

/// A status as the integer columns hold it (the protobuf's own numbers, so that a status can
/// be compared in SQL).
pub(crate) fn status_column(status: WebMessageInfoStatus) -> i16 {
    status as i16
}

/// The status an integer column holds; [`StoreError::Corrupt`] for a number no status has.
pub(crate) fn status_from_column(value: i64) -> StoreResult<WebMessageInfoStatus> {
    i32::try_from(value)
        .ok()
        .and_then(|v| WebMessageInfoStatus::try_from(v).ok())
        .ok_or(StoreError::Corrupt("message status"))
}

/// A message to be stored in one account's chat.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMessage {
    /// The chat it belongs to (`key.remoteJid` from this account's point of view).
    pub chat_jid: String,
    /// `key.id`. Unique per (account, chat, id, from_me).
    pub id: String,
    /// `key.fromMe`: sent by this account.
    pub from_me: bool,
    /// `messageTimestamp`, Unix seconds.
    pub timestamp: u64,
    /// `status`.
    pub status: WebMessageInfoStatus,
    /// The sender inside a group (`key.participant`), if any.
    pub participant: Option<String>,
    /// The sender's push name carried on the message, if any.
    pub push_name: Option<String>,
    /// The encoded `WebMessageInfo`.
    pub info: Vec<u8>,
}

impl NewMessage {
    /// The key that identifies this message in its account.
    pub fn key(&self) -> MessageKey {
        MessageKey { chat_jid: self.chat_jid.clone(), id: self.id.clone(), from_me: self.from_me }
    }
}

/// A message as stored, with its position in the account's history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredMessage {
    /// Insertion order: unique across the whole store, and within a chat the order messages
    /// were stored in (with SQLite's one writer, strictly increasing across the whole store;
    /// with several PostgreSQL writers, only within each chat: see
    /// [`postgres`](super::postgres#message-order)).
    pub seq: i64,
    /// See [`NewMessage::chat_jid`].
    pub chat_jid: String,
    /// See [`NewMessage::id`].
    pub id: String,
    /// See [`NewMessage::from_me`].
    pub from_me: bool,
    /// See [`NewMessage::timestamp`].
    pub timestamp: u64,
    /// Current status; it only ever increases (see [`MessageStore::set_message_status`]).
    ///
    /// [`MessageStore::set_message_status`]: super::MessageStore::set_message_status
    pub status: WebMessageInfoStatus,
    /// See [`NewMessage::participant`].
    pub participant: Option<String>,
    /// See [`NewMessage::push_name`].
    pub push_name: Option<String>,
    /// See [`NewMessage::info`].
    pub info: Vec<u8>,
    /// Starred by the account (see [`MessageStore::set_starred`]); a new message is not.
    ///
    /// [`MessageStore::set_starred`]: super::MessageStore::set_starred
    pub starred: bool,
    /// When it reached each receipt level (see [`MessageStore::set_message_status`]).
    ///
    /// [`MessageStore::set_message_status`]: super::MessageStore::set_message_status
    pub receipts: Receipts,
}

/// When a message was delivered, read and played, in Unix seconds: each set when its status
/// first reached that level (a message stored at a level counts from its timestamp).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Receipts {
    /// `DELIVERY_ACK` reached.
    pub delivered: Option<u64>,
    /// `READ` reached.
    pub read: Option<u64>,
    /// `PLAYED` reached.
    pub played: Option<u64>,
}

impl Receipts {
    /// The times a message stored at `status` with this timestamp starts with.
    pub fn at_insert(status: WebMessageInfoStatus, timestamp: u64) -> Self {
        let from = |level: WebMessageInfoStatus| (status >= level).then_some(timestamp);
        Receipts {
            delivered: from(WebMessageInfoStatus::DeliveryAck),
            read: from(WebMessageInfoStatus::Read),
            played: from(WebMessageInfoStatus::Played),
        }
    }
}

impl StoredMessage {
    /// Attaches a sequence number to a new message.
    pub fn from_new(message: NewMessage, seq: i64) -> Self {
        let NewMessage { chat_jid, id, from_me, timestamp, status, participant, push_name, info } =
            message;
        Self {
            seq,
            chat_jid,
            id,
            from_me,
            timestamp,
            status,
            participant,
            push_name,
            info,
            starred: false,
            receipts: Receipts::at_insert(status, timestamp),
        }
    }

    /// The key that identifies this message in its account.
    pub fn key(&self) -> MessageKey {
        MessageKey { chat_jid: self.chat_jid.clone(), id: self.id.clone(), from_me: self.from_me }
    }
}

/// What identifies one message inside an account: the wire's (`jid`, `index`, `owner`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct MessageKey {
    /// The chat.
    pub chat_jid: String,
    /// The message id.
    pub id: String,
    /// Whether the account sent it.
    pub from_me: bool,
}

/// A position in one chat's history: the message the page starts from (excluded).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    /// The message id (`index`).
    pub id: String,
    /// Its `owner` flag.
    pub from_me: bool,
}

/// Which way a history page goes from its cursor: the core's, as the query names it.
pub use waweb_proto::query::history::Direction;

/// The message an action names (`index`, `owner`).
impl From<waweb_proto::action::MessageRef> for Cursor {
    fn from(m: waweb_proto::action::MessageRef) -> Self {
        Cursor { id: m.id, from_me: m.from_me }
    }
}

/// A history query's reference message (its `participant` is not needed to find it: ids are
/// unique per chat and direction).
impl From<waweb_proto::query::history::Cursor> for Cursor {
    fn from(c: waweb_proto::query::history::Cursor) -> Self {
        Cursor { id: c.id, from_me: c.from_me }
    }
}

/// Which messages of a chat [`MessageStore::clear_chat`] removes.
///
/// [`MessageStore::clear_chat`]: super::MessageStore::clear_chat
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClearScope {
    /// The newest message to remove (the wire's `index`/`owner`: the last message the client
    /// saw, so that one that arrived meanwhile stays); `None` removes them all.
    pub up_to: Option<Cursor>,
    /// Remove starred messages too (the wire's `star="true"`); else they stay.
    pub starred: bool,
}

/// The result of storing one message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InsertOutcome {
    /// Stored with this sequence number.
    Inserted(i64),
    /// A message with the same (chat, id, from_me) was already there (its sequence number);
    /// nothing was changed.
    Duplicate(i64),
}
