//! Receipts of group messages: the members each one went to (noted when it is stored), who read
//! it, and the author's copy turning READ once everyone has.

use super::super::group::{GroupRead, GroupReadNoted, GroupReceipts};
use super::super::{MessageKey, StoreResult, WebMessageInfoStatus};
use super::accounts::find_id;
use super::convert::{get, sql_u64, u64_of};
use super::db::Db;
use super::messages;

/// Notes whom the sender's copy `seq` went to.
pub(super) async fn note_send(db: &Db, seq: i64, recipients: &[&str]) -> StoreResult<()> {
    db.execute(
        "INSERT INTO group_sends (message_seq, recipients) VALUES ($1, $2)",
        &[&seq, &recipients.join(",")],
    )
    .await?;
    Ok(())
}

/// The members the sender's copy `seq` went to, if it is a group message; with `lock`, the row
/// stays locked so that concurrent readers of one message count each other's reads.
async fn recipients(db: &Db, seq: i64, lock: bool) -> StoreResult<Option<Vec<String>>> {
    let sql = if lock {
        "SELECT recipients FROM group_sends WHERE message_seq = $1 FOR UPDATE"
    } else {
        "SELECT recipients FROM group_sends WHERE message_seq = $1"
    };
    let row = db.query_opt(sql, &[&seq]).await?;
    let Some(row) = row else { return Ok(None) };
    let list: String = get(&row, 0)?;
    Ok(Some(list.split(',').filter(|p| !p.is_empty()).map(str::to_owned).collect()))
}

/// Notes that `reader` read each message at `t`; returns the reads noted for the first time.
pub(super) async fn note_reads(
    db: &Db,
    reader: &str,
    reads: &[GroupRead],
    t: u64,
) -> StoreResult<Vec<GroupReadNoted>> {
    let at = sql_u64(t, "t")?;
    let mut noted = Vec::new();
    for read in reads {
        let Some(author) = find_id(db, &read.author).await? else { continue };
        let key = MessageKey { chat_jid: read.group.clone(), id: read.id.clone(), from_me: true };
        let Some(seq) = messages::seq_of(db, author, &key).await? else { continue };
        let Some(recipients) = recipients(db, seq, true).await? else { continue };
        if !recipients.iter().any(|r| r == reader) {
            continue;
        }
        let inserted = db
            .execute(
                "INSERT INTO group_reads (message_seq, reader, read_t) VALUES ($1, $2, $3)
                 ON CONFLICT DO NOTHING",
                &[&seq, &reader, &at],
            )
            .await?;
        if inserted == 0 {
            continue;
        }
        let row = db
            .query_one("SELECT count(*) FROM group_reads WHERE message_seq = $1", &[&seq])
            .await?;
        let count: i64 = get(&row, 0)?;
        let by_all = usize::try_from(count).is_ok_and(|c| c >= recipients.len());
        if by_all {
            messages::set_status_for(db, author, &key, WebMessageInfoStatus::Read, t).await?;
        }
        noted.push(GroupReadNoted { read: read.clone(), by_all });
    }
    Ok(noted)
}

/// Who the author's group message `key` went to and who read it; `None` if it is not one.
pub(super) async fn receipts(
    db: &Db,
    author: i64,
    key: &MessageKey,
) -> StoreResult<Option<GroupReceipts>> {
    let Some(message) = messages::find(db, author, key).await? else { return Ok(None) };
    let Some(recipients) = recipients(db, message.seq, false).await? else { return Ok(None) };
    let rows = db
        .query(
            "SELECT reader, read_t FROM group_reads WHERE message_seq = $1
             ORDER BY read_t, reader",
            &[&message.seq],
        )
        .await?;
    let mut reads = Vec::with_capacity(rows.len());
    for row in &rows {
        reads.push((get(row, 0)?, u64_of(get(row, 1)?, "group read")?));
    }
    Ok(Some(GroupReceipts { delivered: message.timestamp, recipients, reads }))
}
