//! What a new user runs into in the first hour, through the `waweb` binary against `waweb serve
//! --demo`: `read` and `listen --mark-read` let `send --wait read` succeed; the command `login`
//! prints scans on the server it used; errors name the account or chat in words and bare numbers
//! work; `--server` takes the usual URL forms; `listen` shows messages, not protocol noise;
//! `send` and `read` go through a running `listen` of their session, and any other command that
//! takes it over says so; group events read as sentences.

mod proc_support;

use std::process::{Output, Stdio};

use proc_support::{waweb, Demo, Proc, Serve, WAIT};
use tokio::io::AsyncReadExt;

const ALICE: &str = "15550000001";
const BOB: &str = "15550000002";

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// `send BOB TEXT --wait read` by Alice, spawned; returns it and the message id it printed.
async fn send_waiting_for_read(demo: &Demo, text: &str) -> (Proc, String) {
    let cmd = demo.command(&demo.alice, &["send", BOB, text, "--wait", "read", "--timeout", "30"]);
    let mut send = Proc::spawn(cmd);
    let first = send.line().await;
    let id = first.split('\t').next().unwrap().to_string();
    assert_eq!(first, format!("{id}\tserver\t{}", &first[id.len() + 8..]), "{first}");
    (send, id)
}

/// Reads lines until the `read` ack of `id`, then expects exit code 0.
async fn expect_read(send: &mut Proc, id: &str) {
    send.until(|l| l.starts_with(&format!("{id}\tread\t")).then_some(())).await;
    assert_eq!(send.exit_code().await, Some(0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn read_and_listen_mark_read_let_send_wait_read_succeed() {
    let demo = Demo::start().await;

    // `waweb read` (a bare number) marks Bob's chat with Alice read up to her message.
    let (mut send, id) = send_waiting_for_read(&demo, "are you there?").await;
    let read = demo.run(&demo.bob, &["read", ALICE]).await;
    assert_eq!(
        String::from_utf8(read.stdout.clone()).unwrap(),
        format!("marked {ALICE}@c.us read up to {id}\n"),
        "{}",
        String::from_utf8_lossy(&read.stderr)
    );
    expect_read(&mut send, &id).await;

    // `listen --mark-read` shows the message, in the CLI's spelling, and marks it read.
    let mut listen = Proc::spawn(demo.command(&demo.bob, &["listen", "--mark-read"]));
    assert_eq!(listen.line().await, format!("listening as {BOB}@c.us"));
    let (mut send, id) = send_waiting_for_read(&demo, "still there?").await;
    // The very next line is the message: none of the initial sync, lists, battery or pushes.
    let shown = listen.line().await;
    assert!(shown.ends_with(&format!("] {ALICE}@c.us Alice: still there?")), "{shown}");
    expect_read(&mut send, &id).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_scan_command_login_prints_works_as_printed() {
    let home = tempfile::tempdir().unwrap();
    // The README's layout: the server's data in ./waweb-data, where the scan runs.
    let serve = Serve::start(home.path(), &home.path().join("waweb-data")).await;
    let session = home.path().join("s.json");
    let mut login = waweb(home.path());
    login.args(["login", "--server", &serve.url(), "--session"]).arg(&session);
    let mut login = Proc::spawn(login);
    let printed = login
        .until(|l| l.trim().starts_with("waweb phone scan ").then(|| l.trim().to_string()))
        .await;
    let (code, rest) = printed["waweb phone scan '".len()..].split_once('\'').unwrap();
    assert_eq!(rest, format!(" --account PHONE --server {}", serve.url()));

    let mut scan = waweb(home.path());
    scan.current_dir(home.path()).args([
        "phone",
        "scan",
        code,
        "--account",
        ALICE,
        "--server",
        &serve.url(),
    ]);
    let out = tokio::time::timeout(WAIT, scan.output()).await.unwrap().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    login.until(|l| l.starts_with(&format!("logged in as {ALICE}@c.us")).then_some(())).await;
    assert_eq!(login.exit_code().await, Some(0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn errors_say_what_is_wrong_and_bare_numbers_work() {
    let demo = Demo::start().await;
    let unknown = demo.run(&demo.alice, &["send", "15550000009", "hello?"]).await;
    assert_eq!(unknown.status.code(), Some(1));
    assert_eq!(stderr(&unknown), "error: no account 15550000009 on this server\n");

    let name = demo.run(&demo.alice, &["send", "Bob", "hello"]).await;
    assert_eq!(name.status.code(), Some(2), "bad usage");
    assert!(stderr(&name).contains("\"Bob\" is not a phone number or a JID"), "{}", stderr(&name));

    let history = demo.run(&demo.alice, &["history", "15550000009"]).await;
    assert_eq!(history.status.code(), Some(1));
    assert_eq!(
        stderr(&history),
        "error: no chat with 15550000009@c.us (`waweb chats` lists them)\n"
    );
    let known = demo.run(&demo.alice, &["history", "+1 555 000 0002", "--count", "1"]).await;
    assert_eq!(
        String::from_utf8(known.stdout.clone()).unwrap().lines().count(),
        1,
        "{}",
        stderr(&known)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_urls_in_http_and_host_port_form_work() {
    let demo = Demo::start().await;
    let addr = demo.serve.addr.clone();
    for server in [format!("http://{addr}"), addr.clone()] {
        let mut cmd = waweb(demo.home.path());
        cmd.args(["chats", "--server", &server, "--session"]).arg(&demo.alice);
        let out = tokio::time::timeout(WAIT, cmd.output()).await.unwrap().unwrap();
        let chats = String::from_utf8(out.stdout.clone()).unwrap();
        assert!(chats.contains("15550000002@c.us\t"), "{server}: {chats} {}", stderr(&out));
    }
    let mut cmd = waweb(demo.home.path());
    cmd.args(["chats", "--server", &format!("ftp://{addr}"), "--session"]).arg(&demo.alice);
    let out = tokio::time::timeout(WAIT, cmd.output()).await.unwrap().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("give the server as ws://host:port/ws"), "{}", stderr(&out));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn send_and_read_go_through_a_running_listen_others_say_they_take_over() {
    let demo = Demo::start().await;
    let cmd = demo.command(&demo.bob, &["listen"]);
    let mut listen = Proc::spawn_with_stderr(cmd, Stdio::piped());
    assert_eq!(listen.line().await, format!("listening as {BOB}@c.us"));

    // Bob sends with the session his listen holds: the listen sends it, and stays.
    let sent = demo.run(&demo.bob, &["send", ALICE, "sent beside listen", "--wait", "delivered"]);
    let sent = sent.await;
    let printed = String::from_utf8(sent.stdout.clone()).unwrap();
    assert!(sent.status.success(), "{}", stderr(&sent));
    assert_eq!(stderr(&sent), "", "no takeover note");
    let lines: Vec<&str> = printed.lines().collect();
    let id = lines[0].split('\t').next().unwrap();
    assert_eq!(
        lines.iter().map(|l| l.split('\t').nth(1).unwrap()).collect::<Vec<_>>(),
        ["server", "delivered"]
    );
    let ack = listen.line().await;
    assert_eq!(ack, format!("ack {id} to {ALICE}@c.us: delivered"));

    // Alice writes; Bob's `read` goes through the listen too, and Alice sees it read.
    let (mut alice_send, alice_id) = send_waiting_for_read(&demo, "seen this?").await;
    let shown = listen.line().await;
    assert!(shown.ends_with("Alice: seen this?"), "{shown}");
    let read = demo.run(&demo.bob, &["read", ALICE]).await;
    assert_eq!(
        String::from_utf8(read.stdout.clone()).unwrap(),
        format!("marked {ALICE}@c.us read up to {alice_id}\n"),
        "{}",
        stderr(&read)
    );
    expect_read(&mut alice_send, &alice_id).await;

    let chats = demo.run(&demo.bob, &["chats"]).await;
    assert!(chats.status.success());
    let note = stderr(&chats);
    assert!(note.starts_with("note: `waweb listen` is running with this session"), "{note}");
    assert!(note.contains("waweb listen --session listen.json"), "{note}");

    assert_eq!(listen.exit_code().await, Some(1));
    let mut said = String::new();
    listen.child.stderr.take().unwrap().read_to_string(&mut said).await.unwrap();
    assert!(said.starts_with("error: replaced: another web client took over"), "{said}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn group_events_in_history_read_as_sentences() {
    let demo = Demo::start().await;
    let created = demo.run(&demo.alice, &["group", "create", "Climbing", BOB]).await;
    let gid = String::from_utf8(created.stdout.clone()).unwrap().trim().to_string();
    assert!(gid.ends_with("@g.us"), "{gid} {}", stderr(&created));

    let mine = demo.run(&demo.alice, &["history", &gid]).await;
    let mine = String::from_utf8(mine.stdout.clone()).unwrap();
    assert!(mine.trim_end().ends_with("\t*\t-\tyou created the group Climbing"), "{mine}");
    let bobs = demo.run(&demo.bob, &["history", &gid]).await;
    let bobs = String::from_utf8(bobs.stdout.clone()).unwrap();
    let expected = format!("\t*\t-\t{ALICE}@c.us created the group Climbing");
    assert!(bobs.trim_end().ends_with(&expected), "{bobs}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unscanned_login_stops_after_max_codes() {
    let home = tempfile::tempdir().unwrap();
    let data = home.path().join("data");
    let serve = Serve::start(home.path(), &data).await;
    let mut cmd = waweb(home.path());
    cmd.args(["login", "--print-qr", "--max-codes", "1", "--server", &serve.url(), "--session"])
        .arg(home.path().join("s.json"));
    // The server renews the code every 20 s: the second one ends the wait.
    let out = tokio::time::timeout(std::time::Duration::from_secs(60), cmd.output());
    let out = out.await.unwrap().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(String::from_utf8(out.stdout.clone()).unwrap().lines().count(), 1, "one code shown");
    assert!(stderr(&out).starts_with("error: nobody scanned the QR code"), "{}", stderr(&out));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_default_session_file_follows_xdg_config_home() {
    let home = tempfile::tempdir().unwrap();
    let config = home.path().join("xdg");
    let mut cmd = waweb(home.path());
    cmd.env("XDG_CONFIG_HOME", &config).args(["chats", "--server", "127.0.0.1:9"]);
    let out = tokio::time::timeout(WAIT, cmd.output()).await.unwrap().unwrap();
    assert_eq!(out.status.code(), Some(3), "no session");
    let expected = config.join("waweb/session.json");
    assert_eq!(
        stderr(&out),
        format!("error: no saved session at {}: run `waweb login` first\n", expected.display())
    );
}
