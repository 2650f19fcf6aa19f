//! `waweb logout`: the server forgets this browser; the session file is removed.

use std::process::ExitCode;
use waweb_client::session_file;

use super::client_common::{client_error, out, ClientArgs};
use super::exit::{code_for, SESSION_INVALID};

/// Its arguments.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    client: ClientArgs,
}

/// Runs it.
pub async fn run(args: Args) -> anyhow::Result<ExitCode> {
    let path = args.client.session_path()?;
    match args.client.open(args.client.options()).await {
        Ok(s) => s.client.logout().await.map_err(client_error)?,
        // Nothing to forget on the server, but a file that exists is still worth removing.
        Err(e) if code_for(&e) == SESSION_INVALID && path.exists() => {
            eprintln!("note: {e:#}");
        }
        Err(e) => return Err(e),
    }
    session_file::remove(&path).map_err(client_error)?;
    out(format_args!("logged out; removed {}", path.display()))?;
    Ok(ExitCode::SUCCESS)
}
