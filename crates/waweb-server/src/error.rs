//! The errors of starting and running the server.

use std::io;
use std::path::PathBuf;

use crate::store::StoreError;

/// Why the server could not start, or stopped with a failure.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    /// The data directory (or the recording directory) cannot be created or written.
    #[error("cannot prepare directory {path}: {source}")]
    Directory {
        /// The directory.
        path: PathBuf,
        /// What the file system said.
        source: io::Error,
    },
    /// The media blobs in the PostgreSQL store cannot be reached.
    #[error("cannot open the media blobs in PostgreSQL ({0}); check that the database runs")]
    MediaStore(#[source] io::Error),
    /// The data directory cannot be prepared, or another server holds it.
    #[error(transparent)]
    DataDir(#[from] crate::datadir::DataDirError),
    /// The admin token file cannot be read or created.
    #[error("cannot read or create the admin token file {path}: {source}")]
    AdminToken {
        /// The token file.
        path: PathBuf,
        /// What the file system said.
        source: io::Error,
    },
    /// The admin token (given or read from the file) is empty.
    #[error("the admin token is empty")]
    EmptyAdminToken,
    /// The listening socket cannot be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address asked for.
        addr: std::net::SocketAddr,
        /// What the operating system said.
        source: io::Error,
    },
    /// The storage failed to open or to close.
    #[error("storage: {0}")]
    Store(#[from] StoreError),
    /// TLS cannot be set up (certificate or key unreadable or unusable).
    #[error("TLS: {0}")]
    Tls(#[from] crate::tls::TlsError),
    /// The message bus (`--bus`) cannot be reached.
    #[error(transparent)]
    Bus(#[from] crate::hub::BusError),
    /// Serving HTTP failed.
    #[error("serving failed: {0}")]
    Serve(io::Error),
}
