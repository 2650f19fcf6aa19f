//! Receipts of group messages: the members each one went to (noted when it is stored), who read
//! it, and the author's copy turning READ once everyone has.

use rusqlite::{params, Connection, OptionalExtension};

use super::super::group::{GroupRead, GroupReadNoted, GroupReceipts};
use super::super::{MessageKey, StoreResult, WebMessageInfoStatus};
use super::cache::AccountCache;
use super::convert::{sql_u64, u64_of};
use super::messages;

/// Notes whom the sender's copy `seq` went to.
pub(super) fn note_send(conn: &Connection, seq: i64, recipients: &[&str]) -> StoreResult<()> {
    conn.prepare_cached("INSERT INTO group_sends (message_seq, recipients) VALUES (?1, ?2)")?
        .execute(params![seq, recipients.join(",")])?;
    Ok(())
}

/// The members the sender's copy `seq` went to, if it is a group message.
fn recipients(conn: &Connection, seq: i64) -> StoreResult<Option<Vec<String>>> {
    let list: Option<String> = conn
        .prepare_cached("SELECT recipients FROM group_sends WHERE message_seq = ?1")?
        .query_row([seq], |r| r.get(0))
        .optional()?;
    Ok(list.map(|l| l.split(',').filter(|p| !p.is_empty()).map(str::to_owned).collect()))
}

/// The author's copy of a group message, if the author still has it: the author's internal id,
/// the copy's sequence number and its key.
fn author_copy(
    conn: &Connection,
    cache: &AccountCache,
    read: &GroupRead,
) -> StoreResult<Option<(i64, i64, MessageKey)>> {
    let Some(author) = cache.id_of(conn, &read.author)? else { return Ok(None) };
    let key = MessageKey { chat_jid: read.group.clone(), id: read.id.clone(), from_me: true };
    Ok(messages::seq_of(conn, author, &key)?.map(|seq| (author, seq, key)))
}

/// Notes that `reader` read each message at `t`; returns the reads noted for the first time
/// (messages that are not group messages sent to `reader`, or already read, are skipped).
pub(super) fn note_reads(
    conn: &Connection,
    cache: &AccountCache,
    reader: &str,
    reads: &[GroupRead],
    t: u64,
) -> StoreResult<Vec<GroupReadNoted>> {
    let at = sql_u64(t, "t")?;
    let mut noted = Vec::new();
    for read in reads {
        let Some((author, seq, key)) = author_copy(conn, cache, read)? else { continue };
        let Some(recipients) = recipients(conn, seq)? else { continue };
        if !recipients.iter().any(|r| r == reader) {
            continue;
        }
        let inserted = conn
            .prepare_cached(
                "INSERT INTO group_reads (message_seq, reader, read_t) VALUES (?1, ?2, ?3)
                 ON CONFLICT DO NOTHING",
            )?
            .execute(params![seq, reader, at])?;
        if inserted == 0 {
            continue;
        }
        let count: i64 = conn
            .prepare_cached("SELECT count(*) FROM group_reads WHERE message_seq = ?1")?
            .query_row([seq], |r| r.get(0))?;
        let by_all = usize::try_from(count).is_ok_and(|c| c >= recipients.len());
        if by_all {
            messages::set_status_for(conn, author, &key, WebMessageInfoStatus::Read, t)?;
        }
        noted.push(GroupReadNoted { read: read.clone(), by_all });
    }
    Ok(noted)
}

/// Who the author's group message `key` went to and who read it; `None` if it is not one.
pub(super) fn receipts(
    conn: &Connection,
    author: &str,
    key: &MessageKey,
) -> StoreResult<Option<GroupReceipts>> {
    let Some(message) = messages::find(conn, author, key)? else { return Ok(None) };
    let seq = message.seq;
    let Some(recipients) = recipients(conn, seq)? else { return Ok(None) };
    let mut statement = conn.prepare_cached(
        "SELECT reader, read_t FROM group_reads WHERE message_seq = ?1 ORDER BY read_t, reader",
    )?;
    let rows = statement.query_map([seq], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?;
    let mut reads = Vec::new();
    for row in rows {
        let (reader, t) = row?;
        reads.push((reader, u64_of(t, "group read")?));
    }
    Ok(Some(GroupReceipts { delivered: message.timestamp, recipients, reads }))
}
