//! `waweb chat …` and `waweb picture …` through the binary, against `waweb serve --demo`: star a
//! message of the seeded history and list it, clear and delete a chat, set a picture and fetch
//! it back by URL, and the exit codes of what cannot be done.

mod proc_support;

use proc_support::http::get_raw;
use proc_support::{failed, stdout, Demo};

const ALICE: &str = "15550000001";
const BOB: &str = "15550000002";

/// The message ids of `waweb history` / `waweb chat starred` lines.
fn ids(listing: &str) -> Vec<String> {
    listing.lines().filter_map(|l| l.split('\t').nth(1)).map(str::to_owned).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn star_list_clear_and_delete_a_chat() {
    let demo = Demo::start().await;
    let alice = &demo.alice;
    let bob = format!("{BOB}@c.us");

    let history = ids(&stdout(&demo.run(alice, &["history", &bob]).await));
    assert!(history.len() >= 2, "the demo seeds a conversation: {history:?}");
    let (first, last) = (&history[0], &history[history.len() - 1]);
    stdout(&demo.run(alice, &["chat", "star", &bob, first, last]).await);
    let starred = stdout(&demo.run(alice, &["chat", "starred"]).await);
    assert_eq!(ids(&starred), [first.clone(), last.clone()]);
    stdout(&demo.run(alice, &["chat", "unstar", &bob, first]).await);
    let starred = stdout(&demo.run(alice, &["chat", "starred", &bob]).await);
    assert_eq!(ids(&starred), std::slice::from_ref(last));
    // Nothing by that id in the chat: the server's 404 is an error exit.
    let unknown = demo.run(alice, &["chat", "star", &bob, "NO-SUCH-ID"]).await;
    failed(&unknown, "status 404");

    stdout(&demo.run(alice, &["chat", "clear", &bob, "--keep-starred"]).await);
    let left = ids(&stdout(&demo.run(alice, &["history", &bob]).await));
    assert_eq!(left, std::slice::from_ref(last));
    stdout(&demo.run(alice, &["chat", "delete", &bob]).await);
    let chats = stdout(&demo.run(alice, &["chats"]).await);
    assert!(!chats.contains(&bob), "{chats}");
    failed(&demo.run(alice, &["chat", "delete", &bob]).await, "status 404");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn set_get_and_remove_a_picture() {
    let demo = Demo::start().await;
    let alice = &demo.alice;
    let me = format!("{ALICE}@c.us");

    let none = demo.run(alice, &["picture", "get", &me]).await;
    failed(&none, "no profile picture");
    let png = demo.home.path().join("me.png");
    std::fs::write(&png, b"\x89PNG\r\n\x1a\n").unwrap();
    let refused = demo.run(alice, &["picture", "set", png.to_str().unwrap()]).await;
    failed(&refused, "not a JPEG");

    let jpeg = demo.home.path().join("me.jpg");
    let bytes = [0xff, 0xd8, 0xff, 0xe0, 7, 7, 7];
    std::fs::write(&jpeg, bytes).unwrap();
    let url = stdout(&demo.run(alice, &["picture", "set", jpeg.to_str().unwrap()]).await);
    let url = url.trim().to_owned();
    let base = format!("http://{}", demo.serve.addr);
    assert!(url.starts_with(&format!("{base}/pp/{ALICE}/")), "{url}");
    assert_eq!(stdout(&demo.run(alice, &["picture", "get", &me]).await).trim(), url);
    let (status, _, fetched) = get_raw(demo.serve.addr.parse().unwrap(), &url[base.len()..]).await;
    assert_eq!((status, fetched), (200, bytes.to_vec()));

    stdout(&demo.run(alice, &["picture", "remove"]).await);
    failed(&demo.run(alice, &["picture", "get", &me]).await, "no profile picture");
}
