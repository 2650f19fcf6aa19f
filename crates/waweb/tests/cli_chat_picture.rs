//! `waweb chat …` and `waweb picture …` through the binary, against `waweb serve --demo`: star a
//! message of the seeded history and list it, clear and delete a chat, set a picture and fetch
//! it back by URL, and the exit codes of what cannot be done.

mod proc_support;

use std::path::Path;
use std::process::Output;

use proc_support::{cli_login, waweb, Serve, WAIT};

const ALICE: &str = "15550000001";
const BOB: &str = "15550000002";

async fn run(home: &Path, serve: &Serve, session: &Path, args: &[&str]) -> Output {
    let mut cmd = waweb(home);
    cmd.args(args).args(["--server", &serve.url(), "--session"]).arg(session);
    tokio::time::timeout(WAIT, cmd.output()).await.unwrap().unwrap()
}

fn stdout(out: &Output) -> String {
    assert!(out.status.success(), "failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout.clone()).unwrap()
}

/// The message ids of `waweb history` / `waweb chat starred` lines.
fn ids(listing: &str) -> Vec<String> {
    listing.lines().filter_map(|l| l.split('\t').nth(1)).map(str::to_owned).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn star_list_clear_and_delete_a_chat() {
    let home = tempfile::tempdir().unwrap();
    let data = home.path().join("data");
    let serve = Serve::start(home.path(), &data).await;
    let session = cli_login(home.path(), &serve, &data, ALICE).await;
    let h = home.path();
    let bob = format!("{BOB}@c.us");

    let history = ids(&stdout(&run(h, &serve, &session, &["history", &bob]).await));
    assert!(history.len() >= 2, "the demo seeds a conversation: {history:?}");
    let (first, last) = (&history[0], &history[history.len() - 1]);
    stdout(&run(h, &serve, &session, &["chat", "star", &bob, first, last]).await);
    let starred = stdout(&run(h, &serve, &session, &["chat", "starred"]).await);
    assert_eq!(ids(&starred), [first.clone(), last.clone()]);
    stdout(&run(h, &serve, &session, &["chat", "unstar", &bob, first]).await);
    let starred = stdout(&run(h, &serve, &session, &["chat", "starred", &bob]).await);
    assert_eq!(ids(&starred), std::slice::from_ref(last));
    // Nothing by that id in the chat: the server's 404 is an error exit.
    let unknown = run(h, &serve, &session, &["chat", "star", &bob, "NO-SUCH-ID"]).await;
    assert!(!unknown.status.success());

    stdout(&run(h, &serve, &session, &["chat", "clear", &bob, "--keep-starred"]).await);
    let left = ids(&stdout(&run(h, &serve, &session, &["history", &bob]).await));
    assert_eq!(left, std::slice::from_ref(last));
    stdout(&run(h, &serve, &session, &["chat", "delete", &bob]).await);
    let chats = stdout(&run(h, &serve, &session, &["chats"]).await);
    assert!(!chats.contains(&bob), "{chats}");
    assert!(!run(h, &serve, &session, &["chat", "delete", &bob]).await.status.success());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn set_get_and_remove_a_picture() {
    let home = tempfile::tempdir().unwrap();
    let data = home.path().join("data");
    let serve = Serve::start(home.path(), &data).await;
    let session = cli_login(home.path(), &serve, &data, ALICE).await;
    let h = home.path();
    let me = format!("{ALICE}@c.us");

    let none = run(h, &serve, &session, &["picture", "get", &me]).await;
    assert_eq!(none.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&none.stderr).contains("no profile picture"));
    let png = h.join("me.png");
    std::fs::write(&png, b"\x89PNG\r\n\x1a\n").unwrap();
    let refused = run(h, &serve, &session, &["picture", "set", png.to_str().unwrap()]).await;
    assert!(String::from_utf8_lossy(&refused.stderr).contains("not a JPEG"), "{refused:?}");

    let jpeg = h.join("me.jpg");
    std::fs::write(&jpeg, [0xff, 0xd8, 0xff, 0xe0, 7, 7, 7]).unwrap();
    let url = stdout(&run(h, &serve, &session, &["picture", "set", jpeg.to_str().unwrap()]).await);
    let url = url.trim().to_owned();
    assert!(url.starts_with(&format!("http://{}/pp/{ALICE}/", serve.addr)), "{url}");
    assert_eq!(stdout(&run(h, &serve, &session, &["picture", "get", &me]).await).trim(), url);
    let fetched = http_get(&url).await;
    assert!(fetched.ends_with(&[0xff, 0xd8, 0xff, 0xe0, 7, 7, 7]), "{fetched:?}");

    stdout(&run(h, &serve, &session, &["picture", "remove"]).await);
    assert_eq!(run(h, &serve, &session, &["picture", "get", &me]).await.status.code(), Some(1));
}

/// The raw response (head and body) to a GET of an `http://host:port/path` URL.
async fn http_get(url: &str) -> Vec<u8> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let rest = url.strip_prefix("http://").unwrap();
    let (host, path) = rest.split_once('/').unwrap();
    let mut stream = tokio::net::TcpStream::connect(host).await.unwrap();
    let request = format!("GET /{path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await.unwrap();
    assert!(raw.starts_with(b"HTTP/1.1 200"), "{}", String::from_utf8_lossy(&raw));
    raw
}
