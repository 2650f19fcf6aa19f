//! `waweb receipts JID ID`: who got, read and played one of our messages, one line per
//! receipt: `level  jid  time` (level `delivered`, `read` or `played`), or one JSON object with
//! `--json`. In a group, `delivered` names every member the message went to and `read` those
//! who read it. Exit code 1 for a message that is not one of ours.

use std::process::ExitCode;

use serde_json::{json, Value};
use waweb_client::{ClientError, MessageInfo, Receipt};

use super::client_common::{client_error, format_time, out, ClientArgs};
use super::exit::{Exit, FAILURE};

/// Its arguments.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    client: ClientArgs,
    /// The chat the message was sent to: a phone number, `<number>@c.us`, or a group `…@g.us`.
    #[arg(value_parser = super::jid_arg::parse)]
    jid: String,
    /// The message id, as `waweb send` or `waweb history` print it (one of our messages).
    id: String,
    /// Print `{"jid","id","delivered":[{"jid","t"}],"read":[…],"played":[…]}` instead (times
    /// in unix seconds).
    #[arg(long)]
    json: bool,
}

/// Runs it.
pub async fn run(args: Args) -> anyhow::Result<ExitCode> {
    let jid = args.jid.clone();
    let s = args.client.open(args.client.options()).await?;
    let info = s.client.message_info(&jid, &args.id).await;
    s.client.close();
    let info = info.map_err(|e| receipts_error(e, &jid, &args.id))?;
    if args.json {
        out(as_json(&jid, &args.id, &info))?;
        return Ok(ExitCode::SUCCESS);
    }
    for (level, receipt) in levels(&info) {
        out(format_args!("{level}\t{}\t{}", receipt.jid, format_time(receipt.t)))?;
    }
    if info.is_empty() {
        eprintln!("no receipts yet: nobody has received it");
    }
    Ok(ExitCode::SUCCESS)
}

/// Every receipt with its level: delivered, then read, then played.
fn levels(info: &MessageInfo) -> impl Iterator<Item = (&'static str, &Receipt)> {
    let delivered = info.delivered.iter().map(|r| ("delivered", r));
    let read = info.read.iter().map(|r| ("read", r));
    let played = info.played.iter().map(|r| ("played", r));
    delivered.chain(read).chain(played)
}

fn as_json(jid: &str, id: &str, info: &MessageInfo) -> Value {
    let list = |receipts: &[Receipt]| -> Value {
        receipts.iter().map(|r| json!({"jid": r.jid, "t": r.t})).collect()
    };
    json!({
        "jid": jid,
        "id": id,
        "delivered": list(&info.delivered),
        "read": list(&info.read),
        "played": list(&info.played),
    })
}

/// A library error, with what a 404 means here.
fn receipts_error(e: ClientError, jid: &str, id: &str) -> anyhow::Error {
    match &e {
        ClientError::Status(404) => Exit::new(
            FAILURE,
            format!(
                "{id} is not one of your messages in {jid}: only the sender sees receipts ({e})"
            ),
        ),
        _ => client_error(e),
    }
}
