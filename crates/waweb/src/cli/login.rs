//! `waweb login`: pairs this machine as a new web client. Shows the QR code (renewed as it
//! expires, redrawn in place on a terminal), waits for the phone to scan it, saves the session
//! and prints the account. Gives up after `--max-codes` codes nobody scanned.

use qrcode::render::unicode::Dense1x2;
use qrcode::QrCode;
use std::process::ExitCode;
use std::time::Duration;
use waweb_client::{session_file, Client, ClientError, Disconnect, Event};

use super::client_common::{client_error, out, spinner, ClientArgs, DEFAULT_SERVER};
use super::exit::{Exit, FAILURE, UNREACHABLE};

/// Its arguments.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    client: ClientArgs,
    /// Print each QR string on its own line on stdout instead of drawing it (for scripts).
    #[arg(long)]
    print_qr: bool,
    /// Give up once this many QR codes (a new one about every 20 s) went unscanned.
    #[arg(long, default_value_t = 6, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    max_codes: u32,
}

/// Runs it.
pub async fn run(args: Args) -> anyhow::Result<ExitCode> {
    let path = args.client.session_path()?;
    let options = args.client.options();
    let (client, mut events) = Client::connect_with(args.client.first_server(), None, options)
        .await
        .map_err(client_error)?;
    let first_qr = Duration::from_secs(args.client.timeout.max(1));
    let mut waiting: Option<indicatif::ProgressBar> = None;
    let (mut codes, mut drawn) = (0u32, 0usize);
    loop {
        let next = match waiting {
            None => tokio::time::timeout(first_qr, events.recv()).await.map_err(|_| {
                client_error(ClientError::Timeout(args.client.timeout.saturating_mul(1000)))
            })?,
            Some(_) => events.recv().await,
        };
        let Some(event) = next else {
            return Err(Exit::new(FAILURE, "the connection ended before the scan"));
        };
        match event {
            Event::Qr { code, .. } => {
                if let Some(s) = waiting.take() {
                    s.finish_and_clear();
                }
                codes += 1;
                if codes > args.max_codes {
                    client.close();
                    return Err(unscanned(args.max_codes));
                }
                drawn = show_qr(&code, args.print_qr, args.client.first_server(), drawn)?;
                waiting = Some(spinner("waiting for the phone to scan the QR code"));
            }
            Event::Ready { info, .. } => {
                if let Some(s) = waiting.take() {
                    s.finish_and_clear();
                }
                let creds = client.credentials().ok_or_else(|| {
                    Exit::new(FAILURE, "logged in but the server gave no credentials")
                })?;
                session_file::save(&path, &creds).map_err(client_error)?;
                let name = info.pushname.unwrap_or_default();
                out(format_args!("logged in as {} ({name})", info.wid))?;
                out(format_args!("session saved to {}", path.display()))?;
                client.close();
                return Ok(ExitCode::SUCCESS);
            }
            Event::Disconnected(why) => return Err(ended(why)),
            _ => {}
        }
    }
}

/// Nobody scanned any of the `max` codes.
fn unscanned(max: u32) -> anyhow::Error {
    Exit::new(
        FAILURE,
        format!(
            "nobody scanned the QR code in about {} s ({max} shown): run `waweb login` again \
             when the phone is ready, or wait longer with --max-codes",
            u64::from(max) * 20
        ),
    )
}

/// Draws the code (or prints its text with `raw`); on a terminal, over the previous one, whose
/// height is `drawn` lines. Returns the height of this one.
fn show_qr(code: &str, raw: bool, server: &str, drawn: usize) -> anyhow::Result<usize> {
    if raw {
        out(code)?;
        return Ok(0);
    }
    let qr = QrCode::new(code.as_bytes())
        .map_err(|e| Exit::new(FAILURE, format!("cannot draw the QR code: {e}")))?;
    let image = qr
        .render::<Dense1x2>()
        .dark_color(Dense1x2::Light)
        .light_color(Dense1x2::Dark)
        .quiet_zone(true)
        .build();
    let text = format!(
        "{image}\nScan this code with the phone. For a waweb server's simulated phone:\n  {}",
        scan_command(code, server)
    );
    if drawn > 0 && std::io::IsTerminal::is_terminal(&std::io::stdout()) {
        // Cursor up over the previous code, then clear to the end of the screen.
        print!("\x1b[{drawn}A\x1b[J");
    }
    out(&text)?;
    Ok(text.lines().count())
}

/// The `waweb phone scan` command that scans `code` on `server`, as the user can paste it: the
/// server is named unless it is the default (the admin token is found in `./waweb-data`).
fn scan_command(code: &str, server: &str) -> String {
    let target =
        if server == DEFAULT_SERVER { String::new() } else { format!(" --server {server}") };
    format!("waweb phone scan '{code}' --account PHONE{target}")
}

fn ended(why: Disconnect) -> anyhow::Error {
    match why {
        Disconnect::QrRefsExhausted => Exit::new(
            FAILURE,
            "no scan in time: the server stopped renewing the QR code; run `waweb login` again",
        ),
        Disconnect::Network(e) => Exit::new(
            UNREACHABLE,
            format!("the connection dropped before the scan ({e}); try again"),
        ),
        other => Exit::new(FAILURE, format!("pairing failed: {other:?}")),
    }
}
