//! Bulk seeding of whole accounts in one transaction.

use rusqlite::Connection;

use super::super::{InsertOutcome, SeedAccount, SeedReport, StoreError, StoreResult};
use super::cache::{self, Entry};
use super::{accounts, blocklist, chats, contacts, messages};

/// Stores every seed account; any failure (an existing account) undoes all of it. Also returns
/// the new accounts as the cache holds them.
pub(super) fn seed(
    conn: &Connection,
    seeds: &[SeedAccount],
) -> StoreResult<(SeedReport, Vec<Entry>)> {
    let mut report = SeedReport::default();
    let mut added = Vec::with_capacity(seeds.len());
    for seed in seeds {
        let account = accounts::create(conn, &seed.account)?;
        report.accounts += 1;
        added.push(Entry {
            id: account,
            account: seed.account.clone(),
            blocklist: cache::normalized(&seed.blocklist),
        });
        contacts::upsert_for(conn, account, &seed.contacts)?;
        report.contacts += seed.contacts.len();
        blocklist::insert(conn, account, &seed.blocklist, false)?;
        for chat in &seed.chats {
            chats::upsert_for(conn, account, &chat.chat)?;
            report.chats += 1;
            for message in &chat.messages {
                if message.chat_jid != chat.chat.jid {
                    return Err(StoreError::Invalid {
                        field: "chat_jid",
                        reason: "seed message outside its chat",
                    });
                }
                if let InsertOutcome::Inserted(_) = messages::insert_for(conn, account, message)? {
                    report.messages += 1;
                }
            }
        }
    }
    Ok((report, added))
}
