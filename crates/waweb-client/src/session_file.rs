//! The session file: what a paired client keeps on disk to log in again without a QR.
//!
//! JSON with the client id, both tokens, the two session keys (base64) and our own JID. It is
//! written atomically (a temporary file in the same directory, synced, then renamed) with mode
//! `0600` on Unix, because whoever reads it can impersonate the browser.
//!
//! ```
//! use waweb_client::session_file;
//! # use waweb_proto::crypto::SessionKeys;
//! # use waweb_proto::session::Credentials;
//! let dir = tempfile::tempdir().unwrap();
//! let path = dir.path().join("session.json");
//! let creds = Credentials {
//!     client_id: "AAECAwQFBgcICQoLDA0ODw==".into(),
//!     client_token: "ct".into(),
//!     server_token: "1@st".into(),
//!     keys: SessionKeys { enc_key: [1; 32], mac_key: [2; 32] },
//!     wid: "33612345678@c.us".into(),
//! };
//! session_file::save(&path, &creds).unwrap();
//! assert_eq!(session_file::load(&path).unwrap(), Some(creds));
//! ```

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::Path;
use waweb_proto::crypto::SessionKeys;
use waweb_proto::session::Credentials;

use crate::error::ClientError;

/// The format version written in every file.
pub const FORMAT_VERSION: u32 = 1;

/// The on-disk shape. Secrets are plain strings here only for the time of (de)serialisation.
#[derive(Serialize, Deserialize)]
struct SessionFile {
    version: u32,
    client_id: String,
    client_token: String,
    server_token: String,
    enc_key: String,
    mac_key: String,
    wid: String,
}

impl std::fmt::Debug for SessionFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SessionFile")
            .field("client_id", &self.client_id)
            .field("wid", &self.wid)
            .finish_non_exhaustive()
    }
}

fn file_error(path: &Path, reason: impl std::fmt::Display) -> ClientError {
    ClientError::SessionFile { path: path.display().to_string(), reason: reason.to_string() }
}

/// Reads the credentials saved at `path`; `Ok(None)` when there is no file.
pub fn load(path: &Path) -> Result<Option<Credentials>, ClientError> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(file_error(path, e)),
    };
    let file: SessionFile =
        serde_json::from_str(&text).map_err(|e| file_error(path, format!("not a session: {e}")))?;
    if file.version != FORMAT_VERSION {
        return Err(file_error(path, format!("unknown format version {}", file.version)));
    }
    let enc = B64.decode(&file.enc_key).map_err(|_| file_error(path, "enc_key is not base64"))?;
    let mac = B64.decode(&file.mac_key).map_err(|_| file_error(path, "mac_key is not base64"))?;
    let keys = SessionKeys::from_slices(&enc, &mac).map_err(|e| file_error(path, e))?;
    Ok(Some(Credentials {
        client_id: file.client_id,
        client_token: file.client_token,
        server_token: file.server_token,
        keys,
        wid: file.wid,
    }))
}

/// Writes `credentials` to `path` atomically, creating the parent directory (mode `0700`).
pub fn save(path: &Path, credentials: &Credentials) -> Result<(), ClientError> {
    let file = SessionFile {
        version: FORMAT_VERSION,
        client_id: credentials.client_id.clone(),
        client_token: credentials.client_token.clone(),
        server_token: credentials.server_token.clone(),
        enc_key: B64.encode(credentials.keys.enc_key),
        mac_key: B64.encode(credentials.keys.mac_key),
        wid: credentials.wid.clone(),
    };
    let json = serde_json::to_vec_pretty(&file).map_err(|e| file_error(path, e))?;
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    create_private_dir(dir).map_err(|e| file_error(dir, e))?;
    let name = path.file_name().ok_or_else(|| file_error(path, "not a file path"))?;
    let tmp = dir.join(format!(".{}.tmp-{}", name.to_string_lossy(), std::process::id()));
    let written = write_private(&tmp, &json).and_then(|()| std::fs::rename(&tmp, path));
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        return Err(file_error(path, e));
    }
    Ok(())
}

/// Deletes the session file; a missing file is not an error.
pub fn remove(path: &Path) -> Result<(), ClientError> {
    match std::fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(file_error(path, e)),
    }
}

fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut f = options.open(path)?;
    f.write_all(bytes)?;
    f.sync_all()
}

fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn creds() -> Credentials {
        Credentials {
            client_id: "Y2xpZW50LWlkLTEyMzQ1Ng==".into(),
            client_token: "client-token-secret".into(),
            server_token: "1@server-token-secret".into(),
            keys: SessionKeys { enc_key: [7; 32], mac_key: [9; 32] },
            wid: "33612345678@c.us".into(),
        }
    }

    #[test]
    fn round_trip_and_private_mode() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nested/session.json");
        save(&path, &creds()).unwrap();
        assert_eq!(load(&path).unwrap(), Some(creds()));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(&B64.encode([7u8; 32])), "keys are stored in base64");
        let leftovers: Vec<_> = std::fs::read_dir(path.parent().unwrap()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no temporary file is left behind");
    }

    #[test]
    fn overwrite_replaces_the_tokens() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("session.json");
        save(&path, &creds()).unwrap();
        let mut newer = creds();
        newer.client_token = "rotated".into();
        save(&path, &newer).unwrap();
        assert_eq!(load(&path).unwrap().unwrap().client_token, "rotated");
    }

    #[test]
    fn missing_file_is_none_and_garbage_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("session.json");
        assert_eq!(load(&path).unwrap(), None);
        std::fs::write(&path, "{\"version\":1}").unwrap();
        assert!(matches!(load(&path), Err(ClientError::SessionFile { .. })));
        let mut bad = serde_json::to_value(SessionFile {
            version: 1,
            client_id: "x".into(),
            client_token: "x".into(),
            server_token: "x".into(),
            enc_key: B64.encode([1u8; 31]),
            mac_key: B64.encode([1u8; 32]),
            wid: "x".into(),
        })
        .unwrap();
        std::fs::write(&path, bad.to_string()).unwrap();
        assert!(matches!(load(&path), Err(ClientError::SessionFile { .. })), "short key");
        bad["version"] = 2.into();
        std::fs::write(&path, bad.to_string()).unwrap();
        assert!(matches!(load(&path), Err(ClientError::SessionFile { .. })), "future version");
        remove(&path).unwrap();
        remove(&path).unwrap();
        assert!(!path.exists());
    }

    #[test]
    fn debug_never_shows_secrets() {
        let f = SessionFile {
            version: 1,
            client_id: "id".into(),
            client_token: "client-token-secret".into(),
            server_token: "1@server-token-secret".into(),
            enc_key: "ENCKEY".into(),
            mac_key: "MACKEY".into(),
            wid: "w".into(),
        };
        let shown = format!("{f:?} {:?}", creds());
        for secret in ["client-token-secret", "server-token-secret", "ENCKEY", "MACKEY"] {
            assert!(!shown.contains(secret), "{secret} leaked in {shown}");
        }
    }
}
