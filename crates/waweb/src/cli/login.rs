//! `waweb login`: pairs this machine as a new web client. Shows the QR code (renewed as it
//! expires), waits for the phone to scan it, saves the session and prints the account.

use qrcode::render::unicode::Dense1x2;
use qrcode::QrCode;
use std::process::ExitCode;
use std::time::Duration;
use waweb_client::{session_file, Client, ClientError, Disconnect, Event};

use super::client_common::{client_error, out, spinner, ClientArgs};
use super::exit::{Exit, FAILURE, UNREACHABLE};

/// Its arguments.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    client: ClientArgs,
    /// Print each QR string on its own line on stdout instead of drawing it (for scripts).
    #[arg(long)]
    print_qr: bool,
}

/// Runs it.
pub async fn run(args: Args) -> anyhow::Result<ExitCode> {
    let path = args.client.session_path()?;
    let options = args.client.options();
    let (client, mut events) =
        Client::connect_with(&args.client.server, None, options).await.map_err(client_error)?;
    let first_qr = Duration::from_secs(args.client.timeout.max(1));
    let mut waiting: Option<indicatif::ProgressBar> = None;
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
                show_qr(&code, args.print_qr)?;
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

fn show_qr(code: &str, raw: bool) -> anyhow::Result<()> {
    if raw {
        return out(code);
    }
    let qr = QrCode::new(code.as_bytes())
        .map_err(|e| Exit::new(FAILURE, format!("cannot draw the QR code: {e}")))?;
    let image = qr
        .render::<Dense1x2>()
        .dark_color(Dense1x2::Light)
        .light_color(Dense1x2::Dark)
        .quiet_zone(true)
        .build();
    out(image)?;
    out(format!(
        "Scan this code with the phone. For a waweb server's simulated phone:\n  \
         waweb phone scan '{code}' --account PHONE"
    ))
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
