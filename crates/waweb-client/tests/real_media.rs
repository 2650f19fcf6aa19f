//! The real client against the real server: media of every kind sent by one account and
//! downloaded by another byte for byte, with what the message says about it; a download whose
//! message does not match the blob gives nothing.

mod real_support;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use real_support::{c_us, next, RealServer, ALICE, BOB};
use waweb_client::{
    Attachment, BatchKind, ClientError, Event, EventStream, MediaKind, OutgoingMedia,
    WebMessageInfo,
};

/// A 64×48 PNG.
fn png() -> Vec<u8> {
    let img = image::RgbImage::from_fn(64, 48, |x, y| image::Rgb([x as u8 * 3, y as u8 * 5, 90]));
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

/// The next live message with id `id`.
async fn received(events: &mut EventStream, id: &str) -> WebMessageInfo {
    next(events, |e| match e {
        Event::Messages { kind: BatchKind::Live, messages, .. } => messages
            .iter()
            .find(|m| m.key.as_ref().and_then(|k| k.id.as_deref()) == Some(id))
            .cloned(),
        _ => None,
    })
    .await
}

#[tokio::test]
async fn every_kind_goes_across_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let server = RealServer::ephemeral(dir.path().join("data")).await;
    let alice = server.pair(ALICE.0).await;
    let mut bob = server.pair(BOB.0).await;
    let document: Vec<u8> = (0..200_000u32).map(|i| (i % 241) as u8).collect();
    let files = [
        OutgoingMedia::new(MediaKind::Image, png()).caption("the view"),
        OutgoingMedia::new(MediaKind::Video, vec![1; 5000]).caption("a clip"),
        OutgoingMedia::new(MediaKind::Voice, vec![2; 3000]),
        OutgoingMedia::new(MediaKind::Audio, vec![3; 17]).file_name("song.mp3"),
        OutgoingMedia::new(MediaKind::Document, document).file_name("report.pdf"),
    ];
    for file in files {
        let sent_bytes = Arc::new(AtomicU64::new(0));
        let seen = sent_bytes.clone();
        let progress = Arc::new(move |done: u64, _total: u64| seen.store(done, Ordering::SeqCst));
        let receipt =
            alice.client.send_media(&c_us(BOB.0), file.clone(), Some(progress)).await.unwrap();
        let got = received(&mut bob.events, &receipt.id).await;
        let a = Attachment::of(&got).unwrap();
        assert_eq!(a.kind, Some(file.kind));
        assert_eq!(a.file_length, Some(file.data.len() as u64));
        assert_eq!(a.media_key.len(), 32);
        // The blob is the file padded to whole blocks, plus the 10-byte MAC.
        let blob_len = (file.data.len() as u64 / 16 + 1) * 16 + 10;
        assert_eq!(sent_bytes.load(Ordering::SeqCst), blob_len, "{:?}", file.kind);
        let downloaded = bob.client.download_media(&got, None).await.unwrap();
        assert!(downloaded == file.data, "{:?} differs", file.kind);
        match file.kind {
            MediaKind::Image => {
                assert_eq!(a.caption.as_deref(), Some("the view"));
                assert_eq!(a.mimetype.as_deref(), Some("image/png"));
                assert_eq!(a.dimensions, Some((64, 48)));
                let thumb = a.jpeg_thumbnail.unwrap();
                assert_eq!(&thumb[..3], &[0xff, 0xd8, 0xff]);
            }
            MediaKind::Video => {
                assert_eq!(a.caption.as_deref(), Some("a clip"));
                assert_eq!(a.mimetype.as_deref(), Some("video/mp4"));
            }
            MediaKind::Voice => {
                assert_eq!(
                    got.message.as_ref().unwrap().audio_message.as_ref().unwrap().ptt,
                    Some(true)
                );
                assert_eq!(a.mimetype.as_deref(), Some("audio/ogg; codecs=opus"));
            }
            MediaKind::Audio => assert_eq!(a.mimetype.as_deref(), Some("audio/mpeg")),
            MediaKind::Document => {
                assert_eq!(a.file_name.as_deref(), Some("report.pdf"));
                assert_eq!(a.mimetype.as_deref(), Some("application/pdf"));
            }
            MediaKind::Sticker => unreachable!(),
        }
    }
}

#[tokio::test]
async fn a_blob_that_does_not_match_its_message_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let server = RealServer::ephemeral(dir.path().join("data")).await;
    let alice = server.pair(ALICE.0).await;
    let mut bob = server.pair(BOB.0).await;
    let file =
        OutgoingMedia::new(MediaKind::Document, b"the real contents".to_vec()).file_name("a.txt");
    let receipt = alice.client.send_media(&c_us(BOB.0), file, None).await.unwrap();
    let good = Attachment::of(&received(&mut bob.events, &receipt.id).await).unwrap();
    assert_eq!(bob.client.download_attachment(&good, None).await.unwrap(), b"the real contents");

    let integrity = |r: Result<Vec<u8>, ClientError>| match r {
        Err(ClientError::MediaIntegrity(why)) => why,
        other => panic!("expected an integrity error, got {other:?}"),
    };
    let mut wrong_key = good.clone();
    wrong_key.media_key[0] ^= 1;
    assert_eq!(
        integrity(bob.client.download_attachment(&wrong_key, None).await),
        "media HMAC mismatch"
    );
    let mut wrong_file_hash = good.clone();
    wrong_file_hash.file_sha256 = Some(vec![0; 32]);
    assert!(integrity(bob.client.download_attachment(&wrong_file_hash, None).await)
        .contains("fileSha256"));
    let mut wrong_enc_hash = good.clone();
    wrong_enc_hash.file_enc_sha256 = Some(vec![0; 32]);
    assert!(integrity(bob.client.download_attachment(&wrong_enc_hash, None).await)
        .contains("fileEncSha256"));
    // A message that claims a smaller file than the blob: refused before buffering it.
    let mut too_small = good.clone();
    too_small.file_length = Some(1);
    assert!(integrity(bob.client.download_attachment(&too_small, None).await).contains("larger"));
}
