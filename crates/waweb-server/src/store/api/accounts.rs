//! [`AccountStore`]: accounts and what their profile holds (push name, "about" text, blocklist,
//! picture).

use std::future::Future;

use crate::store::{Account, Picture, PictureKey, StoreResult};

/// Accounts and their profiles. Part of [`Store`](super::Store); every `phone` or `owner` that
/// names an account is its phone number (digits).
pub trait AccountStore {
    /// Creates an account. `AlreadyExists` if the phone number is taken.
    fn create_account(&self, account: Account) -> impl Future<Output = StoreResult<()>> + Send;

    /// One account, if it exists.
    fn account(&self, phone: &str) -> impl Future<Output = StoreResult<Option<Account>>> + Send;

    /// Every account, ordered by phone number.
    fn accounts(&self) -> impl Future<Output = StoreResult<Vec<Account>>> + Send;

    /// Removes an account and all its data (contacts, chats, messages, queue, blocklist, web
    /// sessions, picture) and takes it out of its groups as if it left them (a group whose last
    /// admin it was gets another; its members are not sent a notice). `NotFound` if it does not
    /// exist. Its messages go first, in several
    /// writes so that other writes are not held up; a crash midway leaves the account with part
    /// of its messages, and removing it again finishes the job.
    fn remove_account(&self, phone: &str) -> impl Future<Output = StoreResult<()>> + Send;

    /// Changes the account's push name.
    fn set_pushname(
        &self,
        phone: &str,
        pushname: &str,
    ) -> impl Future<Output = StoreResult<()>> + Send;

    /// The account's "about" text. `NotFound` if the account does not exist.
    fn status_text(&self, phone: &str) -> impl Future<Output = StoreResult<String>> + Send;

    /// Changes the account's "about" text.
    fn set_status_text(
        &self,
        phone: &str,
        text: &str,
    ) -> impl Future<Output = StoreResult<()>> + Send;

    /// The JIDs the account blocked, sorted. `NotFound` if there is no such account.
    fn blocklist(&self, phone: &str) -> impl Future<Output = StoreResult<Vec<String>>> + Send;

    /// Replaces the account's blocklist.
    fn set_blocklist(
        &self,
        phone: &str,
        jids: Vec<String>,
    ) -> impl Future<Output = StoreResult<()>> + Send;

    /// The profile picture of an account or a group (`owner`: a phone number, or a group's
    /// JID), if it has one. `NotFound` if there is no such account or group.
    fn picture(&self, owner: &str) -> impl Future<Output = StoreResult<Option<Picture>>> + Send;

    /// The tag and secret of `owner`'s picture (see [`AccountStore::picture`]), if it has one, without
    /// reading the images. `NotFound` if there is no such account or group.
    fn picture_key(
        &self,
        owner: &str,
    ) -> impl Future<Output = StoreResult<Option<PictureKey>>> + Send;

    /// Sets (or replaces) `owner`'s picture (see [`AccountStore::picture`]) and returns its tag:
    /// `picture.tag` (the caller's clock, in ms), unless that is not above the previous picture's
    /// tag, which then gets one more. A tag names one upload in the picture's URL, served as
    /// immutable, so it never comes back.
    fn set_picture(
        &self,
        owner: &str,
        picture: Picture,
    ) -> impl Future<Output = StoreResult<String>> + Send;

    /// Removes `owner`'s picture (see [`AccountStore::picture`]); returns whether it had one.
    fn remove_picture(&self, owner: &str) -> impl Future<Output = StoreResult<bool>> + Send;
}
