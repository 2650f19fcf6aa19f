//! The media flags of `waweb send`: `--image`, `--video`, `--audio [--ptt]` or `--document`
//! with a file, and `--caption`, `--file-name`, `--mimetype`.

use std::path::{Path, PathBuf};

use waweb_client::{Client, MediaKind, OutgoingMedia, SendReceipt};

use super::client_common::client_error;
use super::exit::{Exit, FAILURE};
use super::media_show::transfer_bar;

/// Which file to send, and how.
#[derive(Debug, Clone, clap::Args)]
pub struct MediaArgs {
    /// Send this picture (JPEG, PNG, GIF or WebP get a thumbnail and dimensions).
    #[arg(long, value_name = "PATH", group = "media")]
    pub image: Option<PathBuf>,
    /// Send this video.
    #[arg(long, value_name = "PATH", group = "media")]
    pub video: Option<PathBuf>,
    /// Send this audio file.
    #[arg(long, value_name = "PATH", group = "media")]
    pub audio: Option<PathBuf>,
    /// Send this file as a document.
    #[arg(long, value_name = "PATH", group = "media")]
    pub document: Option<PathBuf>,
    /// With --audio: send it as a voice note (push to talk).
    #[arg(long)]
    pub ptt: bool,
    /// Caption of an image or a video.
    #[arg(long, value_name = "TEXT", requires = "media")]
    pub caption: Option<String>,
    /// The file name shown for a document (by default the file's own name).
    #[arg(long, value_name = "NAME", requires = "media")]
    pub file_name: Option<String>,
    /// The MIME type (by default from the image itself, or the file's extension).
    #[arg(long, value_name = "TYPE", requires = "media")]
    pub mimetype: Option<String>,
}

impl MediaArgs {
    /// The kind and file asked for, if any.
    fn chosen(&self) -> Option<(MediaKind, &Path)> {
        let audio = if self.ptt { MediaKind::Voice } else { MediaKind::Audio };
        [
            (MediaKind::Image, &self.image),
            (MediaKind::Video, &self.video),
            (audio, &self.audio),
            (MediaKind::Document, &self.document),
        ]
        .into_iter()
        .find_map(|(kind, path)| path.as_deref().map(|p| (kind, p)))
    }

    /// Reads the file, if one was given.
    pub fn file(&self) -> anyhow::Result<Option<OutgoingMedia>> {
        if self.ptt && self.audio.is_none() {
            return Err(Exit::new(FAILURE, "--ptt makes a voice note of an --audio file"));
        }
        let Some((kind, path)) = self.chosen() else {
            return Ok(None);
        };
        let data = std::fs::read(path)
            .map_err(|e| Exit::new(FAILURE, format!("cannot read {}: {e}", path.display())))?;
        let own_name = path.file_name().map(|n| n.to_string_lossy().into_owned());
        let mut file = OutgoingMedia::new(kind, data);
        file.file_name = self.file_name.clone().or(own_name);
        file.caption = self.caption.clone();
        file.mimetype = self.mimetype.clone();
        Ok(Some(file))
    }
}

/// Sends a media file with a progress bar (on a terminal).
pub async fn send(client: &Client, jid: &str, file: OutgoingMedia) -> anyhow::Result<SendReceipt> {
    let (bar, progress) = transfer_bar(&format!("uploading {}", file.kind.name()));
    let sent = client.send_media(jid, file, Some(progress)).await;
    bar.finish_and_clear();
    sent.map_err(client_error)
}
