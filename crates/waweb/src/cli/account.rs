//! `waweb account`: manage the accounts in a data directory, directly through SQLite.
//!
//! Safe while the server runs (SQLite serializes the writers), but a removed account's live
//! browsers are only disconnected when removed through the admin API
//! (`DELETE /admin/accounts/PHONE`).

use std::process::ExitCode;

use anyhow::Context;
use waweb_server::store::sqlite::SqliteStore;
use waweb_server::store::{Account, Store, StoreError};

use super::common::{database_exists, DataDir};
use super::exit::{Exit, FAILURE};

/// The subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Create an account (a simulated phone).
    Add {
        /// The phone number, digits only, country code first (e.g. 33612345678).
        phone: String,
        /// The display name (push name) of the account.
        #[arg(long)]
        name: String,
        /// The server's data directory.
        #[command(flatten)]
        data: DataDir,
    },
    /// List the accounts, one per line: phone and name.
    List {
        /// The server's data directory.
        #[command(flatten)]
        data: DataDir,
    },
    /// Remove an account and everything stored for it.
    Remove {
        /// The phone number of the account.
        phone: String,
        /// The server's data directory.
        #[command(flatten)]
        data: DataDir,
    },
}

/// Runs it.
pub async fn run(command: Command) -> anyhow::Result<ExitCode> {
    match command {
        Command::Add { phone, name, data } => {
            let store = open(&data, true)?;
            let now = waweb_server::context::now_ms();
            let created = store.create_account(Account::new(phone.clone(), name, now)).await;
            store.close().await?;
            let refusal = |e: &StoreError| {
                matches!(e, StoreError::AlreadyExists { .. })
                    .then(|| format!("account {phone} already exists"))
            };
            conclude(created, format!("added {phone}"), refusal, "cannot add the account")?;
        }
        Command::List { data } => {
            let store = open(&data, false)?;
            let accounts = store.accounts().await;
            store.close().await?;
            for a in accounts? {
                println!("{}\t{}", a.phone, a.pushname);
            }
        }
        Command::Remove { phone, data } => {
            let store = open(&data, false)?;
            let removed = store.remove_account(&phone).await;
            store.close().await?;
            let refusal = |e: &StoreError| {
                matches!(e, StoreError::NotFound { .. }).then(|| format!("no account {phone}"))
            };
            conclude(removed, format!("removed {phone}"), refusal, "cannot remove the account")?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Prints `done` on success; the refusal `refused` recognises (an expected outcome such as a
/// duplicate) fails with its message, any other store error with `context`.
fn conclude(
    result: Result<(), StoreError>,
    done: String,
    refused: impl FnOnce(&StoreError) -> Option<String>,
    context: &'static str,
) -> anyhow::Result<()> {
    match result {
        Ok(()) => {
            println!("{done}");
            Ok(())
        }
        Err(e) => match refused(&e) {
            Some(message) => Err(Exit::new(FAILURE, message)),
            None => Err(e).context(context),
        },
    }
}

fn open(data: &DataDir, create: bool) -> anyhow::Result<SqliteStore> {
    let config = data.config();
    if !create && !database_exists(data) {
        let path = config.database_path();
        return Err(Exit::new(
            FAILURE,
            format!("no database at {} (check --data-dir)", path.display()),
        ));
    }
    std::fs::create_dir_all(&config.data_dir)
        .with_context(|| format!("cannot create {}", config.data_dir.display()))?;
    SqliteStore::open(config.database_path()).context("cannot open the database")
}
