//! Contacts of an account.

use rusqlite::{params, Connection};

use super::super::{Contact, StoreResult};
use super::accounts;

/// Inserts or replaces contacts.
pub(super) fn upsert(conn: &Connection, phone: &str, contacts: &[Contact]) -> StoreResult<()> {
    let account = accounts::id_of(conn, phone)?;
    upsert_for(conn, account, contacts)
}

/// Inserts or replaces contacts of an account known by internal id.
pub(super) fn upsert_for(conn: &Connection, account: i64, contacts: &[Contact]) -> StoreResult<()> {
    let mut stmt = conn.prepare_cached(
        "INSERT INTO contacts (account_id, jid, name, notify, short) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (account_id, jid) DO UPDATE
         SET name = excluded.name, notify = excluded.notify, short = excluded.short",
    )?;
    for c in contacts {
        stmt.execute(params![account, c.jid, c.name, c.notify, c.short])?;
    }
    Ok(())
}

/// Makes sure a contact exists and carries the peer's current push name (a relay).
pub(super) fn note_push_name(
    conn: &Connection,
    account: i64,
    jid: &str,
    notify: &str,
) -> StoreResult<()> {
    // The WHERE keeps an unchanged name from rewriting the row on every message.
    conn.prepare_cached(
        "INSERT INTO contacts (account_id, jid, notify) VALUES (?1, ?2, ?3)
         ON CONFLICT (account_id, jid) DO UPDATE SET notify = excluded.notify
         WHERE notify IS NOT excluded.notify",
    )?
    .execute(params![account, jid, notify])?;
    Ok(())
}

/// The contacts of an account, by JID.
pub(super) fn list(conn: &Connection, phone: &str) -> StoreResult<Vec<Contact>> {
    let account = accounts::id_of(conn, phone)?;
    let mut stmt = conn.prepare_cached(
        "SELECT jid, name, notify, short FROM contacts WHERE account_id = ?1 ORDER BY jid",
    )?;
    let rows = stmt.query_map([account], |r| {
        Ok(Contact { jid: r.get(0)?, name: r.get(1)?, notify: r.get(2)?, short: r.get(3)? })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}
