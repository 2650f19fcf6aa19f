//! MIME types for files we send, from their kind and name.

use waweb_proto::message::MediaKind;

/// File extensions and their MIME types; the first extension of a type is the one a
/// downloaded file of that type is named with.
const TYPES: [(&str, &str); 19] = [
    ("jpg", "image/jpeg"),
    ("jpeg", "image/jpeg"),
    ("png", "image/png"),
    ("gif", "image/gif"),
    ("webp", "image/webp"),
    ("mp4", "video/mp4"),
    ("m4v", "video/mp4"),
    ("3gp", "video/3gpp"),
    ("ogg", "audio/ogg; codecs=opus"),
    ("opus", "audio/ogg; codecs=opus"),
    ("oga", "audio/ogg; codecs=opus"),
    ("mp3", "audio/mpeg"),
    ("m4a", "audio/mp4"),
    ("aac", "audio/mp4"),
    ("wav", "audio/wav"),
    ("pdf", "application/pdf"),
    ("txt", "text/plain"),
    ("zip", "application/zip"),
    ("json", "application/json"),
];

/// The MIME type of a file of `kind` named `name`: by extension, else a default per kind
/// (`image/jpeg`, `video/mp4`, `audio/ogg; codecs=opus` for voice notes and `audio/mpeg` for
/// other audio, `application/octet-stream`).
pub fn guess_mimetype(kind: MediaKind, name: Option<&str>) -> &'static str {
    let ext = name
        .and_then(|n| n.rsplit_once('.'))
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    let by_ext = TYPES.iter().find(|(e, _)| *e == ext).map(|(_, mime)| *mime);
    by_ext.unwrap_or(match kind {
        MediaKind::Image | MediaKind::Sticker => "image/jpeg",
        MediaKind::Video => "video/mp4",
        MediaKind::Voice => "audio/ogg; codecs=opus",
        MediaKind::Audio => "audio/mpeg",
        MediaKind::Document => "application/octet-stream",
    })
}

/// The extension to name a file of this MIME type with (parameters such as `codecs=` are
/// ignored), `bin` for an unknown type.
pub fn extension_for(mimetype: Option<&str>) -> &'static str {
    let base = |m: &str| m.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    let wanted = base(mimetype.unwrap_or_default());
    TYPES.iter().find(|(_, mime)| base(mime) == wanted).map_or("bin", |(ext, _)| *ext)
}

#[cfg(test)]
mod tests {
    use super::{extension_for, guess_mimetype};
    use waweb_proto::message::MediaKind;

    #[test]
    fn by_extension_then_by_kind() {
        assert_eq!(guess_mimetype(MediaKind::Document, Some("Report.PDF")), "application/pdf");
        assert_eq!(guess_mimetype(MediaKind::Voice, Some("note.opus")), "audio/ogg; codecs=opus");
        assert_eq!(guess_mimetype(MediaKind::Document, Some("noext")), "application/octet-stream");
        assert_eq!(guess_mimetype(MediaKind::Video, None), "video/mp4");
        assert_eq!(guess_mimetype(MediaKind::Audio, Some("a.")), "audio/mpeg");
    }

    #[test]
    fn each_type_has_its_first_extension() {
        assert_eq!(extension_for(Some("image/jpeg")), "jpg");
        assert_eq!(extension_for(Some("audio/ogg; codecs=opus")), "ogg");
        assert_eq!(extension_for(Some("audio/mp4")), "m4a");
        assert_eq!(extension_for(Some("application/x-unknown")), "bin");
        assert_eq!(extension_for(None), "bin");
    }
}
