//! `waweb chat …` and `waweb picture …` through the binary, against `waweb serve --demo`: star a
//! message of the seeded history and list it, clear and delete a chat, set a picture and fetch
//! it back by URL, and the exit codes of what cannot be done.

mod proc_support;

use std::path::PathBuf;
use std::process::Output;

use proc_support::{cli_login, waweb, Serve, WAIT};

const ALICE: &str = "15550000001";
const BOB: &str = "15550000002";

/// `waweb serve --demo` with Alice logged in through the CLI.
struct Alice {
    home: tempfile::TempDir,
    serve: Serve,
    session: PathBuf,
}

impl Alice {
    async fn login() -> Alice {
        let home = tempfile::tempdir().unwrap();
        let data = home.path().join("data");
        let serve = Serve::start(home.path(), &data).await;
        let session = cli_login(home.path(), &serve, &data, ALICE).await;
        Alice { home, serve, session }
    }

    /// Runs `waweb ARGS` as Alice.
    async fn run(&self, args: &[&str]) -> Output {
        let mut cmd = waweb(self.home.path());
        cmd.args(args).args(["--server", &self.serve.url(), "--session"]).arg(&self.session);
        tokio::time::timeout(WAIT, cmd.output()).await.unwrap().unwrap()
    }
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
    let alice = Alice::login().await;
    let bob = format!("{BOB}@c.us");

    let history = ids(&stdout(&alice.run(&["history", &bob]).await));
    assert!(history.len() >= 2, "the demo seeds a conversation: {history:?}");
    let (first, last) = (&history[0], &history[history.len() - 1]);
    stdout(&alice.run(&["chat", "star", &bob, first, last]).await);
    let starred = stdout(&alice.run(&["chat", "starred"]).await);
    assert_eq!(ids(&starred), [first.clone(), last.clone()]);
    stdout(&alice.run(&["chat", "unstar", &bob, first]).await);
    let starred = stdout(&alice.run(&["chat", "starred", &bob]).await);
    assert_eq!(ids(&starred), std::slice::from_ref(last));
    // Nothing by that id in the chat: the server's 404 is an error exit.
    let unknown = alice.run(&["chat", "star", &bob, "NO-SUCH-ID"]).await;
    assert!(!unknown.status.success());

    stdout(&alice.run(&["chat", "clear", &bob, "--keep-starred"]).await);
    let left = ids(&stdout(&alice.run(&["history", &bob]).await));
    assert_eq!(left, std::slice::from_ref(last));
    stdout(&alice.run(&["chat", "delete", &bob]).await);
    let chats = stdout(&alice.run(&["chats"]).await);
    assert!(!chats.contains(&bob), "{chats}");
    assert!(!alice.run(&["chat", "delete", &bob]).await.status.success());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn set_get_and_remove_a_picture() {
    let alice = Alice::login().await;
    let me = format!("{ALICE}@c.us");

    let none = alice.run(&["picture", "get", &me]).await;
    assert_eq!(none.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&none.stderr).contains("no profile picture"));
    let png = alice.home.path().join("me.png");
    std::fs::write(&png, b"\x89PNG\r\n\x1a\n").unwrap();
    let refused = alice.run(&["picture", "set", png.to_str().unwrap()]).await;
    assert!(String::from_utf8_lossy(&refused.stderr).contains("not a JPEG"), "{refused:?}");

    let jpeg = alice.home.path().join("me.jpg");
    std::fs::write(&jpeg, [0xff, 0xd8, 0xff, 0xe0, 7, 7, 7]).unwrap();
    let url = stdout(&alice.run(&["picture", "set", jpeg.to_str().unwrap()]).await);
    let url = url.trim().to_owned();
    assert!(url.starts_with(&format!("http://{}/pp/{ALICE}/", alice.serve.addr)), "{url}");
    assert_eq!(stdout(&alice.run(&["picture", "get", &me]).await).trim(), url);
    let fetched = http_get(&url).await;
    assert!(fetched.ends_with(&[0xff, 0xd8, 0xff, 0xe0, 7, 7, 7]), "{fetched:?}");

    stdout(&alice.run(&["picture", "remove"]).await);
    assert_eq!(alice.run(&["picture", "get", &me]).await.status.code(), Some(1));
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
