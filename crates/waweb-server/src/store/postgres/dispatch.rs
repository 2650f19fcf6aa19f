//! `impl Store for PgStore`: how each method of the [`Store`] trait runs (a pooled connection;
//! a write also its account's lane and a transaction) and which concept's file holds its SQL.

use super::super::{
    Account, Chat, ChatUpdate, ClearScope, Contact, Cursor, DeliveryId, Direction, InsertOutcome,
    MessageKey, NewMessage, PendingDelivery, Picture, PictureKey, Relay, RelayOutcome, SeedAccount,
    SeedReport, Store, StoreResult, StoredMessage, TokenRotation, WebMessageInfoStatus,
    WebSessionRecord,
};
use super::super::{
    Applied, CreatedGroup, FanOut, FanOutOutcome, Group, GroupChange, GroupRead, GroupReadNoted,
    GroupReceipts, NewGroup, Refusal,
};
use super::accounts::id_of;
use super::{
    accounts, blocklist, chats, contacts, deliveries, group_receipts, groups, messages, pictures,
    relay, removal, seed, sessions, starred, PgStore,
};

impl Store for PgStore {
    async fn create_account(&self, account: Account) -> StoreResult<()> {
        let key = account.phone.clone();
        self.write(&key, false, move |db| async move {
            accounts::create(&db, &account).await.map(|_| ())
        })
        .await
    }

    async fn account(&self, phone: &str) -> StoreResult<Option<Account>> {
        accounts::one(&self.read().await?, phone).await
    }

    async fn accounts(&self) -> StoreResult<Vec<Account>> {
        accounts::all(&self.read().await?).await
    }

    async fn remove_account(&self, phone: &str) -> StoreResult<()> {
        self.remove_account_in_chunks(phone).await
    }

    async fn set_pushname(&self, phone: &str, pushname: &str) -> StoreResult<()> {
        let (owned, pushname) = (phone.to_owned(), pushname.to_owned());
        self.write(phone, false, move |db| async move {
            accounts::set_pushname(&db, &owned, &pushname).await
        })
        .await
    }

    async fn status_text(&self, phone: &str) -> StoreResult<String> {
        accounts::status_text(&self.read().await?, phone).await
    }

    async fn set_status_text(&self, phone: &str, text: &str) -> StoreResult<()> {
        let (owned, text) = (phone.to_owned(), text.to_owned());
        self.write(phone, false, move |db| async move {
            accounts::set_status_text(&db, &owned, &text).await
        })
        .await
    }

    async fn blocklist(&self, phone: &str) -> StoreResult<Vec<String>> {
        blocklist::of(&self.read().await?, phone).await
    }

    async fn set_blocklist(&self, phone: &str, jids: Vec<String>) -> StoreResult<()> {
        let owned = phone.to_owned();
        self.write(phone, true, move |mut db| async move {
            let set = async {
                let account = id_of(&db, &owned).await?;
                blocklist::insert(&db, account, &jids, true).await
            }
            .await;
            db.finish(set).await
        })
        .await
    }

    async fn picture(&self, owner: &str) -> StoreResult<Option<Picture>> {
        pictures::get_picture(&self.read().await?, owner).await
    }

    async fn picture_key(&self, owner: &str) -> StoreResult<Option<PictureKey>> {
        pictures::key(&self.read().await?, owner).await
    }

    async fn set_picture(&self, owner: &str, picture: Picture) -> StoreResult<String> {
        let owned = owner.to_owned();
        self.write(owner, true, move |mut db| async move {
            let set = pictures::set(&db, &owned, &picture).await;
            db.finish(set).await
        })
        .await
    }

    async fn remove_picture(&self, owner: &str) -> StoreResult<bool> {
        let owned = owner.to_owned();
        self.write(owner, true, move |mut db| async move {
            let removed = pictures::remove(&db, &owned).await;
            db.finish(removed).await
        })
        .await
    }

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

    async fn create_group(&self, group: NewGroup) -> StoreResult<CreatedGroup> {
        let key = group.creator.clone();
        self.write(&key, true, move |mut db| async move {
            let created = groups::create(&db, &group).await;
            db.finish(created).await
        })
        .await
    }

    async fn group(&self, jid: &str) -> StoreResult<Option<Group>> {
        groups::load(&self.read().await?, jid, false).await
    }

    async fn group_by_invite(&self, code: &str) -> StoreResult<Option<String>> {
        groups::by_invite(&self.read().await?, code).await
    }

    async fn change_group(
        &self,
        jid: &str,
        actor: &str,
        change: GroupChange,
        now: u64,
    ) -> StoreResult<Result<Applied, Refusal>> {
        let (jid, owned) = (jid.to_owned(), actor.to_owned());
        self.write(actor, true, move |mut db| async move {
            let changed = groups::change(&db, &jid, &owned, &change, now).await;
            db.finish(changed).await
        })
        .await
    }

    async fn fan_out(&self, fan_out: FanOut) -> StoreResult<FanOutOutcome> {
        let key = fan_out.sender.as_ref().map_or_else(String::new, |(phone, _)| phone.clone());
        self.write(&key, true, move |mut db| async move {
            let stored = groups::fan_out(&mut db, &fan_out).await;
            db.finish(stored).await
        })
        .await
    }

    async fn note_group_reads(
        &self,
        reader: &str,
        reads: Vec<GroupRead>,
        t: u64,
    ) -> StoreResult<Vec<GroupReadNoted>> {
        let owned = reader.to_owned();
        self.write(reader, true, move |mut db| async move {
            let noted = group_receipts::note_reads(&db, &owned, &reads, t).await;
            db.finish(noted).await
        })
        .await
    }

    async fn group_receipts(
        &self,
        author: &str,
        key: MessageKey,
    ) -> StoreResult<Option<GroupReceipts>> {
        let db = self.read().await?;
        group_receipts::receipts(&db, id_of(&db, author).await?, &key).await
    }

    async fn pending_for(&self, phone: &str, limit: u32) -> StoreResult<Vec<PendingDelivery>> {
        let db = self.read().await?;
        deliveries::pending(&db, id_of(&db, phone).await?, limit).await
    }

    async fn enqueue_delivery(&self, phone: &str, id: DeliveryId) -> StoreResult<()> {
        let owned = phone.to_owned();
        self.write(phone, true, move |mut db| async move {
            let queued =
                async { deliveries::enqueue_stored(&db, id_of(&db, &owned).await?, id).await }
                    .await;
            db.finish(queued).await
        })
        .await
    }

    async fn ack_delivered(&self, phone: &str, ids: Vec<DeliveryId>) -> StoreResult<usize> {
        let owned = phone.to_owned();
        self.write(phone, true, move |mut db| async move {
            let acked = async { deliveries::ack(&db, id_of(&db, &owned).await?, &ids).await }.await;
            db.finish(acked).await
        })
        .await
    }

    async fn pair_session(&self, record: WebSessionRecord) -> StoreResult<()> {
        let key = record.account.clone();
        self.write(&key, false, move |db| async move { sessions::pair(&db, &record).await }).await
    }

    async fn session(&self, client_id: &str) -> StoreResult<Option<WebSessionRecord>> {
        sessions::by_client_id(&self.read().await?, client_id).await
    }

    async fn session_by_browser_token(&self, token: &str) -> StoreResult<Option<WebSessionRecord>> {
        sessions::by_browser_token(&self.read().await?, token).await
    }

    async fn sessions_of(&self, phone: &str) -> StoreResult<Vec<WebSessionRecord>> {
        let db = self.read().await?;
        sessions::of_account(&db, id_of(&db, phone).await?).await
    }

    async fn rotate_tokens(&self, rotation: TokenRotation) -> StoreResult<WebSessionRecord> {
        let key = rotation.client_id.clone();
        self.write(&key, false, move |db| async move { sessions::rotate(&db, &rotation).await })
            .await
    }

    async fn touch_session(&self, client_id: &str, now_ms: u64) -> StoreResult<()> {
        let owned = client_id.to_owned();
        self.write(
            client_id,
            false,
            move |db| async move { sessions::touch(&db, &owned, now_ms).await },
        )
        .await
    }

    async fn remove_session(&self, client_id: &str) -> StoreResult<bool> {
        let owned = client_id.to_owned();
        self.write(client_id, false, move |db| async move { sessions::remove(&db, &owned).await })
            .await
    }

    async fn seed(&self, accounts: Vec<SeedAccount>) -> StoreResult<SeedReport> {
        self.write("", true, move |mut db| async move {
            let seeded = seed::seed(&db, &accounts).await;
            db.finish(seeded).await
        })
        .await
    }

    async fn close(&self) -> StoreResult<()> {
        self.shutdown().await
    }
}
