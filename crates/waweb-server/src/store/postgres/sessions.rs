//! Web sessions: pairing, lookup, token rotation (a compare-and-swap on the server token),
//! logout.

use tokio_postgres::Row;
use zeroize::Zeroizing;

use super::super::{StoreError, StoreResult, TokenRotation, WebSessionRecord};
use super::accounts;
use super::convert::{get, is_unique_violation, sql_u64, u64_of};
use super::db::Db;

const NOT_FOUND: StoreError = StoreError::NotFound { what: "web session" };
const PAIRED: StoreError = StoreError::Conflict("this client id is paired already");
const TOKEN_TAKEN: StoreError = StoreError::Conflict("token already in use");

const COLUMNS: &str = "s.client_id, a.phone, s.client_token, s.server_token, s.browser_token,
                       s.enc_key, s.mac_key, s.created_ms, s.last_seen_ms";

fn build(r: &Row) -> StoreResult<WebSessionRecord> {
    let enc_key: Zeroizing<Vec<u8>> = Zeroizing::new(get(r, 5)?);
    let mac_key: Zeroizing<Vec<u8>> = Zeroizing::new(get(r, 6)?);
    Ok(WebSessionRecord {
        client_id: get(r, 0)?,
        account: get(r, 1)?,
        client_token: get(r, 2)?,
        server_token: get(r, 3)?,
        browser_token: get(r, 4)?,
        enc_key: key(&enc_key)?,
        mac_key: key(&mac_key)?,
        created_ms: u64_of(get(r, 7)?, "web session")?,
        last_seen_ms: u64_of(get(r, 8)?, "web session")?,
    })
}

fn key(bytes: &[u8]) -> StoreResult<[u8; 32]> {
    bytes.try_into().map_err(|_| StoreError::Corrupt("web session key"))
}

async fn query_one(db: &Db, filter: &str, value: &str) -> StoreResult<Option<WebSessionRecord>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM web_sessions s JOIN accounts a ON a.id = s.account_id
         WHERE {filter} = $1"
    );
    db.query_opt(&sql, &[&value]).await?.as_ref().map(build).transpose()
}

/// Stores a new pairing; a client id that has one already is refused (`Conflict`), whichever
/// account it belongs to (see the SQLite backend's `sessions.rs` for why).
pub(super) async fn pair(db: &Db, r: &WebSessionRecord) -> StoreResult<()> {
    let account = accounts::id_of(db, &r.account).await?;
    let (created, seen) =
        (sql_u64(r.created_ms, "created_ms")?, sql_u64(r.last_seen_ms, "last_seen_ms")?);
    let stored = db
        .execute_raw(
            "INSERT INTO web_sessions (client_id, account_id, client_token, server_token,
                                       browser_token, enc_key, mac_key, created_ms, last_seen_ms)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            &[
                &r.client_id,
                &account,
                &r.client_token,
                &r.server_token,
                &r.browser_token,
                &&r.enc_key[..],
                &&r.mac_key[..],
                &created,
                &seen,
            ],
        )
        .await?;
    match stored {
        Ok(_) => Ok(()),
        Err(e) if is_unique_violation(&e) => {
            // Two nodes pairing the same client id at once meet here, not at a prior check.
            let constraint = e.as_db_error().and_then(|d| d.constraint()).unwrap_or("");
            Err(if constraint == "web_sessions_pkey" { PAIRED } else { TOKEN_TAKEN })
        }
        Err(e) => Err(e.into()),
    }
}

/// The session of a client id.
pub(super) async fn by_client_id(
    db: &Db,
    client_id: &str,
) -> StoreResult<Option<WebSessionRecord>> {
    query_one(db, "s.client_id", client_id).await
}

/// The session with a browser token.
pub(super) async fn by_browser_token(
    db: &Db,
    token: &str,
) -> StoreResult<Option<WebSessionRecord>> {
    query_one(db, "s.browser_token", token).await
}

/// Every session of an account.
pub(super) async fn of_account(db: &Db, account: i64) -> StoreResult<Vec<WebSessionRecord>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM web_sessions s JOIN accounts a ON a.id = s.account_id
         WHERE s.account_id = $1 ORDER BY s.client_id"
    );
    db.query(&sql, &[&account]).await?.iter().map(build).collect()
}

/// Compare-and-swap of the login tokens: `UPDATE … WHERE server_token = $old`. Of concurrent
/// rotations from the same tokens (on any node), the row lock lets one match.
pub(super) async fn rotate(db: &Db, rot: &TokenRotation) -> StoreResult<WebSessionRecord> {
    let now = sql_u64(rot.now_ms, "now_ms")?;
    let sql = format!(
        "UPDATE web_sessions s SET client_token = $3, server_token = $4, last_seen_ms = $5
         FROM accounts a
         WHERE s.client_id = $1 AND s.server_token = $2 AND a.id = s.account_id
         RETURNING {COLUMNS}"
    );
    let params: [&(dyn tokio_postgres::types::ToSql + Sync); 5] = [
        &rot.client_id,
        &rot.expected_server_token,
        &rot.new_client_token,
        &rot.new_server_token,
        &now,
    ];
    match db.query_opt_raw(&sql, &params).await? {
        Ok(Some(row)) => build(&row),
        Ok(None) => match by_client_id(db, &rot.client_id).await? {
            Some(_) => Err(StoreError::Conflict("server token changed")),
            None => Err(NOT_FOUND),
        },
        Err(e) if is_unique_violation(&e) => Err(TOKEN_TAKEN),
        Err(e) => Err(e.into()),
    }
}

/// Records activity.
pub(super) async fn touch(db: &Db, client_id: &str, now_ms: u64) -> StoreResult<()> {
    let now = sql_u64(now_ms, "now_ms")?;
    let sql = "UPDATE web_sessions SET last_seen_ms = $2 WHERE client_id = $1";
    if db.execute(sql, &[&client_id, &now]).await? == 0 {
        return Err(NOT_FOUND);
    }
    Ok(())
}

/// Forgets a session.
pub(super) async fn remove(db: &Db, client_id: &str) -> StoreResult<bool> {
    let sql = "DELETE FROM web_sessions WHERE client_id = $1";
    Ok(db.execute(sql, &[&client_id]).await? > 0)
}
