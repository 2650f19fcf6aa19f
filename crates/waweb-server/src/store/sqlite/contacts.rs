//! Contacts of an account.

use rusqlite::{params, Connection};
use waweb_proto::binary::jid::{person_jid, person_store_jid};

use super::super::{Contact, StoreResult};
use super::accounts;

/// The phone numbers of the accounts that have `phone` as a contact (in either JID spelling).
pub(super) fn holders(conn: &Connection, phone: &str) -> StoreResult<Vec<String>> {
    let mut statement = conn.prepare_cached(
        "SELECT a.phone FROM contacts c JOIN accounts a ON a.id = c.account_id
         WHERE c.jid IN (?1, ?2) GROUP BY a.phone ORDER BY a.phone",
    )?;
    let spellings = params![person_store_jid(phone), person_jid(phone)];
    let rows = statement.query_map(spellings, |r| r.get(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::sqlite::{connection, migrations};

    /// Changes when another connection commits pages (a commit that changed none is no commit
    /// to the file).
    fn data_version(other: &Connection) -> i64 {
        other.query_row("PRAGMA data_version", [], |r| r.get(0)).unwrap()
    }

    #[test]
    fn noting_an_unchanged_push_name_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let mut conn = connection::open_writer(&dir.path().join("db")).unwrap();
        migrations::apply(&mut conn).unwrap();
        let other = connection::open_reader(&dir.path().join("db")).unwrap();
        conn.execute("INSERT INTO accounts (phone, pushname, created_ms) VALUES ('1', 'a', 0)", [])
            .unwrap();
        note_push_name(&conn, 1, "2@s.whatsapp.net", "Bob").unwrap();
        let before = data_version(&other);
        conn.execute_batch("BEGIN IMMEDIATE").unwrap();
        note_push_name(&conn, 1, "2@s.whatsapp.net", "Bob").unwrap();
        conn.execute_batch("COMMIT").unwrap();
        assert_eq!(data_version(&other), before, "an unchanged name dirtied a page");
        conn.execute_batch("BEGIN IMMEDIATE").unwrap();
        note_push_name(&conn, 1, "2@s.whatsapp.net", "Bobby").unwrap();
        conn.execute_batch("COMMIT").unwrap();
        assert_ne!(data_version(&other), before, "a new name is written");
        let notify: String =
            conn.query_row("SELECT notify FROM contacts", [], |r| r.get(0)).unwrap();
        assert_eq!(notify, "Bobby");
    }
}
