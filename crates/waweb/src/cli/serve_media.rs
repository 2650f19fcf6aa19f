//! The media hosting flags of `waweb serve`: upload token lifetime, size limits, and how long
//! blobs are kept.

use waweb_server::config::MediaConfig;

/// Media hosting settings.
#[derive(Debug, clap::Args)]
pub struct MediaArgs {
    /// Seconds an upload token (the `auth` of `mediaConn`) stays valid.
    #[arg(long, env = "WAWEB_MEDIA_AUTH_TTL", value_name = "SECONDS", default_value_t = 3600)]
    pub media_auth_ttl: u64,
    /// Largest image accepted, KiB (default: the `imageMaxKBytes` the server announces).
    #[arg(long, env = "WAWEB_MEDIA_MAX_IMAGE_KIB", value_name = "KIB")]
    pub media_max_image_kib: Option<u64>,
    /// Largest video, audio or document accepted, MiB (default: the announced `maxFileSize`).
    #[arg(long, env = "WAWEB_MEDIA_MAX_FILE_MIB", value_name = "MIB")]
    pub media_max_file_mib: Option<u64>,
    /// Seconds a blob is kept after its upload (default: the announced `mmsMediaKeyTTL`, 48
    /// hours); blobs no stored message references are removed sooner (after --media-auth-ttl).
    #[arg(long, env = "WAWEB_MEDIA_TTL", value_name = "SECONDS")]
    pub media_ttl: Option<u64>,
    /// Seconds between two passes of the sweep that removes expired and unreferenced blobs.
    #[arg(long, env = "WAWEB_MEDIA_SWEEP_INTERVAL", value_name = "SECONDS", default_value_t = 300)]
    pub media_sweep_interval: u64,
}

impl MediaArgs {
    /// The server's media settings.
    pub fn config(&self) -> MediaConfig {
        let defaults = MediaConfig::default();
        MediaConfig {
            auth_ttl_secs: self.media_auth_ttl.max(1),
            max_image_bytes: self
                .media_max_image_kib
                .map_or(defaults.max_image_bytes, |k| k.saturating_mul(1024)),
            max_file_bytes: self
                .media_max_file_mib
                .map_or(defaults.max_file_bytes, |m| m.saturating_mul(1024 * 1024)),
            blob_ttl_secs: self.media_ttl.unwrap_or(defaults.blob_ttl_secs).max(1),
            sweep_interval_secs: self.media_sweep_interval.max(1),
            sweep_budget: defaults.sweep_budget,
        }
    }
}
