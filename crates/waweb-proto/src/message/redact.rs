//! `Debug` for the message types that carry secret bytes (`media_key`,
//! `ephemeral_shared_secret`): the build script generates them without one (`skip_debug`), and
//! these print every field but show a secret only as its length.

use std::fmt;

use super::{
    AudioMessage, ContextInfo, DocumentMessage, ExtendedTextMessage, ImageMessage, StickerMessage,
    VideoMessage,
};

/// Stands in for secret bytes in `Debug` output, keeping only their length.
struct Redacted(usize);

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<redacted {} bytes>", self.0)
    }
}

fn redacted(secret: &Option<Vec<u8>>) -> Option<Redacted> {
    secret.as_ref().map(|s| Redacted(s.len()))
}

/// `Debug` listing the plain fields, then the secret ones as `<redacted N bytes>`. The struct is
/// destructured without `..`, so a field added to the schema and not listed here is a compile
/// error rather than a field silently missing from the output.
macro_rules! debug_redacting {
    ($ty:ident { $($field:ident),* $(,)? } redact { $($secret:ident),* $(,)? }) => {
        impl fmt::Debug for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                let $ty { $($field,)* $($secret,)* } = self;
                f.debug_struct(stringify!($ty))
                    $(.field(stringify!($field), $field))*
                    $(.field(stringify!($secret), &redacted($secret)))*
                    .finish()
            }
        }
    };
}

debug_redacting!(ContextInfo {
    stanza_id, participant, quoted_message, remote_jid, mentioned_jid, conversion_source,
    conversion_data, conversion_delay_seconds, forwarding_score, is_forwarded, placeholder_key,
    expiration, ephemeral_setting_timestamp, entry_point_conversion_source,
    entry_point_conversion_app, entry_point_conversion_delay_seconds
} redact { ephemeral_shared_secret });

debug_redacting!(ExtendedTextMessage {
    text, matched_text, canonical_url, description, title, text_argb, background_argb, font,
    preview_type, jpeg_thumbnail, context_info, do_not_play_inline, thumbnail_direct_path,
    thumbnail_sha256, thumbnail_enc_sha256, media_key_timestamp, thumbnail_height, thumbnail_width
} redact { media_key });

debug_redacting!(ImageMessage {
    url, mimetype, caption, file_sha256, file_length, height, width, file_enc_sha256,
    interactive_annotations, direct_path, media_key_timestamp, jpeg_thumbnail, context_info,
    first_scan_sidecar, first_scan_length, experiment_group_id, scans_sidecar, scan_lengths,
    mid_quality_file_sha256, mid_quality_file_enc_sha256, view_once, thumbnail_direct_path,
    thumbnail_sha256, thumbnail_enc_sha256
} redact { media_key });

debug_redacting!(VideoMessage {
    url, mimetype, file_sha256, file_length, seconds, caption, gif_playback, height, width,
    file_enc_sha256, interactive_annotations, direct_path, media_key_timestamp, jpeg_thumbnail,
    context_info, streaming_sidecar, gif_attribution, view_once, thumbnail_direct_path,
    thumbnail_sha256, thumbnail_enc_sha256
} redact { media_key });

debug_redacting!(AudioMessage {
    url, mimetype, file_sha256, file_length, seconds, ptt, file_enc_sha256, direct_path,
    media_key_timestamp, context_info, streaming_sidecar
} redact { media_key });

debug_redacting!(DocumentMessage {
    url, mimetype, title, file_sha256, file_length, page_count, file_name, file_enc_sha256,
    direct_path, media_key_timestamp, contact_vcard, thumbnail_direct_path, thumbnail_sha256,
    thumbnail_enc_sha256, jpeg_thumbnail, context_info, thumbnail_height, thumbnail_width
} redact { media_key });

debug_redacting!(StickerMessage {
    url, file_sha256, file_enc_sha256, mimetype, height, width, direct_path, file_length,
    media_key_timestamp, first_frame_length, first_frame_sidecar, is_animated, png_thumbnail,
    context_info
} redact { media_key });

#[cfg(test)]
mod tests {
    use super::super::{Message, WebMessageInfo};
    use super::*;

    /// A secret whose bytes would show up in `Debug` as `171, 171, …`.
    fn secret(len: usize) -> Option<Vec<u8>> {
        Some(vec![0xAB; len])
    }

    fn assert_redacted(shown: &str, len: usize) {
        assert!(shown.contains(&format!("<redacted {len} bytes>")), "{shown}");
        assert!(!shown.contains("171"), "{shown}");
    }

    #[test]
    fn every_secret_is_shown_as_its_length() {
        let context = ContextInfo {
            stanza_id: Some("3EB0QUOTED".into()),
            ephemeral_shared_secret: secret(32),
            ..Default::default()
        };
        let shown = format!("{context:?}");
        assert_redacted(&shown, 32);
        assert!(shown.contains("3EB0QUOTED"), "{shown}");

        let media_key = secret(32);
        let shown = [
            format!(
                "{:?}",
                ExtendedTextMessage { media_key: media_key.clone(), ..Default::default() }
            ),
            format!("{:?}", ImageMessage { media_key: media_key.clone(), ..Default::default() }),
            format!("{:?}", VideoMessage { media_key: media_key.clone(), ..Default::default() }),
            format!("{:?}", AudioMessage { media_key: media_key.clone(), ..Default::default() }),
            format!("{:?}", DocumentMessage { media_key: media_key.clone(), ..Default::default() }),
            format!("{:?}", StickerMessage { media_key, ..Default::default() }),
        ];
        for shown in shown {
            assert_redacted(&shown, 32);
            assert!(shown.contains("media_key: Some(<redacted 32 bytes>)"), "{shown}");
        }
    }

    #[test]
    fn secrets_nested_in_a_message_stay_redacted() {
        // The envelope's `Debug` is generated; it must reach the hand-written ones inside.
        let quoted = ContextInfo { ephemeral_shared_secret: secret(16), ..Default::default() };
        let text = ExtendedTextMessage {
            text: Some("hello".into()),
            context_info: Some(Box::new(quoted)),
            ..Default::default()
        };
        let content = Message { extended_text_message: Some(Box::new(text)), ..Default::default() };
        let info = WebMessageInfo { message: Some(content), ..Default::default() };
        let shown = format!("{info:?}");
        assert_redacted(&shown, 16);
        assert!(shown.contains("hello"), "{shown}");
    }
}
