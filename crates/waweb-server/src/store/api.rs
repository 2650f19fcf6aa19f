//! The [`Store`] trait: every read and write the server makes, independent of the database.

use std::future::Future;

use super::group::{Applied, CreatedGroup, FanOut, FanOutOutcome, Group, GroupChange, NewGroup};
use super::group::{GroupRead, GroupReadNoted, GroupReceipts, Refusal};
use super::{
    Account, Chat, ChatUpdate, ClearScope, Contact, Cursor, DeliveryId, Direction, InsertOutcome,
    MessageKey, NewMessage, PendingDelivery, Picture, PictureKey, Relay, RelayOutcome, SeedAccount,
    SeedReport, StoreResult, StoredMessage, TokenRotation, WebMessageInfoStatus, WebSessionRecord,
};

/// The server's durable storage. Every `account` argument is a phone number (digits).
///
/// Every write is durable when its future resolves with `Ok`. Concurrent writes may be applied
/// in any order, unless the backend says otherwise with [`Store::orders_writes`]: the server
/// keeps a connection's relays of one chat in order by starting each write only after the
/// previous one committed, or, on a backend that orders writes, as soon as the previous one was
/// polled once (so a burst can share one commit).
pub trait Store: Send + Sync + 'static {
    /// Whether writes are applied in the order their futures are first polled (a write takes
    /// its place in the queue at its first poll, even if it then waits for room, and even if
    /// the task has used up tokio's cooperative budget). `false` unless the backend overrides
    /// it: a backend that runs writes on a connection pool cannot promise it, and the safe
    /// answer costs only speed.
    fn orders_writes(&self) -> bool {
        false
    }

    // --- accounts -------------------------------------------------------------------------

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

    /// The tag and secret of `owner`'s picture (see [`Store::picture`]), if it has one, without
    /// reading the images. `NotFound` if there is no such account or group.
    fn picture_key(
        &self,
        owner: &str,
    ) -> impl Future<Output = StoreResult<Option<PictureKey>>> + Send;

    /// Sets (or replaces) `owner`'s picture (see [`Store::picture`]) and returns its tag:
    /// `picture.tag` (the caller's clock, in ms), unless that is not above the previous picture's
    /// tag, which then gets one more. A tag names one upload in the picture's URL, served as
    /// immutable, so it never comes back.
    fn set_picture(
        &self,
        owner: &str,
        picture: Picture,
    ) -> impl Future<Output = StoreResult<String>> + Send;

    /// Removes `owner`'s picture (see [`Store::picture`]); returns whether it had one.
    fn remove_picture(&self, owner: &str) -> impl Future<Output = StoreResult<bool>> + Send;

    // --- contacts -------------------------------------------------------------------------

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

    // --- chats ----------------------------------------------------------------------------

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

    // --- messages -------------------------------------------------------------------------

    /// Stores one message and creates its chat if needed (`t` moves forward to the message's
    /// timestamp; `unread` is left alone). Idempotent on (account, chat, id, from_me).
    fn insert_message(
        &self,
        phone: &str,
        message: NewMessage,
    ) -> impl Future<Output = StoreResult<InsertOutcome>> + Send;

    /// One message by its key.
    fn find_message(
        &self,
        phone: &str,
        key: MessageKey,
    ) -> impl Future<Output = StoreResult<Option<StoredMessage>>> + Send;

    /// Raises a message's status (delivered, read, played) and returns the stored status. A
    /// lower status than the stored one is ignored, so late delivery acks cannot undo a read.
    /// Each level reached for the first time is noted at `at` (Unix seconds) in
    /// [`StoredMessage::receipts`], the levels below it too if they had no time yet.
    /// `NotFound` if the message does not exist.
    fn set_message_status(
        &self,
        phone: &str,
        key: MessageKey,
        status: WebMessageInfoStatus,
        at: u64,
    ) -> impl Future<Output = StoreResult<WebMessageInfoStatus>> + Send;

    /// A page of one chat's history, **oldest first**: up to `count` messages strictly before
    /// (or after) the cursor message. Without a cursor both directions give the latest `count`
    /// messages (the official client also turns "after, no index" into "before"). `NotFound` if
    /// the cursor message is not in this chat.
    fn history(
        &self,
        phone: &str,
        chat_jid: &str,
        cursor: Option<Cursor>,
        direction: Direction,
        count: u32,
    ) -> impl Future<Output = StoreResult<Vec<StoredMessage>>> + Send;

    /// The latest `count` messages of a chat, oldest first.
    fn recent_messages(
        &self,
        phone: &str,
        chat_jid: &str,
        count: u32,
    ) -> impl Future<Output = StoreResult<Vec<StoredMessage>>> + Send {
        self.history(phone, chat_jid, None, Direction::Before, count)
    }

    /// Stars (or unstars) the account's messages with these keys; returns how many of them
    /// exist (keys of no message of this account are ignored).
    fn set_starred(
        &self,
        phone: &str,
        keys: Vec<MessageKey>,
        starred: bool,
    ) -> impl Future<Output = StoreResult<usize>> + Send;

    /// The account's latest `count` starred messages, oldest first: of one chat, or of all its
    /// chats if `chat_jid` is `None`.
    fn starred_messages(
        &self,
        phone: &str,
        chat_jid: Option<String>,
        count: u32,
    ) -> impl Future<Output = StoreResult<Vec<StoredMessage>>> + Send;

    /// Removes the account's messages with these keys ("delete for me"), and their places in
    /// the delivery queue; returns how many existed. The chats stay.
    fn delete_messages(
        &self,
        phone: &str,
        keys: Vec<MessageKey>,
    ) -> impl Future<Output = StoreResult<usize>> + Send;

    /// Empties a chat: removes the messages `scope` names (and their places in the delivery
    /// queue), sets `unread` to 0 and bumps `modify_tag`; returns how many were removed. The
    /// chat itself stays. `NotFound` if the account has no such chat, or if `scope.up_to` is
    /// not a message of it.
    ///
    /// The messages are those in the chat when the call starts; a big chat goes in several
    /// writes, so other writes are not held up, and a crash midway leaves it partly emptied.
    fn clear_chat(
        &self,
        phone: &str,
        chat_jid: &str,
        scope: ClearScope,
    ) -> impl Future<Output = StoreResult<usize>> + Send;

    /// Deletes a chat with all its messages (and their places in the delivery queue); a later
    /// message creates it afresh. `NotFound` if the account has no such chat. As with
    /// [`Store::clear_chat`], the messages are those there at the start, removed in several
    /// writes; a chat that received a message meanwhile stays, with that message.
    fn delete_chat(
        &self,
        phone: &str,
        chat_jid: &str,
    ) -> impl Future<Output = StoreResult<()>> + Send;

    /// The newest message of every chat that has one, in chat-list order (`t` desc): the
    /// `action add=last` push of the initial sync.
    fn last_message_per_chat(
        &self,
        phone: &str,
    ) -> impl Future<Output = StoreResult<Vec<StoredMessage>>> + Send;

    /// The relay transaction: stores both copies, updates both chats (creating them, and the
    /// contacts, if needed; `t` moves forward, the recipient's `unread` grows by one, the
    /// sender's drops to 0), and queues the recipient copy for delivery unless
    /// [`Relay::recipient_online`] — all or nothing. A
    /// repeated id from the same sender in the same chat changes nothing and is reported as
    /// [`RelayOutcome::Duplicate`]. `NotFound` if either account does not exist.
    fn relay(&self, relay: Relay) -> impl Future<Output = StoreResult<RelayOutcome>> + Send;

    // --- groups ---------------------------------------------------------------------------

    /// Creates a group (JID `<creator>-<time>@g.us`, or the second after the creator's last
    /// group if that is later; `TooFast` if that runs more than a minute ahead of `time`)
    /// with the creator as [`Role::SuperAdmin`](super::Role::SuperAdmin) and every existing
    /// participant as a member, and gives each member a chat with it named after the subject.
    /// `NotFound` if the creator's account does not exist.
    fn create_group(
        &self,
        group: NewGroup,
    ) -> impl Future<Output = StoreResult<CreatedGroup>> + Send;

    /// The group with this JID, with its members, if it exists.
    fn group(&self, jid: &str) -> impl Future<Output = StoreResult<Option<Group>>> + Send;

    /// The JID of the group whose invite code this is, if any.
    fn group_by_invite(
        &self,
        code: &str,
    ) -> impl Future<Output = StoreResult<Option<String>>> + Send;

    /// Applies one change by `actor` under the rules of [`apply`](super::group::apply), in the
    /// write that saves it; members added get a chat with the group, and a new subject renames
    /// every member's chat (a join by invite counts as an addition). `NotFound` if there is no
    /// such group; a refused change changes nothing.
    fn change_group(
        &self,
        jid: &str,
        actor: &str,
        change: GroupChange,
        now: u64,
    ) -> impl Future<Output = StoreResult<Result<Applied, Refusal>>> + Send;

    /// Stores a group message for several members at once (all or nothing), updating each
    /// one's chat with the group and queuing the copies of members without a live session. With
    /// a sender, notes whom the message went to, for its receipts.
    fn fan_out(&self, fan_out: FanOut) -> impl Future<Output = StoreResult<FanOutOutcome>> + Send;

    /// Notes that `reader` read these group messages at `t` (each by its author, group and
    /// id); returns the reads noted for the first time. When every member a message went to has
    /// read it, its author's copy becomes READ (see [`GroupReadNoted::by_all`]). Messages that
    /// were not sent to `reader` through a group, or that it read already, are skipped.
    fn note_group_reads(
        &self,
        reader: &str,
        reads: Vec<GroupRead>,
        t: u64,
    ) -> impl Future<Output = StoreResult<Vec<GroupReadNoted>>> + Send;

    /// Whom the author's group message `key` went to and who read it; `None` if it is not a
    /// group message the author sent. `NotFound` if there is no such account.
    fn group_receipts(
        &self,
        author: &str,
        key: MessageKey,
    ) -> impl Future<Output = StoreResult<Option<GroupReceipts>>> + Send;

    // --- delivery queue -------------------------------------------------------------------

    /// Up to `limit` messages queued for the account's web session, oldest first.
    fn pending_for(
        &self,
        phone: &str,
        limit: u32,
    ) -> impl Future<Output = StoreResult<Vec<PendingDelivery>>> + Send;

    /// Queues an already stored message of the account for its web session (a relay made for an
    /// online recipient whose live push found no session after all). Queuing it twice is
    /// harmless. `NotFound` if the account, or the message in that account, does not exist.
    fn enqueue_delivery(
        &self,
        phone: &str,
        id: DeliveryId,
    ) -> impl Future<Output = StoreResult<()>> + Send;

    /// Removes delivered messages from the account's queue; returns how many were removed
    /// (ids that are not queued for this account are ignored).
    fn ack_delivered(
        &self,
        phone: &str,
        ids: Vec<DeliveryId>,
    ) -> impl Future<Output = StoreResult<usize>> + Send;

    // --- web sessions ---------------------------------------------------------------------

    /// Stores a newly paired browser. `Conflict` if its client id has a pairing already (with
    /// any account: never replaced, see docs/PROTOCOL.md §3.4); `NotFound` if the account does
    /// not exist.
    fn pair_session(
        &self,
        record: WebSessionRecord,
    ) -> impl Future<Output = StoreResult<()>> + Send;

    /// The session of a client id, if any (check the login's tokens with
    /// [`WebSessionRecord::tokens_match`]).
    fn session(
        &self,
        client_id: &str,
    ) -> impl Future<Output = StoreResult<Option<WebSessionRecord>>> + Send;

    /// The session with this browser token (HTTP logout), if any.
    fn session_by_browser_token(
        &self,
        browser_token: &str,
    ) -> impl Future<Output = StoreResult<Option<WebSessionRecord>>> + Send;

    /// Every session paired with the account.
    fn sessions_of(
        &self,
        phone: &str,
    ) -> impl Future<Output = StoreResult<Vec<WebSessionRecord>>> + Send;

    /// Replaces a session's client and server tokens if its server token is still the expected
    /// one, and returns the updated record. `NotFound` if there is no such session, `Conflict`
    /// if the server token changed meanwhile; the old tokens stop matching on success.
    fn rotate_tokens(
        &self,
        rotation: TokenRotation,
    ) -> impl Future<Output = StoreResult<WebSessionRecord>> + Send;

    /// Records activity on a session. `NotFound` if there is no such session.
    fn touch_session(
        &self,
        client_id: &str,
        now_ms: u64,
    ) -> impl Future<Output = StoreResult<()>> + Send;

    /// Logout: forgets the session, so its tokens and keys are no longer accepted. Returns
    /// whether there was one.
    fn remove_session(&self, client_id: &str) -> impl Future<Output = StoreResult<bool>> + Send;

    // --- bulk and lifecycle ---------------------------------------------------------------

    /// Creates whole accounts with contacts, chats, history and blocklists in one transaction.
    /// `AlreadyExists` (and nothing stored) if any of the accounts exists.
    fn seed(
        &self,
        accounts: Vec<SeedAccount>,
    ) -> impl Future<Output = StoreResult<SeedReport>> + Send;

    /// Finishes every write already submitted, then stops; later calls fail with `Closed`.
    fn close(&self) -> impl Future<Output = StoreResult<()>> + Send;
}
