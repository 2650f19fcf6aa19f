//! `impl ChatStore for SqliteStore`: contacts and chats; where each method runs (a job for the
//! writer thread, or a pooled reader) and which concept's file holds its SQL.

use crate::store::sqlite::{chats, contacts, SqliteStore};
use crate::store::{Chat, ChatStore, ChatUpdate, Contact, StoreResult};

impl ChatStore for SqliteStore {
    async fn upsert_contacts(&self, phone: &str, list: Vec<Contact>) -> StoreResult<()> {
        let phone = phone.to_owned();
        self.write(move |c| contacts::upsert(c, &phone, &list)).await
    }

    async fn contact_holders(&self, phone: &str) -> StoreResult<Vec<String>> {
        let phone = phone.to_owned();
        self.read(move |c| contacts::holders(c, &phone)).await
    }

    async fn contacts(&self, phone: &str) -> StoreResult<Vec<Contact>> {
        let phone = phone.to_owned();
        self.read(move |c| contacts::list(c, &phone)).await
    }

    async fn chats(&self, phone: &str) -> StoreResult<Vec<Chat>> {
        let phone = phone.to_owned();
        self.read(move |c| chats::list(c, &phone)).await
    }

    async fn chat(&self, phone: &str, jid: &str) -> StoreResult<Option<Chat>> {
        let (phone, jid) = (phone.to_owned(), jid.to_owned());
        self.read(move |c| chats::get(c, &phone, &jid)).await
    }

    async fn upsert_chat(&self, phone: &str, chat: Chat) -> StoreResult<()> {
        let phone = phone.to_owned();
        self.write(move |c| chats::upsert(c, &phone, &chat)).await
    }

    async fn update_chat(&self, phone: &str, jid: &str, update: ChatUpdate) -> StoreResult<Chat> {
        let (phone, jid) = (phone.to_owned(), jid.to_owned());
        self.write(move |c| chats::update(c, &phone, &jid, &update)).await
    }
}
