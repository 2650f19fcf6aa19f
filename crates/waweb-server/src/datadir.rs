//! The data directory's safety: private files, one server at a time, and where a running server
//! can be found.
//!
//! The database holds every pairing's keys and tokens, so the directory is created `0700` and
//! every file the server puts in it `0600`, whatever the umask (SQLite creates `-wal` and `-shm`
//! with the mode of the database file, so creating that file `0600` first covers them too). An
//! existing directory that others can read is reported at start.
//!
//! A server holds an exclusive lock (`flock`) on the `lock` file for as long as it runs; a second
//! server, or a `waweb account` command that would write the database directly, fails to take it
//! and learns that a server runs. The running server writes the address of its admin API to the
//! `address` file, so that the CLI can send account changes through it instead (the server then
//! sees them at once and logs out the browsers of a removed account).

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::net::SocketAddr;
#[cfg(unix)]
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

/// The lock file's name in the data directory.
pub const LOCK_FILE: &str = "lock";
/// The file a running server writes its admin API base URL (`http://host:port`) to.
pub const ADDRESS_FILE: &str = "address";
/// The SQLite database.
pub const DB_FILE: &str = "waweb.db";
/// The generated admin API token.
pub const ADMIN_TOKEN_FILE: &str = "admin-token";
/// The key of the media download URLs' tags.
pub const MEDIA_URL_KEY_FILE: &str = "media-url-key";
/// The self-signed TLS certificate (`--tls-self-signed`).
pub const TLS_CERT_FILE: &str = "tls-cert.pem";
/// The self-signed certificate's private key.
pub const TLS_KEY_FILE: &str = "tls-key.pem";
/// The files of the data directory that hold secrets, tightened to `0600` at start.
const PRIVATE_FILES: [&str; 8] = [
    DB_FILE,
    "waweb.db-wal",
    "waweb.db-shm",
    ADMIN_TOKEN_FILE,
    ADDRESS_FILE,
    MEDIA_URL_KEY_FILE,
    TLS_CERT_FILE,
    TLS_KEY_FILE,
];

/// Why the data directory cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum DataDirError {
    /// Another process (a running server) holds the lock.
    #[error(
        "the data directory {0} is in use by another waweb server (it holds {0}/lock); stop it \
         or choose another --data-dir"
    )]
    InUse(PathBuf),
    /// The file system refused.
    #[error("cannot prepare the data directory {path}: {source}")]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// What the file system said.
        source: io::Error,
    },
}

/// The exclusive hold on a data directory; released when dropped (or when the process ends,
/// however it ends).
#[derive(Debug)]
pub struct DataDirLock {
    dir: PathBuf,
    _file: File,
}

impl DataDirLock {
    /// Records the admin API's base URL for the CLI (`0600`, replaced atomically).
    pub fn write_address(&self, base_url: &str) -> Result<(), DataDirError> {
        let path = self.dir.join(ADDRESS_FILE);
        let partial = self.dir.join(".address.tmp");
        write_private(&partial, base_url.as_bytes(), true)
            .and_then(|()| std::fs::rename(&partial, &path))
            .map_err(|source| DataDirError::Io { path, source })
    }
}

impl Drop for DataDirLock {
    fn drop(&mut self) {
        // A stale address would only make the CLI try a closed port; remove it anyway.
        let _ = std::fs::remove_file(self.dir.join(ADDRESS_FILE));
    }
}

/// Creates the data directory (`0700`) if needed, warns if others can read an existing one,
/// takes its lock, tightens the secret files already there to `0600`, and creates the database
/// file `0600` if it does not exist yet. For the server and for commands that write the
/// database themselves.
pub fn prepare(dir: &Path) -> Result<DataDirLock, DataDirError> {
    prepare_for(dir, true)
}

/// [`prepare`], creating the SQLite database file only if `sqlite` (a server whose store is
/// PostgreSQL has none).
pub fn prepare_for(dir: &Path, sqlite: bool) -> Result<DataDirLock, DataDirError> {
    create_private_dir(dir)
        .map_err(|source| DataDirError::Io { path: dir.to_path_buf(), source })?;
    warn_if_open(dir);
    let lock = lock(dir)?;
    for name in PRIVATE_FILES {
        tighten(&dir.join(name))?;
    }
    let db = dir.join(DB_FILE);
    if !sqlite {
        return Ok(lock);
    }
    match create_private(&db, false) {
        Ok(_) => {}
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
        Err(source) => return Err(DataDirError::Io { path: db, source }),
    }
    Ok(lock)
}

/// Takes the data directory's lock without waiting: [`DataDirError::InUse`] if a server holds it.
pub fn lock(dir: &Path) -> Result<DataDirLock, DataDirError> {
    let path = dir.join(LOCK_FILE);
    let io_err = |source| DataDirError::Io { path: path.clone(), source };
    let file = match create_private(&path, false) {
        Ok(file) => file,
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
            OpenOptions::new().read(true).write(true).open(&path).map_err(io_err)?
        }
        Err(e) => return Err(io_err(e)),
    };
    match rustix::fs::flock(&file, rustix::fs::FlockOperation::NonBlockingLockExclusive) {
        Ok(()) => Ok(DataDirLock { dir: dir.to_path_buf(), _file: file }),
        Err(rustix::io::Errno::WOULDBLOCK) => Err(DataDirError::InUse(dir.to_path_buf())),
        Err(e) => Err(io_err(e.into())),
    }
}

/// The admin API base URL of a server bound to `bound`, as the CLI on this machine reaches it:
/// `https` when it speaks TLS, and an unspecified address (`0.0.0.0` or `::`) spelled as
/// loopback.
pub fn admin_base(bound: SocketAddr, tls: bool) -> String {
    let mut shown = bound;
    if shown.ip().is_unspecified() {
        shown.set_ip(if bound.is_ipv4() {
            std::net::Ipv4Addr::LOCALHOST.into()
        } else {
            std::net::Ipv6Addr::LOCALHOST.into()
        });
    }
    let scheme = if tls { "https" } else { "http" };
    format!("{scheme}://{shown}")
}

/// Creates a directory (and its missing parents) with mode `0700`; an existing one is left as is.
pub fn create_private_dir(dir: &Path) -> io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    builder.mode(0o700);
    builder.create(dir)
}

/// Creates a file with mode `0600` (whatever the umask): `truncate` replaces an existing one,
/// otherwise an existing one is an `AlreadyExists` error.
pub fn create_private(path: &Path, truncate: bool) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.read(true).write(true);
    if truncate {
        options.create(true).truncate(true);
    } else {
        options.create_new(true);
    }
    #[cfg(unix)]
    options.mode(0o600);
    options.open(path)
}

/// Writes `bytes` to a `0600` file (see [`create_private`] for `replace`) and flushes it to disk.
pub fn write_private(path: &Path, bytes: &[u8], replace: bool) -> io::Result<()> {
    let mut file = create_private(path, replace)?;
    file.write_all(bytes)?;
    file.sync_all()
}

/// The trimmed text of a secret file, or, when there is none, a new secret of 32 random bytes in
/// hex, written `0600` first.
pub fn read_or_create_secret(path: &Path) -> io::Result<String> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(text.trim().to_owned()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            let mut raw = [0u8; 32];
            rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut raw);
            let secret = hex::encode(raw);
            write_private(path, secret.as_bytes(), false)?;
            Ok(secret)
        }
        Err(e) => Err(e),
    }
}

/// Sets an existing file's mode to `0600` if others or its group could read it.
fn tighten(path: &Path) -> Result<(), DataDirError> {
    #[cfg(unix)]
    {
        let Ok(meta) = std::fs::metadata(path) else { return Ok(()) };
        if meta.permissions().mode() & 0o077 != 0 {
            tracing::warn!(file = %path.display(), "a secret file was readable by others: set to 0600");
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
                .map_err(|source| DataDirError::Io { path: path.to_path_buf(), source })?;
        }
    }
    Ok(())
}

/// Warns when the group or others may read or enter the directory.
fn warn_if_open(dir: &Path) {
    #[cfg(unix)]
    if let Ok(meta) = std::fs::metadata(dir) {
        let mode = meta.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            tracing::warn!(
                dir = %dir.display(),
                mode = format_args!("{mode:o}"),
                "the data directory is open to other users; it holds every pairing's keys: \
                 chmod 700 it"
            );
        }
    }
}
