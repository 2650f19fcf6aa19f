//! `waweb history JID`: the messages of a chat, oldest first, one per line:
//! `time  id  direction  sender  text`. `--before ID` pages backwards from a message.

use std::process::ExitCode;
use waweb_client::{Client, ClientError, WebMessageInfo};

use super::client_common::{client_error, format_time, out, ClientArgs};

/// Its arguments.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    client: ClientArgs,
    /// The chat (`<number>@c.us` or a group `…@g.us`).
    jid: String,
    /// How many messages at most.
    #[arg(long, default_value_t = 20)]
    count: u32,
    /// Show messages older than this message id (the first id of the previous page).
    #[arg(long, value_name = "ID")]
    before: Option<String>,
}

/// Runs it.
pub async fn run(args: Args) -> anyhow::Result<ExitCode> {
    let s = args.client.open(args.client.options()).await?;
    let page = fetch(&s.client, &args.jid, args.count, args.before.as_deref())
        .await
        .map_err(client_error)?;
    for m in &page {
        out(line(m))?;
    }
    if let Some(first) = page.first().and_then(|m| m.key.as_ref()).and_then(|k| k.id.as_deref()) {
        if page.len() >= args.count as usize {
            eprintln!("older messages: waweb history {} --before {first}", args.jid);
        }
    } else {
        eprintln!("no messages");
    }
    s.client.close();
    Ok(ExitCode::SUCCESS)
}

/// One page. Message ids are unique per direction only, so an id given without its direction is
/// tried as a received message first, then as one of ours.
async fn fetch(
    client: &Client,
    jid: &str,
    count: u32,
    before: Option<&str>,
) -> Result<Vec<WebMessageInfo>, ClientError> {
    let Some(id) = before else {
        return client.history(jid, count, None).await;
    };
    let theirs = client.history(jid, count, Some((id, false))).await?;
    if !theirs.is_empty() {
        return Ok(theirs);
    }
    client.history(jid, count, Some((id, true))).await
}

/// One message as a tab-separated line: `time  id  direction  sender  text`.
pub(super) fn line(m: &WebMessageInfo) -> String {
    let key = m.key.clone().unwrap_or_default();
    let from_me = key.from_me.unwrap_or(false);
    let sender = if from_me {
        "me".to_string()
    } else {
        m.push_name.clone().or(key.participant).or(key.remote_jid).unwrap_or_default()
    };
    let text = m.text().map_or_else(|| "<not text>".to_string(), |t| t.replace('\n', " "));
    format!(
        "{}\t{}\t{}\t{}\t{}",
        format_time(m.message_timestamp.unwrap_or(0)),
        key.id.unwrap_or_default(),
        if from_me { ">" } else { "<" },
        sender,
        text
    )
}
