//! What the client subcommands share: the `--server`, `--session` and `--timeout` flags, opening a
//! saved session, the spinner, time formatting, and turning library errors into exit codes with a
//! message that says what to do.

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use std::path::PathBuf;
use std::time::Duration;
use waweb_client::{session_file, Client, ClientError, ClientOptions, ConnInfo, EventStream};

use super::exit::{Exit, FAILURE, SESSION_INVALID, TIMEOUT, UNREACHABLE};

/// The flags of every client subcommand.
#[derive(Debug, Clone, clap::Args)]
pub struct ClientArgs {
    /// The server's websocket URL.
    #[arg(long, env = "WAWEB_SERVER", default_value = "ws://127.0.0.1:8080/ws")]
    pub server: String,
    /// The session file [default: $HOME/.config/waweb/session.json].
    #[arg(long, env = "WAWEB_SESSION")]
    pub session: Option<PathBuf>,
    /// Seconds to wait for the server's answers.
    #[arg(long, default_value_t = 20, value_name = "SECONDS")]
    pub timeout: u64,
    /// A PEM certificate to trust for a `wss://` server and its media (a server's
    /// `--tls-self-signed` certificate, `tls-cert.pem` in its data directory).
    #[arg(long, env = "WAWEB_CA_CERT", value_name = "PEM")]
    pub ca_cert: Option<PathBuf>,
}

/// A logged-in connection opened from the saved session.
pub struct Session {
    /// The client handle.
    pub client: Client,
    /// Its events (whatever came after `Ready`).
    pub events: EventStream,
    /// Who we are.
    pub info: ConnInfo,
    /// The session file (already updated with the rotated tokens).
    pub path: PathBuf,
}

impl ClientArgs {
    /// The session file: `--session`, `WAWEB_SESSION`, or `$HOME/.config/waweb/session.json`.
    pub fn session_path(&self) -> anyhow::Result<PathBuf> {
        if let Some(p) = &self.session {
            return Ok(p.clone());
        }
        let home = std::env::var_os("HOME").filter(|h| !h.is_empty()).ok_or_else(|| {
            Exit::new(FAILURE, "HOME is not set: give the session file with --session")
        })?;
        Ok(PathBuf::from(home).join(".config/waweb/session.json"))
    }

    /// Library options with this command's timeout.
    pub fn options(&self) -> ClientOptions {
        ClientOptions {
            request_timeout: Duration::from_secs(self.timeout.max(1)),
            ca_cert: self.ca_cert.clone(),
            ..ClientOptions::default()
        }
    }

    /// Restores the saved session and waits until it is logged in; saves the rotated tokens.
    pub async fn open(&self, options: ClientOptions) -> anyhow::Result<Session> {
        let path = self.session_path()?;
        let saved = session_file::load(&path).map_err(client_error)?;
        let Some(creds) = saved else {
            let msg = format!("no saved session at {}: run `waweb login` first", path.display());
            return Err(Exit::new(SESSION_INVALID, msg));
        };
        let spin = spinner(&format!("connecting to {}", self.server));
        let (client, mut events) =
            Client::connect_with(&self.server, Some(creds), options).await.map_err(client_error)?;
        let wait = Duration::from_secs(self.timeout.max(1));
        let ready = tokio::time::timeout(wait, events.wait_ready()).await;
        spin.finish_and_clear();
        let info = match ready {
            Ok(r) => r.map_err(client_error)?,
            Err(_) => return Err(client_error(ClientError::Timeout(self.timeout * 1000))),
        };
        if let Some(c) = client.credentials() {
            session_file::save(&path, &c).map_err(client_error)?;
        }
        Ok(Session { client, events, info, path })
    }
}

/// A spinner on stderr (hidden when stderr is not a terminal).
pub fn spinner(message: &str) -> ProgressBar {
    let bar = ProgressBar::new_spinner();
    if let Ok(style) = ProgressStyle::with_template("{spinner} {msg}") {
        bar.set_style(style);
    }
    bar.set_message(message.to_string());
    bar.enable_steady_tick(Duration::from_millis(100));
    bar
}

/// A library error as an exit code and a message saying what to do.
pub fn client_error(e: ClientError) -> anyhow::Error {
    let (code, hint) = match &e {
        ClientError::Unreachable { .. } => {
            (UNREACHABLE, "is the server running? Check --server or WAWEB_SERVER")
        }
        ClientError::Timeout(_) => (TIMEOUT, "try again, or raise --timeout"),
        ClientError::InvalidSession(_) | ClientError::LoggedOut => {
            (SESSION_INVALID, "run `waweb login` to pair again")
        }
        ClientError::SessionFile { .. } => {
            (SESSION_INVALID, "fix or delete the file, then run `waweb login`")
        }
        ClientError::Replaced => (FAILURE, "another web client is using this account"),
        ClientError::Disconnected(_) => (UNREACHABLE, "the connection dropped; try again"),
        ClientError::Status(_) | ClientError::UnexpectedAnswer(_) => {
            (FAILURE, "the server refused the request")
        }
        ClientError::NotReady | ClientError::InvalidArgument(_) => (FAILURE, "check the arguments"),
        ClientError::Media(_) => {
            (FAILURE, "the media host refused the transfer or cannot be reached")
        }
        ClientError::MediaIntegrity(_) => {
            (FAILURE, "the file on the media host does not match the message; nothing was written")
        }
    };
    Exit::new(code, format!("{e}: {hint}"))
}

/// A JID from the command line: a bare number is a user's (`<number>@c.us`).
pub fn user_jid(arg: &str) -> String {
    if arg.contains('@') {
        arg.to_owned()
    } else {
        format!("{arg}@c.us")
    }
}

/// Writes a line to stdout, failing (instead of panicking) when stdout is closed.
pub fn out(line: impl std::fmt::Display) -> anyhow::Result<()> {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "{line}").and_then(|()| stdout.flush()).context("cannot write to stdout")
}

/// Unix seconds as `YYYY-MM-DD HH:MM` (UTC).
pub fn format_time(secs: u64) -> String {
    let rem = secs % 86_400;
    let (y, m, d) = civil_from_days(secs / 86_400);
    format!("{y:04}-{m:02}-{d:02} {:02}:{:02}", rem / 3600, rem % 3600 / 60)
}

/// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm).
pub fn civil_from_days(days: u64) -> (u64, u64, u64) {
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z % 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + u64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_known_instants() {
        assert_eq!(format_time(0), "1970-01-01 00:00");
        assert_eq!(format_time(1_588_844_100), "2020-05-07 09:35");
        assert_eq!(format_time(951_782_400), "2000-02-29 00:00");
    }

    #[test]
    fn errors_get_their_exit_codes() {
        let code = |e| super::super::exit::code_for(&client_error(e));
        assert_eq!(code(ClientError::Timeout(5)), TIMEOUT);
        assert_eq!(code(ClientError::InvalidSession(401)), SESSION_INVALID);
        let unreachable = ClientError::Unreachable { url: "u".into(), reason: "r".into() };
        assert_eq!(code(unreachable), UNREACHABLE);
        assert_eq!(code(ClientError::Status(404)), FAILURE);
    }
}
