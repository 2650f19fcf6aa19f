//! Flags and helpers shared by subcommands: the data directory, the admin token, and a minimal
//! HTTP/1.1 client for the server's admin API.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Context;
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

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

/// Sends one admin API request to `base` (`http://host:port`) and reads the whole answer.
/// Fails with exit code 4 when the server cannot be reached, 5 when it does not answer in time.
pub async fn admin_request(
    base: &str,
    method: &str,
    path: &str,
    token: &str,
    body: Option<&Value>,
    timeout: Duration,
) -> anyhow::Result<HttpAnswer> {
    let host = base.trim_end_matches('/').strip_prefix("http://").ok_or_else(|| {
        Exit::new(FAILURE, format!("{base}: the admin URL must start with http://"))
    })?;
    let authority = if host.contains(':') { host.to_string() } else { format!("{host}:80") };
    let exchange = async {
        let mut stream = TcpStream::connect(&authority).await.map_err(|e| {
            Exit::new(UNREACHABLE, format!("cannot reach the server at {base}: {e}"))
        })?;
        let body = body.map(Value::to_string).unwrap_or_default();
        let head = format!(
            "{method} {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\
             Authorization: Bearer {token}\r\nContent-Type: application/json\r\n\
             Content-Length: {}\r\n\r\n",
            body.len()
        );
        stream.write_all(head.as_bytes()).await?;
        stream.write_all(body.as_bytes()).await?;
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).await?;
        parse_answer(&raw)
    };
    match tokio::time::timeout(timeout, exchange).await {
        Ok(answer) => answer,
        Err(_) => Err(Exit::new(TIMEOUT, format!("the server at {base} did not answer in time"))),
    }
}

/// Parses an HTTP/1.1 answer (`Content-Length` or chunked body).
fn parse_answer(raw: &[u8]) -> anyhow::Result<HttpAnswer> {
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").context("truncated HTTP answer")?;
    let head = std::str::from_utf8(raw.get(..split).unwrap_or_default())
        .context("HTTP answer head is not UTF-8")?;
    let body = raw.get(split + 4..).unwrap_or_default();
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .context("malformed HTTP status line")?;
    let chunked = head.to_ascii_lowercase().contains("transfer-encoding: chunked");
    let body = if chunked { dechunk(body)? } else { body.to_vec() };
    let body = serde_json::from_slice(&body).unwrap_or(Value::Null);
    Ok(HttpAnswer { status, body })
}

fn dechunk(mut body: &[u8]) -> anyhow::Result<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let line_end = body.windows(2).position(|w| w == b"\r\n").context("bad chunk")?;
        let size = std::str::from_utf8(body.get(..line_end).unwrap_or_default())?;
        let size = usize::from_str_radix(size.trim(), 16).context("bad chunk size")?;
        if size == 0 {
            return Ok(out);
        }
        let start = line_end + 2;
        let chunk = body.get(start..start + size).context("truncated chunk")?;
        out.extend_from_slice(chunk);
        body = body.get(start + size + 2..).unwrap_or_default();
    }
}

/// Whether the database of a data directory exists.
pub fn database_exists(data: &DataDir) -> bool {
    Path::new(&data.config().database_path()).exists()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_plain_and_chunked_answers() {
        let plain = b"HTTP/1.1 404 Not Found\r\ncontent-length: 14\r\n\r\n{\"status\":404}";
        let a = parse_answer(plain).unwrap();
        assert_eq!((a.status, a.body["status"].as_u64()), (404, Some(404)));
        let chunked =
            b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n5\r\n{\"a\":\r\n3\r\n12}\r\n0\r\n\r\n";
        let a = parse_answer(chunked).unwrap();
        assert_eq!((a.status, a.body["a"].as_u64()), (200, Some(12)));
        assert!(parse_answer(b"HTTP/1.1 200").is_err());
        let created = b"HTTP/1.1 201 Created\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n{}";
        let a = parse_answer(created).unwrap();
        assert_eq!((a.status, a.body), (201, serde_json::json!({})));
        assert!(parse_answer(b"HTTP/1.1 200 OK\r\n").is_err(), "headers never end");
        assert!(parse_answer(b"garbage\r\n\r\n").is_err());
    }
}
