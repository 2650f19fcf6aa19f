//! `waweb decode --media-dir DIR`: the files of the media messages a capture shows. Each one's
//! blob is looked up in DIR (a server data directory's `media/blobs`, or a folder of downloaded
//! blobs), checked (its SHA-256 against `fileEncSha256`, the MAC, the file's SHA-256 against
//! `fileSha256`) and decrypted with the message's media key, then written to the output
//! directory as `<message id>.<ext>`. A blob that fails any check writes nothing.

use std::collections::HashSet;
use std::fmt;
use std::path::{Path, PathBuf};

use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64URL;
use base64::Engine;
use waweb_client::extension_for;
use waweb_proto::crypto::media::{self, MEDIA_BLOB_OVERHEAD};
use waweb_proto::message::{Attachment, WebMessageInfo};

/// Largest blob read when the message gives no file length (the server's default upload limit
/// for videos and documents, 100 MiB, with its padding and MAC).
const MAX_BLOB_BYTES: u64 = 100 * 1024 * 1024 + MEDIA_BLOB_OVERHEAD;

/// Where blobs are looked for and files are written.
#[derive(Debug)]
pub struct MediaDirs {
    /// Where blobs are looked up.
    pub blobs: PathBuf,
    /// Where decrypted files go.
    pub out: PathBuf,
}

/// What happened to one media message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The file was written.
    Written { path: PathBuf, bytes: usize },
    /// Already written, for an earlier frame (the same message shown again) or by an earlier
    /// run (the same bytes are there).
    Again { path: PathBuf },
    /// No blob for it in the directory.
    NotFound,
    /// Refused: the blob or the message failed a check; nothing was written.
    Refused(String),
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Outcome::Written { path, bytes } => write!(
                f,
                "wrote {} ({bytes} bytes; blob hash, MAC and file hash checked)",
                path.display()
            ),
            Outcome::Again { path } => write!(f, "already written to {}", path.display()),
            Outcome::NotFound => f.write_str("no blob for it in the media directory"),
            Outcome::Refused(why) => write!(f, "REFUSED, nothing written: {why}"),
        }
    }
}

/// Extracts media files, remembering those written (a message appears in several frames).
#[derive(Debug)]
pub struct Extractor {
    dirs: MediaDirs,
    written: HashSet<PathBuf>,
    /// Counts for the closing summary: written, not found, refused.
    pub counts: [usize; 3],
}

impl Extractor {
    /// An extractor for these directories.
    pub fn new(dirs: MediaDirs) -> Self {
        Extractor { dirs, written: HashSet::new(), counts: [0; 3] }
    }

    /// The outcome for a message, `None` when it is no media message.
    pub fn extract(&mut self, info: &WebMessageInfo) -> Option<Outcome> {
        let attachment = Attachment::of(info)?;
        let id = info.key.as_ref().and_then(|k| k.id.as_deref()).unwrap_or_default();
        let outcome = self.outcome(&attachment, id);
        match &outcome {
            Outcome::Written { .. } => self.counts[0] += 1,
            Outcome::NotFound => self.counts[1] += 1,
            Outcome::Refused(_) => self.counts[2] += 1,
            Outcome::Again { .. } => {}
        }
        Some(outcome)
    }

    fn outcome(&mut self, a: &Attachment, id: &str) -> Outcome {
        let Some(kind) = a.kind else { return Outcome::NotFound };
        let (Some(enc_hash), Some(file_hash)) = (&a.file_enc_sha256, &a.file_sha256) else {
            return Outcome::Refused("the message carries no fileEncSha256 or fileSha256".into());
        };
        let path = self.dirs.out.join(file_name(id, enc_hash, a.mimetype.as_deref()));
        if self.written.contains(&path) {
            return Outcome::Again { path };
        }
        let Some(blob_path) = find_blob(&self.dirs.blobs, enc_hash, a.url.as_deref()) else {
            return Outcome::NotFound;
        };
        let limit = a.file_length.map_or(MAX_BLOB_BYTES, |n| n.saturating_add(MEDIA_BLOB_OVERHEAD));
        let blob = match read_bounded(&blob_path, limit) {
            Ok(b) => b,
            Err(why) => return Outcome::Refused(format!("{}: {why}", blob_path.display())),
        };
        let file = match media::open_checked(
            &a.media_key,
            kind.media_type(),
            &blob,
            Some(enc_hash),
            Some(file_hash),
        ) {
            Ok(f) => f,
            Err(e) => return Outcome::Refused(format!("{}: {e}", blob_path.display())),
        };
        if std::fs::read(&path).is_ok_and(|existing| existing == file) {
            // An earlier run wrote this very file.
            self.written.insert(path.clone());
            return Outcome::Again { path };
        }
        if let Err(e) = write_new(&path, &file) {
            return Outcome::Refused(format!("cannot write {}: {e}", path.display()));
        }
        self.written.insert(path.clone());
        Outcome::Written { path, bytes: file.len() }
    }
}

/// `<id>.<ext>` when the id is a plain token (as real ids are), else the blob's hash in hex: a
/// name from the wire never picks a directory.
fn file_name(id: &str, enc_hash: &[u8], mimetype: Option<&str>) -> String {
    let plain = !id.is_empty()
        && id.len() <= 64
        && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    let stem = if plain { id.to_owned() } else { hex::encode(enc_hash) };
    format!("{stem}.{}", extension_for(mimetype))
}

/// The blob in `dir` by its hash (`<hex>`, the server's `<hh>/<hex>`, or `<b64url>`), else by
/// the last segment of its URL (`<tag>.enc`, as a browser saves it).
fn find_blob(dir: &Path, enc_hash: &[u8], url: Option<&str>) -> Option<PathBuf> {
    let hex = hex::encode(enc_hash);
    let mut candidates = vec![
        dir.join(&hex),
        dir.join(hex.get(..2).unwrap_or_default()).join(&hex),
        dir.join(B64URL.encode(enc_hash)),
    ];
    let url_name = url
        .map(|u| u.split(['?', '#']).next().unwrap_or_default())
        .and_then(|u| u.rsplit('/').next())
        .filter(|n| !n.is_empty() && *n != "." && *n != "..");
    if let Some(name) = url_name {
        candidates.push(dir.join(name));
    }
    candidates.into_iter().find(|p| p.is_file())
}

/// The file's bytes, refused when longer than `limit`.
fn read_bounded(path: &Path, limit: u64) -> Result<Vec<u8>, String> {
    let size = std::fs::metadata(path).map_err(|e| e.to_string())?.len();
    if size > limit {
        return Err(format!("{size} bytes, more than the message's file can be ({limit})"));
    }
    std::fs::read(path).map_err(|e| e.to_string())
}

/// Writes a new file (an existing, different one is left alone: the error says so).
fn write_new(path: &Path, data: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut file = std::fs::OpenOptions::new().write(true).create_new(true).open(path)?;
    file.write_all(data)?;
    file.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_from_the_wire_never_pick_a_directory() {
        let hash = [0xab; 32];
        assert_eq!(file_name("3EB0ABC", &hash, Some("image/jpeg")), "3EB0ABC.jpg");
        let odd = file_name("../../etc/x", &hash, Some("image/jpeg"));
        assert_eq!(odd, format!("{}.jpg", "ab".repeat(32)));
        assert_eq!(file_name("", &hash, None), format!("{}.bin", "ab".repeat(32)));
    }

    #[test]
    fn blobs_are_found_by_hash_or_url_name() {
        let dir = tempfile::tempdir().unwrap();
        let hash = [0x11; 32];
        assert_eq!(find_blob(dir.path(), &hash, None), None);
        std::fs::write(dir.path().join("tag.enc"), b"x").unwrap();
        let url = "https://h/mms/d/AAA/tag.enc?x=1";
        assert_eq!(find_blob(dir.path(), &hash, Some(url)), Some(dir.path().join("tag.enc")));
        let nested = dir.path().join("11");
        std::fs::create_dir(&nested).unwrap();
        std::fs::write(nested.join("11".repeat(32)), b"y").unwrap();
        assert_eq!(find_blob(dir.path(), &hash, Some(url)), Some(nested.join("11".repeat(32))));
        assert_eq!(
            find_blob(dir.path(), &hash, Some("https://h/mms/d/x/..")),
            Some(nested.join("11".repeat(32)))
        );
    }
}
