//! `impl MessageStore for SqliteStore`: messages, history and the relay; where each method runs (a
//! job for the writer thread, or a pooled reader) and which concept's file holds its SQL.

use std::sync::Arc;

use crate::store::sqlite::{messages, relay, removal, starred, SqliteStore};
use crate::store::{
    ClearScope, Cursor, Direction, InsertOutcome, MessageKey, MessageStore, NewMessage, Relay,
    RelayOutcome, StoreResult, StoredMessage, WebMessageInfoStatus,
};

impl MessageStore for SqliteStore {
    async fn insert_message(&self, phone: &str, message: NewMessage) -> StoreResult<InsertOutcome> {
        let phone = phone.to_owned();
        self.write(move |c| messages::insert(c, &phone, &message)).await
    }

    async fn find_message(
        &self,
        phone: &str,
        key: MessageKey,
    ) -> StoreResult<Option<StoredMessage>> {
        let phone = phone.to_owned();
        self.read(move |c| messages::find(c, &phone, &key)).await
    }

    async fn set_message_status(
        &self,
        phone: &str,
        key: MessageKey,
        status: WebMessageInfoStatus,
        at: u64,
    ) -> StoreResult<WebMessageInfoStatus> {
        let phone = phone.to_owned();
        self.write(move |c| messages::set_status(c, &phone, &key, status, at)).await
    }

    async fn history(
        &self,
        phone: &str,
        chat_jid: &str,
        cursor: Option<Cursor>,
        direction: Direction,
        count: u32,
    ) -> StoreResult<Vec<StoredMessage>> {
        let (phone, chat_jid) = (phone.to_owned(), chat_jid.to_owned());
        self.read(move |c| {
            messages::history(c, &phone, &chat_jid, cursor.as_ref(), direction, count)
        })
        .await
    }

    async fn set_starred(
        &self,
        phone: &str,
        keys: Vec<MessageKey>,
        starred: bool,
    ) -> StoreResult<usize> {
        let phone = phone.to_owned();
        self.write(move |c| starred::set(c, &phone, &keys, starred)).await
    }

    async fn starred_messages(
        &self,
        phone: &str,
        chat_jid: Option<String>,
        count: u32,
    ) -> StoreResult<Vec<StoredMessage>> {
        let phone = phone.to_owned();
        self.read(move |c| starred::list(c, &phone, chat_jid.as_deref(), count)).await
    }

    async fn delete_messages(&self, phone: &str, keys: Vec<MessageKey>) -> StoreResult<usize> {
        let phone = phone.to_owned();
        self.write(move |c| removal::messages(c, &phone, &keys)).await
    }

    async fn clear_chat(&self, phone: &str, jid: &str, scope: ClearScope) -> StoreResult<usize> {
        let (owned, jid) = (phone.to_owned(), jid.to_owned());
        let doomed = self.write(move |c| removal::start_clear(c, &owned, &jid, &scope)).await?;
        let owned = phone.to_owned();
        self.in_chunks(move |c| removal::remove_chunk(c, &owned, &doomed)).await
    }

    async fn delete_chat(&self, phone: &str, jid: &str) -> StoreResult<()> {
        let (owned, jid) = (phone.to_owned(), jid.to_owned());
        let doomed = self.write(move |c| removal::start_delete(c, &owned, &jid)).await?;
        let (owned, chunked) = (phone.to_owned(), doomed.clone());
        self.in_chunks(move |c| removal::remove_chunk(c, &owned, &chunked)).await?;
        let owned = phone.to_owned();
        self.write(move |c| removal::finish_delete(c, &owned, &doomed)).await
    }

    async fn last_message_per_chat(&self, phone: &str) -> StoreResult<Vec<StoredMessage>> {
        let phone = phone.to_owned();
        self.read(move |c| messages::last_per_chat(c, &phone)).await
    }

    async fn relay(&self, request: Relay) -> StoreResult<RelayOutcome> {
        let cache = Arc::clone(&self.cache);
        self.write(move |c| relay::relay(c, &cache, &request)).await
    }
}
