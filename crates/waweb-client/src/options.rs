//! [`ClientOptions`]: how a [`Client`](crate::Client) behaves (timeouts, keepalive,
//! reconnection, the browser it announces, extra trusted certificates, the other nodes of a
//! cluster), and the session configuration the driver derives from them.

use std::time::Duration;

use waweb_proto::session::ClientConfig;

/// How the client behaves. `Default` suits interactive use.
#[derive(Debug, Clone)]
pub struct ClientOptions {
    /// How long a request waits for its answer (default 20 s).
    pub request_timeout: Duration,
    /// Reconnect with backoff (restoring the session, no new QR) when the link drops.
    pub reconnect: bool,
    /// First reconnection delay (default 500 ms); it doubles at each failure.
    pub backoff_base: Duration,
    /// Longest reconnection delay (default 30 s).
    pub backoff_max: Duration,
    /// Give up after this many failed attempts in a row (`None`: never).
    pub max_reconnect_attempts: Option<u32>,
    /// Log in with `takeover` (kick another web session of the account) rather than `reconnect`.
    pub takeover: bool,
    /// Send a keepalive this often (default 20 s).
    pub keepalive_interval: Duration,
    /// Declare the link dead when nothing arrived for this long (default 45 s).
    pub dead_after: Duration,
    /// The browser description shown on the phone: `[os, browser, version]`.
    pub browser: [String; 3],
    /// A PEM file of certificates to trust besides the usual roots, for `wss://` servers and
    /// `https://` media hosts (a server's self-signed certificate).
    pub ca_cert: Option<std::path::PathBuf>,
    /// Other addresses of the same service (the other nodes of a cluster). At connect they are
    /// tried in order when the first URL does not answer; when the link drops, each
    /// reconnection attempt tries every address once, starting with the one after the node
    /// that was lost.
    pub fallback_urls: Vec<String>,
}

impl Default for ClientOptions {
    fn default() -> Self {
        let core = ClientConfig::default();
        ClientOptions {
            request_timeout: Duration::from_secs(20),
            reconnect: false,
            backoff_base: Duration::from_millis(500),
            backoff_max: Duration::from_secs(30),
            max_reconnect_attempts: Some(10),
            takeover: true,
            keepalive_interval: Duration::from_millis(core.keepalive_interval_ms),
            dead_after: Duration::from_millis(core.dead_after_ms),
            browser: core.browser,
            ca_cert: None,
            fallback_urls: Vec::new(),
        }
    }
}

impl ClientOptions {
    pub(crate) fn session_config(&self) -> ClientConfig {
        let ms = |d: Duration| u64::try_from(d.as_millis()).unwrap_or(u64::MAX);
        ClientConfig {
            keepalive_interval_ms: ms(self.keepalive_interval),
            dead_after_ms: ms(self.dead_after),
            // The session owns the requests' deadlines; the driver only routes the outcome.
            request_timeout_ms: ms(self.request_timeout),
            takeover: self.takeover,
            browser: self.browser.clone(),
            ..ClientConfig::default()
        }
    }
}
