//! [`ChatStore`]: an account's contacts and its chat list.

use std::future::Future;

use crate::store::{Chat, ChatUpdate, Contact, StoreResult};

/// An account's contacts and chats. Part of [`Store`](super::Store).
pub trait ChatStore {
    // --- contacts -----------------------------------------------------------------------------

    /// Inserts or replaces (all fields) each contact, by JID.
    fn upsert_contacts(
        &self,
        phone: &str,
        contacts: Vec<Contact>,
    ) -> impl Future<Output = StoreResult<()>> + Send;

    /// The phone numbers of the accounts that have `phone` as a contact, sorted.
    fn contact_holders(&self, phone: &str)
        -> impl Future<Output = StoreResult<Vec<String>>> + Send;

    /// The account's contacts, sorted by JID.
    fn contacts(&self, phone: &str) -> impl Future<Output = StoreResult<Vec<Contact>>> + Send;

    // --- chats --------------------------------------------------------------------------------

    /// The account's chats, last activity (`t`) first.
    fn chats(&self, phone: &str) -> impl Future<Output = StoreResult<Vec<Chat>>> + Send;

    /// One chat, if it exists.
    fn chat(
        &self,
        phone: &str,
        jid: &str,
    ) -> impl Future<Output = StoreResult<Option<Chat>>> + Send;

    /// Inserts or replaces (all attributes) a chat, by JID.
    fn upsert_chat(&self, phone: &str, chat: Chat) -> impl Future<Output = StoreResult<()>> + Send;

    /// Applies one change to an existing chat, bumps its `modify_tag`, and returns the result.
    /// `NotFound` if the account has no such chat.
    fn update_chat(
        &self,
        phone: &str,
        jid: &str,
        update: ChatUpdate,
    ) -> impl Future<Output = StoreResult<Chat>> + Send;
}
