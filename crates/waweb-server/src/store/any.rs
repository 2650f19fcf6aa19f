//! [`AnyStore`]: the backend chosen at start-up, behind one concrete type.
//!
//! [`Store`] is not object-safe (see the module docs of [`crate::store`]), so the server cannot
//! hold a `dyn Store`. It holds an `AnyStore` instead, an enum with one variant per backend
//! whose methods forward to the backend it holds: one `match` per call, no allocation, and the
//! forwarded future is polled at the first poll of the outer one, so the write order (see
//! [`Store::orders_writes`]) is the backend's.

use super::postgres::PgStore;
use super::sqlite::SqliteStore;
use super::{
    Account, AccountStore, Chat, ChatStore, ChatUpdate, ClearScope, Contact, Cursor, DeliveryId,
    Direction, GroupStore, InsertOutcome, MessageKey, MessageStore, NewMessage, PendingDelivery,
    Picture, PictureKey, Relay, RelayOutcome, SeedAccount, SeedReport, SessionStore, Store,
    StoreResult, StoredMessage, TokenRotation, WebMessageInfoStatus, WebSessionRecord,
};
use super::{
    Applied, CreatedGroup, FanOut, FanOutOutcome, Group, GroupChange, GroupRead, GroupReadNoted,
    GroupReceipts, NewGroup, Refusal,
};

/// The store the server runs on: one of the backends.
#[non_exhaustive]
pub enum AnyStore {
    /// A SQLite database file in the data directory (the default).
    Sqlite(SqliteStore),
    /// A PostgreSQL database, possibly shared with other nodes.
    Postgres(PgStore),
}

impl From<SqliteStore> for AnyStore {
    fn from(store: SqliteStore) -> Self {
        AnyStore::Sqlite(store)
    }
}

impl From<PgStore> for AnyStore {
    fn from(store: PgStore) -> Self {
        AnyStore::Postgres(store)
    }
}

/// Implements each trait [`Store`] gathers by forwarding every method to the backend held.
macro_rules! forward {
    ($(impl $trait:ident {
        $(fn $name:ident(&self $(, $arg:ident: $ty:ty)*) -> $ret:ty;)*
    })*) => {
        $(
            impl $trait for AnyStore {
                $(
                    async fn $name(&self $(, $arg: $ty)*) -> $ret {
                        match self {
                            AnyStore::Sqlite(store) => store.$name($($arg),*).await,
                            AnyStore::Postgres(store) => store.$name($($arg),*).await,
                        }
                    }
                )*
            }
        )*
    };
}

impl Store for AnyStore {
    fn orders_writes(&self) -> bool {
        match self {
            AnyStore::Sqlite(store) => store.orders_writes(),
            AnyStore::Postgres(store) => store.orders_writes(),
        }
    }

    async fn seed(&self, accounts: Vec<SeedAccount>) -> StoreResult<SeedReport> {
        match self {
            AnyStore::Sqlite(store) => store.seed(accounts).await,
            AnyStore::Postgres(store) => store.seed(accounts).await,
        }
    }

    async fn close(&self) -> StoreResult<()> {
        match self {
            AnyStore::Sqlite(store) => store.close().await,
            AnyStore::Postgres(store) => store.close().await,
        }
    }
}

forward! {
    impl AccountStore {
        fn create_account(&self, account: Account) -> StoreResult<()>;
        fn account(&self, phone: &str) -> StoreResult<Option<Account>>;
        fn accounts(&self) -> StoreResult<Vec<Account>>;
        fn remove_account(&self, phone: &str) -> StoreResult<()>;
        fn set_pushname(&self, phone: &str, pushname: &str) -> StoreResult<()>;
        fn status_text(&self, phone: &str) -> StoreResult<String>;
        fn set_status_text(&self, phone: &str, text: &str) -> StoreResult<()>;
        fn blocklist(&self, phone: &str) -> StoreResult<Vec<String>>;
        fn set_blocklist(&self, phone: &str, jids: Vec<String>) -> StoreResult<()>;
        fn picture(&self, phone: &str) -> StoreResult<Option<Picture>>;
        fn picture_key(&self, phone: &str) -> StoreResult<Option<PictureKey>>;
        fn set_picture(&self, phone: &str, picture: Picture) -> StoreResult<String>;
        fn remove_picture(&self, phone: &str) -> StoreResult<bool>;
    }
    impl ChatStore {
        fn upsert_contacts(&self, phone: &str, list: Vec<Contact>) -> StoreResult<()>;
        fn contact_holders(&self, phone: &str) -> StoreResult<Vec<String>>;
        fn contacts(&self, phone: &str) -> StoreResult<Vec<Contact>>;
        fn chats(&self, phone: &str) -> StoreResult<Vec<Chat>>;
        fn chat(&self, phone: &str, jid: &str) -> StoreResult<Option<Chat>>;
        fn upsert_chat(&self, phone: &str, chat: Chat) -> StoreResult<()>;
        fn update_chat(&self, phone: &str, jid: &str, update: ChatUpdate) -> StoreResult<Chat>;
    }
    impl MessageStore {
        fn insert_message(&self, phone: &str, message: NewMessage) -> StoreResult<InsertOutcome>;
        fn find_message(&self, phone: &str, key: MessageKey) -> StoreResult<Option<StoredMessage>>;
        fn set_message_status(&self, phone: &str, key: MessageKey, status: WebMessageInfoStatus, at: u64) -> StoreResult<WebMessageInfoStatus>;
        fn history(&self, phone: &str, chat_jid: &str, cursor: Option<Cursor>, direction: Direction, count: u32) -> StoreResult<Vec<StoredMessage>>;
        fn recent_messages(&self, phone: &str, chat_jid: &str, count: u32) -> StoreResult<Vec<StoredMessage>>;
        fn set_starred(&self, phone: &str, keys: Vec<MessageKey>, starred: bool) -> StoreResult<usize>;
        fn starred_messages(&self, phone: &str, chat_jid: Option<String>, count: u32) -> StoreResult<Vec<StoredMessage>>;
        fn delete_messages(&self, phone: &str, keys: Vec<MessageKey>) -> StoreResult<usize>;
        fn clear_chat(&self, phone: &str, jid: &str, scope: ClearScope) -> StoreResult<usize>;
        fn delete_chat(&self, phone: &str, jid: &str) -> StoreResult<()>;
        fn last_message_per_chat(&self, phone: &str) -> StoreResult<Vec<StoredMessage>>;
        fn relay(&self, request: Relay) -> StoreResult<RelayOutcome>;
    }
    impl GroupStore {
        fn create_group(&self, group: NewGroup) -> StoreResult<CreatedGroup>;
        fn group(&self, jid: &str) -> StoreResult<Option<Group>>;
        fn group_by_invite(&self, code: &str) -> StoreResult<Option<String>>;
        fn change_group(&self, jid: &str, actor: &str, change: GroupChange, now: u64) -> StoreResult<Result<Applied, Refusal>>;
        fn fan_out(&self, fan_out: FanOut) -> StoreResult<FanOutOutcome>;
        fn note_group_reads(&self, reader: &str, reads: Vec<GroupRead>, t: u64) -> StoreResult<Vec<GroupReadNoted>>;
        fn group_receipts(&self, author: &str, key: MessageKey) -> StoreResult<Option<GroupReceipts>>;
    }
    impl SessionStore {
        fn pair_session(&self, record: WebSessionRecord) -> StoreResult<()>;
        fn session(&self, client_id: &str) -> StoreResult<Option<WebSessionRecord>>;
        fn session_by_browser_token(&self, token: &str) -> StoreResult<Option<WebSessionRecord>>;
        fn sessions_of(&self, phone: &str) -> StoreResult<Vec<WebSessionRecord>>;
        fn rotate_tokens(&self, rotation: TokenRotation) -> StoreResult<WebSessionRecord>;
        fn touch_session(&self, client_id: &str, now_ms: u64) -> StoreResult<()>;
        fn remove_session(&self, client_id: &str) -> StoreResult<bool>;
        fn pending_for(&self, phone: &str, limit: u32) -> StoreResult<Vec<PendingDelivery>>;
        fn enqueue_delivery(&self, phone: &str, id: DeliveryId) -> StoreResult<()>;
        fn ack_delivered(&self, phone: &str, ids: Vec<DeliveryId>) -> StoreResult<usize>;
    }
}
