//! MIME types for files we send, from their kind and name.

use waweb_proto::message::MediaKind;

/// The MIME type of a file of `kind` named `name`: by extension, else a default per kind
/// (`image/jpeg`, `video/mp4`, `audio/ogg; codecs=opus` for voice notes and `audio/mpeg` for
/// other audio, `application/octet-stream`).
pub fn guess_mimetype(kind: MediaKind, name: Option<&str>) -> &'static str {
    let ext = name
        .and_then(|n| n.rsplit_once('.'))
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    let by_ext = match ext.as_str() {
        "jpg" | "jpeg" => Some("image/jpeg"),
        "png" => Some("image/png"),
        "gif" => Some("image/gif"),
        "webp" => Some("image/webp"),
        "mp4" | "m4v" => Some("video/mp4"),
        "3gp" => Some("video/3gpp"),
        "ogg" | "opus" | "oga" => Some("audio/ogg; codecs=opus"),
        "mp3" => Some("audio/mpeg"),
        "m4a" | "aac" => Some("audio/mp4"),
        "wav" => Some("audio/wav"),
        "pdf" => Some("application/pdf"),
        "txt" => Some("text/plain"),
        "zip" => Some("application/zip"),
        "json" => Some("application/json"),
        _ => None,
    };
    by_ext.unwrap_or(match kind {
        MediaKind::Image | MediaKind::Sticker => "image/jpeg",
        MediaKind::Video => "video/mp4",
        MediaKind::Voice => "audio/ogg; codecs=opus",
        MediaKind::Audio => "audio/mpeg",
        MediaKind::Document => "application/octet-stream",
    })
}

#[cfg(test)]
mod tests {
    use super::guess_mimetype;
    use waweb_proto::message::MediaKind;

    #[test]
    fn by_extension_then_by_kind() {
        assert_eq!(guess_mimetype(MediaKind::Document, Some("Report.PDF")), "application/pdf");
        assert_eq!(guess_mimetype(MediaKind::Voice, Some("note.opus")), "audio/ogg; codecs=opus");
        assert_eq!(guess_mimetype(MediaKind::Document, Some("noext")), "application/octet-stream");
        assert_eq!(guess_mimetype(MediaKind::Video, None), "video/mp4");
        assert_eq!(guess_mimetype(MediaKind::Audio, Some("a.")), "audio/mpeg");
    }
}
