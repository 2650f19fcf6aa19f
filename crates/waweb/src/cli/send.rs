//! `waweb send JID TEXT`: sends a text message and waits for the server's acknowledgement;
//! prints `<message id>\tserver\t<time>`.

use std::process::ExitCode;

use super::client_common::{client_error, format_time, out, ClientArgs};

/// Its arguments.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    client: ClientArgs,
    /// The recipient (`<number>@c.us`, or a group `…@g.us`).
    jid: String,
    /// The text to send.
    text: String,
}

/// Runs it.
pub async fn run(args: Args) -> anyhow::Result<ExitCode> {
    let s = args.client.open(args.client.options()).await?;
    let receipt = s.client.send_text(&args.jid, &args.text).await.map_err(client_error)?;
    out(format_args!("{}\tserver\t{}", receipt.id, format_time(receipt.t)))?;
    s.client.close();
    Ok(ExitCode::SUCCESS)
}
