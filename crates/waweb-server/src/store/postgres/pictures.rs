//! Profile pictures: one row per account in `pictures`, one per group in `group_pictures`.
//! Every function takes the owner as a phone number or a group's JID.

use super::super::{Picture, PictureKey, StoreError, StoreResult};
use super::accounts;
use super::convert::get;
use super::db::Db;

/// Where an owner's picture lives: its table and key (an account id or a group's JID).
enum Owner {
    Account(i64),
    Group(String),
}

impl Owner {
    fn table(&self) -> (&'static str, &'static str) {
        match self {
            Owner::Account(_) => ("pictures", "account_id"),
            Owner::Group(_) => ("group_pictures", "group_jid"),
        }
    }
}

/// The row of `owner`'s picture; `NotFound` for an unknown account or group.
async fn owner_of(db: &Db, owner: &str) -> StoreResult<Owner> {
    if !owner.ends_with("@g.us") {
        return Ok(Owner::Account(accounts::id_of(db, owner).await?));
    }
    if db.query_opt("SELECT 1 FROM groups WHERE jid = $1", &[&owner]).await?.is_none() {
        return Err(StoreError::NotFound { what: "group" });
    }
    Ok(Owner::Group(owner.to_owned()))
}

/// Runs `sql` (whose `$1` is the owner's key) with `rest` as `$2…`.
async fn run(
    db: &Db,
    owner: &Owner,
    sql: &str,
    rest: &[&(dyn tokio_postgres::types::ToSql + Sync)],
) -> StoreResult<Vec<tokio_postgres::Row>> {
    let mut params: Vec<&(dyn tokio_postgres::types::ToSql + Sync)> = Vec::with_capacity(5);
    match owner {
        Owner::Account(id) => params.push(id),
        Owner::Group(jid) => params.push(jid),
    }
    params.extend_from_slice(rest);
    db.query(sql, &params).await
}

/// The owner's picture.
pub(super) async fn get_picture(db: &Db, owner: &str) -> StoreResult<Option<Picture>> {
    let owner = owner_of(db, owner).await?;
    let (table, key) = owner.table();
    let sql = format!("SELECT tag, secret, image, preview FROM {table} WHERE {key} = $1");
    let rows = run(db, &owner, &sql, &[]).await?;
    rows.first()
        .map(|r| {
            Ok(Picture {
                tag: get(r, 0)?,
                secret: get(r, 1)?,
                image: get(r, 2)?,
                preview: get(r, 3)?,
            })
        })
        .transpose()
}

/// The owner's picture's tag and secret.
pub(super) async fn key(db: &Db, owner: &str) -> StoreResult<Option<PictureKey>> {
    let owner = owner_of(db, owner).await?;
    let (table, key) = owner.table();
    let sql = format!("SELECT tag, secret FROM {table} WHERE {key} = $1");
    let rows = run(db, &owner, &sql, &[]).await?;
    rows.first().map(|r| Ok(PictureKey { tag: get(r, 0)?, secret: get(r, 1)? })).transpose()
}

/// Sets or replaces the owner's picture; the tag it got (above the previous one).
pub(super) async fn set(db: &Db, owner: &str, picture: &Picture) -> StoreResult<String> {
    if picture.secret.len() < 32 {
        return Err(StoreError::Invalid { field: "picture secret", reason: "under 128 bits" });
    }
    let owner = owner_of(db, owner).await?;
    let (table, key) = owner.table();
    // A tag that is not a number counts as 0 (as SQLite's CAST does), instead of failing.
    let number = |column: &str| {
        format!("(CASE WHEN {column} ~ '^[0-9]{{1,18}}$' THEN {column}::bigint ELSE 0 END)")
    };
    let sql = format!(
        "INSERT INTO {table} ({key}, tag, secret, image, preview) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT ({key}) DO UPDATE SET
            tag = greatest({}, {} + 1)::text,
            secret = excluded.secret, image = excluded.image, preview = excluded.preview
         RETURNING tag",
        number("excluded.tag"),
        number(&format!("{table}.tag")),
    );
    let rows =
        run(db, &owner, &sql, &[&picture.tag, &picture.secret, &picture.image, &picture.preview])
            .await?;
    get(rows.first().ok_or(StoreError::Corrupt("picture tag"))?, 0)
}

/// Removes the owner's picture; whether there was one.
pub(super) async fn remove(db: &Db, owner: &str) -> StoreResult<bool> {
    let owner = owner_of(db, owner).await?;
    let (table, key) = owner.table();
    let sql = format!("DELETE FROM {table} WHERE {key} = $1 RETURNING 1");
    Ok(!run(db, &owner, &sql, &[]).await?.is_empty())
}
