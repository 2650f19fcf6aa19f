//! The one error type of the storage layer.
//!
//! Every backend maps its own failures onto these variants, so the server can react to *what*
//! went wrong (answer 404, answer 409, retry, shut down) without knowing which database runs.
//! A failure of the engine itself keeps the engine's error as its [`Error::source`], so a log
//! or a caller can walk down to the cause.

use std::error::Error;
use std::fmt;
use std::sync::Arc;

/// What can go wrong when talking to a [`Store`](super::Store).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StoreError {
    /// The named thing (an account, a chat, a message, a web session) does not exist, or does
    /// not belong to the account the request was made for.
    #[error("{what} not found")]
    NotFound {
        /// What was looked for, e.g. `"account"` or `"message"`.
        what: &'static str,
    },
    /// Creating something that already exists (an account with the same phone number).
    #[error("{what} already exists")]
    AlreadyExists {
        /// What already exists, e.g. `"account"`.
        what: &'static str,
    },
    /// A compare-and-swap lost: the stored state is not the one the caller expected (for
    /// example the tokens of a web session were rotated by a concurrent login).
    #[error("conflict: {0}")]
    Conflict(&'static str),
    /// A value cannot be stored as given (a number too large for the database's integers, an
    /// empty identifier).
    #[error("invalid {field}: {reason}")]
    Invalid {
        /// The offending field.
        field: &'static str,
        /// Why it was refused.
        reason: &'static str,
    },
    /// Stored data does not have the expected shape (a key of the wrong length, a negative
    /// timestamp): the database was damaged or written by something else.
    #[error("corrupt data in {0}")]
    Corrupt(&'static str),
    /// The database was written by a newer version of waweb than this one understands.
    #[error("database schema version {found} is newer than the supported {supported}")]
    SchemaTooNew {
        /// The version found in the database.
        found: i64,
        /// The newest version this build knows.
        supported: i64,
    },
    /// A request the store refuses to do so often: an account creating groups faster than one
    /// a second for a minute.
    #[error("too many requests: {0}")]
    TooFast(&'static str),
    /// The store was closed (or its writer stopped) before the request could be answered.
    #[error("store is closed")]
    Closed,
    /// Any other failure of the database engine or the file system: what failed, and the
    /// engine's error as the [`Error::source`].
    #[error(transparent)]
    Backend(BackendError),
}

/// A failure of the database engine or the file system. Cheap to clone (the cause is shared),
/// and compared by its message: two failures are equal when they say the same thing.
#[derive(Clone, Debug)]
pub struct BackendError {
    message: String,
    cause: Option<Arc<dyn Error + Send + Sync>>,
}

impl BackendError {
    /// A failure described by `message`, caused by `cause` (kept as the source).
    pub fn new(message: impl Into<String>, cause: impl Error + Send + Sync + 'static) -> Self {
        BackendError { message: message.into(), cause: Some(Arc::new(cause)) }
    }

    /// A failure with no underlying error (a thread that stopped, a setting refused).
    pub fn message(message: impl Into<String>) -> Self {
        BackendError { message: message.into(), cause: None }
    }

    /// The same failure, described by `message` (the cause is kept).
    pub fn reworded(self, message: impl Into<String>) -> Self {
        BackendError { message: message.into(), ..self }
    }

    /// What failed, in words.
    pub fn text(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for BackendError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "storage backend failure: {}", self.message)
    }
}

impl PartialEq for BackendError {
    fn eq(&self, other: &Self) -> bool {
        self.message == other.message
    }
}

impl Eq for BackendError {}

/// The source of a backend failure is the engine's own error, not a copy of the message
/// ([`StoreError::Backend`] is transparent: its source is this one's).
impl Error for BackendError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        self.cause.as_deref().map(|e| e as &(dyn Error + 'static))
    }
}

impl StoreError {
    /// A failure of the engine: `message` says what failed, `cause` is kept as the source.
    pub fn backend(message: impl Into<String>, cause: impl Error + Send + Sync + 'static) -> Self {
        StoreError::Backend(BackendError::new(message, cause))
    }

    /// A failure of the engine with no underlying error to keep.
    pub fn backend_message(message: impl Into<String>) -> Self {
        StoreError::Backend(BackendError::message(message))
    }
}

impl StoreError {
    /// The status a request that failed with this error is answered with, on the websocket
    /// (`{"status":…}`) and on the admin API alike: the one mapping of storage errors to
    /// statuses. 5xx means the server failed, not the request.
    pub fn status(&self) -> u16 {
        match self {
            StoreError::NotFound { .. } => 404,
            StoreError::Invalid { .. } => 400,
            StoreError::AlreadyExists { .. } | StoreError::Conflict(_) => 409,
            StoreError::TooFast(_) => 429,
            StoreError::Corrupt(_)
            | StoreError::SchemaTooNew { .. }
            | StoreError::Closed
            | StoreError::Backend(_) => 500,
        }
    }
}

/// Shorthand for results of storage operations.
pub type StoreResult<T> = Result<T, StoreError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_request_errors_are_4xx_and_the_failures_500() {
        assert_eq!(StoreError::NotFound { what: "chat" }.status(), 404);
        assert_eq!(StoreError::Invalid { field: "phone", reason: "empty" }.status(), 400);
        assert_eq!(StoreError::AlreadyExists { what: "account" }.status(), 409);
        assert_eq!(StoreError::Conflict("server token changed").status(), 409);
        assert_eq!(StoreError::TooFast("creating groups").status(), 429);
        assert_eq!(StoreError::Corrupt("row").status(), 500);
        assert_eq!(StoreError::SchemaTooNew { found: 2, supported: 1 }.status(), 500);
        assert_eq!(StoreError::Closed.status(), 500);
        assert_eq!(StoreError::backend_message("disk full").status(), 500);
    }

    #[test]
    fn a_backend_failure_keeps_its_cause_as_the_source() {
        let io = std::io::Error::new(std::io::ErrorKind::PermissionDenied, "no access");
        let e = StoreError::backend("cannot open the write-ahead log", io);
        assert_eq!(e.to_string(), "storage backend failure: cannot open the write-ahead log");
        let cause = e.source().expect("the engine's error");
        let io = cause.downcast_ref::<std::io::Error>().expect("the io::Error itself");
        assert_eq!(io.kind(), std::io::ErrorKind::PermissionDenied);
        let clone = e.clone();
        assert_eq!(clone, e, "a clone shares the cause and compares equal");
        assert!(StoreError::backend_message("stopped").source().is_none());
    }

    #[test]
    fn backend_failures_compare_by_message() {
        let a = StoreError::backend("x", std::io::Error::other("one"));
        let b = StoreError::backend("x", std::io::Error::other("two"));
        assert_eq!(a, b);
        assert_ne!(a, StoreError::backend_message("y"));
        let reworded = match a {
            StoreError::Backend(b) => b.reworded("cannot connect (x)"),
            other => panic!("{other:?}"),
        };
        assert_eq!(reworded.text(), "cannot connect (x)");
        assert!(reworded.source().is_some(), "rewording keeps the cause");
    }
}
