//! Contacts of an account.

use super::super::{Contact, StoreResult};
use super::convert::get;
use super::db::Db;
use waweb_proto::binary::jid::{person_jid, person_store_jid};

/// The phone numbers of the accounts that have `phone` as a contact (in either JID spelling).
pub(super) async fn holders(db: &Db, phone: &str) -> StoreResult<Vec<String>> {
    let spellings = [person_store_jid(phone), person_jid(phone)];
    let rows = db
        .query(
            "SELECT DISTINCT a.phone FROM contacts c JOIN accounts a ON a.id = c.account_id
             WHERE c.jid IN ($1, $2) ORDER BY a.phone",
            &[&spellings[0], &spellings[1]],
        )
        .await?;
    rows.iter().map(|r| get(r, 0)).collect()
}

/// Inserts or replaces contacts of an account known by internal id, in one statement. A JID
/// given twice keeps its last entry (as one upsert after the other would).
pub(super) async fn upsert_for(db: &Db, account: i64, contacts: &[Contact]) -> StoreResult<()> {
    let mut last: std::collections::BTreeMap<&str, &Contact> = std::collections::BTreeMap::new();
    for contact in contacts {
        last.insert(&contact.jid, contact);
    }
    if last.is_empty() {
        return Ok(());
    }
    // Sorted by JID (the map's order): concurrent upserts lock their rows in the same order.
    let jids: Vec<&str> = last.keys().copied().collect();
    let names: Vec<Option<&str>> = last.values().map(|c| c.name.as_deref()).collect();
    let notifies: Vec<Option<&str>> = last.values().map(|c| c.notify.as_deref()).collect();
    let shorts: Vec<Option<&str>> = last.values().map(|c| c.short.as_deref()).collect();
    db.execute(
        "INSERT INTO contacts (account_id, jid, name, notify, short)
         SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[])
         ON CONFLICT (account_id, jid) DO UPDATE
         SET name = excluded.name, notify = excluded.notify, short = excluded.short",
        &[&account, &jids, &names, &notifies, &shorts],
    )
    .await?;
    Ok(())
}

/// The contacts of an account, by JID.
pub(super) async fn list(db: &Db, account: i64) -> StoreResult<Vec<Contact>> {
    let rows = db
        .query(
            "SELECT jid, name, notify, short FROM contacts WHERE account_id = $1 ORDER BY jid",
            &[&account],
        )
        .await?;
    rows.iter()
        .map(|r| {
            Ok(Contact { jid: get(r, 0)?, name: get(r, 1)?, notify: get(r, 2)?, short: get(r, 3)? })
        })
        .collect()
}
