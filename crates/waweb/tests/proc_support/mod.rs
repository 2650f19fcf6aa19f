//! Shared by the tests that drive the `waweb` binary as child processes: spawning `waweb serve`
//! and reading its address, reading a child's stdout line by line with timeouts, pairing through
//! `waweb login --print-qr` + `waweb phone scan`, and killing every child when dropped.

// Each test file uses a different part of this module.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, BufReader, Lines};
use tokio::process::{Child, ChildStdout, Command};

/// The binary under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_waweb");

/// How long any one expected line or command may take.
pub const WAIT: Duration = Duration::from_secs(10);

/// `waweb ARGS` with a clean environment (no `WAWEB_*` or `XDG_CONFIG_HOME` from the caller,
/// `HOME` in `home`).
pub fn waweb(home: &Path) -> Command {
    with_clean_env(Command::new(BIN), home)
}

/// `waweb ARGS` as [`waweb`] makes it, run under the file mode creation mask `umask` (octal).
pub fn waweb_with_umask(home: &Path, umask: &str) -> Command {
    waweb_after(home, &format!("umask {umask}"))
}

/// `waweb ARGS` as [`waweb`] makes it, started by `sh` after `step` (a shell command that
/// changes what the process inherits, such as `umask 022` or `ulimit -n 128`).
pub fn waweb_after(home: &Path, step: &str) -> Command {
    let mut cmd = Command::new("sh");
    cmd.arg("-c").arg(format!("{step} && exec \"$0\" \"$@\"")).arg(BIN);
    with_clean_env(cmd, home)
}

fn with_clean_env(mut cmd: Command, home: &Path) -> Command {
    for var in [
        "WAWEB_SERVER",
        "WAWEB_SESSION",
        "WAWEB_ADMIN_TOKEN",
        "WAWEB_DATA_DIR",
        "WAWEB_ADMIN_URL",
        "WAWEB_STORE",
        "WAWEB_STORE_POOL",
        "XDG_CONFIG_HOME",
    ] {
        cmd.env_remove(var);
    }
    cmd.env("HOME", home).env("NO_COLOR", "1").kill_on_drop(true);
    cmd
}

/// A child whose stdout is read line by line; killed when dropped.
pub struct Proc {
    /// The process.
    pub child: Child,
    lines: Lines<BufReader<ChildStdout>>,
}

impl Proc {
    /// Spawns `cmd` with stdout piped and stderr discarded.
    pub fn spawn(cmd: Command) -> Proc {
        Proc::spawn_with_stderr(cmd, Stdio::null())
    }

    /// Spawns `cmd` with stdout piped and stderr sent to `stderr`.
    pub fn spawn_with_stderr(mut cmd: Command, stderr: Stdio) -> Proc {
        let mut child =
            cmd.stdout(Stdio::piped()).stderr(stderr).stdin(Stdio::null()).spawn().unwrap();
        let lines = BufReader::new(child.stdout.take().unwrap()).lines();
        Proc { child, lines }
    }

    /// The next stdout line, within [`WAIT`]; panics at the end of the output.
    pub async fn line(&mut self) -> String {
        match tokio::time::timeout(WAIT, self.lines.next_line()).await {
            Ok(Ok(Some(line))) => line,
            Ok(other) => panic!("the output ended: {other:?}"),
            Err(_) => panic!("no output line within {WAIT:?}"),
        }
    }

    /// Skips lines until `pick` accepts one, within [`WAIT`] in all.
    pub async fn until<T>(&mut self, mut pick: impl FnMut(&str) -> Option<T>) -> T {
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            let line = match tokio::time::timeout(left, self.lines.next_line()).await {
                Ok(Ok(Some(line))) => line,
                Ok(other) => panic!("the output ended before the expected line: {other:?}"),
                Err(_) => panic!("the expected line did not come within {WAIT:?}"),
            };
            if let Some(t) = pick(&line) {
                return t;
            }
        }
    }

    /// Waits (within [`WAIT`]) for the exit status.
    pub async fn exit_code(&mut self) -> Option<i32> {
        tokio::time::timeout(WAIT, self.child.wait())
            .await
            .expect("the process did not exit")
            .unwrap()
            .code()
    }
}

/// A `waweb serve --demo` child.
pub struct Serve {
    /// The process.
    pub proc: Proc,
    /// `host:port`.
    pub addr: String,
}

impl Serve {
    /// Starts `waweb serve --listen 127.0.0.1:0 --demo` on `data` and waits for its address.
    pub async fn start(home: &Path, data: &Path) -> Serve {
        let mut cmd = waweb(home);
        cmd.args(["serve", "--listen", "127.0.0.1:0", "--demo", "--data-dir"]).arg(data);
        Serve::spawn(Proc::spawn(cmd)).await
    }

    /// Waits for the address of a spawned `waweb serve … --listen 127.0.0.1:0`.
    pub async fn spawn(mut proc: Proc) -> Serve {
        let addr = proc
            .until(|l| {
                let rest = l.strip_prefix("waweb listening on ws://")?;
                Some(rest.trim_end_matches("/ws").to_string())
            })
            .await;
        Serve { proc, addr }
    }

    /// The websocket URL.
    pub fn url(&self) -> String {
        format!("ws://{}/ws", self.addr)
    }

    /// The admin API base URL.
    pub fn admin_url(&self) -> String {
        format!("http://{}", self.addr)
    }
}

/// Runs `waweb phone scan QR --account PHONE` against `serve`; asserts success.
pub async fn phone_scan(home: &Path, serve: &Serve, data: &Path, qr: &str, phone: &str) {
    let mut cmd = waweb(home);
    cmd.args(["phone", "scan", qr, "--account", phone, "--admin-url", &serve.admin_url()])
        .arg("--data-dir")
        .arg(data);
    let out = tokio::time::timeout(WAIT, cmd.output()).await.unwrap().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "phone scan failed: {}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains(&format!("with account {phone}")), "{stdout}");
}

/// Pairs `phone` with `waweb login --print-qr --session FILE`; returns the session file.
pub async fn cli_login(home: &Path, serve: &Serve, data: &Path, phone: &str) -> PathBuf {
    let session = home.join(format!("{phone}.json"));
    let mut cmd = waweb(home);
    cmd.args(["login", "--print-qr", "--server", &serve.url(), "--session"]).arg(&session);
    let mut login = Proc::spawn(cmd);
    let qr = login.line().await;
    assert_eq!(qr.split(',').count(), 3, "a QR string ref,key,clientId: {qr}");
    phone_scan(home, serve, data, &qr, phone).await;
    let done = login.until(|l| l.starts_with("logged in as ").then(|| l.to_string())).await;
    assert!(done.starts_with(&format!("logged in as {phone}@c.us")), "{done}");
    assert_eq!(login.exit_code().await, Some(0));
    assert!(session.is_file(), "the session is saved");
    session
}

/// The stdout of a command that must have succeeded (else its stderr is the failure).
pub fn stdout(out: &std::process::Output) -> String {
    assert!(out.status.success(), "failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout.clone()).unwrap()
}

/// Asserts a failure with exit code 1 whose message says `says`; returns stdout.
pub fn failed(out: &std::process::Output, says: &str) -> String {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains(says), "{says:?} not in {stderr:?}");
    String::from_utf8(out.stdout.clone()).unwrap()
}

/// The server tests' minimal HTTP/1.1 client (`http::get_raw` fetches a picture URL).
#[path = "../../../waweb-server/tests/support/http.rs"]
pub mod http;

/// `waweb serve --demo` with Alice (15550000001) and Bob (15550000002) logged in through the
/// CLI, each with a saved session.
pub struct Demo {
    /// The home directory every `waweb` runs with.
    pub home: tempfile::TempDir,
    /// The server.
    pub serve: Serve,
    /// Alice's session file.
    pub alice: PathBuf,
    /// Bob's session file.
    pub bob: PathBuf,
}

impl Demo {
    /// Starts the server and logs both in.
    pub async fn start() -> Demo {
        let home = tempfile::tempdir().unwrap();
        let data = home.path().join("data");
        let serve = Serve::start(home.path(), &data).await;
        let alice = cli_login(home.path(), &serve, &data, "15550000001").await;
        let bob = cli_login(home.path(), &serve, &data, "15550000002").await;
        Demo { home, serve, alice, bob }
    }

    /// `waweb ARGS` with the session `session`, not started.
    pub fn command(&self, session: &Path, args: &[&str]) -> Command {
        let mut cmd = waweb(self.home.path());
        cmd.args(args).args(["--server", &self.serve.url(), "--session"]).arg(session);
        cmd
    }

    /// Runs `waweb ARGS` with the session `session`.
    pub async fn run(&self, session: &Path, args: &[&str]) -> std::process::Output {
        let out = self.command(session, args).output();
        tokio::time::timeout(WAIT, out).await.unwrap().unwrap()
    }
}

/// The whole history of the chat `jid`, oldest first, paging backwards 50 at a time; at most
/// `max_pages` pages (a paging that does not end fails the test).
pub async fn whole_history(
    client: &waweb_client::Client,
    jid: &str,
    max_pages: usize,
) -> Vec<waweb_client::WebMessageInfo> {
    let mut pages = Vec::new();
    let mut before: Option<(String, bool)> = None;
    loop {
        let cursor = before.as_ref().map(|(id, me)| (id.as_str(), *me));
        let page = client.history(jid, 50, cursor).await.unwrap();
        let Some(key) = page.first().and_then(|m| m.key.clone()) else { break };
        before = Some((key.id.unwrap_or_default(), key.from_me.unwrap_or(false)));
        pages.push(page);
        assert!(pages.len() <= max_pages, "paging does not end");
    }
    pages.into_iter().rev().flatten().collect()
}
