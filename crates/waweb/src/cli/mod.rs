//! The command line: one file per subcommand, each with its clap `Args` and an async `run`.

pub mod account;
pub mod bench;
pub mod chat;
pub mod chats;
pub mod client_common;
pub mod common;
pub mod decode;
pub mod download;
pub mod event_text;
pub mod exit;
#[cfg(unix)]
pub mod forward;
pub mod group;
pub mod history;
pub mod jid_arg;
pub mod listen;
pub mod listen_socket;
pub mod login;
pub mod logout;
pub mod media_show;
pub mod migrate;
pub mod phone;
pub mod picture;
pub mod presence;
pub mod read;
pub mod receipts;
pub mod send;
pub mod send_media;
pub mod serve;
pub mod serve_media;
pub mod serve_tls;
pub mod store_args;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// A self-hostable server, client and toolbox for the legacy WhatsApp Web protocol.
#[derive(Debug, Parser)]
#[command(name = "waweb", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the server (WebSocket endpoint at /ws, web client at /, admin API at /admin) with embedded storage.
    Serve(serve::Args),
    /// Copy a data directory's SQLite store into an empty PostgreSQL store (one transaction).
    Migrate(migrate::Args),
    /// Manage the server's accounts (through a running server's admin API, or the data directory).
    #[command(subcommand)]
    Account(account::Command),
    /// Act as an account's phone (scan a web client's QR code).
    #[command(subcommand)]
    Phone(phone::Command),
    /// Pair this machine as a web client: shows a QR code and waits for the scan.
    Login(login::Args),
    /// List the chats of the logged-in account.
    Chats(chats::Args),
    /// Delete or clear a chat, star messages, list the starred ones.
    #[command(subcommand)]
    Chat(chat::Command),
    /// Create groups, show their members, add or remove members, rename, leave...
    #[command(subcommand)]
    Group(group::Command),
    /// Show the messages of a chat, oldest first, paging backwards.
    History(history::Args),
    /// Send a text message, or a picture, video, audio file or document, and wait for the
    /// server's acknowledgement.
    Send(send::Args),
    /// Download and decrypt the picture, video, audio or document of a message.
    Download(download::Args),
    /// Show who got, read and played one of our messages (each member, in a group).
    Receipts(receipts::Args),
    /// Mark a chat read (the senders see blue ticks).
    Read(read::Args),
    /// Print incoming events (messages, acks, presence...) as they arrive.
    Listen(listen::Args),
    /// Set our presence (available or unavailable).
    Presence(presence::Args),
    /// Set, remove or look up profile pictures.
    #[command(subcommand)]
    Picture(picture::Command),
    /// Log out: the server forgets this session; the session file is removed.
    Logout(logout::Args),
    /// Decode captured traffic (HAR or a server recording) into readable frames.
    Decode(decode::Args),
    /// Load-generate against a server and report throughput and latency.
    Bench(Box<bench::Args>),
}

/// Sets up `tracing` to stderr: `RUST_LOG` wins; otherwise `info` for the server, `warn` elsewhere.
pub fn init_logging(command: &Command) {
    let default = match command {
        Command::Serve(_) => "info",
        _ => "warn",
    };
    let mut filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    // The websocket library dumps whole frames at debug/trace level, and frames carry tokens and
    // secrets: those targets are capped whatever RUST_LOG says. `serve --record` shows frames.
    for quiet in ["tungstenite=info", "tokio_tungstenite=info"] {
        if let Ok(directive) = quiet.parse() {
            filter = filter.add_directive(directive);
        }
    }
    // Colour codes only for a terminal: a log file or a pipe gets plain text.
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr());
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(ansi)
        .init();
}

/// Runs one subcommand.
pub async fn run(command: Command) -> anyhow::Result<ExitCode> {
    match command {
        Command::Serve(a) => serve::run(a).await,
        Command::Account(c) => account::run(c).await,
        Command::Migrate(a) => migrate::run(a).await,
        Command::Phone(c) => phone::run(c).await,
        Command::Login(a) => login::run(a).await,
        Command::Chats(a) => chats::run(a).await,
        Command::Chat(c) => chat::run(c).await,
        Command::Group(c) => group::run(c).await,
        Command::History(a) => history::run(a).await,
        Command::Send(a) => send::run(a).await,
        Command::Download(a) => download::run(a).await,
        Command::Receipts(a) => receipts::run(a).await,
        Command::Read(a) => read::run(a).await,
        Command::Listen(a) => listen::run(a).await,
        Command::Presence(a) => presence::run(a).await,
        Command::Picture(c) => picture::run(c).await,
        Command::Logout(a) => logout::run(a).await,
        Command::Decode(a) => decode::run(a).await,
        Command::Bench(a) => bench::run(*a).await,
    }
}
