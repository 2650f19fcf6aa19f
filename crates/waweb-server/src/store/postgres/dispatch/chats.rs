//! `impl ChatStore for PgStore`: contacts and chats; how each method runs (a pooled connection; a
//! write also its account's lane and a transaction) and which concept's file holds its SQL.

use crate::store::postgres::accounts::id_of;
use crate::store::postgres::{chats, contacts, PgStore};
use crate::store::{Chat, ChatStore, ChatUpdate, Contact, StoreResult};

impl ChatStore for PgStore {
    async fn upsert_contacts(&self, phone: &str, list: Vec<Contact>) -> StoreResult<()> {
        let owned = phone.to_owned();
        self.write(phone, true, move |mut db| async move {
            let set =
                async { contacts::upsert_for(&db, id_of(&db, &owned).await?, &list).await }.await;
            db.finish(set).await
        })
        .await
    }

    async fn contact_holders(&self, phone: &str) -> StoreResult<Vec<String>> {
        contacts::holders(&self.read().await?, phone).await
    }

    async fn contacts(&self, phone: &str) -> StoreResult<Vec<Contact>> {
        let db = self.read().await?;
        contacts::list(&db, id_of(&db, phone).await?).await
    }

    async fn chats(&self, phone: &str) -> StoreResult<Vec<Chat>> {
        let db = self.read().await?;
        chats::list(&db, id_of(&db, phone).await?).await
    }

    async fn chat(&self, phone: &str, jid: &str) -> StoreResult<Option<Chat>> {
        let db = self.read().await?;
        chats::get_for(&db, id_of(&db, phone).await?, jid).await
    }

    async fn upsert_chat(&self, phone: &str, chat: Chat) -> StoreResult<()> {
        let owned = phone.to_owned();
        self.write(phone, true, move |mut db| async move {
            let set =
                async { chats::upsert_for(&db, id_of(&db, &owned).await?, &chat).await }.await;
            db.finish(set).await
        })
        .await
    }

    async fn update_chat(&self, phone: &str, jid: &str, update: ChatUpdate) -> StoreResult<Chat> {
        let (owned, jid) = (phone.to_owned(), jid.to_owned());
        self.write(phone, true, move |mut db| async move {
            let set =
                async { chats::update(&db, id_of(&db, &owned).await?, &jid, &update).await }.await;
            db.finish(set).await
        })
        .await
    }
}
