//! `waweb chats`: one line per chat, most recent first: JID, name, unread count, last activity.
//! Columns are tab-separated so scripts can `cut` them.

use std::collections::HashMap;
use std::process::ExitCode;

use super::client_common::{client_error, format_time, out, ClientArgs};

/// Its arguments.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    client: ClientArgs,
}

/// Runs it.
pub async fn run(args: Args) -> anyhow::Result<ExitCode> {
    let s = args.client.open(args.client.options()).await?;
    let mut chats = s.client.chats().await.map_err(client_error)?;
    let contacts = s.client.contacts().await.map_err(client_error)?;
    let names: HashMap<String, String> = contacts
        .into_iter()
        .filter_map(|c| {
            let name = c.name.or(c.notify).or(c.short)?;
            Some((c.jid, name))
        })
        .collect();
    chats.sort_by_key(|c| std::cmp::Reverse(c.t));
    for chat in &chats {
        let name = chat.name.clone().or_else(|| names.get(&chat.jid).cloned()).unwrap_or_default();
        let last = if chat.t == 0 { "-".to_string() } else { format_time(chat.t) };
        out(format_args!("{}\t{}\t{}\t{}", chat.jid, name, chat.unread, last))?;
    }
    if chats.is_empty() {
        eprintln!("no chats yet");
    }
    s.client.close();
    Ok(ExitCode::SUCCESS)
}
