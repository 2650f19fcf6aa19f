//! What the client subcommands share: the `--server`, `--session` and `--timeout` flags, opening a
//! saved session, the spinner, time formatting, and turning library errors into exit codes with a
//! message that says what to do.

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use std::path::PathBuf;
use std::time::Duration;
use waweb_client::{session_file, Client, ClientError, ClientOptions, ConnInfo, EventStream};

use super::exit::{Exit, FAILURE, SESSION_INVALID, TIMEOUT, UNREACHABLE};

/// The default `--server`.
pub const DEFAULT_SERVER: &str = "ws://127.0.0.1:8080/ws";

/// The flags of every client subcommand.
#[derive(Debug, Clone, clap::Args)]
pub struct ClientArgs {
    /// The server: its websocket URL (`ws://host:port/ws`, `wss://…`), or `http(s)://host:port`
    /// or `host:port`, which mean its `/ws` endpoint. Several nodes of one cluster are given
    /// comma-separated: the first is used, the others when it cannot be reached or is lost.
    #[arg(long, env = "WAWEB_SERVER", default_value = DEFAULT_SERVER, value_parser = server_list)]
    pub server: String,
    /// The session file [default: $XDG_CONFIG_HOME/waweb/session.json, else
    /// $HOME/.config/waweb/session.json].
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
    /// The session file: `--session`, `WAWEB_SESSION`, or `waweb/session.json` in
    /// `$XDG_CONFIG_HOME` (if set to an absolute path, as the XDG spec says), else in
    /// `$HOME/.config`.
    pub fn session_path(&self) -> anyhow::Result<PathBuf> {
        if let Some(p) = &self.session {
            return Ok(p.clone());
        }
        let xdg = std::env::var_os("XDG_CONFIG_HOME").map(PathBuf::from);
        if let Some(config) = xdg.filter(|p| p.is_absolute()) {
            return Ok(config.join("waweb/session.json"));
        }
        let home = std::env::var_os("HOME").filter(|h| !h.is_empty()).ok_or_else(|| {
            Exit::new(FAILURE, "HOME is not set: give the session file with --session")
        })?;
        Ok(PathBuf::from(home).join(".config/waweb/session.json"))
    }

    /// Library options with this command's timeout and the other nodes of `--server`.
    pub fn options(&self) -> ClientOptions {
        ClientOptions {
            request_timeout: Duration::from_secs(self.timeout.max(1)),
            ca_cert: self.ca_cert.clone(),
            fallback_urls: self.server.split(',').skip(1).map(str::to_owned).collect(),
            ..ClientOptions::default()
        }
    }

    /// The first server of `--server`, the one connected to first.
    pub fn first_server(&self) -> &str {
        self.server.split(',').next().unwrap_or(&self.server)
    }

    /// Restores the saved session and waits until it is logged in; saves the rotated tokens.
    pub async fn open(&self, options: ClientOptions) -> anyhow::Result<Session> {
        let path = self.session_path()?;
        let saved = session_file::load(&path).map_err(client_error)?;
        let Some(creds) = saved else {
            let msg = format!("no saved session at {}: run `waweb login` first", path.display());
            return Err(Exit::new(SESSION_INVALID, msg));
        };
        if super::listen_socket::listener_running(&path) {
            eprintln!("{}", super::listen_socket::takeover_note(&path));
        }
        let spin = spinner(&format!("connecting to {}", self.first_server()));
        let (client, mut events) = Client::connect_with(self.first_server(), Some(creds), options)
            .await
            .map_err(client_error)?;
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

/// `--server` as a websocket URL: `ws(s)://…` as given; `http(s)://host:port[/path]` and
/// `host:port` become `ws(s)://host:port/ws` (the path, if one is given, is kept).
pub fn websocket_url(arg: &str) -> Result<String, String> {
    let arg = arg.trim();
    let (scheme, rest) = match arg.split_once("://") {
        Some(("ws" | "http", rest)) => ("ws", rest),
        Some(("wss" | "https", rest)) => ("wss", rest),
        Some((other, _)) => {
            return Err(format!(
                "{arg}: scheme {other}:// is not supported; give the server as \
                 ws://host:port/ws (or http://host:port, or host:port)"
            ))
        }
        None => ("ws", arg),
    };
    let (authority, path) = match rest.find('/') {
        Some(slash) => rest.split_at(slash),
        None => (rest, ""),
    };
    if authority.is_empty() || authority.contains(char::is_whitespace) {
        return Err(format!(
            "{arg}: no host; give the server as ws://host:port/ws (or http://host:port, or host:port)"
        ));
    }
    let path = if path.is_empty() || path == "/" { "/ws" } else { path };
    Ok(format!("{scheme}://{authority}{path}"))
}

/// `--server`: one or more server addresses, comma-separated, each made a websocket URL (see
/// [`websocket_url`]); the result is their comma-separated list.
pub fn server_list(arg: &str) -> Result<String, String> {
    let urls: Vec<String> = arg.split(',').map(websocket_url).collect::<Result<_, _>>()?;
    Ok(urls.join(","))
}

/// The admin API base URL (`http://host:port`) of the server at websocket URL `server`.
pub fn admin_url_of(server: &str) -> Result<String, String> {
    let ws = websocket_url(server)?;
    let (scheme, rest) = ws.split_once("://").unwrap_or(("ws", &ws));
    let authority = rest.split('/').next().unwrap_or(rest);
    Ok(format!("{}://{authority}", if scheme == "wss" { "https" } else { "http" }))
}

/// What an error status of the server means, in words.
pub fn status_words(status: u16) -> &'static str {
    match status {
        400 => "the server could not read the request",
        401 => "not allowed: you are not a member, or not an admin",
        403 => "refused by the server",
        404 => "not found on this server",
        406 => "refused: too long or too many",
        409 => "in conflict with the current state: try again",
        429 => "too many requests: wait a little and try again",
        500..=599 => "the server failed: see its log",
        _ => "the server refused the request",
    }
}

/// A library error about the chat or person `jid`: a 404 says which account or group is not on
/// the server; anything else as [`client_error`].
pub fn jid_error(e: ClientError, jid: &str) -> anyhow::Error {
    match e {
        ClientError::Status(404) if waweb_proto::binary::jid::is_group(jid) => {
            Exit::new(FAILURE, format!("no group {jid} on this server (`waweb chats` lists yours)"))
        }
        ClientError::Status(404) => {
            Exit::new(FAILURE, format!("no account {} on this server", super::jid_arg::number(jid)))
        }
        other => client_error(other),
    }
}

/// A library error as an exit code and a message saying what to do.
pub fn client_error(e: ClientError) -> anyhow::Error {
    let (code, hint) = match &e {
        ClientError::Unreachable { .. } => {
            (UNREACHABLE, "is the server running? Check --server or WAWEB_SERVER")
        }
        ClientError::Timeout(_) => (TIMEOUT, "try again, or raise --timeout"),
        ClientError::InvalidSession(status) => {
            let msg = format!(
                "the server no longer accepts this session (status {status}): run `waweb login` \
                 to pair again"
            );
            return Exit::new(SESSION_INVALID, msg);
        }
        ClientError::LoggedOut => {
            let msg = "the session was logged out: run `waweb login` to pair again";
            return Exit::new(SESSION_INVALID, msg);
        }
        ClientError::SessionFile { .. } => {
            (SESSION_INVALID, "fix or delete the file, then run `waweb login`")
        }
        ClientError::Replaced => (FAILURE, "another web client is using this account"),
        ClientError::Disconnected(_) => (UNREACHABLE, "the connection dropped; try again"),
        ClientError::Status(status) => {
            return Exit::new(FAILURE, format!("{} (status {status})", status_words(*status)));
        }
        ClientError::UnexpectedAnswer(_) => (FAILURE, "the server refused the request"),
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

/// Writes a line to stdout, failing (instead of panicking) when stdout is closed.
pub fn out(line: impl std::fmt::Display) -> anyhow::Result<()> {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "{line}").and_then(|()| stdout.flush()).context("cannot write to stdout")
}

/// Unix seconds as `YYYY-MM-DD HH:MM` (UTC); a time past year 9999 is shown as a number.
pub fn format_time(secs: u64) -> String {
    match utc_datetime(i128::from(secs) * 1_000_000_000) {
        Some(t) => {
            let (y, m, d) = (t.year(), u8::from(t.month()), t.day());
            format!("{y:04}-{m:02}-{d:02} {:02}:{:02}", t.hour(), t.minute())
        }
        None => format!("{secs} s"),
    }
}

/// The UTC date and time of a Unix instant in nanoseconds, if it is one `time` can represent.
pub fn utc_datetime(nanos: i128) -> Option<time::OffsetDateTime> {
    time::OffsetDateTime::from_unix_timestamp_nanos(nanos).ok()
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
        let said = client_error(ClientError::InvalidSession(401)).to_string();
        assert_eq!(
            said,
            "the server no longer accepts this session (status 401): run `waweb login` to pair again"
        );
        let unknown = jid_error(ClientError::Status(404), "15550000009@c.us").to_string();
        assert_eq!(unknown, "no account 15550000009 on this server");
    }

    #[test]
    fn server_urls_in_every_usual_form_become_websocket_urls() {
        let ws = |s| websocket_url(s).unwrap();
        assert_eq!(ws("ws://127.0.0.1:8080/ws"), "ws://127.0.0.1:8080/ws");
        assert_eq!(ws("http://127.0.0.1:9000"), "ws://127.0.0.1:9000/ws");
        assert_eq!(ws("http://127.0.0.1:9000/"), "ws://127.0.0.1:9000/ws");
        assert_eq!(ws("https://chat.example.org"), "wss://chat.example.org/ws");
        assert_eq!(ws("127.0.0.1:9000"), "ws://127.0.0.1:9000/ws");
        assert_eq!(ws("wss://h/custom"), "wss://h/custom");
        let refused = websocket_url("ftp://h:1").unwrap_err();
        assert!(refused.contains("ws://host:port/ws"), "{refused}");
        assert!(websocket_url("http://").is_err());
        assert_eq!(admin_url_of("ws://127.0.0.1:9000/ws").unwrap(), "http://127.0.0.1:9000");
        assert_eq!(admin_url_of("127.0.0.1:9000").unwrap(), "http://127.0.0.1:9000");
    }

    #[test]
    fn several_servers_become_a_first_one_and_fallbacks() {
        let list = server_list("127.0.0.1:9000, http://127.0.0.1:9001").unwrap();
        assert_eq!(list, "ws://127.0.0.1:9000/ws,ws://127.0.0.1:9001/ws");
        let args = ClientArgs { server: list, session: None, timeout: 5, ca_cert: None };
        assert_eq!(args.first_server(), "ws://127.0.0.1:9000/ws");
        assert_eq!(args.options().fallback_urls, ["ws://127.0.0.1:9001/ws"]);
        let bad = server_list("127.0.0.1:9000,,").unwrap_err();
        assert!(bad.contains("no host"), "{bad}");
    }
}
