//! Web sessions: pairing, lookup, token rotation, logout.

use rusqlite::{params, Connection, OptionalExtension, Row};
use zeroize::Zeroizing;

use super::super::{StoreError, StoreResult, TokenRotation, WebSessionRecord};
use super::accounts;
use super::convert::{is_unique_violation, sql_u64, u64_of};

const NOT_FOUND: StoreError = StoreError::NotFound { what: "web session" };

const SELECT: &str = "SELECT s.client_id, a.phone, s.client_token, s.server_token, s.browser_token,
                             s.enc_key, s.mac_key, s.created_ms, s.last_seen_ms
                      FROM web_sessions s JOIN accounts a ON a.id = s.account_id";

/// The raw columns of a session row; the secrets are wiped when it is dropped.
struct RawSession {
    record: WebSessionRecord,
    enc_key: Zeroizing<Vec<u8>>,
    mac_key: Zeroizing<Vec<u8>>,
    created_ms: i64,
    last_seen_ms: i64,
}

fn from_row(r: &Row<'_>) -> rusqlite::Result<RawSession> {
    Ok(RawSession {
        record: WebSessionRecord {
            client_id: r.get(0)?,
            account: r.get(1)?,
            client_token: r.get(2)?,
            server_token: r.get(3)?,
            browser_token: r.get(4)?,
            enc_key: [0; 32],
            mac_key: [0; 32],
            created_ms: 0,
            last_seen_ms: 0,
        },
        enc_key: Zeroizing::new(r.get(5)?),
        mac_key: Zeroizing::new(r.get(6)?),
        created_ms: r.get(7)?,
        last_seen_ms: r.get(8)?,
    })
}

fn build(raw: RawSession) -> StoreResult<WebSessionRecord> {
    let mut record = raw.record;
    record.enc_key = key(&raw.enc_key)?;
    record.mac_key = key(&raw.mac_key)?;
    record.created_ms = u64_of(raw.created_ms, "web session")?;
    record.last_seen_ms = u64_of(raw.last_seen_ms, "web session")?;
    Ok(record)
}

fn key(bytes: &[u8]) -> StoreResult<[u8; 32]> {
    bytes.try_into().map_err(|_| StoreError::Corrupt("web session key"))
}

fn query_one(
    conn: &Connection,
    filter: &str,
    value: &str,
) -> StoreResult<Option<WebSessionRecord>> {
    let sql = format!("{SELECT} WHERE {filter} = ?1");
    let raw = conn.prepare_cached(&sql)?.query_row([value], from_row).optional()?;
    raw.map(build).transpose()
}

/// Stores a new pairing. A client id that has one already is refused (`Conflict`), whichever
/// account it belongs to: the browser chooses its client id, so replacing the pairing would let
/// any browser that learnt another's id take it over (and log the owner out). A browser pairs
/// again after its logout, which forgets the pairing, or under a new client id.
pub(super) fn pair(conn: &Connection, r: &WebSessionRecord) -> StoreResult<()> {
    let account = accounts::id_of(conn, &r.account)?;
    let taken = conn
        .prepare_cached("SELECT 1 FROM web_sessions WHERE client_id = ?1")?
        .exists([&r.client_id])?;
    if taken {
        return Err(StoreError::Conflict("this client id is paired already"));
    }
    let stored = conn
        .prepare_cached(
            "INSERT INTO web_sessions (client_id, account_id, client_token, server_token,
                                       browser_token, enc_key, mac_key, created_ms, last_seen_ms)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )?
        .execute(params![
            r.client_id,
            account,
            r.client_token,
            r.server_token,
            r.browser_token,
            &r.enc_key[..],
            &r.mac_key[..],
            sql_u64(r.created_ms, "created_ms")?,
            sql_u64(r.last_seen_ms, "last_seen_ms")?,
        ]);
    match stored {
        Ok(_) => Ok(()),
        Err(e) if is_unique_violation(&e) => Err(StoreError::Conflict("token already in use")),
        Err(e) => Err(e.into()),
    }
}

/// The session of a client id.
pub(super) fn by_client_id(
    conn: &Connection,
    client_id: &str,
) -> StoreResult<Option<WebSessionRecord>> {
    query_one(conn, "s.client_id", client_id)
}

/// The session with a browser token.
pub(super) fn by_browser_token(
    conn: &Connection,
    token: &str,
) -> StoreResult<Option<WebSessionRecord>> {
    query_one(conn, "s.browser_token", token)
}

/// Every session of an account.
pub(super) fn of_account(conn: &Connection, phone: &str) -> StoreResult<Vec<WebSessionRecord>> {
    let account = accounts::id_of(conn, phone)?;
    let sql = format!("{SELECT} WHERE s.account_id = ?1 ORDER BY s.client_id");
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map([account], from_row)?;
    rows.map(|raw| build(raw?)).collect()
}

/// Compare-and-swap of the login tokens.
pub(super) fn rotate(conn: &Connection, rot: &TokenRotation) -> StoreResult<WebSessionRecord> {
    let changed = conn
        .prepare_cached(
            "UPDATE web_sessions SET client_token = ?3, server_token = ?4, last_seen_ms = ?5
             WHERE client_id = ?1 AND server_token = ?2",
        )?
        .execute(params![
            rot.client_id,
            rot.expected_server_token,
            rot.new_client_token,
            rot.new_server_token,
            sql_u64(rot.now_ms, "now_ms")?,
        ]);
    match changed {
        Ok(0) => match by_client_id(conn, &rot.client_id)? {
            Some(_) => Err(StoreError::Conflict("server token changed")),
            None => Err(NOT_FOUND),
        },
        Ok(_) => by_client_id(conn, &rot.client_id)?.ok_or(NOT_FOUND),
        Err(e) if is_unique_violation(&e) => Err(StoreError::Conflict("token already in use")),
        Err(e) => Err(e.into()),
    }
}

/// Records activity.
pub(super) fn touch(conn: &Connection, client_id: &str, now_ms: u64) -> StoreResult<()> {
    let changed = conn
        .prepare_cached("UPDATE web_sessions SET last_seen_ms = ?2 WHERE client_id = ?1")?
        .execute(params![client_id, sql_u64(now_ms, "now_ms")?])?;
    if changed == 0 {
        return Err(NOT_FOUND);
    }
    Ok(())
}

/// Forgets a session.
pub(super) fn remove(conn: &Connection, client_id: &str) -> StoreResult<bool> {
    let removed = conn
        .prepare_cached("DELETE FROM web_sessions WHERE client_id = ?1")?
        .execute([client_id])?;
    Ok(removed > 0)
}
