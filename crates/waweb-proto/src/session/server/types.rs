//! What a server session is configured with, what the application hands it to finish a
//! handshake ([`Handshake`]) and the events it reports ([`ServerEvent`]).

use crate::binary::Node;
use crate::crypto::SessionKeys;
use crate::frame::Flags;
use crate::json::admin::LoginRequest;
use crate::json::blocklist::Blocklist;
use crate::json::conn::Conn;
use crate::json::props::Props;
use crate::json::query::JsonQuery;
use crate::session::outbox::CloseReason;

/// Tunables of a server session. `Default` gives the values real clients expect.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// How long a QR ref stays valid (the init response's `ttl`), in ms.
    pub ref_ttl_ms: u64,
    /// How many `reref`s one connection may ask before it gets 429.
    pub max_rerefs: u32,
    /// The pause inserted where clients need one (see the module docs), in ms.
    pub pace_ms: u64,
    /// Close the connection when nothing has been received for this long, in ms.
    pub idle_timeout_ms: u64,
    /// The web version announced as `curr` and in `Stream`.
    pub curr_version: String,
    /// Whether every login is challenged (`["Cmd",{"type":"challenge"}]`) before it is accepted.
    pub challenge_on_login: bool,
    /// Whether the simulated phone answers `admin test` with `["Pong",true]`.
    pub phone_online: bool,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            ref_ttl_ms: 20_000,
            max_rerefs: 20,
            pace_ms: 50,
            idle_timeout_ms: 90_000,
            curr_version: "2.2142.12".to_string(),
            challenge_on_login: true,
            phone_online: true,
        }
    }
}

/// What the application gives the session to finish a pairing or a login: the account's view of
/// the connection. Tokens in `conn` must already be the new ones (stored before this call).
#[derive(Debug, Clone)]
pub struct Handshake {
    /// The `Conn` object to send (without `secret`: the session adds it on pairing).
    pub conn: Conn,
    /// The session keys (fresh on pairing, the stored ones on login).
    pub keys: SessionKeys,
    /// The account's blocklist.
    pub blocklist: Blocklist,
    /// The client properties to push.
    pub props: Props,
}

/// What the application must know or decide.
#[derive(Debug, Clone, PartialEq)]
pub enum ServerEvent {
    /// `admin init` arrived: the client shows a QR with this ref and waits for a scan.
    AwaitingScan {
        /// The ref the phone must scan.
        r#ref: String,
        /// The client id from init.
        client_id: String,
        /// The browser description from init.
        browser: Vec<String>,
    },
    /// The client asked for a new ref; the old one is no longer scannable.
    RefRenewed {
        /// The ref that expired.
        old_ref: String,
        /// The ref now shown.
        new_ref: String,
    },
    /// `admin login`: answer with [`ServerSession::accept_login`](super::ServerSession::accept_login) or [`ServerSession::reject_login`](super::ServerSession::reject_login).
    LoginRequested(LoginRequest),
    /// The handshake is over; encrypted traffic may flow. Push the initial sync now.
    Ready {
        /// `true` after a login, `false` after a new pairing.
        restored: bool,
    },
    /// A decrypted binary request (`query`, `action`, relay...). Answer on the same tag.
    Request {
        /// The client's tag (the message id for relays).
        tag: String,
        /// The metric byte (informational; route on the node).
        metric: u8,
        /// The flag byte.
        flags: Flags,
        /// The decoded node.
        node: Node,
    },
    /// A JSON query or action once ready (`exist`, `Status`, `presence subscribe`, ...).
    JsonRequest {
        /// The client's tag.
        tag: String,
        /// The request.
        query: JsonQuery,
    },
    /// The handshake's `Conn` (pairing or restore) was handed to the shell by
    /// [`ServerSession::poll_transmit`](super::ServerSession::poll_transmit): once the shell
    /// has written it, the client has its tokens (and, after a scan, its keys). Once per
    /// session at most.
    ConnSent,
    /// The client logged out (`goodbye`): forget its tokens.
    LoggedOut,
    /// The connection closes for this reason; nothing more will happen.
    Closed(CloseReason),
}

/// A command ([`ServerSession::pair`](super::ServerSession::pair),
/// [`accept_login`](super::ServerSession::accept_login),
/// [`reject_login`](super::ServerSession::reject_login)) given to a session in a state where it
/// means nothing: the QR expired or the connection closed while the application was deciding.
/// The session is unchanged and sent nothing.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{command}` needs a session that {expected}, but this one {actual}")]
pub struct WrongState {
    /// The command given.
    pub command: &'static str,
    /// The state the command needs, in words.
    pub expected: &'static str,
    /// The state the session is in, in words.
    pub actual: &'static str,
}
