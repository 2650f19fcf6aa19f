//! Where encrypted blobs live. A small trait so that an object store (S3-compatible) can stand
//! in for the file system later: stage the bytes of an upload, commit them under their hash
//! once the hash checked (a dropped, uncommitted stage leaves nothing), open a blob to read.

use std::future::Future;
use std::io;
use std::pin::Pin;

use tokio::io::{AsyncRead, AsyncSeek};

/// What the blob store's methods return.
pub type BlobFuture<'a, T> = Pin<Box<dyn Future<Output = io::Result<T>> + Send + 'a>>;

/// A blob's name: the SHA-256 of its bytes (`fileEncSha256`), so equal uploads share a blob.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
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

/// Storage for blobs.
pub trait BlobStore: Send + Sync + 'static {
    /// Starts a new blob whose bytes stay out of sight until [`StagedBlob::commit`].
    fn stage(&self) -> BlobFuture<'_, Box<dyn StagedBlob>>;
    /// Opens a stored blob; `None` when there is none under this key.
    fn open(&self, key: BlobKey) -> BlobFuture<'_, Option<OpenBlob>>;
}

/// An upload being written. Dropping it without committing discards what was written.
pub trait StagedBlob: Send {
    /// Appends bytes.
    fn write<'a>(&'a mut self, chunk: &'a [u8]) -> BlobFuture<'a, ()>;
    /// Makes the bytes durable and visible under `key`, atomically: a crash before this returns
    /// leaves either no blob or the whole blob under that key, never a part of one.
    fn commit(self: Box<Self>, key: BlobKey) -> BlobFuture<'static, ()>;
}
