//! `waweb send JID TEXT` (or `--image PATH`, `--video`, `--audio [--ptt]`, `--document` with
//! `--caption`: see `send_media`): sends a message and waits for the server's acknowledgement;
//! prints `<message id>\tserver\t<time>`, then, with `--wait delivered|read`, one such line per
//! later acknowledgement until the message gets that far.

use std::process::ExitCode;
use std::time::Duration;

use waweb_client::{Ack, Event};

use super::client_common::{format_time, jid_error, out, ClientArgs};
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
    /// The recipient: a phone number, `<number>@c.us`, or a group `…@g.us`.
    #[arg(value_parser = super::jid_arg::parse)]
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

/// Runs it: through the running `waweb listen` of this session if there is one (so that it keeps
/// the session), else on a session of its own.
pub async fn run(args: Args) -> anyhow::Result<ExitCode> {
    let file = args.media.file()?;
    // The running listen relays text only; a media message is sent on a session of its own.
    #[cfg(unix)]
    if file.is_none() {
        if let Some(link) = super::forward::Link::connect(&args.client.session_path()?).await {
            return through_listen(link, &args).await;
        }
    }
    let mut s = args.client.open(args.client.options()).await?;
    let receipt = match file {
        Some(file) => super::send_media::send(&s.client, &args.jid, file).await?,
        None => {
            let text = args.text.as_deref().unwrap_or_default();
            s.client.send_text(&args.jid, text).await.map_err(|e| jid_error(e, &args.jid))?
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
            Err(_) => return Err(not_yet(goal, limit)),
        }
    }
    s.client.close();
    Ok(ExitCode::SUCCESS)
}

/// `send` through a running `waweb listen`: the same output, the acks as that listen sees them.
#[cfg(unix)]
async fn through_listen(mut link: super::forward::Link, args: &Args) -> anyhow::Result<ExitCode> {
    use super::forward::Request;
    let text = args.text.clone().unwrap_or_default();
    let request = Request::Send { jid: args.jid.clone(), text };
    let sent = link.request(&request).await?;
    let id = sent["id"].as_str().unwrap_or_default().to_string();
    out(format_args!("{id}\tserver\t{}", format_time(sent["t"].as_u64().unwrap_or(0))))?;
    let goal = match args.wait {
        WaitFor::Server => return Ok(ExitCode::SUCCESS),
        WaitFor::Delivered => Ack::Delivered,
        WaitFor::Read => Ack::Read,
    };
    let limit = Duration::from_secs(args.client.timeout.max(1));
    let acks = async {
        loop {
            let seen = link.next().await?;
            let (name, t) = (seen["ack"].as_str().unwrap_or("?"), seen["t"].as_u64().unwrap_or(0));
            out(format_args!("{id}\t{name}\t{}", format_time(t)))?;
            if seen["level"].as_i64().unwrap_or(0) >= i64::from(i32::from(goal)) {
                return anyhow::Ok(());
            }
        }
    };
    match tokio::time::timeout(limit, acks).await {
        Ok(done) => done.map(|()| ExitCode::SUCCESS),
        Err(_) => Err(not_yet(goal, limit)),
    }
}

/// The message was stored but did not get to `goal` within `limit`.
fn not_yet(goal: Ack, limit: Duration) -> anyhow::Error {
    let msg = format!(
        "the message was stored but not {} within {}s (is the recipient online?)",
        goal.name(),
        limit.as_secs()
    );
    Exit::new(TIMEOUT, msg)
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
