//! Media hosting (docs/PROTOCOL.md §10.3): clients encrypt a file, upload the blob
//! (`enc ‖ mac10`) to `POST /mms/<type>/<b64url(fileEncSha256)>`, and the recipient downloads it
//! from the URL the upload answered. The server never sees a media key and never decrypts.
//!
//! * [`auth`] — the per-account upload tokens that `["query","mediaConn"]` hands out.
//! * [`blob`] — the [`blob::BlobStore`] trait blobs live behind; [`fs`] its file-system default,
//!   [`pg`] the PostgreSQL one (used when the store is PostgreSQL: every node serves every blob).
//! * [`path`] — the media types and hashes of request paths.
//! * [`sweep`] — removes expired and unreferenced blobs, in bounded passes.
//! * `upload` and `download` — the two HTTP routes, mounted by the crate's router.

pub mod auth;
pub mod blob;
mod download;
pub mod fs;
pub mod path;
pub mod pg;
pub mod sweep;
mod upload;

use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use axum::Router;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64URL;
use base64::Engine;
use hmac::{Hmac, Mac};
use serde_json::{json, Value};
use sha2::Sha256;
use waweb_proto::crypto::media::MediaType;

use crate::config::{Config, MediaConfig};
use crate::error::ServerError;
use crate::store::AnyStore;
use auth::MediaTokens;
use blob::{BlobKey, BlobStore};

/// Length of the unguessable part of a download URL, in bytes before base64.
const URL_TAG_LEN: usize = 16;

/// Everything media: upload tokens, blob storage, limits and the key of download URLs.
pub struct Media {
    /// Upload tokens.
    pub tokens: MediaTokens,
    /// Where blobs live.
    pub blobs: Arc<dyn BlobStore>,
    limits: MediaConfig,
    /// Key of the unguessable part of download URLs (persisted in the data directory, so that
    /// URLs survive restarts).
    url_key: [u8; 32],
    /// `http(s)://host[:port]` clients reach the server at (from the public URL).
    public_url: String,
    /// The `host[:port]` of [`Self::public_url`], the media host `mediaConn` names.
    host: String,
}

impl std::fmt::Debug for Media {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Media").field("limits", &self.limits).finish_non_exhaustive()
    }
}

impl Media {
    /// The file-system blob store under the data directory (stale partial uploads of an earlier
    /// run are removed), the URL key (created on first use) and the configured limits.
    pub fn open(config: &Config) -> Result<Media, ServerError> {
        let root = config.media_dir();
        let blobs = fs::FsBlobs::open(&root)
            .map_err(|source| ServerError::Directory { path: root.clone(), source })?;
        let key_path = config.data_dir.join(crate::datadir::MEDIA_URL_KEY_FILE);
        let mut url_key = [0u8; 32];
        crate::datadir::read_or_create_secret(&key_path)
            .and_then(|hex_key| {
                hex::decode_to_slice(hex_key, &mut url_key)
                    .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))
            })
            .map_err(|source| ServerError::Directory { path: key_path, source })?;
        Ok(Self::with(config, Arc::new(blobs), url_key))
    }

    /// The blob store that goes with `store`: the database's own when it is PostgreSQL (with
    /// the URL key all nodes share, so any node serves any URL), else [`Media::open`].
    pub async fn open_for(config: &Config, store: &AnyStore) -> Result<Media, ServerError> {
        let AnyStore::Postgres(pg) = store else { return Self::open(config) };
        let blobs = pg::PgBlobs::open(pg.pool().clone()).await.map_err(ServerError::MediaStore)?;
        let url_key = blobs.url_key().await.map_err(ServerError::MediaStore)?;
        Ok(Self::with(config, Arc::new(blobs), url_key))
    }

    /// Media hosting on `blobs`, with download URLs keyed by `url_key`.
    fn with(config: &Config, blobs: Arc<dyn BlobStore>, url_key: [u8; 32]) -> Media {
        let public_url = config.public_url.clone().unwrap_or_default();
        let host = public_url.split_once("://").map_or(public_url.as_str(), |(_, h)| h).to_owned();
        Media {
            tokens: MediaTokens::new(config.media.auth_ttl_secs),
            blobs,
            limits: config.media.clone(),
            url_key,
            public_url,
            host,
        }
    }

    /// The answer to `["query","mediaConn"]` for `account`: its upload token and this server
    /// as the only host (the authority of the public URL: clients build `https://<host>/mms/…`).
    pub fn conn_answer(&self, account: &str, now_ms: u64) -> Value {
        let (auth, ttl) = self.tokens.issue(account, now_ms);
        let host = &self.host;
        json!({
            "status": 200,
            "media_conn": {"auth": auth, "ttl": ttl, "auth_ttl": ttl, "hosts": [{"hostname": host, "ips": []}]},
        })
    }

    /// The answer to `["action","encr_upload",type,base64(fileEncSha256)]` (the upload request
    /// of clients older than `mediaConn`): the URL to `POST` that blob to, with the account's
    /// upload token; `{"status":400}` for an unknown type or a hash that is no SHA-256.
    pub fn encr_upload_answer(&self, account: &str, kind: &str, hash: &str, now_ms: u64) -> Value {
        let (Some(_), Some(key)) = (path::media_type(kind), path::blob_key_any(hash)) else {
            return json!({"status": 400});
        };
        let (auth, _) = self.tokens.issue(account, now_ms);
        let h = B64URL.encode(key.0);
        // `f=j` last: clients that append `?f=j` (the old form upload) then only change it.
        let url = format!("{}/mms/{kind}/{h}?auth={auth}&token={h}&f=j", self.public_url);
        json!({"status": 200, "url": url})
    }

    /// The largest blob accepted for a media type (the plaintext limit plus padding and MAC).
    pub fn max_blob_bytes(&self, kind: MediaType) -> u64 {
        self.limits
            .max_plain_bytes(kind)
            .saturating_add(waweb_proto::crypto::media::MEDIA_BLOB_OVERHEAD)
    }

    /// The path a blob is downloaded from: `/mms/d/<b64url(hash)>/<tag>.enc`, where the tag is
    /// a keyed hash of the blob's hash that only this server can compute.
    pub fn direct_path(&self, key: &BlobKey) -> String {
        format!("/mms/d/{}/{}.enc", B64URL.encode(key.0), B64URL.encode(self.url_tag(key)))
    }

    /// The full download URL of a blob.
    pub fn url(&self, key: &BlobKey) -> String {
        format!("{}{}", self.public_url, self.direct_path(key))
    }

    fn url_tag(&self, key: &BlobKey) -> [u8; URL_TAG_LEN] {
        // HMAC zero-pads a short key to its 64-byte block, so keying with the padded block is
        // the same function through the infallible fixed-size constructor.
        let mut block = [0u8; 64];
        block[..32].copy_from_slice(&self.url_key);
        let mut mac = <Hmac<Sha256> as Mac>::new(&block.into());
        mac.update(&key.0);
        let full = mac.finalize().into_bytes();
        let mut tag = [0u8; URL_TAG_LEN];
        tag.copy_from_slice(&full[..URL_TAG_LEN]);
        tag
    }
}

/// The media routes: uploads (no body limit from axum: the handler streams and counts) and
/// downloads (`GET`, and `HEAD` through axum).
pub(crate) fn router(media: Arc<Media>) -> Router {
    Router::new()
        .route("/mms/{kind}/{hash}", post(upload::upload).layer(DefaultBodyLimit::disable()))
        .route("/mms/d/{hash}/{tag}", get(download::download))
        .with_state(media)
}
