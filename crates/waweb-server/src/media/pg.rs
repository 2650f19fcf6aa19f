//! The [`BlobStore`] of servers whose store is PostgreSQL: blobs live in the shared database, so
//! every node serves every blob, whichever node took the upload.
//!
//! An upload is written as fixed-size chunks ([`CHUNK_BYTES`], one `bytea` row each) of a
//! *stage* (a `media_stages` row), one chunk at a time: an upload of any size holds at most one
//! chunk in memory. [`StagedBlob::commit`] then, in one transaction, marks the stage committed
//! and inserts the blob row naming it: the blob appears with all its chunks or not at all. If
//! the same bytes were stored meanwhile, the blob's `stored_at` is renewed and the new stage is
//! removed instead. A dropped stage is removed at once (its chunks cascade); the stages of a
//! node that crashed mid-upload are removed once untouched for an hour, at open and at
//! the start of every sweep cycle. Reading fetches one chunk per round trip, on demand
//! (the `read` module), so range requests read only the chunks they cover.

mod read;

use std::io;
use std::time::SystemTime;

use deadpool_postgres::Pool;
use rand::RngCore;

use super::blob::{BlobEntry, BlobFuture, BlobKey, BlobStore, OpenBlob, StagedBlob};

/// Bytes per chunk row (PostgreSQL stores it out of line, uncompressed: blobs are encrypted).
pub const CHUNK_BYTES: usize = 256 * 1024;
/// An uncommitted stage untouched for this long belongs to an upload that will never finish.
const STALE_STAGE: &str = "1 hour";

/// Any database failure, as the blob store's I/O error.
fn db_error(e: impl std::fmt::Display) -> io::Error {
    io::Error::other(format!("PostgreSQL media storage: {e}"))
}

/// Blobs in PostgreSQL.
#[derive(Clone)]
pub struct PgBlobs {
    pool: Pool,
}

impl std::fmt::Debug for PgBlobs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgBlobs").finish_non_exhaustive()
    }
}

impl PgBlobs {
    /// Blobs in the database of `pool` (whose schema the store migrated), after removing the
    /// stale stages of uploads that never finished.
    pub async fn open(pool: Pool) -> io::Result<PgBlobs> {
        let blobs = PgBlobs { pool };
        blobs.remove_stale_stages().await?;
        Ok(blobs)
    }

    /// The key of download URLs all nodes share, created by the first node that asks.
    pub async fn url_key(&self) -> io::Result<[u8; 32]> {
        let mut fresh = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut fresh);
        let conn = self.pool.get().await.map_err(db_error)?;
        conn.execute(
            "INSERT INTO media_url_key (key) VALUES ($1) ON CONFLICT DO NOTHING",
            &[&fresh.as_slice()],
        )
        .await
        .map_err(db_error)?;
        let row = conn.query_one("SELECT key FROM media_url_key", &[]).await.map_err(db_error)?;
        let key: Vec<u8> = row.try_get(0).map_err(db_error)?;
        key.try_into().map_err(|_| db_error("the stored media URL key is not 32 bytes"))
    }

    /// Removes uncommitted stages untouched for [`STALE_STAGE`] (with their chunks).
    async fn remove_stale_stages(&self) -> io::Result<()> {
        let conn = self.pool.get().await.map_err(db_error)?;
        let sql = format!(
            "DELETE FROM media_stages WHERE NOT committed \
             AND touched_at < now() - interval '{STALE_STAGE}'"
        );
        let removed = conn.execute(&sql, &[]).await.map_err(db_error)?;
        if removed > 0 {
            tracing::info!(removed, "removed the partial uploads of stopped nodes");
        }
        Ok(())
    }
}

impl BlobStore for PgBlobs {
    fn stage(&self) -> BlobFuture<'_, Box<dyn StagedBlob>> {
        Box::pin(async move {
            let conn = self.pool.get().await.map_err(db_error)?;
            let row = conn
                .query_one("INSERT INTO media_stages DEFAULT VALUES RETURNING id", &[])
                .await
                .map_err(db_error)?;
            let id: i64 = row.try_get(0).map_err(db_error)?;
            let staged = PgStaged {
                pool: self.pool.clone(),
                id,
                buffer: Vec::with_capacity(CHUNK_BYTES),
                chunks: 0,
                size: 0,
                done: false,
            };
            Ok(Box::new(staged) as Box<dyn StagedBlob>)
        })
    }

    fn open(&self, key: BlobKey) -> BlobFuture<'_, Option<OpenBlob>> {
        Box::pin(async move {
            let conn = self.pool.get().await.map_err(db_error)?;
            let row = conn
                .query_opt(
                    "SELECT size, chunk_bytes, stage FROM media_blobs WHERE key = $1",
                    &[&key.0.as_slice()],
                )
                .await
                .map_err(db_error)?;
            let Some(row) = row else { return Ok(None) };
            let size: i64 = row.try_get(0).map_err(db_error)?;
            let chunk: i32 = row.try_get(1).map_err(db_error)?;
            let stage: i64 = row.try_get(2).map_err(db_error)?;
            let (Ok(size), Ok(chunk)) = (u64::try_from(size), usize::try_from(chunk)) else {
                return Err(db_error("a stored blob has a negative size"));
            };
            let reader = read::ChunkReader::new(self.pool.clone(), stage, size, chunk)?;
            Ok(Some(OpenBlob { size, reader: Box::new(reader) }))
        })
    }

    fn list(
        &self,
        bucket: u8,
        after: Option<BlobKey>,
        limit: usize,
    ) -> BlobFuture<'_, Vec<BlobEntry>> {
        Box::pin(async move {
            if bucket == 0 && after.is_none() {
                // A sweep cycle begins: the time to clean up after stopped nodes.
                self.remove_stale_stages().await?;
            }
            let low = vec![bucket];
            let high = bucket.checked_add(1).map(|b| vec![b]);
            let after = after.map(|a| a.0.to_vec());
            let limit = i64::try_from(limit).unwrap_or(i64::MAX);
            let conn = self.pool.get().await.map_err(db_error)?;
            let rows = conn
                .query(
                    "SELECT key, stored_at FROM media_blobs \
                     WHERE key >= $1 AND ($2::bytea IS NULL OR key < $2) \
                       AND ($3::bytea IS NULL OR key > $3) \
                     ORDER BY key LIMIT $4",
                    &[&low, &high, &after, &limit],
                )
                .await
                .map_err(db_error)?;
            let mut entries = Vec::with_capacity(rows.len());
            for row in rows {
                let key: Vec<u8> = row.try_get(0).map_err(db_error)?;
                let stored_at: SystemTime = row.try_get(1).map_err(db_error)?;
                // A key of another length is no blob this server wrote: skipped.
                if let Ok(key) = <[u8; 32]>::try_from(key) {
                    entries.push(BlobEntry { key: BlobKey(key), stored_at });
                }
            }
            Ok(entries)
        })
    }

    fn remove(&self, key: BlobKey, listed: SystemTime) -> BlobFuture<'_, bool> {
        Box::pin(async move {
            let mut conn = self.pool.get().await.map_err(db_error)?;
            let tx = conn.transaction().await.map_err(db_error)?;
            // Stored again since `listed`: the row's newer `stored_at` keeps it.
            let row = tx
                .query_opt(
                    "DELETE FROM media_blobs WHERE key = $1 AND stored_at <= $2 RETURNING stage",
                    &[&key.0.as_slice(), &listed],
                )
                .await
                .map_err(db_error)?;
            let Some(row) = row else { return Ok(false) };
            let stage: i64 = row.try_get(0).map_err(db_error)?;
            tx.execute("DELETE FROM media_stages WHERE id = $1", &[&stage])
                .await
                .map_err(db_error)?;
            tx.commit().await.map_err(db_error)?;
            Ok(true)
        })
    }
}

/// An upload being written as chunks of stage `id`; the stage is removed on drop unless
/// committed.
struct PgStaged {
    pool: Pool,
    id: i64,
    /// The chunk being filled (at most [`CHUNK_BYTES`]).
    buffer: Vec<u8>,
    /// Chunks written so far.
    chunks: i32,
    size: u64,
    /// Committed (or its stage handed over): nothing for `Drop` to remove.
    done: bool,
}

impl PgStaged {
    /// Writes the buffered chunk as the stage's next row, and notes the stage as alive.
    async fn flush_chunk(&mut self) -> io::Result<()> {
        let conn = self.pool.get().await.map_err(db_error)?;
        conn.execute(
            "WITH alive AS (UPDATE media_stages SET touched_at = now() WHERE id = $1) \
             INSERT INTO media_chunks (stage, n, data) VALUES ($1, $2, $3)",
            &[&self.id, &self.chunks, &self.buffer.as_slice()],
        )
        .await
        .map_err(db_error)?;
        self.chunks = self.chunks.checked_add(1).ok_or_else(|| db_error("too many chunks"))?;
        self.buffer.clear();
        Ok(())
    }
}

impl StagedBlob for PgStaged {
    fn write<'a>(&'a mut self, mut bytes: &'a [u8]) -> BlobFuture<'a, ()> {
        Box::pin(async move {
            if self.done {
                return Err(io::Error::other("the upload was already committed"));
            }
            while !bytes.is_empty() {
                let take = (CHUNK_BYTES - self.buffer.len()).min(bytes.len());
                self.buffer.extend_from_slice(&bytes[..take]);
                bytes = &bytes[take..];
                self.size = self.size.saturating_add(take as u64);
                if self.buffer.len() == CHUNK_BYTES {
                    self.flush_chunk().await?;
                }
            }
            Ok(())
        })
    }

    fn commit(mut self: Box<Self>, key: BlobKey) -> BlobFuture<'static, ()> {
        Box::pin(async move {
            if self.done {
                return Err(io::Error::other("committed twice"));
            }
            if !self.buffer.is_empty() {
                self.flush_chunk().await?;
            }
            let size = i64::try_from(self.size).map_err(|_| db_error("blob too large"))?;
            let chunk = i32::try_from(CHUNK_BYTES).unwrap_or(i32::MAX);
            let mut conn = self.pool.get().await.map_err(db_error)?;
            let tx = conn.transaction().await.map_err(db_error)?;
            // One statement, atomic against a concurrent removal: either ours is inserted, or
            // the existing blob (the same bytes) is renewed and keeps its own stage.
            let row = tx
                .query_one(
                    "INSERT INTO media_blobs (key, size, chunk_bytes, stage) \
                     VALUES ($1, $2, $3, $4) \
                     ON CONFLICT (key) DO UPDATE SET stored_at = clock_timestamp() \
                     RETURNING stage",
                    &[&key.0.as_slice(), &size, &chunk, &self.id],
                )
                .await
                .map_err(db_error)?;
            let kept: i64 = row.try_get(0).map_err(db_error)?;
            let sql = if kept == self.id {
                "UPDATE media_stages SET committed = true WHERE id = $1"
            } else {
                "DELETE FROM media_stages WHERE id = $1"
            };
            tx.execute(sql, &[&self.id]).await.map_err(db_error)?;
            tx.commit().await.map_err(db_error)?;
            self.done = true;
            Ok(())
        })
    }
}

impl Drop for PgStaged {
    fn drop(&mut self) {
        if self.done {
            return;
        }
        // Removed in the background (Drop cannot wait); if that fails, or no runtime is left,
        // the stale-stage cleanup removes it later.
        let (pool, id) = (self.pool.clone(), self.id);
        let Ok(runtime) = tokio::runtime::Handle::try_current() else { return };
        runtime.spawn(async move {
            let removed = async {
                let conn = pool.get().await.map_err(db_error)?;
                conn.execute("DELETE FROM media_stages WHERE id = $1 AND NOT committed", &[&id])
                    .await
                    .map_err(db_error)
            };
            if let Err(e) = removed.await {
                tracing::warn!(error = %e, "cannot remove a partial upload");
            }
        });
    }
}
