//! The relay: one message from one account to another, stored on both sides at once.

use super::NewMessage;

/// Everything a relay stores, as one unit.
///
/// The server builds both copies from the client's `WebMessageInfo`: the sender's copy keeps
/// `fromMe: true` and `remoteJid` = the recipient; the recipient's copy has `fromMe: false`,
/// `remoteJid` = the sender, and the sender's push name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Relay {
    /// The sending account's phone number.
    pub sender: String,
    /// The receiving account's phone number.
    pub recipient: String,
    /// Stored in the sender's chat with the recipient (`chat_jid` = the recipient's JID).
    pub sender_copy: NewMessage,
    /// Stored in the recipient's chat with the sender (`chat_jid` = the sender's JID) and, unless
    /// `recipient_online`, queued for delivery to the recipient's web session.
    pub recipient_copy: NewMessage,
    /// The recipient had a live web session when the relay was accepted: the caller pushes the
    /// copy to it after the commit, so it is not queued. If the push then finds no session after
    /// all, the caller queues it with
    /// [`SessionStore::enqueue_delivery`](super::SessionStore::enqueue_delivery).
    pub recipient_online: bool,
}

/// What a relay did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RelayOutcome {
    /// Both copies were stored, both chats updated, and the recipient copy queued for delivery
    /// (unless the recipient was online) under [`DeliveryId`](super::DeliveryId)`(recipient_seq)`.
    Stored {
        /// Sequence number of the sender's copy.
        sender_seq: i64,
        /// Sequence number of the recipient's copy (also its delivery id).
        recipient_seq: i64,
    },
    /// The sender already has a message with this id in this chat (a client retry): nothing
    /// was changed.
    Duplicate {
        /// Sequence number of the copy stored the first time.
        sender_seq: i64,
    },
}
