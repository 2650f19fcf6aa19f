//! Bulk seeding of whole accounts in one transaction.

use rusqlite::Connection;

use super::super::{InsertOutcome, SeedAccount, SeedReport, StoreError, StoreResult};
use super::{accounts, blocklist, chats, contacts, messages};

/// Stores every seed account; any failure (an existing account) undoes all of it.
pub(super) fn seed(conn: &Connection, seeds: &[SeedAccount]) -> StoreResult<SeedReport> {
    let mut report = SeedReport::default();
    for seed in seeds {
        let account = accounts::create(conn, &seed.account)?;
        report.accounts += 1;
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
    Ok(report)
}
