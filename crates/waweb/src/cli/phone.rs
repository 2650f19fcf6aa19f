//! `waweb phone`: act as an account's phone against a running server's admin API.

use std::process::ExitCode;
use std::time::Duration;

use serde_json::json;

use super::client_common::{admin_url_of, DEFAULT_SERVER};
use super::common::{admin_token, AdminClient, DataDir};
use super::exit::{Exit, FAILURE};

/// The subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Scan a web client's QR code: pair that browser with an account. Exits 0 once the
    /// browser has received its pairing.
    Scan(ScanArgs),
}

/// Arguments of `waweb phone scan`.
#[derive(Debug, clap::Args)]
pub struct ScanArgs {
    /// The QR code's text, `ref,publicKey,clientId` (quote it in the shell).
    pub qr: String,
    /// The phone number of the account that scans.
    #[arg(long)]
    pub account: String,
    /// The server's admin API base URL [default: the host and port of --server].
    #[arg(long, env = "WAWEB_ADMIN_URL")]
    pub admin_url: Option<String>,
    /// The server, as the client commands take it (`ws://host:port/ws`, `http://host:port` or
    /// `host:port`): its admin API is at the same host and port.
    #[arg(long, env = "WAWEB_SERVER", default_value = DEFAULT_SERVER)]
    pub server: String,
    /// The admin token; by default read from the data directory's `admin-token` file.
    #[arg(long, env = "WAWEB_ADMIN_TOKEN", hide_env_values = true)]
    pub admin_token: Option<String>,
    /// The server's data directory (to read the admin token from).
    #[command(flatten)]
    pub data: DataDir,
    /// Give up after this many seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 20)]
    pub timeout: u64,
}

/// Runs it.
pub async fn run(command: Command) -> anyhow::Result<ExitCode> {
    match command {
        Command::Scan(args) => scan(args).await,
    }
}

async fn scan(args: ScanArgs) -> anyhow::Result<ExitCode> {
    let token = admin_token(args.admin_token, &args.data)?;
    let body = json!({"qr": args.qr.trim(), "account": args.account});
    let timeout = Duration::from_secs(args.timeout.max(1));
    let admin_url = match args.admin_url {
        Some(url) => url,
        None => admin_url_of(&args.server).map_err(|e| Exit::new(FAILURE, e))?,
    };
    let admin = AdminClient::new(&admin_url, token, Some(&args.data), timeout)?;
    let answer = admin.request("POST", "/admin/scan", Some(&body)).await?;
    let message = answer.body["message"].as_str().unwrap_or("no details").to_string();
    match answer.status {
        200 => {
            let client = answer.body["clientId"].as_str().unwrap_or("?");
            println!("paired browser {client} with account {}", args.account);
            Ok(ExitCode::SUCCESS)
        }
        401 => Err(Exit::new(FAILURE, "the server refused the admin token")),
        404 => Err(Exit::new(FAILURE, format!("cannot pair: {message}"))),
        400 => Err(Exit::new(FAILURE, format!("malformed QR code: {message}"))),
        other => Err(Exit::new(FAILURE, format!("the server answered {other}: {message}"))),
    }
}
