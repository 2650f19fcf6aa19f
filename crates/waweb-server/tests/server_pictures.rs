//! Profile pictures over HTTP: `GET /pp/<phone>/<tag>-<secret>` (and `/preview`) serves the
//! stored JPEG while the tag is current, to anyone with the URL, and nothing else (not the old
//! guessable `/pp/<phone>/<tag>`); `/pp/<group id>/<tag>-<secret>` a group's.

mod support;

use support::http::get_raw;
use support::TestServer;
use waweb_server::store::{AccountStore, GroupStore, NewGroup, Picture};

const A: &str = "15550000001";
/// The id of Alice's group in its picture URLs.
const G: &str = "15550000001-1700000000";

fn picture(tag: &str) -> Picture {
    Picture {
        tag: tag.into(),
        secret: secret(tag),
        image: [&[0xff, 0xd8, 0xff, 0xe0][..], b"full"].concat(),
        preview: [&[0xff, 0xd8, 0xff, 0xe0][..], b"thumb"].concat(),
    }
}

/// The secret the test pictures of this tag get: 32 hex digits.
fn secret(tag: &str) -> String {
    format!("{tag:c>32}")
}

/// `/pp/<owner>/<tag>-<secret>` of the test picture with this tag, plus `rest`.
fn url(owner: &str, tag: &str, rest: &str) -> String {
    format!("/pp/{owner}/{tag}-{}{rest}", secret(tag))
}

#[tokio::test]
async fn the_current_picture_is_served_as_an_immutable_jpeg() {
    let server = TestServer::start().await;
    server.account(A, "Alice").await;
    server.store.set_picture(A, picture("100")).await.unwrap();

    let (status, head, body) = get_raw(server.addr, &url(A, "100", "")).await;
    assert_eq!(status, 200);
    assert!(head.contains("content-type: image/jpeg"), "{head}");
    assert!(head.contains("x-content-type-options: nosniff"), "{head}");
    assert!(head.contains("immutable"), "{head}");
    assert_eq!(body, picture("100").image);
    let (status, _, body) = get_raw(server.addr, &url(A, "100", "/preview")).await;
    assert_eq!((status, body), (200, picture("100").preview));

    // The tag alone (an upload time, which anyone may try), or with another secret: nothing.
    let wrong = format!("/pp/{A}/100-{}", secret("101"));
    for path in [format!("/pp/{A}/100"), format!("/pp/{A}/100/preview"), wrong] {
        assert_eq!(get_raw(server.addr, &path).await.0, 404, "{path}");
    }

    // A new upload retires the old URL.
    server.store.set_picture(A, picture("200")).await.unwrap();
    assert_eq!(get_raw(server.addr, &url(A, "100", "")).await.0, 404);
    assert_eq!(get_raw(server.addr, &url(A, "200", "")).await.0, 200);
    server.store.remove_picture(A).await.unwrap();
    assert_eq!(get_raw(server.addr, &url(A, "200", "")).await.0, 404);
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn a_groups_picture_is_served_under_its_id() {
    let server = TestServer::start().await;
    server.account("15550000001", "Alice").await;
    let new = NewGroup {
        creator: "15550000001".into(),
        subject: "Team".into(),
        time: 1_700_000_000,
        participants: vec![],
    };
    let gid = server.store.create_group(new).await.unwrap().group.jid;
    assert_eq!(gid, "15550000001-1700000000@g.us");
    server.store.set_picture(&gid, picture("300")).await.unwrap();
    let (status, _, body) = get_raw(server.addr, &url(G, "300", "")).await;
    assert_eq!((status, body), (200, picture("300").image));
    let (status, _, body) = get_raw(server.addr, &url(G, "300", "/preview")).await;
    assert_eq!((status, body), (200, picture("300").preview));
    let guessed = format!("/pp/{G}/300");
    for path in [url("15550000001-1700000001", "300", ""), url("15550000001-", "300", ""), guessed]
    {
        assert_eq!(get_raw(server.addr, &path).await.0, 404, "{path}");
    }
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn other_paths_find_nothing() {
    let server = TestServer::start().await;
    server.account("15550000001", "Alice").await;
    for path in [
        "/pp/15550000001/1",
        "/pp/15550000009/1",
        "/pp/..%2Fadmin/1",
        "/pp/1555/1/x",
        "/pp/a-1/3-x",
    ] {
        assert_eq!(get_raw(server.addr, path).await.0, 404, "{path}");
    }
    server.shutdown().await.unwrap();
}
