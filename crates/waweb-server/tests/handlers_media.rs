//! The media requests of the websocket: `encr_upload` names where to upload a blob, and the
//! `media` query gives a media message's blob its current URL while the server keeps the blob
//! (404 once it is gone, 404 for an unknown message, 400 for a message that names no blob).

mod handlers_support;

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD as B64URL};
use base64::Engine;
use handlers_support::*;
use serde_json::json;
use sha2::{Digest, Sha256};
use waweb_proto::message::{media_message, Attachment, MediaKind};
use waweb_server::media::blob::BlobKey;

#[tokio::test]
async fn encr_upload_answers_an_upload_url_with_a_current_token() {
    let env = Env::with_accounts().await;
    let (alice, _rx) = env.connect(A, 1);
    let hash: [u8; 32] = Sha256::digest(b"blob").into();
    let answer = json_of(
        env.json(&alice, json!(["action", "encr_upload", "image", STANDARD.encode(hash)])).await,
    );
    assert_eq!(answer["status"], 200, "{answer}");
    let url = answer["url"].as_str().unwrap();
    let h = B64URL.encode(hash);
    let (path, query) = url.split_once('?').unwrap();
    assert!(path.ends_with(&format!("/mms/image/{h}")), "{url}");
    let auth = query.strip_prefix("auth=").unwrap().split('&').next().unwrap();
    assert_eq!(
        env.shared.media.tokens.check(auth, waweb_server::context::now_ms()).as_deref(),
        Some(A)
    );
    assert!(query.ends_with(&format!("&token={h}&f=j")), "{url}");

    for bad in [
        json!(["action", "encr_upload", "sticker", STANDARD.encode(hash)]),
        json!(["action", "encr_upload", "image", "not a hash"]),
    ] {
        assert_eq!(json_of(env.json(&alice, bad.clone()).await), status(400), "{bad}");
    }
}

#[tokio::test]
async fn the_media_query_renews_the_url_of_a_kept_blob_only() {
    let env = Env::with_accounts().await;
    let (alice, _a) = env.connect(A, 1);
    let (_bob, _b) = env.connect(B, 2);
    let blob = b"an encrypted picture".to_vec();
    let hash: [u8; 32] = Sha256::digest(&blob).into();
    let attachment = Attachment {
        kind: Some(MediaKind::Image),
        url: Some("https://old-host.example/mms/d/x/y.enc".into()),
        media_key: vec![5; 32],
        file_enc_sha256: Some(hash.to_vec()),
        file_sha256: Some(vec![6; 32]),
        file_length: Some(20),
        ..Attachment::default()
    };
    let info = media_message(&jid(B), true, "3EB0PIC", &attachment, 42).unwrap();
    node_or_json_ok(env.binary(&alice, "r1", relay_info(&info)).await);
    env.binary(&alice, "t0", relay(B, "3EB0TXT", "just text")).await;

    let ask = |owner: &str, id: &str| {
        query("media", &[("index", id), ("owner", owner), ("jid", &cjid(B))])
    };
    // The blob was never uploaded: the phone has nothing to give.
    assert_eq!(json_of(env.binary(&alice, "q1", ask("true", "3EB0PIC")).await), status(404));

    let media = &env.shared.media;
    let mut staged = media.blobs.stage().await.unwrap();
    staged.write(&blob).await.unwrap();
    staged.commit(BlobKey(hash)).await.unwrap();
    let answer = node_of(env.binary(&alice, "q2", ask("true", "3EB0PIC")).await);
    assert_eq!(&*answer.description, "response");
    assert_eq!(answer.get_attr("url"), Some(media.url(&BlobKey(hash)).as_str()));
    assert_eq!(answer.get_attr("directPath"), Some(media.direct_path(&BlobKey(hash)).as_str()));

    // Bob's copy (owner false) gets the same URL; unknown and non-media messages do not.
    let (bob, _b2) = env.connect(B, 3);
    let for_bob = query("media", &[("index", "3EB0PIC"), ("owner", "false"), ("jid", &cjid(A))]);
    assert_eq!(
        node_of(env.binary(&bob, "q3", for_bob).await).get_attr("url"),
        answer.get_attr("url")
    );
    assert_eq!(json_of(env.binary(&alice, "q4", ask("true", "3EB0NONE")).await), status(404));
    assert_eq!(json_of(env.binary(&alice, "q5", ask("true", "3EB0TXT")).await), status(400));
    assert_eq!(json_of(env.binary(&alice, "q6", ask("maybe", "3EB0PIC")).await), status(400));
}

/// A relay's answer: `{"status":200,…}`.
fn node_or_json_ok(reply: waweb_server::handler::Reply) {
    assert_eq!(json_of(reply)["status"], 200);
}
