//! The client subcommands of the `waweb` binary against an in-memory peer (the protocol core's
//! server session behind a real websocket on 127.0.0.1, shared with the client library's tests):
//! output formats, the session file, and exit codes.

#[path = "../../waweb-client/tests/support/mod.rs"]
mod support;

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;
use support::FakeServer;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::Command;
use tokio::time::timeout;

const WAIT: Duration = Duration::from_secs(20);

fn waweb(server: &str, session: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_waweb"));
    cmd.args(args)
        .arg("--server")
        .arg(server)
        .arg("--session")
        .arg(session)
        .env_remove("WAWEB_SERVER")
        .env_remove("WAWEB_SESSION")
        .env("RUST_LOG", "warn")
        .kill_on_drop(true);
    cmd
}

struct Output {
    code: i32,
    stdout: String,
    stderr: String,
}

async fn run(server: &str, session: &Path, args: &[&str]) -> Output {
    let out = timeout(WAIT, waweb(server, session, args).output()).await.unwrap().unwrap();
    Output {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

/// Runs `waweb login --print-qr`, scans the printed QR, and checks the result.
async fn login(server: &FakeServer, session: &Path) {
    let mut child = waweb(&server.url(), session, &["login", "--print-qr"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let qr = timeout(WAIT, lines.next_line()).await.unwrap().unwrap().expect("a QR line");
    assert_eq!(qr.split(',').count(), 3, "ref,publicKey,clientId: {qr}");
    server.scan(&qr);
    let mut rest = Vec::new();
    while let Some(l) = timeout(WAIT, lines.next_line()).await.unwrap().unwrap() {
        rest.push(l);
    }
    let status = timeout(WAIT, child.wait()).await.unwrap().unwrap();
    assert!(status.success(), "login failed: {rest:?}");
    assert_eq!(rest[0], "logged in as 33612345678@c.us (Alice)");
}

fn session_in(dir: &tempfile::TempDir) -> PathBuf {
    dir.path().join("waweb/session.json")
}

#[tokio::test(flavor = "multi_thread")]
async fn login_then_every_command() {
    let server = FakeServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    let session = session_in(&dir);
    login(&server, &session).await;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&session).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "the session file is private");
    }
    let url = server.url();

    let chats = run(&url, &session, &["chats"]).await;
    assert_eq!(chats.code, 0, "{}", chats.stderr);
    assert_eq!(chats.stdout, "33698765432@c.us\tBob\t2\t2020-09-13 12:26\n");

    let hist = run(&url, &session, &["history", "33698765432@c.us", "--count", "2"]).await;
    assert_eq!(hist.code, 0, "{}", hist.stderr);
    let lines: Vec<&str> = hist.stdout.lines().collect();
    assert_eq!(lines.len(), 2);
    assert!(lines[0].contains("\tMSG4\t>\tme\ttext 4"), "{}", lines[0]);
    assert!(lines[1].contains("\tMSG5\t<\t"), "{}", lines[1]);
    assert!(hist.stderr.contains("--before MSG4"), "paging hint: {}", hist.stderr);
    let older =
        run(&url, &session, &["history", "33698765432@c.us", "--count", "2", "--before", "MSG4"])
            .await;
    let ids: Vec<&str> = older.stdout.lines().map(|l| l.split('\t').nth(1).unwrap()).collect();
    assert_eq!(ids, ["MSG2", "MSG3"]);

    let sent = run(&url, &session, &["send", "33698765432@c.us", "hello there"]).await;
    assert_eq!(sent.code, 0, "{}", sent.stderr);
    let fields: Vec<&str> = sent.stdout.trim_end().split('\t').collect();
    assert!(fields[0].starts_with("3EB0") && fields[0].len() == 20, "{fields:?}");
    assert_eq!(&fields[1..], ["server", "2023-11-14 22:13"]);

    let p = run(&url, &session, &["presence", "available"]).await;
    assert_eq!((p.code, p.stdout.as_str()), (0, "presence: available\n"), "{}", p.stderr);

    let out = run(&url, &session, &["logout"]).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(!session.exists(), "logout removes the session file");
    assert_eq!(server.pairings(), 0, "the server forgot the pairing");
    let after = run(&url, &session, &["chats"]).await;
    assert_eq!(after.code, 3, "no session: log in again ({})", after.stderr);
    assert!(after.stderr.contains("waweb login"), "{}", after.stderr);
}

#[tokio::test(flavor = "multi_thread")]
async fn listen_prints_json_lines() {
    let server = FakeServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    let session = session_in(&dir);
    login(&server, &session).await;
    let mut child = waweb(&server.url(), &session, &["listen", "--json"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut seen = Vec::new();
    let has = |seen: &[serde_json::Value], event: &str| seen.iter().any(|v| v["event"] == event);
    while !(has(&seen, "chats") && has(&seen, "battery")) && seen.len() < 20 {
        let line = timeout(WAIT, lines.next_line()).await.unwrap().unwrap().expect("a line");
        seen.push(serde_json::from_str::<serde_json::Value>(&line).unwrap());
    }
    assert_eq!(seen[0]["event"], "ready");
    assert_eq!(seen[0]["wid"], "33612345678@c.us");
    assert!(seen.iter().any(|v| v["event"] == "chats" && v["count"] == 1), "{seen:?}");
    assert!(seen.iter().any(|v| v["event"] == "battery" && v["value"] == 55), "{seen:?}");
    child.kill().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn exit_codes_say_what_went_wrong() {
    let dir = tempfile::tempdir().unwrap();
    let session = session_in(&dir);
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("ws://{}/ws", l.local_addr().unwrap())
    };
    let no_session = run(&closed, &session, &["chats"]).await;
    assert_eq!(no_session.code, 3, "{}", no_session.stderr);

    let server = FakeServer::start().await;
    login(&server, &session).await;
    let unreachable = run(&closed, &session, &["chats"]).await;
    assert_eq!(unreachable.code, 4, "{}", unreachable.stderr);
    assert!(unreachable.stderr.contains("--server"), "{}", unreachable.stderr);

    server.ignore_query("chat");
    let slow = run(&server.url(), &session, &["chats", "--timeout", "1"]).await;
    assert_eq!(slow.code, 5, "{}", slow.stderr);

    std::fs::write(&session, "not json").unwrap();
    let corrupt = run(&server.url(), &session, &["send", "x@c.us", "hi"]).await;
    assert_eq!(corrupt.code, 3, "{}", corrupt.stderr);
}

#[tokio::test(flavor = "multi_thread")]
async fn login_draws_the_qr_with_half_blocks() {
    let server = FakeServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    let mut child = waweb(&server.url(), &session_in(&dir), &["login"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut drawn = Vec::new();
    while let Some(l) = timeout(WAIT, lines.next_line()).await.unwrap().unwrap() {
        if l.starts_with("Scan this code") {
            break;
        }
        drawn.push(l);
    }
    assert!(drawn.len() >= 12, "a QR of at least 25 modules takes 13 half-block rows");
    let width = drawn[0].chars().count();
    assert!(drawn.iter().all(|l| l.chars().count() == width), "a square drawing");
    let blocks = drawn.iter().flat_map(|l| l.chars()).filter(|c| "█▀▄".contains(*c)).count();
    assert!(blocks > width, "half blocks are used: {drawn:?}");
    child.kill().await.unwrap();
}
