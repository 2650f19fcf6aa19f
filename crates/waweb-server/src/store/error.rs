//! The one error type of the storage layer.
//!
//! Every backend maps its own failures onto these variants, so the server can react to *what*
//! went wrong (answer 404, answer 409, retry, shut down) without knowing which database runs.

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
    /// Any other failure of the database engine or the file system, with its message.
    #[error("storage backend failure: {0}")]
    Backend(String),
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
    }
}
