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
    /// The admin API token; when `None`, one is created in the data directory.
    pub admin_token: Option<String>,
    /// Largest websocket message accepted, in bytes; larger ones close the connection.
    pub max_frame_bytes: usize,
    /// Protocol tunables of every connection (ref ttl, pacing, idle timeout, challenge policy).
    pub session: waweb_proto::session::ServerConfig,
    /// How many recent messages per chat the initial sync pushes.
    pub sync_messages_per_chat: u32,
    /// Write every session's frames and keys under this directory (for `waweb decode`).
    pub record_dir: Option<PathBuf>,
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("listen", &self.listen)
            .field("data_dir", &self.data_dir)
            .field("admin_token", &self.admin_token.as_ref().map(|_| "<redacted>"))
            .field("max_frame_bytes", &self.max_frame_bytes)
            .field("session", &self.session)
            .field("sync_messages_per_chat", &self.sync_messages_per_chat)
            .field("record_dir", &self.record_dir)
            .finish()
    }
}

impl Config {
    /// Defaults for a data directory: loopback, port 8080, 1 MiB frames, 90 s idle limit.
    pub fn new(data_dir: impl Into<PathBuf>) -> Self {
        Config {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            data_dir: data_dir.into(),
            admin_token: None,
            max_frame_bytes: 1 << 20,
            session: waweb_proto::session::ServerConfig::default(),
            sync_messages_per_chat: 20,
            record_dir: None,
        }
    }

    /// The idle limit after which silent connections are closed.
    pub fn idle_timeout(&self) -> Duration {
        Duration::from_millis(self.session.idle_timeout_ms)
    }

    /// The SQLite database file.
    pub fn database_path(&self) -> PathBuf {
        self.data_dir.join("waweb.db")
    }

    /// The file holding the admin token when none is configured.
    pub fn admin_token_path(&self) -> PathBuf {
        self.data_dir.join("admin-token")
    }
}

#[cfg(test)]
mod tests {
    use super::Config;

    #[test]
    fn debug_hides_the_admin_token() {
        let config = Config { admin_token: Some("s3cr3t-admin".into()), ..Config::new("/data") };
        let shown = format!("{config:?}");
        assert!(!shown.contains("s3cr3t-admin"), "{shown}");
        assert!(shown.contains("<redacted>") && shown.contains("/data"), "{shown}");
    }
}
