//! `waweb serve`: runs the server until SIGINT or SIGTERM.
//!
//! Prints `waweb listening on ws://ADDR/ws` on stdout once bound (with the real port when
//! `--listen` asks for port 0), so scripts can wait for that line.

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;
use waweb_server::store::AccountStore;
use waweb_server::Server;

use super::common::DataDir;

/// Its arguments.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Address and port to listen on (port 0 picks a free one).
    #[arg(long, env = "WAWEB_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    /// Where the database and the admin token live.
    #[command(flatten)]
    pub data: DataDir,
    /// The store (SQLite in the data directory, or PostgreSQL).
    #[command(flatten)]
    pub store: super::store_args::StoreArgs,
    /// The admin API token; by default one is created in the data directory (`admin-token`).
    #[arg(long, env = "WAWEB_ADMIN_TOKEN", hide_env_values = true)]
    pub admin_token: Option<String>,
    /// Largest websocket message accepted, in bytes; larger ones close the connection.
    #[arg(long, env = "WAWEB_MAX_FRAME_BYTES", default_value_t = 1 << 20)]
    pub max_frame_bytes: usize,
    /// Close connections that sent nothing (not even a keepalive) for this many seconds.
    #[arg(long, env = "WAWEB_IDLE_TIMEOUT", value_name = "SECONDS", default_value_t = 90)]
    pub idle_timeout: u64,
    /// Most connections open at once; beyond it new ones are closed at once (keep it under the
    /// process's file limit).
    #[arg(long, env = "WAWEB_MAX_CONNECTIONS", default_value_t = 10_000)]
    pub max_connections: usize,
    /// Close a connection that has not sent its HTTP request (the websocket upgrade) within
    /// this many seconds; idle HTTP keep-alive connections too.
    #[arg(long, env = "WAWEB_HANDSHAKE_TIMEOUT", value_name = "SECONDS", default_value_t = 10)]
    pub handshake_timeout: u64,
    /// Close a websocket that neither logs in nor asks for a QR code within this many seconds.
    #[arg(long, env = "WAWEB_LOGIN_TIMEOUT", value_name = "SECONDS", default_value_t = 20)]
    pub login_timeout: u64,
    /// Create demo accounts (with contacts) when the database has no account, and list them.
    #[arg(long)]
    pub demo: bool,
    /// Record every connection's frames and keys under DIR (for `waweb decode`). Secret!
    #[arg(long, env = "WAWEB_RECORD", value_name = "DIR")]
    pub record: Option<PathBuf>,
    /// The URL clients reach this server at over HTTP, for the profile picture URLs it hands
    /// out (default: `http://` and the listening address). Set it behind a proxy.
    #[arg(long, env = "WAWEB_PUBLIC_URL", value_name = "URL", value_parser = http_url)]
    pub public_url: Option<String>,
    /// Share live delivery with other server nodes through this NATS server (nats://HOST:PORT);
    /// every node must use the same database. Without it this node delivers alone, in process.
    #[arg(long, env = "WAWEB_BUS", value_name = "URL", value_parser = nats_url, hide_env_values = true)]
    pub bus: Option<String>,
    /// Media hosting.
    #[command(flatten)]
    pub media: super::serve_media::MediaArgs,
    /// TLS.
    #[command(flatten)]
    pub tls: super::serve_tls::TlsArgs,
}

/// Accepts an `http://` or `https://` URL.
fn http_url(value: &str) -> Result<String, String> {
    let rest = value.strip_prefix("http://").or_else(|| value.strip_prefix("https://"));
    match rest {
        Some(host) if !host.is_empty() => Ok(value.to_owned()),
        _ => Err("expected an http:// or https:// URL, such as https://chat.example.org".into()),
    }
}

/// Accepts a `nats://` (or `tls://`) URL.
fn nats_url(value: &str) -> Result<String, String> {
    let rest = value.strip_prefix("nats://").or_else(|| value.strip_prefix("tls://"));
    match rest {
        Some(host) if !host.is_empty() => Ok(value.to_owned()),
        _ => Err("expected a nats:// URL, such as nats://127.0.0.1:4222".into()),
    }
}

/// Runs it.
pub async fn run(args: Args) -> anyhow::Result<ExitCode> {
    let mut config = args.data.config();
    args.store.apply(&mut config);
    config.listen = args.listen;
    config.admin_token = args.admin_token;
    config.max_frame_bytes = args.max_frame_bytes;
    config.bus = args.bus;
    config.session.idle_timeout_ms = args.idle_timeout.saturating_mul(1000).max(1);
    config.max_connections = args.max_connections.max(1);
    config.handshake_timeout = Duration::from_secs(args.handshake_timeout.max(1));
    config.login_timeout = Duration::from_secs(args.login_timeout.max(1));
    config.record_dir = args.record;
    config.public_url = args.public_url;
    config.media = args.media.config();
    config.tls = args.tls.source(config.public_url.as_deref());
    if config.record_dir.is_some() {
        tracing::warn!("recording is on: session logs contain keys and tokens");
    }
    // Only when the server keeps its token in a file: with --admin-token, none is created.
    let token_file = config.admin_token.is_none().then(|| config.admin_token_path());
    let server = Server::bind(config).await.context("cannot start the server")?;
    if args.demo {
        seed_demo(&server).await?;
    }
    let addr = server.local_addr();
    let ws = if server.is_tls() { "wss" } else { "ws" };
    let http = if server.is_tls() { "https" } else { "http" };
    if let Some(cert) = server.self_signed_cert() {
        eprintln!(
            "TLS with a self-signed certificate: clients must trust {cert} (Node: \
             NODE_EXTRA_CA_CERTS={cert}; curl: --cacert {cert})",
            cert = cert.display()
        );
    }
    println!("waweb listening on {ws}://{addr}/ws");
    println!("web client at {http}://{addr}/ (the phone page: {http}://{addr}/phone)");
    std::io::stdout().flush().context("stdout")?;
    let admin = format!("{http}://{addr}/admin");
    match token_file {
        Some(file) => tracing::info!(%admin, token_file = %file.display(), "admin API ready"),
        None => tracing::info!(%admin, "admin API ready (token from --admin-token)"),
    }
    server.run(shutdown_signal()).await.context("the server failed")?;
    Ok(ExitCode::SUCCESS)
}

async fn seed_demo(server: &Server) -> anyhow::Result<()> {
    let store = server.store();
    let mut accounts = store.accounts().await?;
    if accounts.is_empty() {
        waweb_server::demo::seed(&*store).await.context("cannot seed the demo accounts")?;
        accounts = store.accounts().await?;
    }
    for a in accounts {
        println!("account {} {}", a.phone, a.pushname);
    }
    Ok(())
}

/// Resolves on SIGINT (Ctrl-C) or, on Unix, SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = term => {}
    }
}
