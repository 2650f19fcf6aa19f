//! The parts of media request paths: the media type of `/mms/<type>/…` and the blob hash in
//! base64url, with or without `=` padding (Baileys strips it, go-whatsapp keeps it). Anything
//! else (`..`, `/`, other bytes, a wrong length) is refused. `encr_upload` names the hash in
//! standard base64, which [`blob_key_any`] reads too.

use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64URL;
use base64::Engine;
use waweb_proto::crypto::media::MediaType;

use super::blob::BlobKey;

/// The media type of an upload path segment.
pub fn media_type(segment: &str) -> Option<MediaType> {
    match segment {
        "image" => Some(MediaType::Image),
        "video" => Some(MediaType::Video),
        "audio" => Some(MediaType::Audio),
        "document" => Some(MediaType::Document),
        _ => None,
    }
}

/// A SHA-256 in base64url: exactly 43 characters of the URL-safe alphabet, optionally followed
/// by one `=`.
pub fn blob_key(text: &str) -> Option<BlobKey> {
    let text = text.strip_suffix('=').unwrap_or(text);
    if text.len() != 43 {
        return None;
    }
    let raw = B64URL.decode(text).ok()?;
    Some(BlobKey(raw.try_into().ok()?))
}

/// A SHA-256 in standard base64 (as `encr_upload` sends it, `+`, `/` and `=` padding) or in
/// base64url (see [`blob_key`]).
pub fn blob_key_any(text: &str) -> Option<BlobKey> {
    blob_key(&text.replace('+', "-").replace('/', "_"))
}

#[cfg(test)]
mod tests {
    use super::{blob_key, blob_key_any, media_type};

    /// `fileEncSha256` of vector B6 (docs/PROTOCOL.md §10.3).
    const B6: &str = "3odK1nwSJxKGqeKvrovg0ahbkcJDjFZ5qkYJuG0pLNM";

    #[test]
    fn hashes_with_and_without_padding() {
        let key = blob_key(B6).unwrap();
        assert_eq!(key.hex(), "de874ad67c12271286a9e2afae8be0d1a85b91c2438c5679aa4609b86d292cd3");
        assert_eq!(blob_key(&format!("{B6}=")), Some(key));
    }

    #[test]
    fn anything_else_is_refused() {
        let standard = format!("+{}", &B6[1..]);
        for bad in ["", "..", "../../etc/passwd", &B6[..42], &format!("{B6}=="), &format!("{B6}A")]
        {
            assert_eq!(blob_key(bad), None, "{bad}");
        }
        assert_eq!(blob_key(&standard), None);
        assert_eq!(blob_key_any(&standard), blob_key(&format!("-{}", &B6[1..])));
        assert_eq!(blob_key_any(&B6.replace('3', "%")), None);
        assert_eq!(blob_key(&B6.replace('3', "%")), None);
        assert_eq!(media_type("sticker"), None);
        assert_eq!(media_type("Image"), None);
    }
}
