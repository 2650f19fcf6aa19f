//! Shared by the tests that attack a live `waweb serve` over real sockets (the robustness suite
//! and the soak): the server as a child process with its log in a file, its resident memory read
//! from `/proc`, accounts and pairings through the admin API, and the server crate's protocol
//! test client (a real websocket with raw access) for logged-in sessions.

// Each test file uses a different part of this module.
#![allow(dead_code)]

#[path = "../../../waweb-server/tests/support/client.rs"]
pub mod client;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;

use serde_json::json;
use waweb_proto::session::Credentials;

pub use client::{assert_alive, now, wait_for, Client};

#[path = "../proc_support/mod.rs"]
mod proc_support;
pub use proc_support::http;
use proc_support::{waweb, waweb_after, Proc};

/// A `waweb serve` child on a fresh data directory, logging to a file.
pub struct Live {
    /// The process (killed when dropped).
    pub proc: Proc,
    /// Where it listens.
    pub addr: SocketAddr,
    /// Its log (stderr).
    pub log: PathBuf,
    /// Its admin token.
    pub token: String,
    /// Holds the data directory and the log.
    pub home: tempfile::TempDir,
}

impl Live {
    /// Starts `waweb serve --demo` with `extra` flags at `RUST_LOG=rust_log`, under a file
    /// limit of `max_files` descriptors when given.
    pub async fn start(extra: &[&str], rust_log: &str, max_files: Option<u32>) -> Live {
        let home = tempfile::tempdir().unwrap();
        let data = home.path().join("data");
        let log = home.path().join("server.log");
        let mut cmd = match max_files {
            // The shell lowers its file limit, then becomes the server.
            Some(n) => waweb_after(home.path(), &format!("ulimit -n {n}")),
            None => waweb(home.path()),
        };
        cmd.env("RUST_LOG", rust_log)
            .args(["serve", "--listen", "127.0.0.1:0", "--demo", "--data-dir"])
            .arg(&data)
            .args(extra);
        let file = std::fs::File::create(&log).unwrap();
        let mut proc = Proc::spawn_with_stderr(cmd, Stdio::from(file));
        let addr = proc
            .until(|l| {
                Some(
                    l.strip_prefix("waweb listening on ws://")?.trim_end_matches("/ws").to_string(),
                )
            })
            .await;
        let token = match extra.iter().position(|f| *f == "--admin-token") {
            Some(i) => extra[i + 1].to_string(),
            None => std::fs::read_to_string(data.join("admin-token")).unwrap().trim().to_string(),
        };
        Live { proc, addr: addr.parse().unwrap(), log, token, home }
    }

    /// The server's resident memory, in MiB (from `/proc/<pid>/status`).
    pub fn rss_mib(&self) -> f64 {
        let pid = self.proc.child.id().expect("the server is running");
        let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
        let kib: f64 = status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .expect("VmRSS in /proc/<pid>/status");
        kib / 1024.0
    }

    /// Whether the server process is still running.
    pub fn running(&mut self) -> bool {
        self.proc.child.try_wait().unwrap().is_none()
    }

    /// What the server logged so far.
    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap()
    }

    /// Creates an account through the admin API.
    pub async fn account(&self, phone: &str, name: &str) {
        let body = json!({"phone": phone, "name": name});
        let (status, answer) =
            http::request(self.addr, "POST", "/admin/accounts", Some(&self.token), Some(&body))
                .await;
        assert!(status == 200 || status == 201, "account {phone}: {status} {answer}");
    }

    /// Pairs a new client with `account` (QR scanned through the admin API).
    pub async fn pair(&self, account: &str) -> (Client, Credentials) {
        let mut client = Client::connect(self.addr, None).await;
        let qr = client.qr().await;
        let body = json!({"qr": qr, "account": account});
        let (status, answer) =
            http::request(self.addr, "POST", "/admin/scan", Some(&self.token), Some(&body)).await;
        assert_eq!(status, 200, "scan answered {answer}");
        let creds = client.logged_in().await;
        (client, creds)
    }

    /// Waits until the server's resident memory is at most `mib` (it may take a moment to
    /// hand freed memory back), within `limit`; the last reading.
    pub async fn settle_rss(&self, mib: f64, limit: Duration) -> f64 {
        let deadline = tokio::time::Instant::now() + limit;
        loop {
            let rss = self.rss_mib();
            if rss <= mib || tokio::time::Instant::now() >= deadline {
                return rss;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }
}
