//! Shared by the tests that run the real client against the real server: a `waweb-server` on
//! 127.0.0.1 (ephemeral port, temporary data directory, demo accounts) that can be stopped and
//! started again on the same data, a minimal HTTP client for the admin API, QR pairing through
//! `POST /admin/scan`, and event helpers with timeouts.

// Each test file uses a different part of this module.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use serde_json::{json, Value};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use waweb_client::{Client, ClientOptions, ConnInfo, Credentials, Event, EventStream};
use waweb_server::store::AnyStore;
use waweb_server::{Config, Server, ServerError};

/// The demo accounts: phone and push name.
pub const ALICE: (&str, &str) = ("15550000001", "Alice");
/// Bob.
pub const BOB: (&str, &str) = ("15550000002", "Bob");
/// Carol.
pub const CAROL: (&str, &str) = ("15550000003", "Carol");

/// How long any single expected event may take.
pub const WAIT: Duration = Duration::from_secs(10);

/// `<phone>@c.us`.
pub fn c_us(phone: &str) -> String {
    format!("{phone}@c.us")
}

/// The phone part of any user JID (`@c.us` or `@s.whatsapp.net`).
pub fn phone_of(jid: &str) -> &str {
    jid.split('@').next().unwrap_or(jid)
}

/// A running server over a data directory that outlives it.
pub struct RealServer {
    /// Where it listens.
    pub addr: SocketAddr,
    /// The admin token.
    pub token: String,
    /// Its storage (shared with the server).
    pub store: Arc<AnyStore>,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<Result<(), ServerError>>>,
}

impl RealServer {
    /// Binds a server on `listen` over `data_dir`, seeds the demo accounts (a no-op when they
    /// exist), and runs it in a task.
    pub async fn start(data_dir: PathBuf, listen: SocketAddr) -> RealServer {
        let mut config = Config::new(data_dir);
        config.listen = listen;
        let server = Server::bind(config).await.unwrap();
        waweb_server::demo::seed(&*server.store()).await.unwrap();
        let addr = server.local_addr();
        let token = server.admin_token().to_string();
        let store = server.store();
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(server.run(async move {
            let _ = stopped.await;
        }));
        RealServer { addr, token, store, stop: Some(stop), task: Some(task) }
    }

    /// A server on an ephemeral port.
    pub async fn ephemeral(data_dir: PathBuf) -> RealServer {
        RealServer::start(data_dir, "127.0.0.1:0".parse().unwrap()).await
    }

    /// The websocket URL.
    pub fn url(&self) -> String {
        format!("ws://{}/ws", self.addr)
    }

    /// Its HTTP base URL (what the server builds picture URLs on).
    pub fn http_base(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops the server through its shutdown future and returns what `run` returned.
    pub async fn stop(mut self) -> Result<(), ServerError> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        self.task.take().unwrap().await.unwrap()
    }

    /// `POST /admin/scan`: (HTTP status, body).
    pub async fn scan(&self, qr: &str, account: &str) -> (u16, Value) {
        let body = json!({"qr": qr, "account": account});
        admin(self.addr, "POST", "/admin/scan", Some(&self.token), Some(&body)).await
    }

    /// Connects without a session, scans the first QR for `phone`, and waits for `Ready`.
    /// Returns the client, its remaining events, who it is and the events seen before `Ready`.
    pub async fn pair(&self, phone: &str) -> Paired {
        self.pair_with(phone, ClientOptions::default()).await
    }

    /// [`RealServer::pair`] with chosen options.
    pub async fn pair_with(&self, phone: &str, options: ClientOptions) -> Paired {
        let (client, mut events) = Client::connect_with(&self.url(), None, options).await.unwrap();
        let code = next(&mut events, |e| match e {
            Event::Qr { code, .. } => Some(code.clone()),
            _ => None,
        })
        .await;
        let (status, body) = self.scan(&code, phone).await;
        assert_eq!(status, 200, "scan answered {body}");
        assert_eq!(body["account"], phone);
        let (info, new_pairing) = ready(&mut events).await;
        assert!(new_pairing, "a scan is a new pairing");
        Paired { client, events, info }
    }

    /// Restores `creds` (no QR) and waits for `Ready`.
    pub async fn restore(&self, creds: &Credentials) -> Paired {
        restore_at(&self.url(), creds).await
    }
}

impl Drop for RealServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// A logged-in client.
pub struct Paired {
    /// The handle.
    pub client: Client,
    /// What came after `Ready`.
    pub events: EventStream,
    /// Who it is.
    pub info: ConnInfo,
}

impl Paired {
    /// Its current credentials.
    pub fn creds(&self) -> Credentials {
        self.client.credentials().expect("credentials after Ready")
    }
}

/// Restores `creds` against `url` and waits for `Ready` (which must not be a new pairing).
pub async fn restore_at(url: &str, creds: &Credentials) -> Paired {
    let (client, mut events) = Client::connect(url, Some(creds.clone())).await.unwrap();
    let info = restored(&mut events).await;
    Paired { client, events, info }
}

/// Waits for `Ready`, failing on an end of session.
pub async fn ready(events: &mut EventStream) -> (ConnInfo, bool) {
    next(events, |e| match e {
        Event::Ready { info, new_pairing } => Some((info.clone(), *new_pairing)),
        Event::Disconnected(why) => panic!("the session ended before Ready: {why:?}"),
        _ => None,
    })
    .await
}

/// Waits for a restored `Ready`, failing on a QR (a restore must not need one) or an end of
/// session.
pub async fn restored(events: &mut EventStream) -> ConnInfo {
    let info = next(events, |e| match e {
        Event::Ready { info, new_pairing: false } => Some(info.clone()),
        Event::Ready { .. } => panic!("paired again instead of restoring"),
        Event::Qr { .. } => panic!("a restore asked for a QR code"),
        Event::Disconnected(why) => panic!("the session ended before Ready: {why:?}"),
        _ => None,
    })
    .await;
    info
}

/// The first event `pick` accepts (others are skipped), within [`WAIT`].
pub async fn next<T>(events: &mut EventStream, mut pick: impl FnMut(&Event) -> Option<T>) -> T {
    let wait = async {
        while let Some(e) = events.recv().await {
            if let Some(t) = pick(&e) {
                return t;
            }
        }
        panic!("the event stream ended");
    };
    tokio::time::timeout(WAIT, wait).await.expect("the expected event did not come in time")
}

/// Every event that arrives until `quiet` passes without one.
pub async fn drain(events: &mut EventStream, quiet: Duration) -> Vec<Event> {
    let mut seen = Vec::new();
    while let Ok(Some(e)) = tokio::time::timeout(quiet, events.recv()).await {
        seen.push(e);
    }
    seen
}

/// The server tests' minimal HTTP/1.1 client for the admin API, shared rather than copied.
#[path = "../../../waweb-server/tests/support/http.rs"]
mod http;

/// One admin API request over a fresh connection: (status, JSON body or `Null`).
pub use http::request as admin;

/// A message's (chat phone, from_me, id).
pub fn key_of(m: &waweb_client::WebMessageInfo) -> (String, bool, String) {
    let key = m.key.clone().unwrap_or_default();
    let chat = phone_of(key.remote_jid.as_deref().unwrap_or_default()).to_string();
    (chat, key.from_me.unwrap_or(false), key.id.unwrap_or_default())
}

/// Unix seconds now.
pub fn now_s() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs()
}
