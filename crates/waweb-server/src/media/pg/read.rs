//! Reading a blob stored as chunks: an `AsyncRead + AsyncSeek` that fetches the chunk under its
//! position when a read needs it (one row per round trip, the connection returned after each),
//! and keeps only that chunk in memory.

use std::future::Future;
use std::io::{self, SeekFrom};
use std::pin::Pin;
use std::task::{ready, Context, Poll};

use deadpool_postgres::Pool;
use tokio::io::{AsyncRead, AsyncSeek, ReadBuf};

use super::db_error;

/// A chunk being fetched.
type Fetch = Pin<Box<dyn Future<Output = io::Result<Vec<u8>>> + Send>>;

/// The bytes of one stored blob.
pub(super) struct ChunkReader {
    pool: Pool,
    stage: i64,
    size: u64,
    chunk_bytes: u64,
    /// The next byte to read.
    pos: u64,
    /// The chunk in memory and its number.
    current: Option<(u64, Vec<u8>)>,
    /// The chunk being fetched and its number.
    fetching: Option<(u64, Fetch)>,
}

impl ChunkReader {
    /// A reader of the `size` bytes stored as chunks of `chunk_bytes` under `stage`.
    pub(super) fn new(pool: Pool, stage: i64, size: u64, chunk_bytes: usize) -> io::Result<Self> {
        let chunk_bytes = u64::try_from(chunk_bytes).unwrap_or(0);
        if chunk_bytes == 0 {
            return Err(db_error("a stored blob has chunks of no size"));
        }
        Ok(Self { pool, stage, size, chunk_bytes, pos: 0, current: None, fetching: None })
    }

    /// How long chunk `n` must be: full, except the last.
    fn expected_len(&self, n: u64) -> u64 {
        self.size.saturating_sub(n.saturating_mul(self.chunk_bytes)).min(self.chunk_bytes)
    }

    fn fetch(&self, n: u64) -> io::Result<Fetch> {
        let n32 = i32::try_from(n).map_err(|_| db_error("chunk number out of range"))?;
        let (pool, stage) = (self.pool.clone(), self.stage);
        Ok(Box::pin(async move {
            let conn = pool.get().await.map_err(db_error)?;
            let row = conn
                .query_opt(
                    "SELECT data FROM media_chunks WHERE stage = $1 AND n = $2",
                    &[&stage, &n32],
                )
                .await
                .map_err(db_error)?;
            // Missing: the blob was removed while being read.
            let row = row.ok_or_else(|| io::Error::from(io::ErrorKind::UnexpectedEof))?;
            row.try_get(0).map_err(db_error)
        }))
    }
}

impl AsyncRead for ChunkReader {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = &mut *self;
        if this.pos >= this.size || buf.remaining() == 0 {
            return Poll::Ready(Ok(()));
        }
        let n = this.pos / this.chunk_bytes;
        if this.current.as_ref().is_none_or(|(have, _)| *have != n) {
            if this.fetching.as_ref().is_none_or(|(want, _)| *want != n) {
                this.fetching = Some((n, this.fetch(n)?));
            }
            let Some((_, fetch)) = this.fetching.as_mut() else { return Poll::Pending };
            let data = ready!(fetch.as_mut().poll(cx));
            this.fetching = None;
            let data = data?;
            if data.len() as u64 != this.expected_len(n) {
                return Poll::Ready(Err(db_error("a stored chunk has the wrong length")));
            }
            this.current = Some((n, data));
        }
        let Some((_, data)) = this.current.as_ref() else { return Poll::Pending };
        // In range: `pos` lies in chunk `n`, whose length was checked.
        let offset = usize::try_from(this.pos - n * this.chunk_bytes).unwrap_or(usize::MAX);
        let available = data.get(offset..).unwrap_or_default();
        let take = available.len().min(buf.remaining());
        buf.put_slice(&available[..take]);
        this.pos += take as u64;
        Poll::Ready(Ok(()))
    }
}

impl AsyncSeek for ChunkReader {
    fn start_seek(mut self: Pin<&mut Self>, position: SeekFrom) -> io::Result<()> {
        let target = match position {
            SeekFrom::Start(p) => Some(p),
            SeekFrom::End(d) => self.size.checked_add_signed(d),
            SeekFrom::Current(d) => self.pos.checked_add_signed(d),
        };
        self.pos = target.ok_or_else(|| {
            io::Error::new(io::ErrorKind::InvalidInput, "seek before the start of the blob")
        })?;
        Ok(())
    }

    fn poll_complete(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<io::Result<u64>> {
        Poll::Ready(Ok(self.pos))
    }
}
