//! The few admin API calls the bench needs (create an account, scan a QR code), over a minimal
//! HTTP/1.1 client: one request per connection, `Connection: close`, body read to the end.

use anyhow::Context;
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// The admin API of one server.
#[derive(Clone)]
pub struct Admin {
    host: String,
    token: String,
}

impl std::fmt::Debug for Admin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Admin").field("host", &self.host).finish_non_exhaustive()
    }
}

impl Admin {
    /// The admin API next to the websocket `ws_url` (same host and port).
    pub fn new(ws_url: &str, token: String) -> anyhow::Result<Self> {
        let host = ws_url
            .strip_prefix("ws://")
            .and_then(|r| r.split('/').next())
            .filter(|h| !h.is_empty())
            .with_context(|| format!("not a ws:// url: {ws_url}"))?;
        Ok(Admin { host: host.to_string(), token })
    }

    /// Creates the account `phone`; an account that already exists is fine.
    pub async fn create_account(&self, phone: &str, name: &str) -> anyhow::Result<()> {
        let (status, body) =
            self.post("/admin/accounts", &json!({"phone": phone, "name": name})).await?;
        anyhow::ensure!(
            (200..300).contains(&status) || status == 409,
            "creating account {phone}: HTTP {status} {body}"
        );
        Ok(())
    }

    /// Has `account`'s phone scan the QR string `qr`.
    pub async fn scan(&self, qr: &str, account: &str) -> anyhow::Result<()> {
        let (status, body) =
            self.post("/admin/scan", &json!({"qr": qr, "account": account})).await?;
        anyhow::ensure!((200..300).contains(&status), "scan for {account}: HTTP {status} {body}");
        Ok(())
    }

    async fn post(&self, path: &str, body: &Value) -> anyhow::Result<(u16, String)> {
        let body = body.to_string();
        let request = format!(
            "POST {path} HTTP/1.1\r\nHost: {}\r\nAuthorization: Bearer {}\r\n\
             Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            self.host,
            self.token,
            body.len()
        );
        let mut tcp = TcpStream::connect(&self.host)
            .await
            .with_context(|| format!("admin API at {}", self.host))?;
        tcp.write_all(request.as_bytes()).await?;
        let mut response = Vec::new();
        tcp.read_to_end(&mut response).await?;
        parse_response(&response).with_context(|| format!("admin API answer to POST {path}"))
    }
}

/// The status code and body of a `Connection: close` HTTP/1.1 response (chunked bodies are
/// returned with their framing, which only matters for error messages).
pub fn parse_response(raw: &[u8]) -> anyhow::Result<(u16, String)> {
    let text = String::from_utf8_lossy(raw);
    let (head, body) = text.split_once("\r\n\r\n").context("no end of headers")?;
    let status_line = head.lines().next().context("empty response")?;
    let status = status_line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .with_context(|| format!("bad status line {status_line:?}"))?;
    Ok((status, body.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn responses_give_status_and_body() {
        let raw = b"HTTP/1.1 201 Created\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n{}";
        assert_eq!(parse_response(raw).unwrap(), (201, "{}".to_string()));
        assert!(parse_response(b"HTTP/1.1 200 OK\r\n").is_err(), "headers never end");
        assert!(parse_response(b"garbage\r\n\r\n").is_err());
    }

    #[test]
    fn admin_lives_next_to_the_websocket() {
        let a = Admin::new("ws://127.0.0.1:8080/ws", "t".into()).unwrap();
        assert_eq!(a.host, "127.0.0.1:8080");
        assert!(!format!("{a:?}").contains("token"), "the token is never printed");
        assert!(Admin::new("http://x/ws", "t".into()).is_err());
    }

    #[tokio::test]
    async fn posts_json_with_the_bearer_token() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let server = tokio::spawn(async move {
            let (mut s, _) = listener.accept().await.unwrap();
            let mut buf = vec![0u8; 4096];
            let mut got = Vec::new();
            while !String::from_utf8_lossy(&got).contains("\"account\":\"100\"}") {
                let n = s.read(&mut buf).await.unwrap();
                got.extend_from_slice(&buf[..n]);
            }
            s.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 11\r\n\r\n{\"ok\":true}")
                .await
                .unwrap();
            String::from_utf8(got).unwrap()
        });
        let admin = Admin::new(&format!("ws://{addr}/ws"), "secret-token".into()).unwrap();
        admin.scan("ref,key,id", "100").await.unwrap();
        let request = server.await.unwrap();
        assert!(request.starts_with("POST /admin/scan HTTP/1.1\r\n"), "{request}");
        assert!(request.contains("Authorization: Bearer secret-token\r\n"));
        assert!(request.ends_with("{\"qr\":\"ref,key,id\",\"account\":\"100\"}"), "{request}");
    }
}
