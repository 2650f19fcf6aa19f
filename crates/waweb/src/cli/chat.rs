//! `waweb chat …`: changes to one chat of the logged-in account, for this account only (the
//! other side keeps its copies): `delete`, `clear`, `star`/`unstar` messages, and `starred`, the
//! starred messages (one per line, as `waweb history` prints them).

use std::process::ExitCode;

use super::client_common::{client_error, out, ClientArgs};
use super::history::line;

/// Its subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Delete the chat and its messages (a new message starts it again).
    Delete(Target),
    /// Delete the chat's messages; the chat stays in the list.
    Clear {
        #[command(flatten)]
        target: Target,
        /// Keep the starred messages.
        #[arg(long)]
        keep_starred: bool,
    },
    /// Star messages of the chat, by id (ours or theirs).
    Star(Messages),
    /// Unstar messages of the chat, by id.
    Unstar(Messages),
    /// List the starred messages, of one chat or of all.
    Starred {
        #[command(flatten)]
        client: ClientArgs,
        /// Only this chat (a phone number, `<number>@c.us`, or a group `…@g.us`).
        #[arg(value_parser = super::jid_arg::parse)]
        jid: Option<String>,
        /// How many at most (the latest ones).
        #[arg(long, default_value_t = 20)]
        count: u32,
    },
}

/// One chat.
#[derive(Debug, clap::Args)]
pub struct Target {
    #[command(flatten)]
    client: ClientArgs,
    /// The chat: a phone number, `<number>@c.us`, or a group `…@g.us`.
    #[arg(value_parser = super::jid_arg::parse)]
    jid: String,
}

/// Messages of one chat.
#[derive(Debug, clap::Args)]
pub struct Messages {
    #[command(flatten)]
    target: Target,
    /// Message ids, as `waweb history` prints them.
    #[arg(required = true)]
    ids: Vec<String>,
}

impl Command {
    fn client(&self) -> &ClientArgs {
        match self {
            Command::Delete(t) | Command::Clear { target: t, .. } => &t.client,
            Command::Star(m) | Command::Unstar(m) => &m.target.client,
            Command::Starred { client, .. } => client,
        }
    }
}

/// Runs it.
pub async fn run(command: Command) -> anyhow::Result<ExitCode> {
    let args = command.client();
    let s = args.open(args.options()).await?;
    let client = &s.client;
    let done = match &command {
        Command::Delete(t) => client.delete_chat(&t.jid).await.map(|()| "deleted"),
        Command::Clear { target, keep_starred } => {
            client.clear_chat(&target.jid, *keep_starred).await.map(|()| "cleared")
        }
        Command::Star(m) | Command::Unstar(m) => {
            let on = matches!(command, Command::Star(_));
            // An id alone does not say whose message it is: name both, the server stars the
            // one that exists.
            let both: Vec<(&str, bool)> =
                m.ids.iter().flat_map(|id| [(id.as_str(), false), (id.as_str(), true)]).collect();
            client.star(&m.target.jid, &both, on).await.map(|()| "done")
        }
        Command::Starred { jid, count, .. } => {
            let messages = client.starred(jid.as_deref(), *count).await.map_err(client_error)?;
            for m in &messages {
                out(line(m, &s.info.wid))?;
            }
            if messages.is_empty() {
                eprintln!("no starred messages"); // a note, not a result: stdout stays empty
            }
            Ok("")
        }
    };
    let said = done.map_err(client_error)?;
    if !said.is_empty() {
        out(said)?;
    }
    client.close();
    Ok(ExitCode::SUCCESS)
}
