//! Bulk seeding of whole accounts in one transaction.

use super::super::{InsertOutcome, SeedAccount, SeedReport, StoreError, StoreResult};
use super::db::Db;
use super::{accounts, blocklist, chats, contacts, messages};

/// Stores every seed account; any failure (an existing account) undoes all of it (the caller
/// rolls the transaction back).
pub(super) async fn seed(db: &Db, seeds: &[SeedAccount]) -> StoreResult<SeedReport> {
    let mut report = SeedReport::default();
    for seed in seeds {
        let account = accounts::create(db, &seed.account).await?;
        report.accounts += 1;
        contacts::upsert_for(db, account, &seed.contacts).await?;
        report.contacts += seed.contacts.len();
        blocklist::insert(db, account, &seed.blocklist, false).await?;
        for chat in &seed.chats {
            // The chat row first: it is the lock its messages take their `seq` under.
            chats::upsert_for(db, account, &chat.chat).await?;
            report.chats += 1;
            for message in &chat.messages {
                if message.chat_jid != chat.chat.jid {
                    return Err(StoreError::Invalid {
                        field: "chat_jid",
                        reason: "seed message outside its chat",
                    });
                }
                if let InsertOutcome::Inserted(_) =
                    messages::insert_for(db, account, message).await?
                {
                    report.messages += 1;
                }
            }
        }
    }
    Ok(report)
}
