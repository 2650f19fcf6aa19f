//! The tables a migration copies, and a batch of rows as one array per column (so a batch is
//! one `INSERT … SELECT * FROM unnest(…)`, one round trip).

use rusqlite::types::ValueRef;
use tokio_postgres::types::ToSql;

use super::super::{StoreError, StoreResult};

/// A column's PostgreSQL type, as the copy binds it.
#[derive(Clone, Copy)]
pub(super) enum Kind {
    Int,
    Small,
    Bool,
    Text,
    Bytes,
}

impl Kind {
    fn array_type(self) -> &'static str {
        match self {
            Kind::Int => "bigint[]",
            Kind::Small => "smallint[]",
            Kind::Bool => "boolean[]",
            Kind::Text => "text[]",
            Kind::Bytes => "bytea[]",
        }
    }
}

/// One table to copy: its name, its columns, and the SQLite query that reads them in order.
pub(super) struct Table {
    pub(super) name: &'static str,
    pub(super) columns: &'static [(&'static str, Kind)],
    /// `SELECT` of the columns, in order; rows that would break a reference are left out.
    pub(super) source: &'static str,
}

use Kind::{Bool, Bytes, Int, Small, Text};

/// Every table, parents before children.
pub(super) const TABLES: &[Table] = &[
    Table {
        name: "accounts",
        columns: &[
            ("id", Int),
            ("phone", Text),
            ("pushname", Text),
            ("status_text", Text),
            ("created_ms", Int),
        ],
        source: "SELECT id, phone, pushname, status_text, created_ms FROM accounts ORDER BY id",
    },
    Table {
        name: "contacts",
        columns: &[
            ("account_id", Int),
            ("jid", Text),
            ("name", Text),
            ("notify", Text),
            ("short", Text),
        ],
        source: "SELECT account_id, jid, name, notify, short FROM contacts",
    },
    Table {
        name: "chats",
        columns: &[
            ("account_id", Int),
            ("jid", Text),
            ("t", Int),
            ("unread", Int),
            ("mute_until", Int),
            ("modify_tag", Int),
            ("archived", Bool),
            ("pinned", Int),
            ("spam", Bool),
            ("name", Text),
        ],
        source: "SELECT account_id, jid, t, unread, mute_until, modify_tag, archived, pinned, spam,
                        name FROM chats",
    },
    Table {
        name: "messages",
        columns: &[
            ("seq", Int),
            ("account_id", Int),
            ("chat_jid", Text),
            ("msg_id", Text),
            ("from_me", Bool),
            ("timestamp", Int),
            ("status", Small),
            ("participant", Text),
            ("push_name", Text),
            ("info", Bytes),
            ("starred", Bool),
            ("delivered_t", Int),
            ("read_t", Int),
            ("played_t", Int),
        ],
        // In `seq` order: the order of every chat is the order of `seq`, kept as it is.
        source: "SELECT seq, account_id, chat_jid, msg_id, from_me, timestamp, status, participant,
                        push_name, info, starred, delivered_t, read_t, played_t
                 FROM messages ORDER BY seq",
    },
    Table {
        name: "pending",
        columns: &[("account_id", Int), ("message_seq", Int)],
        // SQLite's queue does not reference its message: a stray entry is not copied.
        source: "SELECT p.account_id, p.message_seq FROM pending p
                 JOIN messages m ON m.seq = p.message_seq AND m.account_id = p.account_id",
    },
    Table {
        name: "blocklist",
        columns: &[("account_id", Int), ("jid", Text)],
        source: "SELECT account_id, jid FROM blocklist",
    },
    Table {
        name: "spent_ids",
        columns: &[("account_id", Int), ("chat_jid", Text), ("msg_id", Text)],
        source: "SELECT account_id, chat_jid, msg_id FROM spent_ids",
    },
    Table {
        name: "pictures",
        columns: &[
            ("account_id", Int),
            ("tag", Text),
            ("secret", Text),
            ("image", Bytes),
            ("preview", Bytes),
        ],
        source: "SELECT account_id, tag, secret, image, preview FROM pictures",
    },
    Table {
        name: "groups",
        columns: &[
            ("jid", Text),
            ("creator", Text),
            ("created", Int),
            ("subject", Text),
            ("subject_time", Int),
            ("subject_owner", Text),
            ("desc_id", Text),
            ("desc_text", Text),
            ("desc_time", Int),
            ("desc_owner", Text),
            ("announce", Bool),
            ("locked", Bool),
            ("invite_code", Text),
        ],
        source:
            "SELECT jid, creator, created, subject, subject_time, subject_owner, desc_id,
                        desc_text, desc_time, desc_owner, announce, locked, invite_code FROM groups",
    },
    Table {
        name: "group_members",
        columns: &[("group_jid", Text), ("account_id", Int), ("position", Int), ("role", Small)],
        source: "SELECT group_jid, account_id, position, role FROM group_members",
    },
    Table {
        name: "group_pictures",
        columns: &[
            ("group_jid", Text),
            ("tag", Text),
            ("secret", Text),
            ("image", Bytes),
            ("preview", Bytes),
        ],
        source: "SELECT group_jid, tag, secret, image, preview FROM group_pictures",
    },
    Table {
        name: "group_sends",
        columns: &[("message_seq", Int), ("recipients", Text)],
        source: "SELECT message_seq, recipients FROM group_sends",
    },
    Table {
        name: "group_reads",
        columns: &[("message_seq", Int), ("reader", Text), ("read_t", Int)],
        source: "SELECT message_seq, reader, read_t FROM group_reads",
    },
    Table {
        name: "web_sessions",
        columns: &[
            ("client_id", Text),
            ("account_id", Int),
            ("client_token", Text),
            ("server_token", Text),
            ("browser_token", Text),
            ("enc_key", Bytes),
            ("mac_key", Bytes),
            ("created_ms", Int),
            ("last_seen_ms", Int),
        ],
        source: "SELECT client_id, account_id, client_token, server_token, browser_token, enc_key,
                        mac_key, created_ms, last_seen_ms FROM web_sessions",
    },
];

/// The values of one column over a batch of rows.
enum Values {
    Int(Vec<Option<i64>>),
    Small(Vec<Option<i16>>),
    Bool(Vec<Option<bool>>),
    Text(Vec<Option<String>>),
    Bytes(Vec<Option<Vec<u8>>>),
}

impl Values {
    fn new(kind: Kind, capacity: usize) -> Self {
        match kind {
            Kind::Int => Values::Int(Vec::with_capacity(capacity)),
            Kind::Small => Values::Small(Vec::with_capacity(capacity)),
            Kind::Bool => Values::Bool(Vec::with_capacity(capacity)),
            Kind::Text => Values::Text(Vec::with_capacity(capacity)),
            Kind::Bytes => Values::Bytes(Vec::with_capacity(capacity)),
        }
    }

    fn push(&mut self, value: ValueRef<'_>, table: &'static str) -> StoreResult<()> {
        let bad = || StoreError::Corrupt(table);
        match (self, value) {
            (Values::Int(v), ValueRef::Null) => v.push(None),
            (Values::Small(v), ValueRef::Null) => v.push(None),
            (Values::Bool(v), ValueRef::Null) => v.push(None),
            (Values::Text(v), ValueRef::Null) => v.push(None),
            (Values::Bytes(v), ValueRef::Null) => v.push(None),
            (Values::Int(v), ValueRef::Integer(i)) => v.push(Some(i)),
            (Values::Small(v), ValueRef::Integer(i)) => {
                v.push(Some(i16::try_from(i).map_err(|_| bad())?));
            }
            (Values::Bool(v), ValueRef::Integer(i)) => v.push(Some(i != 0)),
            (Values::Text(v), ValueRef::Text(t)) => {
                v.push(Some(std::str::from_utf8(t).map_err(|_| bad())?.to_owned()));
            }
            (Values::Bytes(v), ValueRef::Blob(b) | ValueRef::Text(b)) => v.push(Some(b.to_vec())),
            _ => return Err(bad()),
        }
        Ok(())
    }

    fn param(&self) -> &(dyn ToSql + Sync) {
        match self {
            Values::Int(v) => v,
            Values::Small(v) => v,
            Values::Bool(v) => v,
            Values::Text(v) => v,
            Values::Bytes(v) => v,
        }
    }
}

/// Rows of one table on their way to PostgreSQL.
pub(super) struct Batch {
    table: &'static Table,
    columns: Vec<Values>,
    rows: usize,
}

impl Batch {
    pub(super) fn new(table: &'static Table, capacity: usize) -> Self {
        let columns = table.columns.iter().map(|(_, kind)| Values::new(*kind, capacity)).collect();
        Self { table, columns, rows: 0 }
    }

    /// Adds one SQLite row (its columns in the table's order).
    pub(super) fn push(&mut self, row: &rusqlite::Row<'_>) -> StoreResult<()> {
        for (index, column) in self.columns.iter_mut().enumerate() {
            column.push(row.get_ref(index)?, self.table.name)?;
        }
        self.rows += 1;
        Ok(())
    }

    pub(super) fn len(&self) -> usize {
        self.rows
    }

    /// The INSERT of the batch.
    pub(super) fn sql(&self) -> String {
        let names: Vec<&str> = self.table.columns.iter().map(|(name, _)| *name).collect();
        let arrays: Vec<String> = self
            .table
            .columns
            .iter()
            .enumerate()
            .map(|(i, (_, kind))| format!("${}::{}", i + 1, kind.array_type()))
            .collect();
        format!(
            "INSERT INTO {} ({}) SELECT * FROM unnest({})",
            self.table.name,
            names.join(", "),
            arrays.join(", ")
        )
    }

    /// The batch's parameters, one array per column.
    pub(super) fn params(&self) -> Vec<&(dyn ToSql + Sync)> {
        self.columns.iter().map(Values::param).collect()
    }
}
