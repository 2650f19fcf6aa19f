//! How the client commands show media: a one-line summary and a JSON object of a media
//! message's attachment, and progress bars for transfers.

use std::sync::Arc;

use indicatif::{ProgressBar, ProgressStyle};
use serde_json::{json, Value};
use waweb_client::{Attachment, Progress};

/// A byte count for people: `512 B`, `12.3 KiB`, `4.0 MiB`.
pub fn size(bytes: u64) -> String {
    const KIB: f64 = 1024.0;
    let b = bytes as f64;
    if bytes < 1024 {
        format!("{bytes} B")
    } else if b < KIB * KIB {
        format!("{:.1} KiB", b / KIB)
    } else if b < KIB * KIB * KIB {
        format!("{:.1} MiB", b / KIB / KIB)
    } else {
        format!("{:.1} GiB", b / KIB / KIB / KIB)
    }
}

/// `[image, 12.3 KiB] caption`, `[document report.pdf, 1.0 MiB]`, `[voice, 3.0 KiB]`.
pub fn summary(a: &Attachment) -> String {
    let kind = a.kind.map_or("media", |k| k.name());
    let name = a.file_name.as_deref().map(|n| format!(" {n}")).unwrap_or_default();
    let length = a.file_length.map(|n| format!(", {}", size(n))).unwrap_or_default();
    let caption = a.caption.as_deref().map(|c| format!(" {c}")).unwrap_or_default();
    format!("[{kind}{name}{length}]{caption}")
}

/// `{"type","size","mimetype","caption","file_name"}`.
pub fn to_json(a: &Attachment) -> Value {
    json!({
        "type": a.kind.map(|k| k.name()),
        "size": a.file_length,
        "mimetype": a.mimetype,
        "caption": a.caption,
        "file_name": a.file_name,
    })
}

/// A byte progress bar on stderr (drawn only on a terminal) and the callback that moves it.
pub fn transfer_bar(label: &str) -> (ProgressBar, Progress) {
    let bar = ProgressBar::new(0);
    if let Ok(style) =
        ProgressStyle::with_template("{msg} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec}")
    {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_message(label.to_owned());
    let moved = bar.clone();
    let progress: Progress = Arc::new(move |done, total| {
        if total > 0 {
            moved.set_length(total);
        }
        moved.set_position(done);
    });
    (bar, progress)
}

#[cfg(test)]
mod tests {
    use super::*;
    use waweb_client::MediaKind;

    #[test]
    fn summaries_say_kind_name_size_and_caption() {
        let image = Attachment {
            kind: Some(MediaKind::Image),
            file_length: Some(12_600),
            caption: Some("the view".into()),
            ..Attachment::default()
        };
        assert_eq!(summary(&image), "[image, 12.3 KiB] the view");
        let doc = Attachment {
            kind: Some(MediaKind::Document),
            file_length: Some(3 << 20),
            file_name: Some("report.pdf".into()),
            ..Attachment::default()
        };
        assert_eq!(summary(&doc), "[document report.pdf, 3.0 MiB]");
        assert_eq!(
            summary(&Attachment { kind: Some(MediaKind::Voice), ..Attachment::default() }),
            "[voice]"
        );
        assert_eq!(size(512), "512 B");
        assert_eq!(
            to_json(&doc),
            json!({"type": "document", "size": 3 << 20, "mimetype": null, "caption": null, "file_name": "report.pdf"})
        );
    }
}
