//! [`MessageStore`]: an account's messages, one chat's history, and the relay transaction that
//! stores a message for both ends.

use std::future::Future;

use crate::store::{
    ClearScope, Cursor, Direction, InsertOutcome, MessageKey, NewMessage, Relay, RelayOutcome,
    StoreResult, StoredMessage, WebMessageInfoStatus,
};

/// Messages, history and the relay. Part of [`Store`](super::Store).
pub trait MessageStore {
    /// Stores one message and creates its chat if needed (`t` moves forward to the message's
    /// timestamp; `unread` is left alone). Idempotent on (account, chat, id, from_me).
    fn insert_message(
        &self,
        phone: &str,
        message: NewMessage,
    ) -> impl Future<Output = StoreResult<InsertOutcome>> + Send;

    /// One message by its key.
    fn find_message(
        &self,
        phone: &str,
        key: MessageKey,
    ) -> impl Future<Output = StoreResult<Option<StoredMessage>>> + Send;

    /// Raises a message's status (delivered, read, played) and returns the stored status. A
    /// lower status than the stored one is ignored, so late delivery acks cannot undo a read.
    /// Each level reached for the first time is noted at `at` (Unix seconds) in
    /// [`StoredMessage::receipts`], the levels below it too if they had no time yet.
    /// `NotFound` if the message does not exist.
    fn set_message_status(
        &self,
        phone: &str,
        key: MessageKey,
        status: WebMessageInfoStatus,
        at: u64,
    ) -> impl Future<Output = StoreResult<WebMessageInfoStatus>> + Send;

    /// A page of one chat's history, **oldest first**: up to `count` messages strictly before
    /// (or after) the cursor message. Without a cursor both directions give the latest `count`
    /// messages (the official client also turns "after, no index" into "before"). `NotFound` if
    /// the cursor message is not in this chat.
    fn history(
        &self,
        phone: &str,
        chat_jid: &str,
        cursor: Option<Cursor>,
        direction: Direction,
        count: u32,
    ) -> impl Future<Output = StoreResult<Vec<StoredMessage>>> + Send;

    /// The latest `count` messages of a chat, oldest first.
    fn recent_messages(
        &self,
        phone: &str,
        chat_jid: &str,
        count: u32,
    ) -> impl Future<Output = StoreResult<Vec<StoredMessage>>> + Send {
        self.history(phone, chat_jid, None, Direction::Before, count)
    }

    /// Stars (or unstars) the account's messages with these keys; returns how many of them
    /// exist (keys of no message of this account are ignored).
    fn set_starred(
        &self,
        phone: &str,
        keys: Vec<MessageKey>,
        starred: bool,
    ) -> impl Future<Output = StoreResult<usize>> + Send;

    /// The account's latest `count` starred messages, oldest first: of one chat, or of all its
    /// chats if `chat_jid` is `None`.
    fn starred_messages(
        &self,
        phone: &str,
        chat_jid: Option<String>,
        count: u32,
    ) -> impl Future<Output = StoreResult<Vec<StoredMessage>>> + Send;

    /// Removes the account's messages with these keys ("delete for me"), and their places in
    /// the delivery queue; returns how many existed. The chats stay.
    fn delete_messages(
        &self,
        phone: &str,
        keys: Vec<MessageKey>,
    ) -> impl Future<Output = StoreResult<usize>> + Send;

    /// Empties a chat: removes the messages `scope` names (and their places in the delivery
    /// queue), sets `unread` to 0 and bumps `modify_tag`; returns how many were removed. The
    /// chat itself stays. `NotFound` if the account has no such chat, or if `scope.up_to` is
    /// not a message of it.
    ///
    /// The messages are those in the chat when the call starts; a big chat goes in several
    /// writes, so other writes are not held up, and a crash midway leaves it partly emptied.
    fn clear_chat(
        &self,
        phone: &str,
        chat_jid: &str,
        scope: ClearScope,
    ) -> impl Future<Output = StoreResult<usize>> + Send;

    /// Deletes a chat with all its messages (and their places in the delivery queue); a later
    /// message creates it afresh. `NotFound` if the account has no such chat. As with
    /// [`MessageStore::clear_chat`], the messages are those there at the start, removed in several
    /// writes; a chat that received a message meanwhile stays, with that message.
    fn delete_chat(
        &self,
        phone: &str,
        chat_jid: &str,
    ) -> impl Future<Output = StoreResult<()>> + Send;

    /// The newest message of every chat that has one, in chat-list order (`t` desc): the
    /// `action add=last` push of the initial sync.
    fn last_message_per_chat(
        &self,
        phone: &str,
    ) -> impl Future<Output = StoreResult<Vec<StoredMessage>>> + Send;

    /// The relay transaction: stores both copies, updates both chats (creating them, and the
    /// contacts, if needed; `t` moves forward, the recipient's `unread` grows by one, the
    /// sender's drops to 0), and queues the recipient copy for delivery unless
    /// [`Relay::recipient_online`] — all or nothing. A
    /// repeated id from the same sender in the same chat changes nothing and is reported as
    /// [`RelayOutcome::Duplicate`]. `NotFound` if either account does not exist.
    fn relay(&self, relay: Relay) -> impl Future<Output = StoreResult<RelayOutcome>> + Send;
}
