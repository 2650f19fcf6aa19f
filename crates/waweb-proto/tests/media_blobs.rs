//! Media blobs per media type: known answers (computed with OpenSSL's AES-256-CBC and Python's
//! HMAC, independently of this crate), the checked opener's refusals, round trips of any file,
//! and the attachment of a media message read back from the message it built.

use proptest::prelude::*;
use waweb_proto::crypto::media::{self, MediaType};
use waweb_proto::crypto::CryptoError;
use waweb_proto::message::{self, Attachment, MediaKind};

/// `mediaKey` = 00 01 … 1f, as in vector B6 (docs/PROTOCOL.md §10.3).
fn media_key() -> Vec<u8> {
    (0u8..32).collect()
}

/// (type, file, blob, fileSha256, fileEncSha256) per media type besides B6's image.
const VECTORS: [(MediaType, &str, &str, &str, &str); 3] = [
    (
        MediaType::Video,
        "a video of sixteen+ bytes",
        "664c6c4fb5bd0dbaa904d8d1d5923e44f4c0444855193c190f423dfe843f44384a9d8f4556afe195a2f3",
        "86c4e5901abf94861d5c1a77ffd1e94d98ef8df5f1b7cc44f00f06c9dd54d8ec",
        "42c7edc2489aa9908a8da862094557102b6a32bc03311c4146fb724e8f18a32c",
    ),
    (
        MediaType::Audio,
        "OggS voice",
        "2a51db4fa0fec71fb3962542c957333079109f2d288bdd7be1c4",
        "64a277782fca85e3a33ab4e13d80117e9db4e8ea2a983883b4578626a30b1bc4",
        "a124f7c3f6f5b049da27a2c75855bd97a5420d7930bb2b81c2cfd20db0fb30c5",
    ),
    (
        // A file of whole blocks gets a whole block of padding.
        MediaType::Document,
        "%PDF-1.4 exactly 32 bytes long!!",
        "cc8b0ebc928b7f37716deb62e6be1aa7ddeba731265972126a9e2a66975b44e6e5b155f5368664dd9622d8c18416d6a1f1784ce8e576605e31a5",
        "55bfe2d7cfc7878035ed3ec95ff51cdc362150c91c42eec454059598d3775656",
        "071b5f7f5aa79774daaeb18bdf752c60f18febf4bf87e15dbfcab8641f267078",
    ),
];

#[test]
fn known_answers_per_media_type() {
    for (kind, file, blob, file_sha, enc_sha) in VECTORS {
        let encrypted = media::encrypt(&media_key(), kind, file.as_bytes());
        assert_eq!(hex::encode(&encrypted.blob), blob, "{kind:?}");
        assert_eq!(hex::encode(encrypted.file_sha256), file_sha, "{kind:?}");
        assert_eq!(hex::encode(encrypted.file_enc_sha256), enc_sha, "{kind:?}");
        let opened = media::open_checked(
            &media_key(),
            kind,
            &hex::decode(blob).unwrap(),
            Some(&hex::decode(enc_sha).unwrap()),
            Some(&hex::decode(file_sha).unwrap()),
        );
        assert_eq!(opened.unwrap(), file.as_bytes(), "{kind:?}");
    }
}

#[test]
fn a_blob_opens_only_under_its_own_media_type() {
    let (_, _, blob, _, _) = VECTORS[0];
    let blob = hex::decode(blob).unwrap();
    for other in [MediaType::Image, MediaType::Audio, MediaType::Document] {
        assert_eq!(
            media::open_checked(&media_key(), other, &blob, None, None),
            Err(CryptoError::MediaMac)
        );
    }
}

#[test]
fn the_checked_opener_refuses_each_mismatch() {
    let (kind, file, blob, file_sha, enc_sha) = VECTORS[1];
    let blob = hex::decode(blob).unwrap();
    let file_sha = hex::decode(file_sha).unwrap();
    let enc_sha = hex::decode(enc_sha).unwrap();
    let open = |key: &[u8], blob: &[u8], enc: &[u8], plain: &[u8]| {
        media::open_checked(key, kind, blob, Some(enc), Some(plain))
    };
    assert_eq!(open(&media_key(), &blob, &enc_sha, &file_sha).unwrap(), file.as_bytes());
    assert_eq!(open(&media_key(), &blob, &[0; 32], &file_sha), Err(CryptoError::MediaEncHash));
    assert_eq!(open(&media_key(), &blob, &enc_sha, &[0; 32]), Err(CryptoError::MediaFileHash));
    let mut flipped = blob.clone();
    flipped[3] ^= 0x40;
    // A changed blob no longer has the announced hash; without the hash, the MAC catches it.
    assert_eq!(open(&media_key(), &flipped, &enc_sha, &file_sha), Err(CryptoError::MediaEncHash));
    assert_eq!(
        media::open_checked(&media_key(), kind, &flipped, None, None),
        Err(CryptoError::MediaMac)
    );
    assert_eq!(
        open(&media_key()[..31], &blob, &enc_sha, &file_sha),
        Err(CryptoError::KeyLength { expected: 32, actual: 31 })
    );
    assert_eq!(
        media::open_checked(&media_key(), kind, &blob[..20], None, None),
        Err(CryptoError::MediaTooShort(20))
    );
}

#[test]
fn an_attachment_survives_its_message() {
    let attachment = Attachment {
        kind: Some(MediaKind::Image),
        url: Some("https://media.example/mms/d/x/y.enc".into()),
        direct_path: Some("/mms/d/x/y.enc".into()),
        media_key: media_key(),
        file_sha256: Some(vec![1; 32]),
        file_enc_sha256: Some(vec![2; 32]),
        file_length: Some(1234),
        mimetype: Some("image/png".into()),
        caption: Some("look".into()),
        dimensions: Some((640, 480)),
        jpeg_thumbnail: Some(vec![0xff, 0xd8]),
        ..Attachment::default()
    };
    let info =
        message::media_message("1555@s.whatsapp.net", true, "3EB0AA", &attachment, 7).unwrap();
    let back = message::decode(&message::encode(&info)).unwrap();
    assert_eq!(Attachment::of(&back), Some(attachment.clone()));
    let shown = format!("{attachment:?}");
    assert!(shown.contains("<redacted 32 bytes>") && !shown.contains("0, 1, 2, 3"), "{shown}");

    let voice = Attachment { kind: Some(MediaKind::Voice), seconds: Some(4), ..attachment.clone() };
    let back =
        Attachment::of(&message::media_message("1@s.whatsapp.net", true, "1", &voice, 7).unwrap());
    let expected = Attachment { caption: None, dimensions: None, jpeg_thumbnail: None, ..voice };
    assert_eq!(back, Some(expected));
    let doc = Attachment {
        kind: Some(MediaKind::Document),
        file_name: Some("a.pdf".into()),
        ..attachment.clone()
    };
    let info = message::media_message("1@s.whatsapp.net", true, "1", &doc, 7).unwrap();
    let content = info.message.as_ref().unwrap().document_message.as_ref().unwrap();
    assert_eq!(
        (content.file_name.as_deref(), content.title.as_deref()),
        (Some("a.pdf"), Some("a.pdf"))
    );
    let sticker = Attachment { kind: Some(MediaKind::Sticker), ..attachment };
    assert_eq!(message::media_message("1@s.whatsapp.net", true, "1", &sticker, 7), None);
    assert_eq!(
        Attachment::of(&message::text_message("1@s.whatsapp.net", true, "1", "hi", 7)),
        None
    );
}

fn media_type() -> impl Strategy<Value = MediaType> {
    prop::sample::select(MediaType::ALL.to_vec())
}

proptest! {
    #[test]
    fn any_file_round_trips(
        key in prop::array::uniform32(any::<u8>()),
        kind in media_type(),
        file in prop::collection::vec(any::<u8>(), 0..2000),
    ) {
        let e = media::encrypt(&key, kind, &file);
        prop_assert_eq!(e.blob.len(), (file.len() / 16 + 1) * 16 + 10);
        let opened = media::open_checked(&key, kind, &e.blob, Some(&e.file_enc_sha256), Some(&e.file_sha256));
        prop_assert_eq!(opened.unwrap(), file);
    }

    #[test]
    fn any_changed_byte_is_caught(
        key in prop::array::uniform32(any::<u8>()),
        kind in media_type(),
        file in prop::collection::vec(any::<u8>(), 1..500),
        at in any::<prop::sample::Index>(),
        bit in 0u8..8,
    ) {
        let e = media::encrypt(&key, kind, &file);
        let mut blob = e.blob.clone();
        let i = at.index(blob.len());
        blob[i] ^= 1 << bit;
        prop_assert_eq!(media::open_checked(&key, kind, &blob, None, Some(&e.file_sha256)), Err(CryptoError::MediaMac));
    }
}
