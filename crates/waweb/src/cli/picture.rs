//! `waweb picture …`: the profile picture of the logged-in account, or of one of its groups with
//! `--group` (`set`, `remove`), and the URL of anyone's (`get`).

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;

use super::client_common::{client_error, out, ClientArgs};
use super::exit::{Exit, FAILURE};

/// Its subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Set our picture (or a group's) from a JPEG file; prints the URL the server serves it at.
    Set {
        #[command(flatten)]
        client: ClientArgs,
        /// Set this group's picture instead (`…@g.us`; members, or admins of a locked group).
        #[arg(long, value_name = "GID")]
        group: Option<String>,
        /// The picture (JPEG; the official client sends 640×640).
        image: PathBuf,
        /// Its thumbnail (JPEG, 96×96); the picture itself if not given.
        #[arg(long, value_name = "FILE")]
        preview: Option<PathBuf>,
    },
    /// Remove our picture (or a group's).
    Remove {
        #[command(flatten)]
        client: ClientArgs,
        /// Remove this group's picture instead (`…@g.us`).
        #[arg(long, value_name = "GID")]
        group: Option<String>,
    },
    /// Print the URL of a contact's or a group's picture (exit code 1 if there is none).
    Get {
        #[command(flatten)]
        client: ClientArgs,
        /// Whose: a phone number, `<number>@c.us`, or a group's `…@g.us`.
        #[arg(value_parser = super::jid_arg::parse)]
        jid: String,
    },
}

/// Runs it.
pub async fn run(command: Command) -> anyhow::Result<ExitCode> {
    match command {
        Command::Set { client, group, image, preview } => {
            let read = |p: &PathBuf| std::fs::read(p).with_context(|| format!("{}", p.display()));
            let image_bytes = read(&image)?;
            if !image_bytes.starts_with(&[0xff, 0xd8, 0xff]) {
                let msg = format!("{} is not a JPEG file: convert it first", image.display());
                return Err(Exit::new(FAILURE, msg));
            }
            let preview_bytes = match &preview {
                Some(p) => read(p)?,
                None => image_bytes.clone(),
            };
            let s = client.open(client.options()).await?;
            let url = match &group {
                Some(gid) => s.client.set_group_picture(gid, image_bytes, preview_bytes).await,
                None => s.client.set_profile_picture(image_bytes, preview_bytes).await,
            };
            let url = url.map_err(client_error)?;
            out(url)?;
            s.client.close();
        }
        Command::Remove { client, group } => {
            let s = client.open(client.options()).await?;
            let removed = match &group {
                Some(gid) => s.client.remove_group_picture(gid).await,
                None => s.client.remove_profile_picture().await,
            };
            removed.map_err(client_error)?;
            out("removed")?;
            s.client.close();
        }
        Command::Get { client, jid } => {
            let s = client.open(client.options()).await?;
            let url = s.client.profile_picture(&jid).await.map_err(client_error)?;
            s.client.close();
            match url {
                Some(url) => out(url)?,
                None => return Err(Exit::new(FAILURE, format!("{jid} has no profile picture"))),
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
