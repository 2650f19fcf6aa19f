//! The attachment of a media message, whatever its kind: reading what a receiver needs to
//! download and open it ([`Attachment::of`]), and building the message a sender relays after the
//! upload ([`media_message`]).

use std::fmt;

use super::{envelope, Message, WebMessageInfo};
use super::{AudioMessage, DocumentMessage, ImageMessage, VideoMessage};
use crate::crypto::media::MediaType;

/// What kind of media a message carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MediaKind {
    /// A picture.
    Image,
    /// A video.
    Video,
    /// An audio file.
    Audio,
    /// A push-to-talk voice note.
    Voice,
    /// A file.
    Document,
    /// A sticker (downloaded like an image; never sent by waweb).
    Sticker,
}

impl MediaKind {
    /// The key family of its encryption.
    pub fn media_type(self) -> MediaType {
        match self {
            MediaKind::Image | MediaKind::Sticker => MediaType::Image,
            MediaKind::Video => MediaType::Video,
            MediaKind::Audio | MediaKind::Voice => MediaType::Audio,
            MediaKind::Document => MediaType::Document,
        }
    }

    /// The `<type>` of its upload path, `/mms/<type>/…`.
    pub fn upload_path(self) -> &'static str {
        match self.media_type() {
            MediaType::Image => "image",
            MediaType::Video => "video",
            MediaType::Audio => "audio",
            MediaType::Document => "document",
        }
    }

    /// A word for people: `image`, `video`, `audio`, `voice`, `document`, `sticker`.
    pub fn name(self) -> &'static str {
        match self {
            MediaKind::Image => "image",
            MediaKind::Video => "video",
            MediaKind::Audio => "audio",
            MediaKind::Voice => "voice",
            MediaKind::Document => "document",
            MediaKind::Sticker => "sticker",
        }
    }
}

/// A media message's attachment: where the blob is, how to open it, and how to show it.
/// `media_key` is redacted from `Debug` output.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Attachment {
    /// The kind (`None` only in [`Default`]).
    pub kind: Option<MediaKind>,
    /// Download URL of the blob.
    pub url: Option<String>,
    /// Path of the blob on the media host.
    pub direct_path: Option<String>,
    /// The 32-byte key the blob is encrypted under.
    pub media_key: Vec<u8>,
    /// SHA-256 of the file.
    pub file_sha256: Option<Vec<u8>>,
    /// SHA-256 of the blob.
    pub file_enc_sha256: Option<Vec<u8>>,
    /// Size of the file, bytes.
    pub file_length: Option<u64>,
    /// MIME type.
    pub mimetype: Option<String>,
    /// Caption (images, videos).
    pub caption: Option<String>,
    /// File name (documents).
    pub file_name: Option<String>,
    /// Pixels (images, videos): width and height.
    pub dimensions: Option<(u32, u32)>,
    /// Duration, seconds (audio, video).
    pub seconds: Option<u32>,
    /// Inline JPEG preview.
    pub jpeg_thumbnail: Option<Vec<u8>>,
}

impl fmt::Debug for Attachment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Attachment")
            .field("kind", &self.kind)
            .field("url", &self.url)
            .field("direct_path", &self.direct_path)
            .field("media_key", &format_args!("<redacted {} bytes>", self.media_key.len()))
            .field("file_sha256", &self.file_sha256.as_deref().map(hex::encode))
            .field("file_enc_sha256", &self.file_enc_sha256.as_deref().map(hex::encode))
            .field("file_length", &self.file_length)
            .field("mimetype", &self.mimetype)
            .field("caption", &self.caption)
            .field("file_name", &self.file_name)
            .field("dimensions", &self.dimensions)
            .field("seconds", &self.seconds)
            .finish_non_exhaustive()
    }
}

impl Attachment {
    /// The attachment of a message, if it is a media message (image, video, audio or voice
    /// note, document, sticker).
    pub fn of(info: &WebMessageInfo) -> Option<Attachment> {
        info.message.as_ref().and_then(Attachment::of_content)
    }

    /// The same, from the message content.
    pub fn of_content(m: &Message) -> Option<Attachment> {
        let key = |k: &Option<Vec<u8>>| k.clone().unwrap_or_default();
        let dims = |w: Option<u32>, h: Option<u32>| w.zip(h);
        if let Some(i) = &m.image_message {
            return Some(Attachment {
                kind: Some(MediaKind::Image),
                url: i.url.clone(),
                direct_path: i.direct_path.clone(),
                media_key: key(&i.media_key),
                file_sha256: i.file_sha256.clone(),
                file_enc_sha256: i.file_enc_sha256.clone(),
                file_length: i.file_length,
                mimetype: i.mimetype.clone(),
                caption: i.caption.clone(),
                dimensions: dims(i.width, i.height),
                jpeg_thumbnail: i.jpeg_thumbnail.clone(),
                ..Attachment::default()
            });
        }
        if let Some(v) = &m.video_message {
            return Some(Attachment {
                kind: Some(MediaKind::Video),
                url: v.url.clone(),
                direct_path: v.direct_path.clone(),
                media_key: key(&v.media_key),
                file_sha256: v.file_sha256.clone(),
                file_enc_sha256: v.file_enc_sha256.clone(),
                file_length: v.file_length,
                mimetype: v.mimetype.clone(),
                caption: v.caption.clone(),
                dimensions: dims(v.width, v.height),
                seconds: v.seconds,
                jpeg_thumbnail: v.jpeg_thumbnail.clone(),
                ..Attachment::default()
            });
        }
        if let Some(a) = &m.audio_message {
            let kind = if a.ptt == Some(true) { MediaKind::Voice } else { MediaKind::Audio };
            return Some(Attachment {
                kind: Some(kind),
                url: a.url.clone(),
                direct_path: a.direct_path.clone(),
                media_key: key(&a.media_key),
                file_sha256: a.file_sha256.clone(),
                file_enc_sha256: a.file_enc_sha256.clone(),
                file_length: a.file_length,
                mimetype: a.mimetype.clone(),
                seconds: a.seconds,
                ..Attachment::default()
            });
        }
        if let Some(d) = &m.document_message {
            return Some(Attachment {
                kind: Some(MediaKind::Document),
                url: d.url.clone(),
                direct_path: d.direct_path.clone(),
                media_key: key(&d.media_key),
                file_sha256: d.file_sha256.clone(),
                file_enc_sha256: d.file_enc_sha256.clone(),
                file_length: d.file_length,
                mimetype: d.mimetype.clone(),
                file_name: d.file_name.clone().or_else(|| d.title.clone()),
                jpeg_thumbnail: d.jpeg_thumbnail.clone(),
                ..Attachment::default()
            });
        }
        m.sticker_message.as_ref().map(|s| Attachment {
            kind: Some(MediaKind::Sticker),
            url: s.url.clone(),
            direct_path: s.direct_path.clone(),
            media_key: key(&s.media_key),
            file_sha256: s.file_sha256.clone(),
            file_enc_sha256: s.file_enc_sha256.clone(),
            file_length: s.file_length,
            mimetype: s.mimetype.clone(),
            dimensions: dims(s.width, s.height),
            ..Attachment::default()
        })
    }

    /// The message content carrying this attachment (`kind` must be set; a sticker or an unset
    /// kind gives `None`).
    pub fn to_content(&self) -> Option<Message> {
        let a = self.clone();
        let key = Some(a.media_key);
        let (width, height) = a.dimensions.unzip();
        let mut m = Message::default();
        match a.kind? {
            MediaKind::Image => {
                m.image_message = Some(Box::new(ImageMessage {
                    url: a.url,
                    mimetype: a.mimetype,
                    caption: a.caption,
                    file_sha256: a.file_sha256,
                    file_length: a.file_length,
                    height,
                    width,
                    media_key: key,
                    file_enc_sha256: a.file_enc_sha256,
                    direct_path: a.direct_path,
                    jpeg_thumbnail: a.jpeg_thumbnail,
                    ..Default::default()
                }))
            }
            MediaKind::Video => {
                m.video_message = Some(Box::new(VideoMessage {
                    url: a.url,
                    mimetype: a.mimetype,
                    file_sha256: a.file_sha256,
                    file_length: a.file_length,
                    seconds: a.seconds,
                    media_key: key,
                    caption: a.caption,
                    height,
                    width,
                    file_enc_sha256: a.file_enc_sha256,
                    direct_path: a.direct_path,
                    jpeg_thumbnail: a.jpeg_thumbnail,
                    ..Default::default()
                }))
            }
            kind @ (MediaKind::Audio | MediaKind::Voice) => {
                m.audio_message = Some(Box::new(AudioMessage {
                    url: a.url,
                    mimetype: a.mimetype,
                    file_sha256: a.file_sha256,
                    file_length: a.file_length,
                    seconds: a.seconds,
                    ptt: Some(kind == MediaKind::Voice),
                    media_key: key,
                    file_enc_sha256: a.file_enc_sha256,
                    direct_path: a.direct_path,
                    ..Default::default()
                }))
            }
            MediaKind::Document => {
                m.document_message = Some(Box::new(DocumentMessage {
                    url: a.url,
                    mimetype: a.mimetype,
                    title: a.file_name.clone(),
                    file_sha256: a.file_sha256,
                    file_length: a.file_length,
                    media_key: key,
                    file_name: a.file_name,
                    file_enc_sha256: a.file_enc_sha256,
                    direct_path: a.direct_path,
                    jpeg_thumbnail: a.jpeg_thumbnail,
                    ..Default::default()
                }))
            }
            MediaKind::Sticker => return None,
        }
        Some(m)
    }
}

/// A media message as a sender relays it (status PENDING when `from_me`); `None` for a sticker
/// or an attachment without a kind.
pub fn media_message(
    remote_jid: &str,
    from_me: bool,
    id: &str,
    attachment: &Attachment,
    timestamp: u64,
) -> Option<WebMessageInfo> {
    Some(envelope(remote_jid, from_me, id, attachment.to_content()?, timestamp))
}
