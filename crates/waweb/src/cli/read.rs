//! `waweb read JID`: marks a chat read up to its newest message from the other side, as opening
//! the chat does on a phone. The senders then see their messages read (blue ticks), which is
//! what `waweb send --wait read` waits for. Prints `marked JID read up to ID`.

use std::process::ExitCode;

use waweb_client::{Client, WebMessageInfo};

use super::client_common::{jid_error, out, ClientArgs};
use super::exit::{Exit, FAILURE};
use super::history::has_chat;

/// How many of the latest messages are searched for one from the other side.
const LOOK_BACK: u32 = 50;

/// Its arguments.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    client: ClientArgs,
    /// The chat: a phone number, `<number>@c.us`, or a group `…@g.us`.
    #[arg(value_parser = super::jid_arg::parse)]
    jid: String,
}

/// Runs it: through the running `waweb listen` of this session if there is one (so that it keeps
/// the session), else on a session of its own.
pub async fn run(args: Args) -> anyhow::Result<ExitCode> {
    #[cfg(unix)]
    if let Some(mut link) = super::forward::Link::connect(&args.client.session_path()?).await {
        let request = super::forward::Request::Read { jid: args.jid.clone() };
        let answer = link.request(&request).await?;
        return report(&args.jid, answer["read"].as_str().map(str::to_owned));
    }
    let s = args.client.open(args.client.options()).await?;
    let marked = mark_read(&s.client, &args.jid).await;
    s.client.close();
    report(&args.jid, marked?)
}

/// Says what was marked.
fn report(jid: &str, marked: Option<String>) -> anyhow::Result<ExitCode> {
    match marked {
        Some(id) => out(format_args!("marked {jid} read up to {id}"))?,
        None => eprintln!("nothing to mark read: no message from the other side in {jid}"),
    }
    Ok(ExitCode::SUCCESS)
}

/// Marks `jid` read up to its newest received message; returns that message's id, or `None` if
/// the latest messages hold none from the other side. An unknown chat is an error.
pub async fn mark_read(client: &Client, jid: &str) -> anyhow::Result<Option<String>> {
    let page = client.history(jid, LOOK_BACK, None).await.map_err(|e| jid_error(e, jid))?;
    if page.is_empty() && !has_chat(client, jid).await? {
        let msg = format!("no chat with {jid} (`waweb chats` lists them)");
        return Err(Exit::new(FAILURE, msg));
    }
    let Some(id) = page.iter().rev().find_map(received_id) else { return Ok(None) };
    client.read(jid, &id).await.map_err(|e| jid_error(e, jid))?;
    Ok(Some(id))
}

/// The id of a message from the other side (not a system message).
pub(super) fn received_id(m: &WebMessageInfo) -> Option<String> {
    let key = m.key.as_ref()?;
    (!key.from_me.unwrap_or(false) && !m.is_system()).then(|| key.id.clone()).flatten()
}
