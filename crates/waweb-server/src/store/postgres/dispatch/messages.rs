//! `impl MessageStore for PgStore`: messages, history and the relay; how each method runs (a pooled
//! connection; a write also its account's lane and a transaction) and which concept's file holds
//! its SQL.

use crate::store::postgres::accounts::id_of;
use crate::store::postgres::{messages, relay, removal, starred, PgStore};
use crate::store::{
    ClearScope, Cursor, Direction, InsertOutcome, MessageKey, MessageStore, NewMessage, Relay,
    RelayOutcome, StoreResult, StoredMessage, WebMessageInfoStatus,
};

impl MessageStore for PgStore {
    async fn insert_message(&self, phone: &str, message: NewMessage) -> StoreResult<InsertOutcome> {
        let owned = phone.to_owned();
        self.write(phone, true, move |mut db| async move {
            let inserted = messages::insert(&mut db, &owned, &message).await;
            db.finish(inserted).await
        })
        .await
    }

    async fn find_message(
        &self,
        phone: &str,
        key: MessageKey,
    ) -> StoreResult<Option<StoredMessage>> {
        let db = self.read().await?;
        messages::find(&db, id_of(&db, phone).await?, &key).await
    }

    async fn set_message_status(
        &self,
        phone: &str,
        key: MessageKey,
        status: WebMessageInfoStatus,
        at: u64,
    ) -> StoreResult<WebMessageInfoStatus> {
        let owned = phone.to_owned();
        self.write(phone, true, move |mut db| async move {
            let set = async {
                messages::set_status_for(&db, id_of(&db, &owned).await?, &key, status, at).await
            }
            .await;
            db.finish(set).await
        })
        .await
    }

    async fn history(
        &self,
        phone: &str,
        chat_jid: &str,
        cursor: Option<Cursor>,
        direction: Direction,
        count: u32,
    ) -> StoreResult<Vec<StoredMessage>> {
        let db = self.read().await?;
        let account = id_of(&db, phone).await?;
        messages::history(&db, account, chat_jid, cursor.as_ref(), direction, count).await
    }

    async fn set_starred(
        &self,
        phone: &str,
        keys: Vec<MessageKey>,
        starred: bool,
    ) -> StoreResult<usize> {
        let owned = phone.to_owned();
        self.write(phone, true, move |mut db| async move {
            let set =
                async { starred::set(&db, id_of(&db, &owned).await?, &keys, starred).await }.await;
            db.finish(set).await
        })
        .await
    }

    async fn starred_messages(
        &self,
        phone: &str,
        chat_jid: Option<String>,
        count: u32,
    ) -> StoreResult<Vec<StoredMessage>> {
        let db = self.read().await?;
        starred::list(&db, id_of(&db, phone).await?, chat_jid.as_deref(), count).await
    }

    async fn delete_messages(&self, phone: &str, keys: Vec<MessageKey>) -> StoreResult<usize> {
        let owned = phone.to_owned();
        self.write(phone, true, move |mut db| async move {
            let removed =
                async { removal::messages(&db, id_of(&db, &owned).await?, &keys).await }.await;
            db.finish(removed).await
        })
        .await
    }

    async fn clear_chat(&self, phone: &str, jid: &str, scope: ClearScope) -> StoreResult<usize> {
        self.clear_chat_in_chunks(phone, jid, scope).await
    }

    async fn delete_chat(&self, phone: &str, jid: &str) -> StoreResult<()> {
        self.delete_chat_in_chunks(phone, jid).await
    }

    async fn last_message_per_chat(&self, phone: &str) -> StoreResult<Vec<StoredMessage>> {
        let db = self.read().await?;
        messages::last_per_chat(&db, id_of(&db, phone).await?).await
    }

    async fn relay(&self, request: Relay) -> StoreResult<RelayOutcome> {
        let key = request.sender.clone();
        self.write(&key, false, move |db| async move { relay::relay(&db, &request).await }).await
    }
}
