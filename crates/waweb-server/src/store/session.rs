//! Web sessions: one paired browser of an account, with the tokens and keys that let it
//! restore (docs/PROTOCOL.md).
//!
//! Everything here but the identifiers is secret: tokens let a browser log in, and `enc_key` /
//! `mac_key` decrypt its traffic. The record wipes itself on drop and never prints them.

use std::fmt;

use subtle::ConstantTimeEq;
use zeroize::{Zeroize, ZeroizeOnDrop};

/// The durable state of one paired browser.
#[derive(Clone, PartialEq, Eq, Zeroize, ZeroizeOnDrop)]
pub struct WebSessionRecord {
    /// The browser's `clientId` (opaque string); at most one record per client id.
    pub client_id: String,
    /// The account (phone number) the browser is paired with.
    pub account: String,
    /// `clientToken` (`WAToken1`), sent back by the browser in `admin login`.
    pub client_token: String,
    /// `serverToken` (`WAToken2`), sent back in `admin login` and `admin challenge`.
    pub server_token: String,
    /// `browserToken`, used only by the HTTP logout.
    pub browser_token: String,
    /// AES-256 key of the binary frames.
    pub enc_key: [u8; 32],
    /// HMAC-SHA256 key of the binary frames (and of the challenge).
    pub mac_key: [u8; 32],
    /// When the browser paired, ms since the Unix epoch.
    pub created_ms: u64,
    /// Last login or activity, ms since the Unix epoch.
    pub last_seen_ms: u64,
}

impl WebSessionRecord {
    /// Whether the two tokens a browser presents in `admin login` are the current ones.
    /// Compares in constant time so the answer's timing does not leak how much matched.
    pub fn tokens_match(&self, client_token: &str, server_token: &str) -> bool {
        let client = self.client_token.as_bytes().ct_eq(client_token.as_bytes());
        let server = self.server_token.as_bytes().ct_eq(server_token.as_bytes());
        (client & server).into()
    }
}

impl fmt::Debug for WebSessionRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WebSessionRecord")
            .field("client_id", &self.client_id)
            .field("account", &self.account)
            .field("client_token", &"<redacted>")
            .field("server_token", &"<redacted>")
            .field("browser_token", &"<redacted>")
            .field("enc_key", &"<redacted>")
            .field("mac_key", &"<redacted>")
            .field("created_ms", &self.created_ms)
            .field("last_seen_ms", &self.last_seen_ms)
            .finish()
    }
}

/// A token rotation after a successful login (docs/PROTOCOL.md): new `clientToken` and
/// `serverToken`, applied only if the session still has the tokens the login was checked with.
#[derive(Clone, PartialEq, Eq, Zeroize, ZeroizeOnDrop)]
pub struct TokenRotation {
    /// The session.
    pub client_id: String,
    /// The server token the login presented; if the stored one differs, another login rotated
    /// first and this rotation fails with [`StoreError::Conflict`](super::StoreError::Conflict).
    pub expected_server_token: String,
    /// The new `clientToken`.
    pub new_client_token: String,
    /// The new `serverToken`.
    pub new_server_token: String,
    /// The login time, stored as `last_seen_ms`.
    pub now_ms: u64,
}

impl fmt::Debug for TokenRotation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenRotation")
            .field("client_id", &self.client_id)
            .field("tokens", &"<redacted>")
            .field("now_ms", &self.now_ms)
            .finish()
    }
}
