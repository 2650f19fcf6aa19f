//! The blocklist of an account.

use super::super::StoreResult;
use super::accounts::NOT_FOUND;
use super::convert::get;
use super::db::Db;

/// One account's blocklist, sorted; `NotFound` if there is no such account (one round trip).
pub(super) async fn of(db: &Db, phone: &str) -> StoreResult<Vec<String>> {
    let rows = db
        .query(
            "SELECT b.jid FROM accounts a LEFT JOIN blocklist b ON b.account_id = a.id
             WHERE a.phone = $1 ORDER BY b.jid",
            &[&phone],
        )
        .await?;
    if rows.is_empty() {
        return Err(NOT_FOUND);
    }
    let mut jids = Vec::with_capacity(rows.len());
    for row in &rows {
        if let Some(jid) = get::<Option<String>>(row, 0)? {
            jids.push(jid);
        }
    }
    Ok(jids)
}

/// Adds JIDs to an account's blocklist, first emptying it if `replace` (duplicates collapse).
pub(super) async fn insert(
    db: &Db,
    account: i64,
    jids: &[String],
    replace: bool,
) -> StoreResult<()> {
    if replace {
        db.execute("DELETE FROM blocklist WHERE account_id = $1", &[&account]).await?;
    }
    if !jids.is_empty() {
        db.execute(
            "INSERT INTO blocklist (account_id, jid) SELECT $1, unnest($2::text[])
             ON CONFLICT DO NOTHING",
            &[&account, &jids],
        )
        .await?;
    }
    Ok(())
}
