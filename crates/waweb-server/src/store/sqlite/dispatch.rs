//! `impl Store for SqliteStore`: where each method of the [`Store`] trait runs (a job for the
//! writer thread, or a pooled reader) and which concept's file holds its SQL.

use std::sync::Arc;

use super::super::{
    Account, Chat, ChatUpdate, ClearScope, Contact, Cursor, DeliveryId, Direction, InsertOutcome,
    MessageKey, NewMessage, PendingDelivery, Picture, PictureKey, Relay, RelayOutcome, SeedAccount,
    SeedReport, Store, StoreError, StoreResult, StoredMessage, TokenRotation, WebMessageInfoStatus,
    WebSessionRecord,
};
use super::super::{
    Applied, CreatedGroup, FanOut, FanOutOutcome, Group, GroupChange, GroupRead, GroupReadNoted,
    GroupReceipts, NewGroup, Refusal,
};
use super::cache::{self, Edit, Entry};
use super::{
    accounts, blocklist, chats, contacts, deliveries, group_receipts, groups, messages, pictures,
    relay, removal, seed, sessions, starred, SqliteStore,
};

const NO_ACCOUNT: StoreError = StoreError::NotFound { what: "account" };

impl Store for SqliteStore {
    /// One writer task applies the writes in the order they joined its queue, which a write
    /// does at its first poll.
    fn orders_writes(&self) -> bool {
        true
    }

    async fn create_account(&self, account: Account) -> StoreResult<()> {
        self.write_edit(false, move |c| {
            let id = accounts::create(c, &account)?;
            Ok((
                (),
                Edit::Added(vec![Entry { id, account: account.clone(), blocklist: Vec::new() }]),
            ))
        })
        .await
    }

    async fn account(&self, phone: &str) -> StoreResult<Option<Account>> {
        self.cached(phone, |e| e.account.clone())
    }

    async fn accounts(&self) -> StoreResult<Vec<Account>> {
        self.listed().await
    }

    async fn remove_account(&self, phone: &str) -> StoreResult<()> {
        // Its messages first, a chunk per write, so that a big account does not hold up the
        // writer; the cascade then removes the rest in one short write.
        let phone = phone.to_owned();
        let owned = phone.clone();
        self.in_chunks(move |c| removal::account_chunk(c, &owned)).await?;
        let cache = Arc::clone(&self.cache);
        let removed = self
            .write_edit(true, move |c| {
                groups::forget_member(c, &cache, &phone)?;
                accounts::remove(c, &phone).map(|()| ((), Edit::Removed(phone.clone())))
            })
            .await;
        self.groups.forget_all();
        removed
    }

    async fn set_pushname(&self, phone: &str, pushname: &str) -> StoreResult<()> {
        let (phone, pushname) = (phone.to_owned(), pushname.to_owned());
        self.write_edit(false, move |c| {
            accounts::set_pushname(c, &phone, &pushname)?;
            Ok(((), Edit::Pushname(phone.clone(), pushname.clone())))
        })
        .await
    }

    async fn status_text(&self, phone: &str) -> StoreResult<String> {
        self.cached(phone, |e| e.account.status_text.clone())?.ok_or(NO_ACCOUNT)
    }

    async fn set_status_text(&self, phone: &str, text: &str) -> StoreResult<()> {
        let (phone, text) = (phone.to_owned(), text.to_owned());
        self.write_edit(false, move |c| {
            accounts::set_status_text(c, &phone, &text)?;
            Ok(((), Edit::StatusText(phone.clone(), text.clone())))
        })
        .await
    }

    async fn blocklist(&self, phone: &str) -> StoreResult<Vec<String>> {
        self.cached(phone, |e| e.blocklist.clone())?.ok_or(NO_ACCOUNT)
    }

    async fn set_blocklist(&self, phone: &str, jids: Vec<String>) -> StoreResult<()> {
        let phone = phone.to_owned();
        self.write_edit(false, move |c| {
            blocklist::set(c, &phone, &jids)?;
            Ok(((), Edit::Blocklist(phone.clone(), cache::normalized(&jids))))
        })
        .await
    }

    async fn picture(&self, phone: &str) -> StoreResult<Option<Picture>> {
        let phone = phone.to_owned();
        self.read(move |c| pictures::get(c, &phone)).await
    }

    async fn picture_key(&self, phone: &str) -> StoreResult<Option<PictureKey>> {
        let phone = phone.to_owned();
        self.read(move |c| pictures::key(c, &phone)).await
    }

    async fn set_picture(&self, phone: &str, picture: Picture) -> StoreResult<String> {
        let phone = phone.to_owned();
        self.write(move |c| pictures::set(c, &phone, &picture)).await
    }

    async fn remove_picture(&self, phone: &str) -> StoreResult<bool> {
        let phone = phone.to_owned();
        self.write(move |c| pictures::remove(c, &phone)).await
    }

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

    async fn create_group(&self, group: NewGroup) -> StoreResult<CreatedGroup> {
        let cache = Arc::clone(&self.cache);
        self.write(move |c| groups::create(c, &cache, &group)).await
    }

    async fn group(&self, jid: &str) -> StoreResult<Option<Group>> {
        if let Some(group) = self.groups.get(jid) {
            return Ok(Some(group));
        }
        let generation = self.groups.generation();
        let owned = jid.to_owned();
        let loaded = self.read(move |c| groups::load(c, &owned)).await?;
        if let Some(group) = &loaded {
            self.groups.keep(generation, group);
        }
        Ok(loaded)
    }

    async fn group_by_invite(&self, code: &str) -> StoreResult<Option<String>> {
        let code = code.to_owned();
        self.read(move |c| groups::by_invite(c, &code)).await
    }

    async fn change_group(
        &self,
        jid: &str,
        actor: &str,
        change: GroupChange,
        now: u64,
    ) -> StoreResult<Result<Applied, Refusal>> {
        let (owned, actor, cache) = (jid.to_owned(), actor.to_owned(), Arc::clone(&self.cache));
        let changed =
            self.write(move |c| groups::change(c, &cache, &owned, &actor, &change, now)).await;
        self.groups.forget(jid);
        changed
    }

    async fn fan_out(&self, fan_out: FanOut) -> StoreResult<FanOutOutcome> {
        let cache = Arc::clone(&self.cache);
        self.write(move |c| groups::fan_out(c, &cache, &fan_out)).await
    }

    async fn note_group_reads(
        &self,
        reader: &str,
        reads: Vec<GroupRead>,
        t: u64,
    ) -> StoreResult<Vec<GroupReadNoted>> {
        let (reader, cache) = (reader.to_owned(), Arc::clone(&self.cache));
        self.write(move |c| group_receipts::note_reads(c, &cache, &reader, &reads, t)).await
    }

    async fn group_receipts(
        &self,
        author: &str,
        key: MessageKey,
    ) -> StoreResult<Option<GroupReceipts>> {
        let author = author.to_owned();
        self.read(move |c| group_receipts::receipts(c, &author, &key)).await
    }

    async fn pending_for(&self, phone: &str, limit: u32) -> StoreResult<Vec<PendingDelivery>> {
        let phone = phone.to_owned();
        self.read(move |c| deliveries::pending(c, &phone, limit)).await
    }

    async fn enqueue_delivery(&self, phone: &str, id: DeliveryId) -> StoreResult<()> {
        let phone = phone.to_owned();
        self.write(move |c| deliveries::enqueue_stored(c, &phone, id)).await
    }

    async fn ack_delivered(&self, phone: &str, ids: Vec<DeliveryId>) -> StoreResult<usize> {
        let phone = phone.to_owned();
        self.write(move |c| deliveries::ack(c, &phone, &ids)).await
    }

    async fn pair_session(&self, record: WebSessionRecord) -> StoreResult<()> {
        self.write(move |c| sessions::pair(c, &record)).await
    }

    async fn session(&self, client_id: &str) -> StoreResult<Option<WebSessionRecord>> {
        let client_id = client_id.to_owned();
        self.read(move |c| sessions::by_client_id(c, &client_id)).await
    }

    async fn session_by_browser_token(&self, token: &str) -> StoreResult<Option<WebSessionRecord>> {
        let token = zeroize::Zeroizing::new(token.to_owned());
        self.read(move |c| sessions::by_browser_token(c, &token)).await
    }

    async fn sessions_of(&self, phone: &str) -> StoreResult<Vec<WebSessionRecord>> {
        let phone = phone.to_owned();
        self.read(move |c| sessions::of_account(c, &phone)).await
    }

    async fn rotate_tokens(&self, rotation: TokenRotation) -> StoreResult<WebSessionRecord> {
        self.write(move |c| sessions::rotate(c, &rotation)).await
    }

    async fn touch_session(&self, client_id: &str, now_ms: u64) -> StoreResult<()> {
        let client_id = client_id.to_owned();
        self.write(move |c| sessions::touch(c, &client_id, now_ms)).await
    }

    async fn remove_session(&self, client_id: &str) -> StoreResult<bool> {
        let client_id = client_id.to_owned();
        self.write(move |c| sessions::remove(c, &client_id)).await
    }

    async fn seed(&self, accounts: Vec<SeedAccount>) -> StoreResult<SeedReport> {
        self.write_edit(false, move |c| {
            seed::seed(c, &accounts).map(|(report, added)| (report, Edit::Added(added)))
        })
        .await
    }

    async fn close(&self) -> StoreResult<()> {
        self.shutdown().await
    }
}
