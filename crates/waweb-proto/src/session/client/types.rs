//! What a client session is configured with and reports: its tunables, the saved pairing
//! ([`Credentials`]), the events it emits and the errors of its commands.

use serde_json::Value;

use crate::binary::Node;
use crate::crypto::SessionKeys;
use crate::json::conn::Conn;
use crate::json::push::ServerPush;
use crate::session::ProtocolError;

/// Tunables of a client session. `Default` matches what real clients do.
#[derive(Debug, Clone)]
pub struct ClientConfig {
    /// The web version claimed in `admin init`.
    pub version: [u32; 3],
    /// The browser description shown on the phone (`[os, browser, version]`).
    pub browser: [String; 3],
    /// Send `?,,` this often, in ms.
    pub keepalive_interval_ms: u64,
    /// Declare the link dead when nothing arrived for this long, in ms.
    pub dead_after_ms: u64,
    /// Fail a request that got no answer within this time, in ms.
    pub request_timeout_ms: u64,
    /// Use `takeover` (kick other sessions) when logging in, rather than `reconnect`.
    pub takeover: bool,
}

impl Default for ClientConfig {
    fn default() -> Self {
        ClientConfig {
            version: [2, 2142, 12],
            browser: ["waweb".into(), "Chrome".into(), "0.1".into()],
            keepalive_interval_ms: 20_000,
            dead_after_ms: 45_000,
            request_timeout_ms: 15_000,
            takeover: true,
        }
    }
}

/// What a paired client must keep to log in again without a QR. Keep it secret.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    /// The client id (base64 of 16 random bytes), reused for every connection.
    pub client_id: String,
    /// `WAToken1`, rotated by the server at every login.
    pub client_token: String,
    /// `WAToken2`, rotated by the server at every login.
    pub server_token: String,
    /// The session keys derived at pairing.
    pub keys: SessionKeys,
    /// Our own JID (`<number>@c.us`).
    pub wid: String,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("client_id", &self.client_id)
            .field("wid", &self.wid)
            .finish_non_exhaustive()
    }
}

/// Why the session ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DisconnectReason {
    /// Another browser took over the account (`kind: "replaced"`).
    Replaced,
    /// The phone (or the server) logged this browser out.
    RemovedByPhone,
    /// We logged out ourselves.
    LoggedOut,
    /// The login was refused with this status (401 unpaired, 403, 405, 409, 419...): log in again.
    InvalidSession(u16),
    /// The server stopped answering keepalives.
    KeepaliveTimeout,
    /// The server refused to give new QR refs (429).
    QrRefsExhausted,
    /// The server sent something we cannot handle.
    Protocol(ProtocolError),
}

/// What the application must know.
#[derive(Debug, Clone, PartialEq)]
pub enum ClientEvent {
    /// Show this QR (a new one after every ref renewal) until `expires_at`.
    Qr {
        /// The string to render as a QR code.
        code: String,
        /// When the server stops accepting it (the reply's `ttl` after it arrived).
        expires_at: std::time::Instant,
    },
    /// The session is logged in; persist `credentials` (tokens change at every login).
    LoggedIn {
        /// The connection info from the server.
        conn: Box<Conn>,
        /// What to save for the next login.
        credentials: Credentials,
        /// `true` for a fresh QR pairing, `false` for a restore.
        new_pairing: bool,
    },
    /// An unsolicited JSON push (presence, acks, Blocklist, Props, ...).
    Push(ServerPush),
    /// An unsolicited encrypted node (sync data, incoming messages, battery...).
    Node {
        /// The server's tag (`preempt-…`, `s-…`).
        tag: String,
        /// The node.
        node: Node,
    },
    /// The encrypted answer to one of our requests.
    Response {
        /// Our request's tag.
        tag: String,
        /// The answer node.
        node: Node,
    },
    /// The JSON answer to one of our requests (`{"status":200}` for actions and relays).
    JsonResponse {
        /// Our request's tag.
        tag: String,
        /// The answer.
        value: Value,
    },
    /// A request got no answer in time.
    RequestTimedOut {
        /// Its tag.
        tag: String,
    },
    /// The session ended; nothing more will happen.
    Disconnected(DisconnectReason),
}

/// Errors of the client's commands.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClientError {
    /// Encrypted requests need a logged-in session.
    #[error("the session is not logged in yet")]
    NotLoggedIn,
    /// The session has ended.
    #[error("the session is closed")]
    Closed,
    /// A tag must be non-empty and contain no comma.
    #[error("invalid tag {0:?}")]
    InvalidTag(String),
}
