//! Shared by the server's integration tests: a real server on 127.0.0.1 with an ephemeral port
//! and a temporary data directory, a protocol client over a real websocket, and a tiny HTTP
//! client for the admin API.

// Each test file uses a different part of this module.
#![allow(dead_code)]

pub mod client;
pub mod http;

use std::net::SocketAddr;
use std::sync::Arc;

use serde_json::json;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use waweb_proto::session::Credentials;
use waweb_server::media::Media;
use waweb_server::store::AnyStore;
use waweb_server::store::{Account, AccountStore};
use waweb_server::{Config, Server, ServerError};

// Each test file uses a part of this module.
#[allow(unused_imports)]
pub use client::{wait_for, Client};

/// A running server.
pub struct TestServer {
    /// Where it listens.
    pub addr: SocketAddr,
    /// The admin token.
    pub token: String,
    /// Its storage (shared with the server).
    pub store: Arc<AnyStore>,
    /// Its media hosting.
    pub media: Arc<Media>,
    /// The data directory (removed on drop).
    pub dir: tempfile::TempDir,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<Result<(), ServerError>>>,
}

impl TestServer {
    /// A server with the default configuration (fast pacing kept as is).
    pub async fn start() -> TestServer {
        Self::start_with(|_| {}).await
    }

    /// A server whose configuration `tweak` adjusts.
    pub async fn start_with(tweak: impl FnOnce(&mut Config)) -> TestServer {
        let dir = tempfile::tempdir().unwrap();
        let mut config = Config::new(dir.path().join("data"));
        config.listen = "127.0.0.1:0".parse().unwrap();
        tweak(&mut config);
        let server = Server::bind(config).await.unwrap();
        let addr = server.local_addr();
        let token = server.admin_token().to_string();
        let store = server.store();
        let media = server.media();
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(server.run(async move {
            let _ = stopped.await;
        }));
        TestServer { addr, token, store, media, dir, stop: Some(stop), task: Some(task) }
    }

    /// Creates an account.
    pub async fn account(&self, phone: &str, name: &str) {
        self.store.create_account(Account::new(phone, name, 1_700_000_000_000)).await.unwrap();
    }

    /// Stops the server and returns what `run` returned.
    pub async fn shutdown(self) -> Result<(), ServerError> {
        self.stop_keeping_data().await.0
    }

    /// Stops the server but keeps its data directory.
    pub async fn stop_keeping_data(mut self) -> (Result<(), ServerError>, tempfile::TempDir) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        let result = self.task.take().unwrap().await.unwrap();
        (result, self.dir)
    }

    /// `POST /admin/scan` with the admin token: (HTTP status, body).
    pub async fn scan(&self, qr: &str, account: &str) -> (u16, serde_json::Value) {
        let body = json!({"qr": qr, "account": account});
        http::request(self.addr, "POST", "/admin/scan", Some(&self.token), Some(&body)).await
    }

    /// Pairs a new client with `account` through the admin API; returns the logged-in client
    /// and its credentials.
    pub async fn pair(&self, account: &str) -> (Client, Credentials) {
        let mut client = Client::connect(self.addr, None).await;
        let code = client.qr().await;
        let (status, body) = self.scan(&code, account).await;
        assert_eq!(status, 200, "scan answered {body}");
        let creds = client.logged_in().await;
        (client, creds)
    }

    /// Connects with saved credentials and waits until logged in again.
    pub async fn restore(&self, creds: &Credentials) -> (Client, Credentials) {
        let mut client = Client::connect(self.addr, Some(creds.clone())).await;
        let creds = client.logged_in().await;
        (client, creds)
    }
}
