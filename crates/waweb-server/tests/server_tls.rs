//! TLS on the server's port: with a self-signed certificate made in the data directory, HTTPS
//! (media upload and download) and a `wss://` upgrade work for a client that trusts it; a client
//! that never finishes its handshake holds nothing up; certificate files that are not usable
//! stop the server from starting.

mod support;

use std::sync::Arc;

use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64URL;
use base64::Engine;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName};
use sha2::{Digest, Sha256};
use support::TestServer;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_rustls::client::TlsStream;
use tokio_rustls::TlsConnector;
use waweb_server::context::now_ms;
use waweb_server::tls::TlsSource;

async fn tls_server() -> TestServer {
    TestServer::start_with(|c| c.tls = Some(TlsSource::SelfSigned { names: vec![] })).await
}

/// A TLS connection to the server that trusts only its self-signed certificate.
async fn connect(server: &TestServer) -> TlsStream<TcpStream> {
    let pem = std::fs::read(server.dir.path().join("data/tls-cert.pem")).unwrap();
    let mut roots = rustls::RootCertStore::empty();
    for cert in CertificateDer::pem_slice_iter(&pem) {
        roots.add(cert.unwrap()).unwrap();
    }
    let config = rustls::ClientConfig::builder_with_provider(waweb_server::tls::crypto_provider())
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
    let tcp = TcpStream::connect(server.addr).await.unwrap();
    let name = ServerName::try_from("localhost").unwrap();
    TlsConnector::from(Arc::new(config)).connect(name, tcp).await.unwrap()
}

/// One HTTP/1.1 request over TLS: (status, lower-cased head, body).
async fn https(server: &TestServer, head: &str, body: &[u8]) -> (u16, String, Vec<u8>) {
    let mut tls = connect(server).await;
    let head = format!("{head}\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    tls.write_all(head.as_bytes()).await.unwrap();
    tls.write_all(body).await.unwrap();
    let mut raw = Vec::new();
    // A peer that closes without close_notify is an error for rustls; the bytes are all there.
    let _ = tls.read_to_end(&mut raw).await;
    support::http::split_response(&raw)
}

#[tokio::test]
async fn media_goes_over_https_with_https_urls() {
    let server = tls_server().await;
    server.account("15550000001", "Alice").await;
    let auth = server.media.tokens.issue("15550000001", now_ms()).0;
    let blob = b"an encrypted blob, as far as the server knows".to_vec();
    let hash = B64URL.encode(Sha256::digest(&blob));
    let head =
        format!("POST /mms/document/{hash}?auth={auth} HTTP/1.1\r\nContent-Length: {}", blob.len());
    let (status, _, answer) = https(&server, &head, &blob).await;
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&answer));
    let answer: serde_json::Value = serde_json::from_slice(&answer).unwrap();
    let url = answer["url"].as_str().unwrap();
    let base = format!("https://127.0.0.1:{}", server.addr.port());
    let path = url.strip_prefix(&base).unwrap_or_else(|| panic!("{url} is not under {base}"));
    let (status, _, body) = https(&server, &format!("GET {path} HTTP/1.1"), b"").await;
    assert_eq!((status, body), (200, blob));
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn a_websocket_upgrades_over_tls_while_a_silent_client_waits() {
    let server = tls_server().await;
    // Connected, never says hello: its handshake must not hold up the next client.
    let _silent = TcpStream::connect(server.addr).await.unwrap();
    let tls = connect(&server).await;
    let (_ws, response) = tokio::time::timeout(
        support::client::WAIT,
        tokio_tungstenite::client_async("wss://localhost/ws", tls),
    )
    .await
    .unwrap()
    .unwrap();
    assert_eq!(response.status().as_u16(), 101);
    // Plain text on the TLS port gets no HTTP answer.
    let mut plain = TcpStream::connect(server.addr).await.unwrap();
    plain.write_all(b"GET /admin/health HTTP/1.1\r\nHost: x\r\n\r\n").await.unwrap();
    let mut raw = Vec::new();
    let _ = plain.read_to_end(&mut raw).await;
    assert!(!raw.starts_with(b"HTTP/"), "{}", String::from_utf8_lossy(&raw));
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn the_self_signed_certificate_is_kept_across_restarts() {
    let server = tls_server().await;
    let (_, dir) = server.stop_keeping_data().await;
    let data = dir.path().join("data");
    let first = std::fs::read(data.join("tls-cert.pem")).unwrap();
    assert!(first.starts_with(b"-----BEGIN CERTIFICATE-----"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        for file in ["tls-key.pem", "tls-cert.pem"] {
            let mode = std::fs::metadata(data.join(file)).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600, "{file}");
        }
    }
    let mut config = waweb_server::Config::new(&data);
    config.listen = "127.0.0.1:0".parse().unwrap();
    config.tls = Some(TlsSource::SelfSigned { names: vec![] });
    let again = waweb_server::Server::bind(config).await.unwrap();
    assert_eq!(again.self_signed_cert(), Some(data.join("tls-cert.pem").as_path()));
    assert_eq!(std::fs::read(data.join("tls-cert.pem")).unwrap(), first);
}

#[tokio::test]
async fn unusable_certificate_files_stop_the_start() {
    let dir = tempfile::tempdir().unwrap();
    let cert = dir.path().join("cert.pem");
    let key = dir.path().join("key.pem");
    std::fs::write(&cert, "not a certificate").unwrap();
    std::fs::write(&key, "not a key").unwrap();
    let start = |cert: &std::path::Path, key: &std::path::Path| {
        let mut config = waweb_server::Config::new(dir.path().join("data"));
        config.listen = "127.0.0.1:0".parse().unwrap();
        config.tls = Some(TlsSource::Files { cert: cert.into(), key: key.into() });
        waweb_server::Server::bind(config)
    };
    let err = start(&cert, &key).await.unwrap_err().to_string();
    assert!(err.starts_with("TLS: ") && err.contains("no CERTIFICATE block"), "{err}");
    let err = start(&dir.path().join("missing.pem"), &key).await.unwrap_err().to_string();
    assert!(err.contains("cannot read") && err.contains("missing.pem"), "{err}");
}
