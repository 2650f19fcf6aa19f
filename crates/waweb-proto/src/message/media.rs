//! Media messages: image, video, audio, document and sticker.
//!
//! `url`, `media_key`, `file_enc_sha256`, `file_sha256` and `file_length` describe the encrypted
//! blob on the media server (AES-CBC with keys expanded from `media_key`); `jpeg_thumbnail` is an
//! inline, unencrypted preview. `media_key` is redacted from `Debug` output.

use super::content::ContextInfo;

/// A picture (field 3 of `Message`).
#[derive(Clone, PartialEq, ::prost::Message)]
#[prost(skip_debug)]
pub struct ImageMessage {
    /// Download URL of the encrypted blob.
    #[prost(string, optional, tag = "1")]
    pub url: Option<String>,
    /// MIME type, e.g. `image/jpeg`.
    #[prost(string, optional, tag = "2")]
    pub mimetype: Option<String>,
    /// Caption text.
    #[prost(string, optional, tag = "3")]
    pub caption: Option<String>,
    /// SHA-256 of the plaintext file.
    #[prost(bytes = "vec", optional, tag = "4")]
    pub file_sha256: Option<Vec<u8>>,
    /// Plaintext size, bytes.
    #[prost(uint64, optional, tag = "5")]
    pub file_length: Option<u64>,
    /// Height, pixels.
    #[prost(uint32, optional, tag = "6")]
    pub height: Option<u32>,
    /// Width, pixels.
    #[prost(uint32, optional, tag = "7")]
    pub width: Option<u32>,
    /// 32-byte media key.
    #[prost(bytes = "vec", optional, tag = "8")]
    pub media_key: Option<Vec<u8>>,
    /// SHA-256 of the encrypted blob (ciphertext ‖ MAC).
    #[prost(bytes = "vec", optional, tag = "9")]
    pub file_enc_sha256: Option<Vec<u8>>,
    /// Tappable regions (e.g. a location in the picture).
    #[prost(message, repeated, tag = "10")]
    pub interactive_annotations: Vec<InteractiveAnnotation>,
    /// Path of the blob on the media server.
    #[prost(string, optional, tag = "11")]
    pub direct_path: Option<String>,
    /// When the media key was made, Unix seconds.
    #[prost(int64, optional, tag = "12")]
    pub media_key_timestamp: Option<i64>,
    /// Inline JPEG preview.
    #[prost(bytes = "vec", optional, tag = "16")]
    pub jpeg_thumbnail: Option<Vec<u8>>,
    /// Quote, mentions, forwarding.
    #[prost(message, optional, tag = "17")]
    pub context_info: Option<ContextInfo>,
    /// Progressive JPEG: sidecar of the first scan.
    #[prost(bytes = "vec", optional, tag = "18")]
    pub first_scan_sidecar: Option<Vec<u8>>,
    /// Progressive JPEG: length of the first scan.
    #[prost(uint32, optional, tag = "19")]
    pub first_scan_length: Option<u32>,
    /// Experiment group.
    #[prost(uint32, optional, tag = "20")]
    pub experiment_group_id: Option<u32>,
    /// Progressive JPEG: sidecar of all scans.
    #[prost(bytes = "vec", optional, tag = "21")]
    pub scans_sidecar: Option<Vec<u8>>,
    /// Progressive JPEG: length of each scan.
    #[prost(uint32, repeated, packed = "false", tag = "22")]
    pub scan_lengths: Vec<u32>,
    /// Mid-quality rendition: SHA-256 of the plaintext.
    #[prost(bytes = "vec", optional, tag = "23")]
    pub mid_quality_file_sha256: Option<Vec<u8>>,
    /// Mid-quality rendition: SHA-256 of the encrypted blob.
    #[prost(bytes = "vec", optional, tag = "24")]
    pub mid_quality_file_enc_sha256: Option<Vec<u8>>,
    /// "View once".
    #[prost(bool, optional, tag = "25")]
    pub view_once: Option<bool>,
    /// High-quality thumbnail: path on the media server.
    #[prost(string, optional, tag = "26")]
    pub thumbnail_direct_path: Option<String>,
    /// High-quality thumbnail: SHA-256 of the plaintext.
    #[prost(bytes = "vec", optional, tag = "27")]
    pub thumbnail_sha256: Option<Vec<u8>>,
    /// High-quality thumbnail: SHA-256 of the encrypted blob.
    #[prost(bytes = "vec", optional, tag = "28")]
    pub thumbnail_enc_sha256: Option<Vec<u8>>,
}

super::debug_redacting!(ImageMessage {
    url, mimetype, caption, file_sha256, file_length, height, width, file_enc_sha256,
    interactive_annotations, direct_path, media_key_timestamp, jpeg_thumbnail, context_info,
    first_scan_sidecar, first_scan_length, experiment_group_id, scans_sidecar, scan_lengths,
    mid_quality_file_sha256, mid_quality_file_enc_sha256, view_once, thumbnail_direct_path,
    thumbnail_sha256, thumbnail_enc_sha256
} redact { media_key });

/// A video or GIF (field 9 of `Message`).
#[derive(Clone, PartialEq, ::prost::Message)]
#[prost(skip_debug)]
pub struct VideoMessage {
    /// Download URL of the encrypted blob.
    #[prost(string, optional, tag = "1")]
    pub url: Option<String>,
    /// MIME type, e.g. `video/mp4`.
    #[prost(string, optional, tag = "2")]
    pub mimetype: Option<String>,
    /// SHA-256 of the plaintext file.
    #[prost(bytes = "vec", optional, tag = "3")]
    pub file_sha256: Option<Vec<u8>>,
    /// Plaintext size, bytes.
    #[prost(uint64, optional, tag = "4")]
    pub file_length: Option<u64>,
    /// Duration, seconds.
    #[prost(uint32, optional, tag = "5")]
    pub seconds: Option<u32>,
    /// 32-byte media key.
    #[prost(bytes = "vec", optional, tag = "6")]
    pub media_key: Option<Vec<u8>>,
    /// Caption text.
    #[prost(string, optional, tag = "7")]
    pub caption: Option<String>,
    /// Play as a looping GIF.
    #[prost(bool, optional, tag = "8")]
    pub gif_playback: Option<bool>,
    /// Height, pixels.
    #[prost(uint32, optional, tag = "9")]
    pub height: Option<u32>,
    /// Width, pixels.
    #[prost(uint32, optional, tag = "10")]
    pub width: Option<u32>,
    /// SHA-256 of the encrypted blob (ciphertext ‖ MAC).
    #[prost(bytes = "vec", optional, tag = "11")]
    pub file_enc_sha256: Option<Vec<u8>>,
    /// Tappable regions.
    #[prost(message, repeated, tag = "12")]
    pub interactive_annotations: Vec<InteractiveAnnotation>,
    /// Path of the blob on the media server.
    #[prost(string, optional, tag = "13")]
    pub direct_path: Option<String>,
    /// When the media key was made, Unix seconds.
    #[prost(int64, optional, tag = "14")]
    pub media_key_timestamp: Option<i64>,
    /// Inline JPEG preview.
    #[prost(bytes = "vec", optional, tag = "16")]
    pub jpeg_thumbnail: Option<Vec<u8>>,
    /// Quote, mentions, forwarding.
    #[prost(message, optional, tag = "17")]
    pub context_info: Option<ContextInfo>,
    /// MACs of each 64 KiB chunk, for streaming playback.
    #[prost(bytes = "vec", optional, tag = "18")]
    pub streaming_sidecar: Option<Vec<u8>>,
    /// GIF source ([`VideoMessageAttribution`]).
    #[prost(enumeration = "VideoMessageAttribution", optional, tag = "19")]
    pub gif_attribution: Option<i32>,
    /// "View once".
    #[prost(bool, optional, tag = "20")]
    pub view_once: Option<bool>,
    /// High-quality thumbnail: path on the media server.
    #[prost(string, optional, tag = "21")]
    pub thumbnail_direct_path: Option<String>,
    /// High-quality thumbnail: SHA-256 of the plaintext.
    #[prost(bytes = "vec", optional, tag = "22")]
    pub thumbnail_sha256: Option<Vec<u8>>,
    /// High-quality thumbnail: SHA-256 of the encrypted blob.
    #[prost(bytes = "vec", optional, tag = "23")]
    pub thumbnail_enc_sha256: Option<Vec<u8>>,
}

super::debug_redacting!(VideoMessage {
    url, mimetype, file_sha256, file_length, seconds, caption, gif_playback, height, width,
    file_enc_sha256, interactive_annotations, direct_path, media_key_timestamp, jpeg_thumbnail,
    context_info, streaming_sidecar, gif_attribution, view_once, thumbnail_direct_path,
    thumbnail_sha256, thumbnail_enc_sha256
} redact { media_key });

/// Where a GIF came from (field 19 of `VideoMessage`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, ::prost::Enumeration)]
#[repr(i32)]
pub enum VideoMessageAttribution {
    /// Not attributed.
    None = 0,
    /// GIPHY.
    Giphy = 1,
    /// Tenor.
    Tenor = 2,
}

/// Audio or a voice note (field 8 of `Message`).
#[derive(Clone, PartialEq, ::prost::Message)]
#[prost(skip_debug)]
pub struct AudioMessage {
    /// Download URL of the encrypted blob.
    #[prost(string, optional, tag = "1")]
    pub url: Option<String>,
    /// MIME type, e.g. `audio/ogg; codecs=opus`.
    #[prost(string, optional, tag = "2")]
    pub mimetype: Option<String>,
    /// SHA-256 of the plaintext file.
    #[prost(bytes = "vec", optional, tag = "3")]
    pub file_sha256: Option<Vec<u8>>,
    /// Plaintext size, bytes.
    #[prost(uint64, optional, tag = "4")]
    pub file_length: Option<u64>,
    /// Duration, seconds.
    #[prost(uint32, optional, tag = "5")]
    pub seconds: Option<u32>,
    /// Push-to-talk voice note.
    #[prost(bool, optional, tag = "6")]
    pub ptt: Option<bool>,
    /// 32-byte media key.
    #[prost(bytes = "vec", optional, tag = "7")]
    pub media_key: Option<Vec<u8>>,
    /// SHA-256 of the encrypted blob (ciphertext ‖ MAC).
    #[prost(bytes = "vec", optional, tag = "8")]
    pub file_enc_sha256: Option<Vec<u8>>,
    /// Path of the blob on the media server.
    #[prost(string, optional, tag = "9")]
    pub direct_path: Option<String>,
    /// When the media key was made, Unix seconds.
    #[prost(int64, optional, tag = "10")]
    pub media_key_timestamp: Option<i64>,
    /// Quote, mentions, forwarding.
    #[prost(message, optional, tag = "17")]
    pub context_info: Option<ContextInfo>,
    /// MACs of each 64 KiB chunk, for streaming playback.
    #[prost(bytes = "vec", optional, tag = "18")]
    pub streaming_sidecar: Option<Vec<u8>>,
}

super::debug_redacting!(AudioMessage {
    url, mimetype, file_sha256, file_length, seconds, ptt, file_enc_sha256, direct_path,
    media_key_timestamp, context_info, streaming_sidecar
} redact { media_key });

/// A file (field 7 of `Message`).
#[derive(Clone, PartialEq, ::prost::Message)]
#[prost(skip_debug)]
pub struct DocumentMessage {
    /// Download URL of the encrypted blob.
    #[prost(string, optional, tag = "1")]
    pub url: Option<String>,
    /// MIME type.
    #[prost(string, optional, tag = "2")]
    pub mimetype: Option<String>,
    /// Title shown in the chat.
    #[prost(string, optional, tag = "3")]
    pub title: Option<String>,
    /// SHA-256 of the plaintext file.
    #[prost(bytes = "vec", optional, tag = "4")]
    pub file_sha256: Option<Vec<u8>>,
    /// Plaintext size, bytes.
    #[prost(uint64, optional, tag = "5")]
    pub file_length: Option<u64>,
    /// Number of pages (PDF).
    #[prost(uint32, optional, tag = "6")]
    pub page_count: Option<u32>,
    /// 32-byte media key.
    #[prost(bytes = "vec", optional, tag = "7")]
    pub media_key: Option<Vec<u8>>,
    /// Original file name.
    #[prost(string, optional, tag = "8")]
    pub file_name: Option<String>,
    /// SHA-256 of the encrypted blob (ciphertext ‖ MAC).
    #[prost(bytes = "vec", optional, tag = "9")]
    pub file_enc_sha256: Option<Vec<u8>>,
    /// Path of the blob on the media server.
    #[prost(string, optional, tag = "10")]
    pub direct_path: Option<String>,
    /// When the media key was made, Unix seconds.
    #[prost(int64, optional, tag = "11")]
    pub media_key_timestamp: Option<i64>,
    /// The file is a vCard.
    #[prost(bool, optional, tag = "12")]
    pub contact_vcard: Option<bool>,
    /// High-quality thumbnail: path on the media server.
    #[prost(string, optional, tag = "13")]
    pub thumbnail_direct_path: Option<String>,
    /// High-quality thumbnail: SHA-256 of the plaintext.
    #[prost(bytes = "vec", optional, tag = "14")]
    pub thumbnail_sha256: Option<Vec<u8>>,
    /// High-quality thumbnail: SHA-256 of the encrypted blob.
    #[prost(bytes = "vec", optional, tag = "15")]
    pub thumbnail_enc_sha256: Option<Vec<u8>>,
    /// Inline JPEG preview.
    #[prost(bytes = "vec", optional, tag = "16")]
    pub jpeg_thumbnail: Option<Vec<u8>>,
    /// Quote, mentions, forwarding.
    #[prost(message, optional, tag = "17")]
    pub context_info: Option<ContextInfo>,
    /// Thumbnail height, pixels.
    #[prost(uint32, optional, tag = "18")]
    pub thumbnail_height: Option<u32>,
    /// Thumbnail width, pixels.
    #[prost(uint32, optional, tag = "19")]
    pub thumbnail_width: Option<u32>,
}

super::debug_redacting!(DocumentMessage {
    url, mimetype, title, file_sha256, file_length, page_count, file_name, file_enc_sha256,
    direct_path, media_key_timestamp, contact_vcard, thumbnail_direct_path, thumbnail_sha256,
    thumbnail_enc_sha256, jpeg_thumbnail, context_info, thumbnail_height, thumbnail_width
} redact { media_key });

/// A sticker, WebP (field 26 of `Message`).
#[derive(Clone, PartialEq, ::prost::Message)]
#[prost(skip_debug)]
pub struct StickerMessage {
    /// Download URL of the encrypted blob.
    #[prost(string, optional, tag = "1")]
    pub url: Option<String>,
    /// SHA-256 of the plaintext file.
    #[prost(bytes = "vec", optional, tag = "2")]
    pub file_sha256: Option<Vec<u8>>,
    /// SHA-256 of the encrypted blob (ciphertext ‖ MAC).
    #[prost(bytes = "vec", optional, tag = "3")]
    pub file_enc_sha256: Option<Vec<u8>>,
    /// 32-byte media key.
    #[prost(bytes = "vec", optional, tag = "4")]
    pub media_key: Option<Vec<u8>>,
    /// MIME type, `image/webp`.
    #[prost(string, optional, tag = "5")]
    pub mimetype: Option<String>,
    /// Height, pixels.
    #[prost(uint32, optional, tag = "6")]
    pub height: Option<u32>,
    /// Width, pixels.
    #[prost(uint32, optional, tag = "7")]
    pub width: Option<u32>,
    /// Path of the blob on the media server.
    #[prost(string, optional, tag = "8")]
    pub direct_path: Option<String>,
    /// Plaintext size, bytes.
    #[prost(uint64, optional, tag = "9")]
    pub file_length: Option<u64>,
    /// When the media key was made, Unix seconds.
    #[prost(int64, optional, tag = "10")]
    pub media_key_timestamp: Option<i64>,
    /// Animated sticker: length of the first frame.
    #[prost(uint32, optional, tag = "11")]
    pub first_frame_length: Option<u32>,
    /// Animated sticker: sidecar of the first frame.
    #[prost(bytes = "vec", optional, tag = "12")]
    pub first_frame_sidecar: Option<Vec<u8>>,
    /// Animated sticker.
    #[prost(bool, optional, tag = "13")]
    pub is_animated: Option<bool>,
    /// Inline PNG preview.
    #[prost(bytes = "vec", optional, tag = "16")]
    pub png_thumbnail: Option<Vec<u8>>,
    /// Quote, mentions, forwarding.
    #[prost(message, optional, tag = "17")]
    pub context_info: Option<ContextInfo>,
}

super::debug_redacting!(StickerMessage {
    url, file_sha256, file_enc_sha256, mimetype, height, width, direct_path, file_length,
    media_key_timestamp, first_frame_length, first_frame_sidecar, is_animated, png_thumbnail,
    context_info
} redact { media_key });

/// A tappable region of an image or video.
#[derive(Clone, PartialEq, ::prost::Message)]
pub struct InteractiveAnnotation {
    /// Outline of the region.
    #[prost(message, repeated, tag = "1")]
    pub polygon_vertices: Vec<Point>,
    /// The place the region links to.
    #[prost(message, optional, tag = "2")]
    pub location: Option<Location>,
}

/// A vertex of an [`InteractiveAnnotation`].
#[derive(Clone, PartialEq, ::prost::Message)]
pub struct Point {
    /// Old integer x.
    #[prost(int32, optional, tag = "1")]
    pub x_deprecated: Option<i32>,
    /// Old integer y.
    #[prost(int32, optional, tag = "2")]
    pub y_deprecated: Option<i32>,
    /// x, relative.
    #[prost(double, optional, tag = "3")]
    pub x: Option<f64>,
    /// y, relative.
    #[prost(double, optional, tag = "4")]
    pub y: Option<f64>,
}

/// A place referenced by an [`InteractiveAnnotation`].
#[derive(Clone, PartialEq, ::prost::Message)]
pub struct Location {
    /// Latitude, degrees.
    #[prost(double, optional, tag = "1")]
    pub degrees_latitude: Option<f64>,
    /// Longitude, degrees.
    #[prost(double, optional, tag = "2")]
    pub degrees_longitude: Option<f64>,
    /// Name of the place.
    #[prost(string, optional, tag = "3")]
    pub name: Option<String>,
}
