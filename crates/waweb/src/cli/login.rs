//! `waweb login` (placeholder until its issue lands).

use std::process::ExitCode;

/// Its arguments.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs it.
pub async fn run(_args: Args) -> anyhow::Result<ExitCode> {
    Err(super::exit::Exit::new(super::exit::FAILURE, "not built yet"))
}
