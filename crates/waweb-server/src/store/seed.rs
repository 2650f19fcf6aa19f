//! Bulk seeding: whole accounts with contacts, chats and history in one write, for demos and
//! load tests.

use super::{Account, Chat, Contact, NewMessage};

/// One account to create, with everything it starts with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeedAccount {
    /// The account itself (must not exist yet).
    pub account: Account,
    /// Its address book.
    pub contacts: Vec<Contact>,
    /// Its chats, each with its history.
    pub chats: Vec<SeedChat>,
    /// Blocked JIDs.
    pub blocklist: Vec<String>,
}

/// One chat of a [`SeedAccount`] with its messages, oldest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeedChat {
    /// The chat's attributes.
    pub chat: Chat,
    /// Its history, oldest first; each message's `chat_jid` must equal `chat.jid`.
    pub messages: Vec<NewMessage>,
}

/// How much a seed stored.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SeedReport {
    /// Accounts created.
    pub accounts: usize,
    /// Contacts stored.
    pub contacts: usize,
    /// Chats stored.
    pub chats: usize,
    /// Messages stored (duplicates inside the seed are skipped).
    pub messages: usize,
}
