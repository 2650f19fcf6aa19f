//! The default [`BlobStore`]: files under `<data dir>/media`. An upload is written to
//! `tmp/<random>.part`, flushed to disk, then renamed to `blobs/<hh>/<hash hex>` (and the
//! directory flushed), so a blob's real name only ever holds a complete, checked blob. Partial
//! files left by a crash are removed when the store opens.

use std::io;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use rand::RngCore;
use tokio::io::{AsyncWriteExt, BufWriter};

use super::blob::{BlobEntry, BlobFuture, BlobKey, BlobStore, OpenBlob, StagedBlob};

/// Write buffer of an upload: few, large writes to the file.
const WRITE_BUFFER: usize = 256 * 1024;

/// Blobs as files.
#[derive(Debug)]
pub struct FsBlobs {
    blobs: PathBuf,
    tmp: PathBuf,
}

impl FsBlobs {
    /// Creates `root/blobs` and `root/tmp` (mode 0700, like the rest of the data directory),
    /// and empties `tmp` of an earlier run's partial files.
    pub fn open(root: &Path) -> io::Result<FsBlobs> {
        let blobs = root.join("blobs");
        let tmp = root.join("tmp");
        for dir in [root, &blobs, &tmp] {
            crate::datadir::create_private_dir(dir)?;
        }
        for entry in std::fs::read_dir(&tmp)? {
            let path = entry?.path();
            tracing::info!(path = %path.display(), "removing a partial upload of an earlier run");
            std::fs::remove_file(&path)?;
        }
        Ok(FsBlobs { blobs, tmp })
    }

    /// Where the blob with this key lives.
    pub fn blob_path(&self, key: &BlobKey) -> PathBuf {
        let hex = key.hex();
        self.blobs.join(&hex[..2]).join(hex)
    }
}

impl BlobStore for FsBlobs {
    fn stage(&self) -> BlobFuture<'_, Box<dyn StagedBlob>> {
        Box::pin(async move {
            let mut raw = [0u8; 16];
            rand::rngs::OsRng.fill_bytes(&mut raw);
            let path = self.tmp.join(format!("{}.part", hex::encode(raw)));
            let mut options = tokio::fs::OpenOptions::new();
            options.write(true).create_new(true);
            // Private whatever the umask, as every file of the data directory.
            #[cfg(unix)]
            options.mode(0o600);
            let file = options.open(&path).await?;
            let staged = FsStaged {
                file: Some(BufWriter::with_capacity(WRITE_BUFFER, file)),
                path,
                blobs: self.blobs.clone(),
            };
            Ok(Box::new(staged) as Box<dyn StagedBlob>)
        })
    }

    fn open(&self, key: BlobKey) -> BlobFuture<'_, Option<OpenBlob>> {
        Box::pin(async move {
            let file = match tokio::fs::File::open(self.blob_path(&key)).await {
                Ok(f) => f,
                Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
                Err(e) => return Err(e),
            };
            let size = file.metadata().await?.len();
            Ok(Some(OpenBlob { size, reader: Box::new(file) }))
        })
    }

    fn list(
        &self,
        bucket: u8,
        after: Option<BlobKey>,
        limit: usize,
    ) -> BlobFuture<'_, Vec<BlobEntry>> {
        Box::pin(async move {
            let dir = self.blobs.join(hex::encode([bucket]));
            let mut names = match tokio::fs::read_dir(&dir).await {
                Ok(d) => d,
                Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
                Err(e) => return Err(e),
            };
            // Names only (cheap), then the metadata of the `limit` wanted.
            let mut keys = Vec::new();
            while let Some(entry) = names.next_entry().await? {
                let key = entry.file_name().to_str().and_then(key_of_name);
                if let Some(key) = key.filter(|k| k.0[0] == bucket && after.is_none_or(|a| *k > a))
                {
                    keys.push(key);
                }
            }
            keys.sort_unstable();
            keys.truncate(limit);
            let mut entries = Vec::with_capacity(keys.len());
            for key in keys {
                match tokio::fs::metadata(self.blob_path(&key)).await {
                    Ok(m) => entries.push(BlobEntry { key, stored_at: m.modified()? }),
                    // Removed meanwhile: nothing to list.
                    Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                    Err(e) => return Err(e),
                }
            }
            Ok(entries)
        })
    }

    fn remove(&self, key: BlobKey, listed: SystemTime) -> BlobFuture<'_, bool> {
        Box::pin(async move {
            let path = self.blob_path(&key);
            let stored_at = match tokio::fs::metadata(&path).await {
                Ok(m) => m.modified()?,
                Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(false),
                Err(e) => return Err(e),
            };
            if stored_at > listed {
                return Ok(false);
            }
            match tokio::fs::remove_file(&path).await {
                Ok(()) => Ok(true),
                Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(false),
                Err(e) => Err(e),
            }
        })
    }
}

/// The key a blob file is named after (64 lower-case hex digits); anything else is no blob.
fn key_of_name(name: &str) -> Option<BlobKey> {
    if name.len() != 64 || !name.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
        return None;
    }
    let mut raw = [0u8; 32];
    hex::decode_to_slice(name, &mut raw).ok()?;
    Some(BlobKey(raw))
}

/// A `.part` file being written; removed on drop unless committed.
struct FsStaged {
    file: Option<BufWriter<tokio::fs::File>>,
    path: PathBuf,
    blobs: PathBuf,
}

impl StagedBlob for FsStaged {
    fn write<'a>(&'a mut self, chunk: &'a [u8]) -> BlobFuture<'a, ()> {
        Box::pin(async move {
            match &mut self.file {
                Some(file) => file.write_all(chunk).await,
                None => Err(io::Error::other("the upload was already committed")),
            }
        })
    }

    fn commit(mut self: Box<Self>, key: BlobKey) -> BlobFuture<'static, ()> {
        Box::pin(async move {
            let mut file = self.file.take().ok_or_else(|| io::Error::other("committed twice"))?;
            file.flush().await?;
            let file = file.into_inner();
            file.sync_all().await?;
            drop(file);
            let hex = key.hex();
            let dir = self.blobs.join(&hex[..2]);
            let mut builder = tokio::fs::DirBuilder::new();
            builder.recursive(true);
            #[cfg(unix)]
            builder.mode(0o700);
            builder.create(&dir).await?;
            // Same content under the same name: replacing an existing copy changes nothing.
            tokio::fs::rename(&self.path, dir.join(&hex)).await?;
            // The rename is durable once the directory is.
            let dir_handle = tokio::fs::File::open(&dir).await?;
            dir_handle.sync_all().await?;
            // Renamed: nothing left for Drop to remove.
            self.path = PathBuf::new();
            Ok(())
        })
    }
}

impl Drop for FsStaged {
    fn drop(&mut self) {
        if self.path.as_os_str().is_empty() {
            return;
        }
        if let Err(e) = std::fs::remove_file(&self.path) {
            tracing::warn!(path = %self.path.display(), error = %e, "cannot remove a partial upload");
        }
    }
}
