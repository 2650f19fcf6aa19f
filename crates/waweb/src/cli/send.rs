//! `waweb send JID TEXT` (or `--image PATH`, `--video`, `--audio [--ptt]`, `--document` with
//! `--caption`: see `send_media`): sends a message and waits for the server's acknowledgement;
//! prints `<message id>\tserver\t<time>`, then, with `--wait delivered|read`, one such line per
//! later acknowledgement until the message gets that far.

use std::process::ExitCode;
use std::time::Duration;

use waweb_client::{Ack, Event};

use super::client_common::{client_error, format_time, out, ClientArgs};
use super::exit::{Exit, TIMEOUT, UNREACHABLE};

/// How far the message must get before `send` returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum WaitFor {
    /// The server stored it (one tick).
    Server,
    /// The recipient's phone has it (two ticks).
    Delivered,
    /// The recipient read it (blue ticks).
    Read,
}

/// Its arguments.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    client: ClientArgs,
    /// The recipient (`<number>@c.us`, or a group `…@g.us`).
    jid: String,
    /// The text to send (not with a media file: give its caption with --caption).
    #[arg(required_unless_present = "media", conflicts_with = "media")]
    text: Option<String>,
    #[command(flatten)]
    media: super::send_media::MediaArgs,
    /// Wait until the message is acknowledged this far (within --timeout), printing each ack.
    #[arg(long, value_enum, default_value = "server")]
    wait: WaitFor,
}

/// Runs it.
pub async fn run(args: Args) -> anyhow::Result<ExitCode> {
    let file = args.media.file()?;
    let mut s = args.client.open(args.client.options()).await?;
    let receipt = match (file, &args.text) {
        (Some(file), _) => super::send_media::send(&s.client, &args.jid, file).await?,
        (None, text) => {
            let text = text.as_deref().unwrap_or_default();
            s.client.send_text(&args.jid, text).await.map_err(client_error)?
        }
    };
    out(format_args!("{}\tserver\t{}", receipt.id, format_time(receipt.t)))?;
    let goal = match args.wait {
        WaitFor::Server => None,
        WaitFor::Delivered => Some(Ack::Delivered),
        WaitFor::Read => Some(Ack::Read),
    };
    if let Some(goal) = goal {
        let limit = Duration::from_secs(args.client.timeout.max(1));
        let waited = tokio::time::timeout(limit, wait_for_ack(&mut s.events, &receipt.id, goal));
        match waited.await {
            Ok(result) => result?,
            Err(_) => {
                let msg = format!(
                    "the message was stored but not {} within {}s (is the recipient online?)",
                    goal.name(),
                    limit.as_secs()
                );
                return Err(Exit::new(TIMEOUT, msg));
            }
        }
    }
    s.client.close();
    Ok(ExitCode::SUCCESS)
}

/// Prints every ack of message `id` until one reaches `goal`.
async fn wait_for_ack(
    events: &mut waweb_client::EventStream,
    id: &str,
    goal: Ack,
) -> anyhow::Result<()> {
    while let Some(event) = events.recv().await {
        match event {
            Event::Ack { id: acked, ack, t, .. } if acked == id => {
                out(format_args!("{id}\t{}\t{}", ack.name(), format_time(t)))?;
                if ack >= goal {
                    return Ok(());
                }
            }
            Event::Disconnected(why) => {
                let msg = format!("disconnected before the ack ({why:?}); the message was stored");
                return Err(Exit::new(UNREACHABLE, msg));
            }
            _ => {}
        }
    }
    Err(Exit::new(UNREACHABLE, "the connection closed before the ack; the message was stored"))
}
