//! Server configuration, filled from flags and environment by the `waweb serve` command.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

/// Everything the server needs to start. `Debug` never shows the admin token.
#[derive(Clone)]
pub struct Config {
    /// Where to listen (`127.0.0.1:8080` by default).
    pub listen: SocketAddr,
    /// The data directory: the SQLite database and the admin token file live here.
    pub data_dir: PathBuf,
    /// The store (`--store`): `None` or `sqlite` for the SQLite file in the data directory,
    /// or a `postgres://…` URL.
    pub store: Option<String>,
    /// Connections in the PostgreSQL store's pool (`--store-pool`).
    pub store_pool_size: usize,
    /// The admin API token; when `None`, one is created in the data directory.
    pub admin_token: Option<String>,
    /// Largest websocket message accepted, in bytes; larger ones close the connection.
    pub max_frame_bytes: usize,
    /// How many connections (HTTP or websocket) may be open at once; beyond it, new ones are
    /// closed as soon as they are accepted.
    pub max_connections: usize,
    /// How long a new connection may take to send its HTTP request (the websocket upgrade)
    /// before it is closed; idle HTTP keep-alive connections are closed after as long.
    pub handshake_timeout: Duration,
    /// How long a websocket may stay without logging in or showing a QR code (`admin init`).
    pub login_timeout: Duration,
    /// The bound of each connection's mailbox: how many pushes may wait for a client whose
    /// socket takes no more writes; one more disconnects the client (it gets the messages at its
    /// next sync). 4096 by default: a reader that keeps up has a handful waiting, a burst into a
    /// full group from every member's pipeline (32 relays in flight each) stays far below, and
    /// a mailbox of typical 1 KiB pushes stays around 4 MiB at worst.
    pub max_backlog: usize,
    /// The NATS server live delivery goes through when several server nodes share the
    /// database (`nats://host:4222`); `None`: this node alone, in process.
    pub bus: Option<String>,
    /// Protocol tunables of every connection (ref ttl, pacing, idle timeout, challenge policy).
    pub session: waweb_proto::session::ServerConfig,
    /// How many recent messages per chat the initial sync pushes.
    pub sync_messages_per_chat: u32,
    /// Write every session's frames and keys under this directory (for `waweb decode`).
    pub record_dir: Option<PathBuf>,
    /// The base URL clients reach this server's HTTP routes at (profile picture and media URLs
    /// are built on it), without a trailing `/`. `None`: `http://` (`https://` with TLS) and the
    /// bound address, with an unspecified address (`0.0.0.0`, `::`) spelled as loopback.
    pub public_url: Option<String>,
    /// Media hosting: upload token lifetime and size limits.
    pub media: MediaConfig,
    /// Serve TLS (`wss://`, `https://`) on the listening port; `None`: plain text.
    pub tls: Option<crate::tls::TlsSource>,
}

/// Media hosting settings. The size limits default to the `Props` the server announces:
/// `imageMaxKBytes` for images, `maxFileSize` (MB) for the other types.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaConfig {
    /// Seconds an upload token (`mediaConn`'s `auth`) stays valid.
    pub auth_ttl_secs: u64,
    /// Largest image file accepted, bytes.
    pub max_image_bytes: u64,
    /// Largest video, audio or document file accepted, bytes.
    pub max_file_bytes: u64,
    /// Seconds a blob is kept after its upload: the `mmsMediaKeyTTL` the server announces.
    pub blob_ttl_secs: u64,
    /// Seconds between two passes of the expiry sweep.
    pub sweep_interval_secs: u64,
    /// What one sweep pass may do at most: blobs looked at, stored messages read.
    pub sweep_budget: SweepBudget,
}

/// The work one pass of the media sweep may do, so that a pass stays short on any store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SweepBudget {
    /// Blobs looked at (and possibly removed).
    pub blobs: usize,
    /// Stored messages read while collecting the blobs messages still reference.
    pub messages: usize,
}

impl Default for SweepBudget {
    fn default() -> Self {
        SweepBudget { blobs: 1000, messages: 5000 }
    }
}

impl Default for MediaConfig {
    fn default() -> Self {
        let props = waweb_proto::json::props::Props::seed_defaults();
        let number =
            |key: &str, fallback: u64| props.get(key).and_then(|v| v.as_u64()).unwrap_or(fallback);
        MediaConfig {
            auth_ttl_secs: 3600,
            max_image_bytes: number("imageMaxKBytes", 1024).saturating_mul(1024),
            max_file_bytes: number("maxFileSize", 100).saturating_mul(1024 * 1024),
            blob_ttl_secs: number("mmsMediaKeyTTL", 172_800),
            sweep_interval_secs: 300,
            sweep_budget: SweepBudget::default(),
        }
    }
}

impl MediaConfig {
    /// The largest file of a media type.
    pub fn max_plain_bytes(&self, kind: waweb_proto::crypto::media::MediaType) -> u64 {
        match kind {
            waweb_proto::crypto::media::MediaType::Image => self.max_image_bytes,
            _ => self.max_file_bytes,
        }
    }
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("listen", &self.listen)
            .field("data_dir", &self.data_dir)
            .field(
                "store",
                &self.store.as_ref().map(|s| if s == "sqlite" { "sqlite" } else { "<url>" }),
            )
            .field("store_pool_size", &self.store_pool_size)
            .field("admin_token", &self.admin_token.as_ref().map(|_| "<redacted>"))
            .field("max_frame_bytes", &self.max_frame_bytes)
            .field("max_connections", &self.max_connections)
            .field("handshake_timeout", &self.handshake_timeout)
            .field("login_timeout", &self.login_timeout)
            .field("max_backlog", &self.max_backlog)
            .field("bus", &self.bus.as_deref().map(crate::hub::redact_url))
            .field("session", &self.session)
            .field("sync_messages_per_chat", &self.sync_messages_per_chat)
            .field("record_dir", &self.record_dir)
            .field("public_url", &self.public_url)
            .field("media", &self.media)
            .field("tls", &self.tls)
            .finish()
    }
}

impl Config {
    /// Defaults for a data directory: loopback, port 8080, 1 MiB frames, 90 s idle limit,
    /// 10,000 connections, 10 s to send the upgrade, 20 s to log in or show a QR code.
    pub fn new(data_dir: impl Into<PathBuf>) -> Self {
        Config {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            data_dir: data_dir.into(),
            store: None,
            store_pool_size: crate::store::postgres::DEFAULT_POOL_SIZE,
            admin_token: None,
            max_frame_bytes: 1 << 20,
            max_connections: 10_000,
            handshake_timeout: Duration::from_secs(10),
            login_timeout: Duration::from_secs(20),
            max_backlog: 4096,
            bus: None,
            session: waweb_proto::session::ServerConfig::default(),
            sync_messages_per_chat: 20,
            record_dir: None,
            public_url: None,
            media: MediaConfig::default(),
            tls: None,
        }
    }

    /// The idle limit after which silent connections are closed.
    pub fn idle_timeout(&self) -> Duration {
        Duration::from_millis(self.session.idle_timeout_ms)
    }

    /// Where the store is (`--store`, else the SQLite file in the data directory).
    pub fn store_location(&self) -> crate::store::StoreResult<crate::store::StoreLocation> {
        let file = self.database_path();
        crate::store::StoreLocation::parse(self.store.as_deref(), &file, self.store_pool_size)
    }

    /// The SQLite database file.
    pub fn database_path(&self) -> PathBuf {
        self.data_dir.join(crate::datadir::DB_FILE)
    }

    /// Where media blobs live (`<data dir>/media`).
    pub fn media_dir(&self) -> PathBuf {
        self.data_dir.join("media")
    }

    /// The file holding the admin token when none is configured.
    pub fn admin_token_path(&self) -> PathBuf {
        self.data_dir.join(crate::datadir::ADMIN_TOKEN_FILE)
    }

    /// Sets [`Config::public_url`] from the bound address if it was not configured.
    pub(crate) fn settle_public_url(&mut self, bound: SocketAddr) {
        if self.public_url.is_none() {
            self.public_url = Some(crate::datadir::admin_base(bound, self.tls.is_some()));
        }
        if let Some(url) = &mut self.public_url {
            let trimmed = url.trim_end_matches('/').len();
            url.truncate(trimmed);
        }
    }

    /// Where the picture with this tag and secret of this account is served
    /// (`GET /pp/<phone>/<tag>-<secret>`).
    pub fn picture_url(&self, owner: &str, key: &crate::store::PictureKey) -> String {
        let base = self.public_url.as_deref().unwrap_or_default();
        // A group's pictures live under its id without the `@g.us`: `/pp/<creator>-<t>/…`.
        let owner = owner.strip_suffix("@g.us").unwrap_or(owner);
        format!("{base}/pp/{owner}/{}-{}", key.tag, key.secret)
    }
}

#[cfg(test)]
mod tests {
    use super::Config;
    use crate::store::PictureKey;

    fn key(tag: &str) -> PictureKey {
        PictureKey { tag: tag.into(), secret: "00ff".into() }
    }

    #[test]
    fn the_public_url_defaults_to_the_bound_address() {
        let bound = |a: &str| a.parse().unwrap();
        let mut config = Config::new("/data");
        config.settle_public_url(bound("0.0.0.0:8080"));
        assert_eq!(config.picture_url("1555", &key("77")), "http://127.0.0.1:8080/pp/1555/77-00ff");
        let mut config = Config::new("/data");
        config.settle_public_url(bound("[::]:9"));
        assert_eq!(config.public_url.as_deref(), Some("http://[::1]:9"));
        let mut config = Config::new("/data");
        config.settle_public_url(bound("10.0.0.2:80"));
        assert_eq!(config.public_url.as_deref(), Some("http://10.0.0.2:80"));
        let mut config =
            Config { public_url: Some("https://chat.example.org/".into()), ..Config::new("/d") };
        config.settle_public_url(bound("127.0.0.1:1"));
        assert_eq!(config.picture_url("1", &key("2")), "https://chat.example.org/pp/1/2-00ff");
    }

    #[test]
    fn debug_hides_the_admin_token() {
        let config = Config { admin_token: Some("s3cr3t-admin".into()), ..Config::new("/data") };
        let shown = format!("{config:?}");
        assert!(!shown.contains("s3cr3t-admin"), "{shown}");
        assert!(shown.contains("<redacted>") && shown.contains("/data"), "{shown}");
    }
}
