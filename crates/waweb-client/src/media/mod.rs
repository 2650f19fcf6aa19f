//! Sending and receiving media (docs/PROTOCOL.md §10.3): a file is encrypted under a fresh
//! `mediaKey`, uploaded to the host `mediaConn` names, and announced in a media message;
//! a received one is downloaded, checked (blob hash, MAC, file hash) and decrypted.
//!
//! * `http` — the upload and download requests.
//! * `thumb` — dimensions and the inline JPEG preview of images.
//! * `mime` — MIME types from file names.

mod http;
mod mime;
mod thumb;

use std::sync::Arc;

use rand::RngCore;
use waweb_proto::binary::jid;
use waweb_proto::crypto::media;
use waweb_proto::json::media_conn::MediaConnResponse;
use waweb_proto::json::query::JsonQuery;
use waweb_proto::message::{self, Attachment, MediaKind, WebMessageInfo};

use crate::client::{new_message_id, parse_answer, Client, SendReceipt};
use crate::driver;
use crate::error::ClientError;

pub use mime::{extension_for, guess_mimetype};

/// Called as bytes go out or come in: `(done, total)`.
pub type Progress = Arc<dyn Fn(u64, u64) + Send + Sync>;

/// A file to send.
#[derive(Debug, Clone)]
pub struct OutgoingMedia {
    /// How it is shown: image, video, audio, voice note or document.
    pub kind: MediaKind,
    /// The file.
    pub data: Vec<u8>,
    /// MIME type; guessed from the content (images) or the file name when `None`.
    pub mimetype: Option<String>,
    /// Caption (images and videos).
    pub caption: Option<String>,
    /// File name (shown for documents; also used to guess the MIME type).
    pub file_name: Option<String>,
    /// Duration, seconds (audio and video), when known.
    pub seconds: Option<u32>,
}

impl OutgoingMedia {
    /// A file of `kind` with nothing else set.
    pub fn new(kind: MediaKind, data: Vec<u8>) -> Self {
        OutgoingMedia { kind, data, mimetype: None, caption: None, file_name: None, seconds: None }
    }

    /// With a caption.
    pub fn caption(mut self, caption: impl Into<String>) -> Self {
        self.caption = Some(caption.into());
        self
    }

    /// With a file name.
    pub fn file_name(mut self, name: impl Into<String>) -> Self {
        self.file_name = Some(name.into());
        self
    }

    /// With a MIME type.
    pub fn mimetype(mut self, mimetype: impl Into<String>) -> Self {
        self.mimetype = Some(mimetype.into());
        self
    }
}

impl Client {
    /// Sends a media message: encrypts, uploads, relays; returns once the server took the
    /// message. `progress` follows the upload.
    pub async fn send_media(
        &self,
        to: &str,
        file: OutgoingMedia,
        progress: Option<Progress>,
    ) -> Result<SendReceipt, ClientError> {
        if to.is_empty() {
            return Err(ClientError::InvalidArgument("empty JID".into()));
        }
        if file.kind == MediaKind::Sticker {
            return Err(ClientError::InvalidArgument("stickers cannot be sent".into()));
        }
        let attachment = self.upload_media(file, progress).await?;
        let id = new_message_id();
        let t = driver::now_ms() / 1000;
        let msg = message::media_message(&jid::to_whatsapp_net(to), true, &id, &attachment, t)
            .ok_or_else(|| {
                ClientError::InvalidArgument("not a media kind that can be sent".into())
            })?;
        self.relay(id, msg, t).await
    }

    /// Encrypts and uploads a file; returns the attachment a message announces it with.
    pub async fn upload_media(
        &self,
        file: OutgoingMedia,
        progress: Option<Progress>,
    ) -> Result<Attachment, ClientError> {
        let mut attachment = describe(&file);
        let mut media_key = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut media_key);
        let encrypted = media::encrypt(&media_key, file.kind.media_type(), &file.data);
        drop(file);
        let conn = self.media_conn().await?;
        let host = conn.media_conn.hosts.first().map(|h| h.hostname.as_str()).unwrap_or_default();
        let base = http::base_url(&self.url(), host);
        let uploaded = http::upload(
            self.http(),
            &base,
            attachment.kind.unwrap_or(MediaKind::Document).upload_path(),
            &conn.media_conn.auth,
            encrypted.blob,
            &encrypted.file_enc_sha256,
            progress,
        )
        .await?;
        attachment.url = Some(uploaded.url);
        attachment.direct_path = uploaded.direct_path;
        attachment.media_key = media_key.to_vec();
        attachment.file_sha256 = Some(encrypted.file_sha256.to_vec());
        attachment.file_enc_sha256 = Some(encrypted.file_enc_sha256.to_vec());
        Ok(attachment)
    }

    /// Downloads and opens the media of a received message: the blob's hash, its MAC and the
    /// file's hash are all checked before any byte is returned.
    pub async fn download_media(
        &self,
        info: &WebMessageInfo,
        progress: Option<Progress>,
    ) -> Result<Vec<u8>, ClientError> {
        let attachment = Attachment::of(info)
            .ok_or_else(|| ClientError::InvalidArgument("not a media message".into()))?;
        self.download_attachment(&attachment, progress).await
    }

    /// [`Client::download_media`] for an attachment.
    pub async fn download_attachment(
        &self,
        attachment: &Attachment,
        progress: Option<Progress>,
    ) -> Result<Vec<u8>, ClientError> {
        let kind =
            attachment.kind.ok_or_else(|| ClientError::InvalidArgument("no media".into()))?;
        let url = match (&attachment.url, &attachment.direct_path) {
            (Some(u), _) if !u.is_empty() => u.clone(),
            (_, Some(path)) => format!("{}{path}", http::base_url(&self.url(), "")),
            _ => return Err(ClientError::InvalidArgument("the message has no media URL".into())),
        };
        // The blob is the file, its padding and the MAC; refuse to buffer much more than that.
        let limit = attachment.file_length.map(|n| n.saturating_add(media::MEDIA_BLOB_OVERHEAD));
        let blob = http::download(self.http(), &url, limit, progress).await?;
        media::open_checked(
            &attachment.media_key,
            kind.media_type(),
            &blob,
            attachment.file_enc_sha256.as_deref(),
            attachment.file_sha256.as_deref(),
        )
        .map_err(|e| ClientError::MediaIntegrity(e.to_string()))
    }

    /// Asks `["query","mediaConn"]`: the upload host and token.
    async fn media_conn(&self) -> Result<MediaConnResponse, ClientError> {
        let value = self.json(JsonQuery::MediaConn.to_value()).await?;
        crate::client::check_status(&value)?;
        parse_answer(&value)
    }
}

/// The attachment fields that come from the file itself.
fn describe(file: &OutgoingMedia) -> Attachment {
    let mut a = Attachment {
        kind: Some(file.kind),
        file_length: Some(file.data.len() as u64),
        caption: file
            .caption
            .clone()
            .filter(|_| matches!(file.kind, MediaKind::Image | MediaKind::Video)),
        file_name: file.file_name.clone().filter(|_| file.kind == MediaKind::Document),
        seconds: file.seconds,
        mimetype: file.mimetype.clone(),
        ..Attachment::default()
    };
    if file.kind == MediaKind::Image {
        if let Some(image) = thumb::inspect(&file.data) {
            a.dimensions = Some(image.dimensions);
            a.jpeg_thumbnail = image.thumbnail;
            a.mimetype = a.mimetype.or(Some(image.mimetype.to_owned()));
        }
    }
    if a.mimetype.is_none() {
        a.mimetype = Some(guess_mimetype(file.kind, file.file_name.as_deref()).to_owned());
    }
    a
}
