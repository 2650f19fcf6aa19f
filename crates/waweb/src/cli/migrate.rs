//! `waweb migrate`: copies a data directory's SQLite store into an empty PostgreSQL store.
//!
//! The data directory is locked for the copy (a server must not write it meanwhile); the copy
//! is one PostgreSQL transaction, so a failed or interrupted migration leaves the target empty
//! and is run again from the start (see `waweb_server::store::migrate`).

use std::io::IsTerminal;
use std::process::ExitCode;

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use waweb_server::datadir::{self, DataDirError};
use waweb_server::store::migrate::sqlite_to_postgres;
use waweb_server::store::postgres::{self, PgOptions};
use waweb_server::store::StoreError;

use super::exit::{Exit, FAILURE};

/// Its arguments.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The data directory whose SQLite store (`waweb.db`) is copied; no server may run on it.
    #[arg(long, value_name = "DIR")]
    pub from: std::path::PathBuf,
    /// The empty PostgreSQL store to fill: postgres://USER:PASSWORD@HOST:PORT/DATABASE (password and port optional)
    /// (its tables are created if needed; no TLS).
    #[arg(long, value_name = "URL", env = "WAWEB_STORE", hide_env_values = true)]
    pub to: String,
}

/// Runs it.
pub async fn run(args: Args) -> anyhow::Result<ExitCode> {
    if !postgres::is_postgres_url(&args.to) {
        return Err(Exit::new(FAILURE, "--to must be a postgres:// URL"));
    }
    let config = waweb_server::Config::new(&args.from);
    let file = config.database_path();
    if !file.is_file() {
        let message = format!("no SQLite store at {} (check --from)", file.display());
        return Err(Exit::new(FAILURE, message));
    }
    let _lock = match datadir::prepare(&args.from) {
        Ok(lock) => lock,
        Err(DataDirError::InUse(dir)) => {
            let message = format!("a server runs on {}: stop it before migrating", dir.display());
            return Err(Exit::new(FAILURE, message));
        }
        Err(e) => return Err(e.into()),
    };
    let bar = if std::io::stderr().is_terminal() {
        let style = ProgressStyle::with_template("{msg:>14} [{bar:30}] {pos}/{len} rows ({eta})")
            .context("progress bar template")?
            .progress_chars("=> ");
        ProgressBar::new(0).with_style(style)
    } else {
        ProgressBar::hidden()
    };
    let copied = sqlite_to_postgres(&file, &args.to, PgOptions::default(), |p| {
        bar.set_length(p.total);
        bar.set_position(p.done);
        bar.set_message(p.table);
    })
    .await;
    bar.finish_and_clear();
    let report = match copied {
        Ok(report) => report,
        Err(StoreError::Conflict(message)) => return Err(Exit::new(FAILURE, message)),
        Err(e) => return Err(e).context("the migration failed; the PostgreSQL store is unchanged"),
    };
    for (table, rows) in &report.tables {
        println!("{table}\t{rows}");
    }
    println!("migrated {} rows from {}", report.rows(), file.display());
    Ok(ExitCode::SUCCESS)
}
