//! `waweb presence available|unavailable`: sets our online state.

use std::process::ExitCode;

use super::client_common::{client_error, out, ClientArgs};

/// The presence to announce.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum State {
    /// Online.
    Available,
    /// Offline.
    Unavailable,
}

/// Its arguments.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    client: ClientArgs,
    /// The new presence.
    #[arg(value_enum)]
    state: State,
}

/// Runs it.
pub async fn run(args: Args) -> anyhow::Result<ExitCode> {
    let s = args.client.open(args.client.options()).await?;
    let available = matches!(args.state, State::Available);
    s.client.set_presence(available).await.map_err(client_error)?;
    out(if available { "presence: available" } else { "presence: unavailable" })?;
    s.client.close();
    Ok(ExitCode::SUCCESS)
}
