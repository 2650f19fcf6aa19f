//! `ExtendedTextMessage`: text with a link preview, a quote or mentions. Baileys 3.5.3 sends every
//! text this way, even without any of those.

use super::content::ContextInfo;

/// Rich text (field 6 of `Message`).
#[derive(Clone, PartialEq, ::prost::Message)]
#[prost(skip_debug)]
pub struct ExtendedTextMessage {
    /// The text.
    #[prost(string, optional, tag = "1")]
    pub text: Option<String>,
    /// The part of the text the link preview is for.
    #[prost(string, optional, tag = "2")]
    pub matched_text: Option<String>,
    /// Link preview: canonical URL.
    #[prost(string, optional, tag = "4")]
    pub canonical_url: Option<String>,
    /// Link preview: description.
    #[prost(string, optional, tag = "5")]
    pub description: Option<String>,
    /// Link preview: title.
    #[prost(string, optional, tag = "6")]
    pub title: Option<String>,
    /// Status text colour, ARGB.
    #[prost(fixed32, optional, tag = "7")]
    pub text_argb: Option<u32>,
    /// Status background colour, ARGB.
    #[prost(fixed32, optional, tag = "8")]
    pub background_argb: Option<u32>,
    /// Status font ([`ExtendedTextMessageFontType`]).
    #[prost(enumeration = "ExtendedTextMessageFontType", optional, tag = "9")]
    pub font: Option<i32>,
    /// Preview kind ([`ExtendedTextMessagePreviewType`]).
    #[prost(enumeration = "ExtendedTextMessagePreviewType", optional, tag = "10")]
    pub preview_type: Option<i32>,
    /// Link preview: inline JPEG.
    #[prost(bytes = "vec", optional, tag = "16")]
    pub jpeg_thumbnail: Option<Vec<u8>>,
    /// Quote, mentions, forwarding.
    #[prost(message, optional, tag = "17")]
    pub context_info: Option<ContextInfo>,
    /// Do not play the linked video inline.
    #[prost(bool, optional, tag = "18")]
    pub do_not_play_inline: Option<bool>,
    /// High-quality thumbnail: path on the media server.
    #[prost(string, optional, tag = "19")]
    pub thumbnail_direct_path: Option<String>,
    /// High-quality thumbnail: SHA-256 of the plaintext.
    #[prost(bytes = "vec", optional, tag = "20")]
    pub thumbnail_sha256: Option<Vec<u8>>,
    /// High-quality thumbnail: SHA-256 of the encrypted blob.
    #[prost(bytes = "vec", optional, tag = "21")]
    pub thumbnail_enc_sha256: Option<Vec<u8>>,
    /// High-quality thumbnail: media key (redacted in `Debug`).
    #[prost(bytes = "vec", optional, tag = "22")]
    pub media_key: Option<Vec<u8>>,
    /// When the media key was made, Unix seconds.
    #[prost(int64, optional, tag = "23")]
    pub media_key_timestamp: Option<i64>,
    /// Thumbnail height, pixels.
    #[prost(uint32, optional, tag = "24")]
    pub thumbnail_height: Option<u32>,
    /// Thumbnail width, pixels.
    #[prost(uint32, optional, tag = "25")]
    pub thumbnail_width: Option<u32>,
}

super::debug_redacting!(ExtendedTextMessage {
    text, matched_text, canonical_url, description, title, text_argb, background_argb, font,
    preview_type, jpeg_thumbnail, context_info, do_not_play_inline, thumbnail_direct_path,
    thumbnail_sha256, thumbnail_enc_sha256, media_key_timestamp, thumbnail_height, thumbnail_width
} redact { media_key });

/// Font of a text status (field 9).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, ::prost::Enumeration)]
#[repr(i32)]
pub enum ExtendedTextMessageFontType {
    /// Sans serif.
    SansSerif = 0,
    /// Serif.
    Serif = 1,
    /// Norican regular.
    NoricanRegular = 2,
    /// Bryndan write.
    BryndanWrite = 3,
    /// Bebas Neue regular.
    BebasneueRegular = 4,
    /// Oswald heavy.
    OswaldHeavy = 5,
}

/// Kind of link preview (field 10).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, ::prost::Enumeration)]
#[repr(i32)]
pub enum ExtendedTextMessagePreviewType {
    /// A plain preview.
    None = 0,
    /// A video preview.
    Video = 1,
}
