//! Starred messages: the flag, set per message, and the list the `star` query pages.

use super::super::{MessageKey, StoreResult, StoredMessage};
use super::convert::limit;
use super::db::Db;
use super::messages::{build, COLUMNS};

/// Sets the flag of the account's messages with these keys; returns how many exist.
pub(super) async fn set(
    db: &Db,
    account: i64,
    keys: &[MessageKey],
    starred: bool,
) -> StoreResult<usize> {
    let mut found = 0;
    for key in keys {
        found += db
            .execute(
                "UPDATE messages SET starred = $5
                 WHERE account_id = $1 AND chat_jid = $2 AND msg_id = $3 AND from_me = $4",
                &[&account, &key.chat_jid, &key.id, &key.from_me, &starred],
            )
            .await?;
    }
    Ok(usize::try_from(found).unwrap_or(usize::MAX))
}

/// The latest `count` starred messages (of one chat, or all), oldest first.
pub(super) async fn list(
    db: &Db,
    account: i64,
    chat_jid: Option<&str>,
    count: u32,
) -> StoreResult<Vec<StoredMessage>> {
    // `starred` repeated in the query lets PostgreSQL use the partial index.
    let sql = format!(
        "SELECT {COLUMNS} FROM messages m
         WHERE m.account_id = $1 AND m.starred AND ($2::text IS NULL OR m.chat_jid = $2)
         ORDER BY m.seq DESC LIMIT $3"
    );
    let rows = db.query(&sql, &[&account, &chat_jid, &limit(count)]).await?;
    let mut page = rows.iter().map(build).collect::<StoreResult<Vec<_>>>()?;
    page.reverse();
    Ok(page)
}
