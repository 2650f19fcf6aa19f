//! The in-memory copy of every account's profile and blocklist.
//!
//! Every write goes through the one writer thread, so the store knows of every change: the whole
//! table is loaded at open and each write that changes an account hands the writer an [`Edit`]
//! that is applied right after its commit succeeded, before its caller is answered. The copy is
//! therefore exact for this store's own writes, and reads of it need no connection. Another
//! process may still add an account to the file (the CLI and the server take the data
//! directory's lock so that they do not, but a database can be edited by hand), so a miss is
//! not taken for "no such account": the store reads the table then ([`from_table`]).

use std::collections::HashMap;
use std::sync::{RwLock, RwLockReadGuard, RwLockWriteGuard};

use rusqlite::Connection;

use super::super::{Account, StoreResult};
use super::{accounts, blocklist};

/// One account as cached: its row id, profile and sorted blocklist.
#[derive(Debug, Clone)]
pub(super) struct Entry {
    /// The internal id (`accounts.id`).
    pub(super) id: i64,
    /// The profile.
    pub(super) account: Account,
    /// The blocked JIDs, sorted and without duplicates.
    pub(super) blocklist: Vec<String>,
}

/// A change to apply once the write that made it is committed.
#[derive(Debug)]
pub(super) enum Edit {
    /// New accounts (create, seed).
    Added(Vec<Entry>),
    /// The account with this phone is gone.
    Removed(String),
    /// New push name.
    Pushname(String, String),
    /// New "about" text.
    StatusText(String, String),
    /// New blocklist (sorted, deduplicated).
    Blocklist(String, Vec<String>),
}

/// The cache, keyed by phone number.
#[derive(Debug, Default)]
pub(super) struct AccountCache {
    accounts: RwLock<HashMap<String, Entry>>,
}

impl AccountCache {
    /// Loads every account and blocklist.
    pub(super) fn load(conn: &Connection) -> StoreResult<Self> {
        let mut accounts = HashMap::new();
        let mut phones = HashMap::new();
        for (id, account) in accounts::all(conn)? {
            phones.insert(id, account.phone.clone());
            accounts.insert(account.phone.clone(), Entry { id, account, blocklist: Vec::new() });
        }
        for (id, jid) in blocklist::all(conn)? {
            if let Some(entry) = phones.get(&id).and_then(|phone| accounts.get_mut(phone)) {
                entry.blocklist.push(jid);
            }
        }
        Ok(Self { accounts: RwLock::new(accounts) })
    }

    // A panic while holding the lock cannot leave a half-applied edit behind (each edit is one
    // map operation), so a poisoned lock is recovered.
    fn read(&self) -> RwLockReadGuard<'_, HashMap<String, Entry>> {
        self.accounts.read().unwrap_or_else(|e| e.into_inner())
    }

    fn write(&self) -> RwLockWriteGuard<'_, HashMap<String, Entry>> {
        self.accounts.write().unwrap_or_else(|e| e.into_inner())
    }

    /// Runs `f` on the account's entry, if it exists.
    pub(super) fn with<T>(&self, phone: &str, f: impl FnOnce(&Entry) -> T) -> Option<T> {
        self.read().get(phone).map(f)
    }

    /// Runs `f` on the account's entry if it is cached; gives `f` back on a miss.
    pub(super) fn try_with<T, F: FnOnce(&Entry) -> T>(&self, phone: &str, f: F) -> Result<T, F> {
        match self.read().get(phone) {
            Some(entry) => Ok(f(entry)),
            None => Err(f),
        }
    }

    /// The internal id of an account, `None` if there is none, for a write job: an account the
    /// cache does not know may have been created earlier in the running batch (not committed, so
    /// not cached yet), so a miss reads the table through the writer's connection.
    pub(super) fn id_of(&self, conn: &Connection, phone: &str) -> StoreResult<Option<i64>> {
        match self.with(phone, |e| e.id) {
            Some(id) => Ok(Some(id)),
            None => accounts::find_id(conn, phone),
        }
    }

    /// The internal id and push name of an account, found as [`id_of`](Self::id_of) finds it;
    /// `NotFound` if there is none.
    pub(super) fn id_and_pushname(
        &self,
        conn: &Connection,
        phone: &str,
    ) -> StoreResult<(i64, String)> {
        match self.with(phone, |e| (e.id, e.account.pushname.clone())) {
            Some(found) => Ok(found),
            None => accounts::id_and_pushname(conn, phone),
        }
    }

    /// Every account, by phone number.
    pub(super) fn list(&self) -> Vec<Account> {
        let mut all: Vec<Account> = self.read().values().map(|e| e.account.clone()).collect();
        all.sort_unstable_by(|a, b| a.phone.cmp(&b.phone));
        all
    }

    /// Applies a committed change.
    pub(super) fn apply(&self, edit: Edit) {
        let mut accounts = self.write();
        match edit {
            Edit::Added(entries) => {
                for entry in entries {
                    accounts.insert(entry.account.phone.clone(), entry);
                }
            }
            Edit::Removed(phone) => {
                accounts.remove(&phone);
            }
            Edit::Pushname(phone, name) => {
                if let Some(e) = accounts.get_mut(&phone) {
                    e.account.pushname = name;
                }
            }
            Edit::StatusText(phone, text) => {
                if let Some(e) = accounts.get_mut(&phone) {
                    e.account.status_text = text;
                }
            }
            Edit::Blocklist(phone, jids) => {
                if let Some(e) = accounts.get_mut(&phone) {
                    e.blocklist = jids;
                }
            }
        }
    }
}

/// An account's entry read from the tables, for a cache miss. It is not cached: a removal
/// committed meanwhile would otherwise leave it behind.
pub(super) fn from_table(conn: &Connection, phone: &str) -> StoreResult<Option<Entry>> {
    let Some((id, account)) = accounts::one(conn, phone)? else { return Ok(None) };
    Ok(Some(Entry { id, account, blocklist: blocklist::of(conn, id)? }))
}

/// Sorts and deduplicates a blocklist the way the table stores it.
pub(super) fn normalized(jids: &[String]) -> Vec<String> {
    let mut list = jids.to_vec();
    list.sort_unstable();
    list.dedup();
    list
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::sqlite::{connection, migrations};
    use crate::store::StoreError;

    #[test]
    fn a_miss_reads_the_table_which_may_have_an_account_created_since() {
        let mut conn = connection::open_writer_in_memory().unwrap();
        migrations::apply(&mut conn).unwrap();
        let cache = AccountCache::load(&conn).unwrap();
        // Created in the running batch: not cached yet.
        conn.execute("INSERT INTO accounts (phone, pushname, created_ms) VALUES ('1', 'a', 0)", [])
            .unwrap();
        let id = conn.last_insert_rowid();
        assert_eq!(cache.id_of(&conn, "1").unwrap(), Some(id));
        assert_eq!(cache.id_and_pushname(&conn, "1").unwrap(), (id, "a".to_owned()));
        assert_eq!(cache.id_of(&conn, "2").unwrap(), None);
        assert!(matches!(cache.id_and_pushname(&conn, "2"), Err(StoreError::NotFound { .. })));
    }
}
