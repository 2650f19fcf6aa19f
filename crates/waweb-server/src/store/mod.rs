//! Durable storage: everything the server must remember as the WhatsApp server *and* as every
//! account's phone.
//!
//! # What is stored
//!
//! Accounts (one per simulated phone: push name, "about" text, blocklist, profile picture), each
//! account's contacts, chats and messages (the `WebMessageInfo` bytes the phone would send back
//! in a history query, and whether the account starred them), the groups (once for all their
//! members), the paired web sessions (tokens and keys for restore, docs/PROTOCOL.md) and the
//! queue of relayed messages not yet pushed to the recipient's browser. The trait is in
//! `api/`, one file per concept; the rules of groups are in `group.rs`.
//!
//! # The trait
//!
//! [`Store`] is an async trait written with return-position `impl Future + Send` rather than
//! `async-trait`: no allocation per call on the hot relay path, and no extra dependency. It is
//! therefore not object-safe; the server's parts are generic over `S: Store`, and a running
//! [`Server`](crate::Server) holds an [`AnyStore`]: the backend chosen at start-up, in an enum
//! that forwards each call to it. [`Store`] gathers one trait per concept ([`AccountStore`],
//! [`ChatStore`], [`MessageStore`], [`GroupStore`], [`SessionStore`]), and each backend
//! implements each of them in a file of its own. Nothing in the trait names a database type: accounts are identified by phone number, messages by
//! [`MessageKey`], sessions by client id, so a PostgreSQL backend implements the same methods.
//!
//! Isolation is part of the contract: every method that takes an account only ever reads or
//! changes that account's rows. A key that exists only in another account is `NotFound`.
//!
//! # SQLite implementation
//!
//! [`sqlite::SqliteStore`] keeps one write connection on a dedicated thread that commits
//! requests in groups (see [`sqlite`]), answers account and blocklist reads from an in-memory
//! copy it updates after each commit, and runs other reads on a small pool of connections,
//! concurrently with the writer thanks to WAL.
//!
//! # PostgreSQL implementation
//!
//! [`postgres::PgStore`] is for several nodes sharing one database: a bounded connection pool,
//! no in-memory caches, one transaction per write (the relay one server-side function call),
//! and a message order that holds with several concurrent writers (see [`postgres`]). The
//! SQLite backend's caches stay: they are correct there because one process owns the file.
//! [`StoreLocation`] names either backend (`waweb serve --store`).
//!
//! # Schema (version 10)
//!
//! | table | key | columns | indexes |
//! |---|---|---|---|
//! | `accounts` | `id` (rowid) | `phone` (unique), `pushname`, `status_text`, `created_ms` | `phone` |
//! | `contacts` | (`account_id`, `jid`) | `name`, `notify`, `short` (nullable) | the key; `jid` (version 10) |
//! | `chats` | (`account_id`, `jid`) | `t`, `unread`, `mute_until`, `modify_tag`, `archived`, `pinned`, `spam`, `name` | the key (the chat list sorts an account's chats by `t`; version 1 had an index for it) |
//! | `messages` | `seq` (rowid, increasing) | `account_id`, `chat_jid`, `msg_id`, `from_me`, `timestamp`, `status`, `participant`, `push_name`, `info` (blob), `starred` (version 3), `delivered_t`, `read_t`, `played_t` (version 5) | unique (`account_id`, `chat_jid`, `msg_id`, `from_me`); (`account_id`, `chat_jid`, `seq`) for paging; (`account_id`, `seq`) of the starred ones only |
//! | `pending` | (`account_id`, `message_seq`) | — (joins `messages`) | the key |
//! | `blocklist` | (`account_id`, `jid`) | — | the key |
//! | `pictures` (version 4) | `account_id` | `tag`, `image`, `preview` (JPEG blobs), `secret` (version 12) | the key |
//! | `groups` (version 6) | `jid` | `creator`, `created`, `subject`, `subject_time`, `subject_owner`, `desc_id`, `desc_text`, `desc_time`, `desc_owner` (nullable), `announce`, `locked`, `invite_code` (version 7, nullable) | the key; `invite_code` (unique) |
//! | `group_members` (version 6) | (`group_jid`, `account_id`) | `position` (joining order), `role` | the key; `account_id` |
//! | `group_pictures` (version 8) | `group_jid` | `tag`, `image`, `preview` (JPEG blobs), `secret` (version 12) | the key |
//! | `group_sends` (version 9) | `message_seq` (the sender's copy) | `recipients` (phone numbers, comma-separated) | the key |
//! | `group_reads` (version 9) | (`message_seq`, `reader`) | `read_t` | the key |
//! | `web_sessions` | `client_id` | `account_id`, `client_token`, `server_token`, `browser_token` (each unique), `enc_key`, `mac_key` (32-byte blobs), `created_ms`, `last_seen_ms` | `account_id`; each token |
//!
//! Every `account_id` references `accounts(id)` with `ON DELETE CASCADE`, so removing an account
//! removes all its data in one statement. Unsigned numbers are stored as SQLite integers and
//! refused (`Invalid`) above `i64::MAX`. The schema version lives in `PRAGMA user_version`;
//! migrations run at open, in order, each in its own transaction.

mod account;
mod any;
mod api;
mod chat;
mod contact;
mod delivery;
mod error;
mod group;
mod location;
mod message;
pub mod migrate;
mod picture;
pub mod postgres;
mod relay;
mod seed;
mod session;
pub mod sqlite;

pub(crate) use account::check_phone;
pub use account::{
    check_pushname, check_status_text, Account, MAX_PHONE_DIGITS, MAX_PUSHNAME_CHARS,
    MAX_STATUS_CHARS,
};
pub use any::AnyStore;
pub use api::{AccountStore, ChatStore, GroupStore, MessageStore, SessionStore, Store};
pub use chat::{Chat, ChatUpdate};
pub use contact::Contact;
pub use delivery::{DeliveryId, PendingDelivery};
pub use error::{BackendError, StoreError, StoreResult};
pub use group::{
    apply as apply_group_change, Applied, CreatedGroup, Description, FanOut, FanOutOutcome, Group,
    GroupChange, GroupRead, GroupReadNoted, GroupReceipts, Member, MemberCopy, NewGroup, Refusal,
    Role, MAX_MEMBERS,
};
pub use location::StoreLocation;
pub use message::{
    ClearScope, Cursor, Direction, InsertOutcome, MessageKey, NewMessage, Receipts, StoredMessage,
    WebMessageInfoStatus,
};
pub use picture::{Picture, PictureKey};
pub use relay::{Relay, RelayOutcome};
pub use seed::{SeedAccount, SeedChat, SeedReport};
pub use session::{TokenRotation, WebSessionRecord};
