//! `waweb phone` (placeholder until its issue lands).

use std::process::ExitCode;

/// The subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum Command {}

/// Runs it.
pub async fn run(command: Command) -> anyhow::Result<ExitCode> {
    match command {}
}
