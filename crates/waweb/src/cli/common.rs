//! Flags and helpers shared by subcommands: the data directory, the admin token, and the client
//! of the server's admin API.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Context;
use serde_json::Value;

use super::exit::{Exit, FAILURE, TIMEOUT, UNREACHABLE};

/// `--data-dir`: where the server keeps its database and admin token.
#[derive(Debug, Clone, clap::Args)]
pub struct DataDir {
    /// The server's data directory (database `waweb.db`, admin token file `admin-token`).
    #[arg(long = "data-dir", env = "WAWEB_DATA_DIR", default_value = "./waweb-data")]
    pub path: PathBuf,
}

impl DataDir {
    /// The server configuration for this directory (defaults everywhere else).
    pub fn config(&self) -> waweb_server::Config {
        waweb_server::Config::new(&self.path)
    }
}

/// The admin token: the one given, or the one the server wrote into the data directory.
pub fn admin_token(given: Option<String>, data: &DataDir) -> anyhow::Result<String> {
    if let Some(t) = given.filter(|t| !t.trim().is_empty()) {
        return Ok(t.trim().to_string());
    }
    let path = data.config().admin_token_path();
    let token = std::fs::read_to_string(&path).map_err(|e| {
        Exit::new(
            FAILURE,
            format!(
                "no admin token: pass --admin-token (or WAWEB_ADMIN_TOKEN), or --data-dir of the \
                 server so that {} can be read ({e})",
                path.display()
            ),
        )
    })?;
    Ok(token.trim().to_string())
}

/// One answer of the admin API.
#[derive(Debug)]
pub struct HttpAnswer {
    /// The HTTP status.
    pub status: u16,
    /// The JSON body (`Null` if empty or not JSON).
    pub body: Value,
}

/// A client of a server's admin API at `base` (`http://host:port` or `https://host:port`).
///
/// Over HTTPS it trusts the Mozilla roots and, when the data directory holds the server's
/// self-signed certificate (`--tls-self-signed`), that certificate. Made once and reused: the
/// bench sends many requests through one.
#[derive(Clone)]
pub struct AdminClient {
    base: String,
    token: String,
    http: reqwest::Client,
}

impl std::fmt::Debug for AdminClient {
    // The token is a credential: never in a log line.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AdminClient").field("base", &self.base).finish_non_exhaustive()
    }
}

impl AdminClient {
    /// A client for `base` with `token`; each request may take `timeout`.
    pub fn new(
        base: &str,
        token: String,
        data: Option<&DataDir>,
        timeout: Duration,
    ) -> anyhow::Result<Self> {
        let base = base.trim().trim_end_matches('/');
        if !base.starts_with("http://") && !base.starts_with("https://") {
            let msg = format!("{base}: the admin URL must start with http:// or https://");
            return Err(Exit::new(FAILURE, msg));
        }
        let cert =
            data.map(|d| d.path.join(waweb_server::datadir::TLS_CERT_FILE)).filter(|p| p.is_file());
        let tls = waweb_client::tls_config(cert.as_deref())
            .map_err(|e| Exit::new(FAILURE, e.to_string()))?;
        let http = reqwest::Client::builder()
            .use_preconfigured_tls((*tls).clone())
            .timeout(timeout)
            .build()
            .context("cannot set up the HTTP client")?;
        Ok(AdminClient { base: base.to_owned(), token, http })
    }

    /// Sends one request and reads the whole answer. Fails with exit code 4 when the server
    /// cannot be reached, 5 when it does not answer in time.
    pub async fn request(
        &self,
        method: &str,
        path: &str,
        body: Option<&Value>,
    ) -> anyhow::Result<HttpAnswer> {
        let method = reqwest::Method::from_bytes(method.as_bytes()).context("HTTP method")?;
        let mut request =
            self.http.request(method, format!("{}{path}", self.base)).bearer_auth(&self.token);
        if let Some(body) = body {
            request = request
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .body(body.to_string());
        }
        let answer = async {
            let response = request.send().await?;
            let status = response.status().as_u16();
            Ok::<_, reqwest::Error>((status, response.bytes().await?))
        };
        let (status, bytes) = answer.await.map_err(|e| self.failure(e))?;
        let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        Ok(HttpAnswer { status, body })
    }

    /// The CLI's error for a failed exchange (without the URL's details: the base says where).
    fn failure(&self, e: reqwest::Error) -> anyhow::Error {
        let base = &self.base;
        if e.is_timeout() {
            return Exit::new(TIMEOUT, format!("the server at {base} did not answer in time"));
        }
        let connect = e.is_connect();
        let why = format!("{:#}", anyhow::Error::new(e.without_url()));
        if connect {
            return Exit::new(UNREACHABLE, format!("cannot reach the server at {base}: {why}"));
        }
        Exit::new(FAILURE, format!("the exchange with the server at {base} failed: {why}"))
    }
}

/// Whether the database of a data directory exists.
pub fn database_exists(data: &DataDir) -> bool {
    Path::new(&data.config().database_path()).exists()
}
