//! The errors of the client library, one enum for every fallible call.

use waweb_proto::session::client::ClientError as CoreError;

/// What can go wrong when connecting, asking the server something, or handling the session file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClientError {
    /// The websocket could not be opened (bad URL, nothing listening, handshake refused).
    #[error("cannot reach the server at {url}: {reason}")]
    Unreachable {
        /// The URL we tried.
        url: String,
        /// What the transport said.
        reason: String,
    },
    /// The server did not answer in time.
    #[error("the server did not answer within {0} ms")]
    Timeout(u64),
    /// The server refused the saved session (401 unpaired, 419...): pair again with a new QR.
    #[error("the session is no longer valid (status {0}): log in again")]
    InvalidSession(u16),
    /// The session was logged out (by us, or by the phone) and cannot be used any more.
    #[error("the session was logged out: log in again")]
    LoggedOut,
    /// Another web client took over this account.
    #[error("another web client took over this account")]
    Replaced,
    /// The connection is gone (network error, keepalive lost, client closed).
    #[error("the connection is closed: {0}")]
    Disconnected(String),
    /// The request needs a logged-in session and the handshake is not over.
    #[error("the session is not logged in yet")]
    NotReady,
    /// The server answered with an error status.
    #[error("the server answered with status {0}")]
    Status(u16),
    /// The server's answer did not have the expected shape.
    #[error("unexpected answer from the server: {0}")]
    UnexpectedAnswer(String),
    /// The caller gave something the protocol cannot carry (a comma in a tag, an empty JID...).
    #[error("invalid argument: {0}")]
    InvalidArgument(String),
    /// A media upload or download failed (transport, or the media host refused it).
    #[error("{0}")]
    Media(String),
    /// A downloaded blob failed a check (its hash, its MAC, the file's hash, its size): nothing
    /// of it is returned.
    #[error("the media does not check out: {0}")]
    MediaIntegrity(String),
    /// Reading or writing the session file failed.
    #[error("session file {path}: {reason}")]
    SessionFile {
        /// The file.
        path: String,
        /// What went wrong.
        reason: String,
    },
}

impl From<CoreError> for ClientError {
    fn from(e: CoreError) -> Self {
        match e {
            CoreError::NotLoggedIn => ClientError::NotReady,
            CoreError::Closed => ClientError::Disconnected("the session has ended".into()),
            CoreError::InvalidTag(t) => ClientError::InvalidArgument(format!("invalid tag {t:?}")),
        }
    }
}
