//! `waweb account`: manage the accounts of a data directory.
//!
//! When a server runs on the directory (it holds the directory's lock), the command goes through
//! that server's admin API, at the address it left in the directory, with the admin token from
//! the directory (or `--admin-token`): the server sees the change at once, and logs out the
//! browsers of a removed account. Otherwise the command takes the lock itself, so that no server
//! starts meanwhile, and writes the database directly.
//!
//! With a PostgreSQL store (`--store postgres://…`) the command always writes the database
//! directly: servers on it keep no copy of the accounts, so they see the change at once (the
//! browsers of a removed account are not told before their next request).

use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;
use serde_json::{json, Value};
use waweb_proto::binary::jid::Phone;
use waweb_server::datadir::{self, DataDirError, DataDirLock};
use waweb_server::store::{Account, AccountStore, AnyStore, Store, StoreError, StoreLocation};

use super::common::{admin_token, database_exists, AdminClient, DataDir, HttpAnswer};
use super::exit::{Exit, FAILURE};

/// How long an admin API request of a running server may take.
const ADMIN_TIMEOUT: Duration = Duration::from_secs(20);

/// The subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Create an account (a simulated phone).
    Add {
        /// The phone number: 7 to 15 digits, country code first, without `+`, spaces or a
        /// leading 0 (e.g. 33612345678).
        phone: Phone,
        /// The display name (push name) of the account.
        #[arg(long)]
        name: String,
        /// Where the accounts are.
        #[command(flatten)]
        target: Target,
    },
    /// List the accounts, one per line: phone and name.
    List {
        /// Where the accounts are.
        #[command(flatten)]
        target: Target,
    },
    /// Remove an account and everything stored for it (its browsers are logged out).
    Remove {
        /// The phone number of the account.
        phone: String,
        /// Where the accounts are.
        #[command(flatten)]
        target: Target,
    },
}

/// The data directory, and the admin token for when a server runs on it.
#[derive(Debug, clap::Args)]
pub struct Target {
    /// The server's data directory.
    #[command(flatten)]
    data: DataDir,
    /// The running server's admin token; by default read from the data directory's
    /// `admin-token` file (needed only when the server was started with `--admin-token`).
    #[arg(long, env = "WAWEB_ADMIN_TOKEN", hide_env_values = true)]
    admin_token: Option<String>,
    /// The store (SQLite in the data directory, or PostgreSQL).
    #[command(flatten)]
    store: super::store_args::StoreArgs,
}

/// Where the command acts.
enum Accounts {
    /// A running server's admin API.
    Server(AdminClient),
    /// The database, with the directory locked (none for PostgreSQL).
    Direct { store: AnyStore, _lock: Option<DataDirLock> },
}

/// Runs it.
pub async fn run(command: Command) -> anyhow::Result<ExitCode> {
    match command {
        Command::Add { phone, name, target } => match open(&target, true).await? {
            Accounts::Server(admin) => {
                let body = json!({"phone": phone, "name": name});
                let answer = request(&admin, "POST", "/admin/accounts", Some(&body)).await?;
                conclude_remote(answer, 201, format!("added {phone}"), |code| {
                    (code == 409).then(|| format!("account {phone} already exists"))
                })?;
            }
            Accounts::Direct { store, .. } => {
                let now = waweb_server::context::now_ms();
                let created = store.create_account(Account::new(phone.clone(), name, now)).await;
                store.close().await?;
                let refusal = |e: &StoreError| {
                    matches!(e, StoreError::AlreadyExists { .. })
                        .then(|| format!("account {phone} already exists"))
                };
                conclude(created, format!("added {phone}"), refusal, "cannot add the account")?;
            }
        },
        Command::List { target } => {
            let listed = match open(&target, false).await? {
                Accounts::Server(admin) => {
                    let answer = request(&admin, "GET", "/admin/accounts", None).await?;
                    listed_remotely(answer)?
                }
                Accounts::Direct { store, .. } => {
                    let accounts = store.accounts().await;
                    store.close().await?;
                    accounts?.into_iter().map(|a| (a.phone, a.pushname)).collect()
                }
            };
            for (phone, name) in listed {
                println!("{phone}\t{name}");
            }
        }
        Command::Remove { phone, target } => match open(&target, false).await? {
            Accounts::Server(admin) => {
                let path = format!("/admin/accounts/{phone}");
                let answer = request(&admin, "DELETE", &path, None).await?;
                conclude_remote(answer, 200, format!("removed {phone}"), |code| {
                    (code == 404).then(|| format!("no account {phone}"))
                })?;
            }
            Accounts::Direct { store, .. } => {
                let removed = store.remove_account(&phone).await;
                store.close().await?;
                let refusal = |e: &StoreError| {
                    matches!(e, StoreError::NotFound { .. }).then(|| format!("no account {phone}"))
                };
                conclude(
                    removed,
                    format!("removed {phone}"),
                    refusal,
                    "cannot remove the account",
                )?;
            }
        },
    }
    Ok(ExitCode::SUCCESS)
}

/// The running server's admin API if one holds the directory, else the database (created if
/// `create`), locked.
async fn open(target: &Target, create: bool) -> anyhow::Result<Accounts> {
    let data = &target.data;
    let config = data.config();
    let location = target.store.location(&config)?;
    if location.is_postgres() {
        let store = super::store_args::open(&location).await?;
        return Ok(Accounts::Direct { store, _lock: None });
    }
    if !create && !database_exists(data) {
        let path = config.database_path();
        return Err(Exit::new(
            FAILURE,
            format!("no database at {} (check --data-dir)", path.display()),
        ));
    }
    match datadir::prepare(&config.data_dir) {
        Ok(lock) => {
            let file = StoreLocation::Sqlite(config.database_path());
            let store = super::store_args::open(&file).await?;
            Ok(Accounts::Direct { store, _lock: Some(lock) })
        }
        Err(DataDirError::InUse(dir)) => {
            let path = dir.join(datadir::ADDRESS_FILE);
            let base = std::fs::read_to_string(&path).map_err(|e| {
                Exit::new(
                    FAILURE,
                    format!(
                        "a server holds {} but its address file {} cannot be read ({e})",
                        dir.display(),
                        path.display()
                    ),
                )
            })?;
            let token = admin_token(target.admin_token.clone(), data)?;
            Ok(Accounts::Server(AdminClient::new(&base, token, Some(data), ADMIN_TIMEOUT)?))
        }
        Err(e) => Err(e.into()),
    }
}

async fn request(
    admin: &AdminClient,
    method: &str,
    path: &str,
    body: Option<&Value>,
) -> anyhow::Result<HttpAnswer> {
    let answer = admin.request(method, path, body).await?;
    if answer.status == 401 {
        return Err(Exit::new(
            FAILURE,
            "the running server refused the admin token (pass the one it was started with: \
             --admin-token or WAWEB_ADMIN_TOKEN)",
        ));
    }
    Ok(answer)
}

/// Prints `done` when the server answered `expected`; a status `refused` recognises fails with
/// its message, any other with the server's own message.
fn conclude_remote(
    answer: HttpAnswer,
    expected: u16,
    done: String,
    refused: impl FnOnce(u16) -> Option<String>,
) -> anyhow::Result<()> {
    if answer.status == expected {
        println!("{done}");
        return Ok(());
    }
    let message = refused(answer.status).unwrap_or_else(|| {
        let said = answer.body.get("message").and_then(Value::as_str).unwrap_or("no message");
        format!("the server answered {}: {said}", answer.status)
    });
    Err(Exit::new(FAILURE, message))
}

/// The phones and names of `GET /admin/accounts`.
fn listed_remotely(answer: HttpAnswer) -> anyhow::Result<Vec<(String, String)>> {
    let field = |a: &Value, name| a.get(name).and_then(Value::as_str).map(str::to_owned);
    match (answer.status, answer.body.as_array()) {
        (200, Some(list)) => list
            .iter()
            .map(|a| field(a, "phone").zip(field(a, "name")))
            .collect::<Option<_>>()
            .context("the server's account list is malformed"),
        (status, _) => Err(Exit::new(FAILURE, format!("the server answered {status}"))),
    }
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
