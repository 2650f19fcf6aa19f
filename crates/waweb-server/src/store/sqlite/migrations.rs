//! Schema migrations, applied in order at open; `PRAGMA user_version` counts those applied.
//!
//! Never edit a released migration: append a new one.

use rusqlite::Connection;

use super::super::{StoreError, StoreResult};

/// Migration `i` brings the schema from version `i` to `i + 1`.
const MIGRATIONS: &[&str] = &[V1, V2, V3, V4, V5, V6, V7, V8, V9, V10, V11, V12];

/// The first schema (documented in the `store` module).
const V1: &str = "
CREATE TABLE accounts (
    id          INTEGER PRIMARY KEY,
    phone       TEXT NOT NULL UNIQUE,
    pushname    TEXT NOT NULL,
    status_text TEXT NOT NULL DEFAULT '',
    created_ms  INTEGER NOT NULL
);

CREATE TABLE contacts (
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    jid        TEXT NOT NULL,
    name       TEXT,
    notify     TEXT,
    short      TEXT,
    PRIMARY KEY (account_id, jid)
) WITHOUT ROWID;

CREATE TABLE chats (
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    jid        TEXT NOT NULL,
    t          INTEGER NOT NULL,
    unread     INTEGER NOT NULL DEFAULT 0,
    mute_until INTEGER NOT NULL DEFAULT 0,
    modify_tag INTEGER NOT NULL DEFAULT 0,
    archived   INTEGER NOT NULL DEFAULT 0,
    pinned     INTEGER NOT NULL DEFAULT 0,
    spam       INTEGER NOT NULL DEFAULT 0,
    name       TEXT,
    PRIMARY KEY (account_id, jid)
) WITHOUT ROWID;
CREATE INDEX chats_by_activity ON chats (account_id, t DESC);

CREATE TABLE messages (
    seq         INTEGER PRIMARY KEY,
    account_id  INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    chat_jid    TEXT NOT NULL,
    msg_id      TEXT NOT NULL,
    from_me     INTEGER NOT NULL,
    timestamp   INTEGER NOT NULL,
    status      INTEGER NOT NULL,
    participant TEXT,
    push_name   TEXT,
    info        BLOB NOT NULL,
    UNIQUE (account_id, chat_jid, msg_id, from_me)
);
CREATE INDEX messages_by_chat ON messages (account_id, chat_jid, seq);

CREATE TABLE pending (
    account_id  INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    message_seq INTEGER NOT NULL,
    PRIMARY KEY (account_id, message_seq)
) WITHOUT ROWID;

CREATE TABLE blocklist (
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    jid        TEXT NOT NULL,
    PRIMARY KEY (account_id, jid)
) WITHOUT ROWID;

CREATE TABLE web_sessions (
    client_id     TEXT PRIMARY KEY,
    account_id    INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    client_token  TEXT NOT NULL UNIQUE,
    server_token  TEXT NOT NULL UNIQUE,
    browser_token TEXT NOT NULL UNIQUE,
    enc_key       BLOB NOT NULL,
    mac_key       BLOB NOT NULL,
    created_ms    INTEGER NOT NULL,
    last_seen_ms  INTEGER NOT NULL
);
CREATE INDEX web_sessions_by_account ON web_sessions (account_id);
";

/// Drops the chats' activity index. Each message sets its chat's `t`, which moved the chat's
/// entry in this index: about two pages more in the log per relay. The one query it served, an account's whole chat list, sorts that account's
/// chats instead.
const V2: &str = "DROP INDEX IF EXISTS chats_by_activity;";

/// Starred messages (the `chat type=star` action, the `star` query). The index is partial: a
/// message is stored unstarred, so a relay adds nothing to it.
const V3: &str = "
ALTER TABLE messages ADD COLUMN starred INTEGER NOT NULL DEFAULT 0;
CREATE INDEX messages_starred ON messages (account_id, seq) WHERE starred;
";

/// Profile pictures (the `picture` action, the `ProfilePicThumb` query, `GET /pp/…`).
const V4: &str = "
CREATE TABLE pictures (
    account_id INTEGER PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,
    tag        TEXT NOT NULL,
    image      BLOB NOT NULL,
    preview    BLOB NOT NULL
);
";

/// When each of the account's own messages was delivered, read and played (the
/// `message_info` query): Unix seconds, set once, when the status first reaches that level.
const V5: &str = "
ALTER TABLE messages ADD COLUMN delivered_t INTEGER;
ALTER TABLE messages ADD COLUMN read_t INTEGER;
ALTER TABLE messages ADD COLUMN played_t INTEGER;
";

/// Groups, stored once for all their members (`creator`, `subject_owner` and `desc_owner` are
/// phone numbers, kept when those accounts go), and their members in joining order (`role`:
/// 0 member, 1 admin, 2 creator).
const V6: &str = "
CREATE TABLE groups (
    jid           TEXT PRIMARY KEY,
    creator       TEXT NOT NULL,
    created       INTEGER NOT NULL,
    subject       TEXT NOT NULL,
    subject_time  INTEGER NOT NULL,
    subject_owner TEXT NOT NULL,
    desc_id       TEXT,
    desc_text     TEXT,
    desc_time     INTEGER,
    desc_owner    TEXT,
    announce      INTEGER NOT NULL DEFAULT 0,
    locked        INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE group_members (
    group_jid  TEXT NOT NULL REFERENCES groups(jid) ON DELETE CASCADE,
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    role       INTEGER NOT NULL,
    PRIMARY KEY (group_jid, account_id)
) WITHOUT ROWID;
CREATE INDEX group_members_by_account ON group_members (account_id);
";

/// Group invite links: the code an admin shares (unique, so a join finds its group by it).
const V7: &str = "
ALTER TABLE groups ADD COLUMN invite_code TEXT;
CREATE UNIQUE INDEX groups_by_invite ON groups (invite_code);
";

/// Group pictures, as `pictures` holds the accounts' (the `picture` action on a group's JID).
const V8: &str = "
CREATE TABLE group_pictures (
    group_jid TEXT PRIMARY KEY REFERENCES groups(jid) ON DELETE CASCADE,
    tag       TEXT NOT NULL,
    image     BLOB NOT NULL,
    preview   BLOB NOT NULL
);
";

/// Receipts of group messages: whom each one went to (one row per message, not per member, so
/// that a relay to a group writes one row more, not one per member) and who read it.
const V9: &str = "
CREATE TABLE group_sends (
    message_seq INTEGER PRIMARY KEY REFERENCES messages(seq) ON DELETE CASCADE,
    recipients  TEXT NOT NULL
);

CREATE TABLE group_reads (
    message_seq INTEGER NOT NULL REFERENCES group_sends(message_seq) ON DELETE CASCADE,
    reader      TEXT NOT NULL,
    read_t      INTEGER NOT NULL,
    PRIMARY KEY (message_seq, reader)
) WITHOUT ROWID;
";

/// Who has an account as a contact (those told of its new "about" text or picture), without
/// reading every account's contact list. A contact row is written once per new pair and its
/// JID never changes, so relays do not pay for it.
const V10: &str = "CREATE INDEX contacts_by_jid ON contacts (jid);";

/// The ids of an account's own messages that it removed ("delete for me", a cleared or deleted
/// chat): spent, so that the same id cannot be relayed again with other content (the recipient
/// still has the first one under it).
const V11: &str = "
CREATE TABLE spent_ids (
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    chat_jid   TEXT NOT NULL,
    msg_id     TEXT NOT NULL,
    PRIMARY KEY (account_id, chat_jid, msg_id)
) WITHOUT ROWID;
";

/// The unguessable part of picture URLs (`/pp/<owner>/<tag>-<secret>`): 128 random bits per
/// upload, drawn by the server. Pictures stored before get one here, so their old URLs (the tag
/// alone, an upload time) stop working.
const V12: &str = "
ALTER TABLE pictures ADD COLUMN secret TEXT NOT NULL DEFAULT '';
ALTER TABLE group_pictures ADD COLUMN secret TEXT NOT NULL DEFAULT '';
UPDATE pictures SET secret = lower(hex(randomblob(16)));
UPDATE group_pictures SET secret = lower(hex(randomblob(16)));
";

/// The schema version this build writes.
pub(super) fn supported_version() -> i64 {
    i64::try_from(MIGRATIONS.len()).unwrap_or(i64::MAX)
}

/// Brings the database to [`supported_version`], one transaction per migration.
pub(super) fn apply(conn: &mut Connection) -> StoreResult<()> {
    let found: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    let supported = supported_version();
    if found > supported {
        return Err(StoreError::SchemaTooNew { found, supported });
    }
    let done = usize::try_from(found).map_err(|_| StoreError::Corrupt("schema version"))?;
    for (index, sql) in MIGRATIONS.iter().enumerate().skip(done) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", index + 1)?;
        tx.commit()?;
    }
    Ok(())
}
