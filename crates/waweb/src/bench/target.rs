//! The server under test: a child process started from this same binary (`waweb serve`, or the
//! hidden echo server), a server inside this process (`--in-process`), or a server given with
//! `--server`.
//!
//! A child runs with `RUST_LOG=warn` by default (per-connection logs would cost CPU the bench
//! measures; `--server-log` changes it), its output goes to `server.log` in its data directory,
//! and it is killed when the target drops.

use super::resources::Pid;
use anyhow::Context;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncWriteExt, BufReader};
use tokio::process::{Child, Command};
use tokio::sync::mpsc;

/// The line `waweb serve` prints once it accepts connections.
pub const SERVE_LISTENING: &str = "listening on ws://";

/// Where the clients connect and how to administer the server.
pub struct Target {
    /// The websocket URL (`ws://127.0.0.1:PORT/ws`).
    pub url: String,
    /// The other nodes of a cluster given with `--server a,b,…` (none otherwise).
    pub other_nodes: Vec<String>,
    /// The admin API token, when known.
    pub admin_token: Option<String>,
    /// The server process, when the bench can observe it.
    pub pid: Option<Pid>,
    /// The spawned server's data directory.
    pub data_dir: Option<PathBuf>,
    child: Option<Child>,
    inside: Option<Inside>,
    _data: Option<tempfile::TempDir>,
}

/// A server running in this process: how to stop it and wait for it.
struct Inside {
    stop: tokio::sync::oneshot::Sender<()>,
    done: tokio::task::JoinHandle<()>,
}

impl Target {
    /// A server started elsewhere: one URL, or the comma-separated URLs of a cluster's nodes.
    pub fn external(urls: &str, admin_token: Option<String>) -> Self {
        let mut nodes = urls.split(',').map(|u| u.trim().to_owned()).filter(|u| !u.is_empty());
        let url = nodes.next().unwrap_or_default();
        Target {
            url,
            other_nodes: nodes.collect(),
            admin_token,
            pid: None,
            data_dir: None,
            child: None,
            inside: None,
            _data: None,
        }
    }

    /// The node client `i` connects to: node `i mod N` of the `N` nodes, so with two nodes the
    /// two clients of a pair (`i`, `i ^ 1`) are on different nodes.
    pub fn node_url(&self, i: usize) -> &str {
        match i % (self.other_nodes.len() + 1) {
            0 => &self.url,
            k => &self.other_nodes[k - 1],
        }
    }

    /// Every node's URL, the first one first.
    pub fn node_urls(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.url.as_str()).chain(self.other_nodes.iter().map(String::as_str))
    }

    /// Starts `waweb serve` on a free loopback port with `data_dir` (or a temporary directory),
    /// logging what `log_filter` (its `RUST_LOG`) lets through.
    pub async fn spawn_server(data_dir: Option<&Path>, log_filter: &str) -> anyhow::Result<Self> {
        let (dir, temp) = data_dir_or_temp(data_dir)?;
        let args = ["serve", "--listen", "127.0.0.1:0", "--data-dir"];
        let token = fresh_token();
        let mut cmd = Command::new(std::env::current_exe()?);
        // The token goes through the environment, not the command line other users can read.
        cmd.args(args).arg(&dir).env("WAWEB_ADMIN_TOKEN", &token).env("RUST_LOG", log_filter);
        let (child, url) = start(cmd, &dir, SERVE_LISTENING).await?;
        let pid = child.id().map(Pid::Other);
        Ok(Target {
            other_nodes: Vec::new(),
            url,
            admin_token: Some(token),
            pid,
            data_dir: Some(dir),
            child: Some(child),
            inside: None,
            _data: temp,
        })
    }

    /// Starts the echo server (`waweb bench --serve-echo 127.0.0.1:0`).
    pub async fn spawn_echo() -> anyhow::Result<Self> {
        let temp = tempfile::Builder::new().prefix("waweb-echo-").tempdir()?;
        let mut cmd = Command::new(std::env::current_exe()?);
        cmd.args(["bench", "--serve-echo", "127.0.0.1:0"]);
        cmd.env("RUST_LOG", "warn");
        let (child, url) = start(cmd, temp.path(), super::echo::LISTENING).await?;
        let pid = child.id().map(Pid::Other);
        Ok(Target {
            other_nodes: Vec::new(),
            url,
            admin_token: None,
            pid,
            data_dir: None,
            child: Some(child),
            inside: None,
            _data: Some(temp),
        })
    }

    /// Runs the server inside this process (its CPU and memory are then this process's, the
    /// load generator's included). It is stopped gracefully, so no durability check follows.
    pub async fn in_process(data_dir: Option<&Path>) -> anyhow::Result<Self> {
        let (dir, temp) = data_dir_or_temp(data_dir)?;
        let mut config = waweb_server::Config::new(&dir);
        config.listen = std::net::SocketAddr::from(([127, 0, 0, 1], 0));
        config.admin_token = Some(fresh_token());
        let server = waweb_server::Server::bind(config).await.context("starting the server")?;
        let url = format!("ws://{}/ws", server.local_addr());
        let token = server.admin_token().to_string();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let done = tokio::spawn(async move {
            let shutdown = async move {
                let _ = stopped.await;
            };
            if let Err(e) = server.run(shutdown).await {
                tracing::warn!(error = %e, "the in-process server failed");
            }
        });
        Ok(Target {
            other_nodes: Vec::new(),
            url,
            admin_token: Some(token),
            pid: Some(Pid::This),
            data_dir: None,
            child: None,
            inside: Some(Inside { stop, done }),
            _data: temp,
        })
    }

    /// Kills the child at once (SIGKILL: no chance to flush anything) or stops the in-process
    /// server, and waits for it.
    pub async fn kill(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill().await;
        }
        if let Some(inside) = self.inside.take() {
            let _ = inside.stop.send(());
            let _ = inside.done.await;
        }
    }
}

/// Spawns `cmd`, copies its output to `dir/server.log`, and waits for the line containing
/// `marker` followed by the URL.
async fn start(
    mut cmd: Command,
    dir: &Path,
    marker: &'static str,
) -> anyhow::Result<(Child, String)> {
    cmd.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped()).kill_on_drop(true);
    let mut child = cmd.spawn().context("starting the server process")?;
    let (tx, mut rx) = mpsc::channel(2);
    let log = dir.join("server.log");
    if let Some(out) = child.stdout.take() {
        tokio::spawn(copy_lines(out, log.clone(), marker, tx.clone()));
    }
    if let Some(err) = child.stderr.take() {
        tokio::spawn(copy_lines(err, log.clone(), marker, tx));
    }
    let url = tokio::time::timeout(Duration::from_secs(30), rx.recv())
        .await
        .ok()
        .flatten()
        .with_context(|| format!("the server did not start; see {}", log.display()))?;
    Ok((child, url))
}

/// Appends every line to `log`; sends the URL found after `marker` on the first such line.
async fn copy_lines(
    from: impl AsyncRead + Unpin,
    log: PathBuf,
    marker: &'static str,
    found: mpsc::Sender<String>,
) {
    let mut lines = BufReader::new(from).lines();
    let mut file = tokio::fs::OpenOptions::new().create(true).append(true).open(&log).await.ok();
    while let Ok(Some(line)) = lines.next_line().await {
        if let Some(url) = url_after(&line, marker) {
            let _ = found.send(url).await;
        }
        if let Some(f) = file.as_mut() {
            let _ = f.write_all(format!("{line}\n").as_bytes()).await;
        }
    }
}

/// `ws://…` taken from a line containing `marker` (which ends with `ws://`).
pub fn url_after(line: &str, marker: &str) -> Option<String> {
    let at = line.find(marker)? + marker.len() - "ws://".len();
    let url = line.get(at..)?.split_whitespace().next()?;
    Some(url.to_string())
}

/// `data_dir` (created if needed), or a fresh temporary directory removed with the target.
fn data_dir_or_temp(
    data_dir: Option<&Path>,
) -> anyhow::Result<(PathBuf, Option<tempfile::TempDir>)> {
    let (dir, temp) = match data_dir {
        Some(d) => (d.to_path_buf(), None),
        None => {
            let t = tempfile::Builder::new().prefix("waweb-bench-").tempdir()?;
            (t.path().to_path_buf(), Some(t))
        }
    };
    std::fs::create_dir_all(&dir)?;
    Ok((dir, temp))
}

/// A random admin token for a spawned server (32 hex digits).
fn fresh_token() -> String {
    let bytes: [u8; 16] = rand::random();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_found_after_the_marker() {
        let l = "2026-01-01T00:00:00Z INFO waweb listening on ws://127.0.0.1:41234/ws (admin at /admin)";
        assert_eq!(url_after(l, SERVE_LISTENING).as_deref(), Some("ws://127.0.0.1:41234/ws"));
        assert_eq!(
            url_after("echo listening on ws://127.0.0.1:9/ws", crate::bench::echo::LISTENING)
                .as_deref(),
            Some("ws://127.0.0.1:9/ws")
        );
        assert_eq!(url_after("waweb starting", SERVE_LISTENING), None);
    }

    #[test]
    fn the_clients_of_a_pair_land_on_different_nodes() {
        let t = Target::external("ws://a/ws, ws://b/ws", None);
        let nodes: Vec<&str> = (0..4).map(|i| t.node_url(i)).collect();
        assert_eq!(nodes, ["ws://a/ws", "ws://b/ws", "ws://a/ws", "ws://b/ws"]);
        assert_ne!(t.node_url(6), t.node_url(6 ^ 1));
        let single = Target::external("ws://a/ws", None);
        assert_eq!((single.node_url(0), single.node_url(1)), ("ws://a/ws", "ws://a/ws"));
    }
}
