//! A web client for tests: [`ClientSession`] driven over a real tokio-tungstenite websocket,
//! with access to the raw socket for sending malformed input.

use std::net::SocketAddr;
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use rand::rngs::StdRng;
use rand::SeedableRng;
use serde_json::json;
use tokio::net::TcpStream;
use tokio::time::Instant;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};
use waweb_proto::json::push::ServerPush;
use waweb_proto::session::{ClientConfig, ClientEvent, ClientSession, Credentials, Transmit};

/// How long any single wait in a test may take.
pub const WAIT: Duration = Duration::from_secs(10);

type Ws = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// One client connection.
pub struct Client {
    /// The protocol state machine.
    pub session: ClientSession<StdRng>,
    ws: Ws,
    open: bool,
    /// The close frame the server sent: (code, reason).
    pub close: Option<(u16, String)>,
    /// Whether the server's upgrade answer granted a websocket extension.
    pub extensions: Option<String>,
}

/// Milliseconds since the Unix epoch: the wall clock, for the session's request tags.
pub fn now_ms() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as u64
}

/// The monotonic clock the sessions count their deadlines on.
pub fn now() -> std::time::Instant {
    std::time::Instant::now()
}

impl Client {
    /// Opens a websocket like a real browser client (Origin and Host of the real service,
    /// permessage-deflate offered) and starts the session.
    pub async fn connect(addr: SocketAddr, creds: Option<Credentials>) -> Client {
        Self::connect_with(addr, creds, ClientConfig::default()).await
    }

    /// Same, with a chosen client configuration.
    pub async fn connect_with(
        addr: SocketAddr,
        creds: Option<Credentials>,
        config: ClientConfig,
    ) -> Client {
        let mut req = format!("ws://{addr}/ws").into_client_request().unwrap();
        let h = req.headers_mut();
        h.insert("Origin", HeaderValue::from_static("https://web.whatsapp.com"));
        h.insert("Host", HeaderValue::from_static("web.whatsapp.com"));
        h.insert(
            "Sec-WebSocket-Extensions",
            HeaderValue::from_static("permessage-deflate; client_max_window_bits"),
        );
        let (ws, resp) = tokio_tungstenite::connect_async(req).await.unwrap();
        let extensions = resp
            .headers()
            .get("Sec-WebSocket-Extensions")
            .map(|v| v.to_str().unwrap_or("?").to_string());
        let mut session =
            ClientSession::new(config, StdRng::from_entropy(), creds, now(), now_ms());
        session.start(now());
        let mut client = Client { session, ws, open: true, close: None, extensions };
        client.send_due().await;
        client
    }

    /// Sends what the session has queued and is due.
    async fn send_due(&mut self) {
        let now = now();
        while let Some(t) = self.session.poll_transmit(now) {
            let msg = match t {
                Transmit::Text(s) => Message::text(s),
                Transmit::Binary(b) => Message::binary(b),
                Transmit::Close(_) => Message::Close(None),
            };
            if self.open && self.ws.send(msg).await.is_err() {
                self.open = false;
            }
        }
    }

    /// Sends a raw text message.
    pub async fn send_text(&mut self, text: &str) {
        self.ws.send(Message::text(text)).await.unwrap();
    }

    /// Sends a raw binary message.
    pub async fn send_binary(&mut self, data: Vec<u8>) {
        self.ws.send(Message::binary(data)).await.unwrap();
    }

    /// The next session event; panics after [`WAIT`].
    pub async fn event(&mut self) -> ClientEvent {
        let deadline = Instant::now() + WAIT;
        loop {
            if let Some(e) = self.session.poll_event() {
                return e;
            }
            assert!(Instant::now() < deadline, "no client event within {WAIT:?}");
            self.step(deadline).await;
        }
    }

    /// The next raw text message from the server (bypassing the session); panics after [`WAIT`].
    pub async fn raw_text(&mut self) -> String {
        loop {
            match tokio::time::timeout(WAIT, self.ws.next()).await.expect("no message in time") {
                Some(Ok(Message::Text(t))) => return t.to_string(),
                Some(Ok(Message::Close(f))) => panic!("closed: {f:?}"),
                Some(Ok(_)) => {}
                other => panic!("socket ended: {other:?}"),
            }
        }
    }

    /// Waits until the server closes the websocket; returns its close frame (code, reason).
    pub async fn closed(&mut self) -> (u16, String) {
        let deadline = Instant::now() + WAIT;
        while self.open {
            assert!(Instant::now() < deadline, "socket still open after {WAIT:?}");
            self.step(deadline).await;
        }
        self.close.clone().expect("the socket ended without a close frame")
    }

    /// Reads until the socket ends (within [`WAIT`], whatever arrives is dropped); the
    /// server's close frame, if it sent one.
    pub async fn ended(&mut self) -> Option<(u16, String)> {
        let deadline = Instant::now() + WAIT;
        loop {
            match tokio::time::timeout_at(deadline, self.ws.next()).await {
                Ok(Some(Ok(Message::Close(f)))) => {
                    self.close = f.map(|f| (u16::from(f.code), f.reason.to_string()));
                }
                Ok(Some(Ok(_))) => {}
                Ok(Some(Err(_)) | None) => break,
                Err(_) => panic!("socket still open after {WAIT:?}"),
            }
        }
        self.open = false;
        self.close.clone()
    }

    /// The QR string of the next `Qr` event.
    pub async fn qr(&mut self) -> String {
        wait_for(self, |e| match e {
            ClientEvent::Qr { code, .. } => Some(code.clone()),
            _ => None,
        })
        .await
    }

    /// Waits for `LoggedIn`; returns the credentials.
    pub async fn logged_in(&mut self) -> Credentials {
        match wait_for(self, |e| match e {
            ClientEvent::LoggedIn { credentials, .. } => Some(Ok(credentials.clone())),
            ClientEvent::Disconnected(r) => Some(Err(r.clone())),
            _ => None,
        })
        .await
        {
            Ok(c) => c,
            Err(r) => panic!("disconnected instead of logging in: {r:?}"),
        }
    }

    async fn step(&mut self, deadline: Instant) {
        self.send_due().await;
        let wake =
            self.session.poll_timeout().map(Instant::from_std).unwrap_or(deadline).min(deadline);
        tokio::select! {
            msg = self.ws.next(), if self.open => match msg {
                Some(Ok(Message::Text(t))) => self.session.handle_text(now(), t.as_str()),
                Some(Ok(Message::Binary(b))) => self.session.handle_binary(now(), &b),
                Some(Ok(Message::Close(f))) => {
                    self.close = Some(f.map_or((1005, String::new()), |f| {
                        (u16::from(f.code), f.reason.to_string())
                    }));
                }
                Some(Ok(_)) => {}
                Some(Err(_)) | None => self.open = false,
            },
            () = tokio::time::sleep_until(wake) => self.session.handle_timeout(now()),
        }
    }
}

/// Waits for an event that `pick` accepts, skipping the others.
pub async fn wait_for<T>(
    client: &mut Client,
    mut pick: impl FnMut(&ClientEvent) -> Option<T>,
) -> T {
    loop {
        let event = client.event().await;
        if let Some(t) = pick(&event) {
            return t;
        }
    }
}

/// The session answers `admin test` with `["Pong",true]`: it is alive and served. (The client
/// session reads an array answer as a push.)
pub async fn assert_alive(client: &mut Client) {
    let tag = client.session.send_json(now(), &json!(["admin", "test"])).unwrap();
    let value = wait_for(client, |e| match e {
        ClientEvent::JsonResponse { tag: t, value } if *t == tag => Some(value.clone()),
        ClientEvent::Push(ServerPush::Pong(up)) => Some(json!(["Pong", up])),
        ClientEvent::Disconnected(r) => panic!("the healthy session ended: {r:?}"),
        _ => None,
    })
    .await;
    assert_eq!(value, json!(["Pong", true]));
}
