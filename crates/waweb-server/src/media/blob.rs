//! Where encrypted blobs live. A small trait so that an object store (S3-compatible) can stand
//! in for the file system later: stage the bytes of an upload, commit them under their hash
//! once the hash checked (a dropped, uncommitted stage leaves nothing), open a blob to read, and
//! list and remove blobs for the expiry sweep.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::time::SystemTime;

use tokio::io::{AsyncRead, AsyncSeek};

/// What the blob store's methods return.
pub type BlobFuture<'a, T> = Pin<Box<dyn Future<Output = io::Result<T>> + Send + 'a>>;

/// A blob's name: the SHA-256 of its bytes (`fileEncSha256`), so equal uploads share a blob.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct BlobKey(pub [u8; 32]);

impl BlobKey {
    /// The hash in lower-case hex, as stores name files and objects.
    pub fn hex(&self) -> String {
        hex::encode(self.0)
    }
}

/// Something to read a stored blob from, in any order.
pub trait BlobRead: AsyncRead + AsyncSeek + Send + Unpin {}
impl<T: AsyncRead + AsyncSeek + Send + Unpin> BlobRead for T {}

/// A stored blob opened for reading.
pub struct OpenBlob {
    /// Its size in bytes.
    pub size: u64,
    /// Its bytes.
    pub reader: Box<dyn BlobRead>,
}

/// A stored blob as a listing shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BlobEntry {
    /// Its key.
    pub key: BlobKey,
    /// When it was last stored (an equal upload stores it again).
    pub stored_at: SystemTime,
}

/// Storage for blobs.
pub trait BlobStore: Send + Sync + 'static {
    /// Starts a new blob whose bytes stay out of sight until [`StagedBlob::commit`].
    fn stage(&self) -> BlobFuture<'_, Box<dyn StagedBlob>>;
    /// Opens a stored blob; `None` when there is none under this key.
    fn open(&self, key: BlobKey) -> BlobFuture<'_, Option<OpenBlob>>;
    /// Up to `limit` blobs whose key starts with the byte `bucket` and sorts after `after`, in
    /// key order: a sweep walks the store in bounded steps.
    fn list(
        &self,
        bucket: u8,
        after: Option<BlobKey>,
        limit: usize,
    ) -> BlobFuture<'_, Vec<BlobEntry>>;
    /// Removes a blob listed as stored at `listed` unless it was stored again since (an upload
    /// of the same bytes meanwhile keeps it); whether it removed one.
    fn remove(&self, key: BlobKey, listed: SystemTime) -> BlobFuture<'_, bool>;
}

/// An upload being written. Dropping it without committing discards what was written.
pub trait StagedBlob: Send {
    /// Appends bytes.
    fn write<'a>(&'a mut self, chunk: &'a [u8]) -> BlobFuture<'a, ()>;
    /// Makes the bytes durable and visible under `key`, atomically: a crash before this returns
    /// leaves either no blob or the whole blob under that key, never a part of one.
    fn commit(self: Box<Self>, key: BlobKey) -> BlobFuture<'static, ()>;
}
