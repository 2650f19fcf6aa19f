//! The few admin API calls the bench needs (create an account, scan a QR code), over the CLI's
//! admin client ([`AdminClient`]).

use std::time::Duration;

use anyhow::Context;
use serde_json::{json, Value};

use crate::cli::common::AdminClient;

/// How long one admin call may take; pairing a large pool queues many of them.
const ADMIN_TIMEOUT: Duration = Duration::from_secs(60);

/// The admin API of one server.
#[derive(Clone, Debug)]
pub struct Admin {
    client: AdminClient,
}

impl Admin {
    /// The admin API next to the websocket `ws_url` (same host and port).
    pub fn new(ws_url: &str, token: String) -> anyhow::Result<Self> {
        let host = ws_url
            .strip_prefix("ws://")
            .and_then(|r| r.split('/').next())
            .filter(|h| !h.is_empty())
            .with_context(|| format!("not a ws:// url: {ws_url}"))?;
        Ok(Admin {
            client: AdminClient::new(&format!("http://{host}"), token, None, ADMIN_TIMEOUT)?,
        })
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

    /// Through the CLI's admin client. Its errors are flattened to text so that a bench failure
    /// keeps its generic exit code instead of the CLI's "unreachable"/"timeout" ones.
    async fn post(&self, path: &str, body: &Value) -> anyhow::Result<(u16, Value)> {
        self.client
            .request("POST", path, Some(body))
            .await
            .map(|a| (a.status, a.body))
            .map_err(|e| anyhow::anyhow!("admin API answer to POST {path}: {e:#}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    #[test]
    fn admin_lives_next_to_the_websocket() {
        let a = Admin::new("ws://127.0.0.1:8080/ws", "s3cr3t-value".into()).unwrap();
        let shown = format!("{a:?}");
        assert!(shown.contains("127.0.0.1:8080"), "{shown}");
        assert!(
            !shown.contains("s3cr3t") && !shown.contains("token"),
            "the token is never printed"
        );
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
        // Header names are case-insensitive (HTTP/1.1 clients may send them lower-cased).
        let lower = request.to_ascii_lowercase();
        assert!(lower.contains("\r\nauthorization: bearer secret-token\r\n"), "{request}");
        assert!(request.ends_with("{\"qr\":\"ref,key,id\",\"account\":\"100\"}"), "{request}");
    }
}
