//! The socket task: owns the websocket and the sans-IO [`ClientSession`], feeds it what arrives,
//! sends what it produces, wakes it on its deadlines, turns its events into [`Event`]s and
//! answers ([`events`]), and reconnects when the link drops and the options allow it.

use futures_util::{SinkExt, StreamExt};
use rand::rngs::StdRng;
use rand::SeedableRng;
use std::sync::{Arc, Mutex};
use tokio::net::TcpStream;
use tokio::sync::{mpsc, oneshot};
use tokio::time::Instant;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};
use waweb_proto::session::{ClientSession, Credentials, Transmit};

use crate::error::ClientError;
use crate::event::{ConnInfo, Disconnect, Event};
use crate::options::ClientOptions;
use crate::reconnect::Backoff;
use crate::request::{reject, Command, Pending};
use crate::servers::Servers;

mod events;

pub(crate) type Ws = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// State the handle reads without a round trip to the task.
#[derive(Debug, Default)]
pub(crate) struct Shared {
    pub(crate) credentials: Option<Credentials>,
    pub(crate) info: Option<ConnInfo>,
    pub(crate) ready: bool,
    /// The websocket URL of the current (or last) connection.
    pub(crate) url: String,
}

/// How one connection ended.
enum End {
    /// For good: report and stop.
    Final(Disconnect),
    /// The link broke: reconnect if allowed.
    Lost(String),
}

/// Opens the websocket with the `Origin` real clients send.
pub(crate) async fn open(url: &str, tls: &Arc<rustls::ClientConfig>) -> Result<Ws, ClientError> {
    let unreachable = |reason: String| ClientError::Unreachable { url: url.to_string(), reason };
    let mut request = url.into_client_request().map_err(|e| unreachable(e.to_string()))?;
    request.headers_mut().insert("Origin", HeaderValue::from_static("https://web.whatsapp.com"));
    // TCP_NODELAY: each frame is a request or an answer someone waits for; Nagle's algorithm
    // would hold one back until the server's delayed ACK (~40 ms) whenever another was in flight.
    let connector = tokio_tungstenite::Connector::Rustls(tls.clone());
    let (ws, _) =
        tokio_tungstenite::connect_async_tls_with_config(request, None, true, Some(connector))
            .await
            .map_err(|e| unreachable(e.to_string()))?;
    Ok(ws)
}

/// Milliseconds since the Unix epoch: the wall clock, for what the protocol carries (request
/// tags, the QR's expiry as reported to the application). Deadlines use [`Instant`].
pub(crate) fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

/// The socket task.
pub(crate) struct Driver {
    servers: Servers,
    /// The TLS configuration of `wss://` URLs, built once (reconnects reuse it).
    tls: Arc<rustls::ClientConfig>,
    pub(crate) options: ClientOptions,
    pub(crate) shared: Arc<Mutex<Shared>>,
    pub(crate) commands: mpsc::UnboundedReceiver<Command>,
    pub(crate) events: mpsc::UnboundedSender<Event>,
    pub(crate) credentials: Option<Credentials>,
    pending: Pending,
    logout: Option<oneshot::Sender<Result<(), ClientError>>>,
}

impl Driver {
    /// A driver for a freshly opened socket.
    pub(crate) fn new(
        servers: Servers,
        tls: Arc<rustls::ClientConfig>,
        options: ClientOptions,
        shared: Arc<Mutex<Shared>>,
        commands: mpsc::UnboundedReceiver<Command>,
        events: mpsc::UnboundedSender<Event>,
        credentials: Option<Credentials>,
    ) -> Self {
        let pending = Pending::new(options.request_timeout);
        let logout = None;
        Driver { servers, tls, options, shared, commands, events, credentials, pending, logout }
    }

    /// Runs connections until the session ends for good.
    pub(crate) async fn run(mut self, first: Ws) {
        let opts = &self.options;
        let mut backoff =
            Backoff::new(opts.backoff_base, opts.backoff_max, opts.max_reconnect_attempts);
        let mut ws = first;
        loop {
            let end = self.connection(ws).await;
            self.set_ready(false);
            let why = match end {
                End::Final(reason) => return self.finish(reason),
                End::Lost(why) => why,
            };
            self.pending.fail_all(&ClientError::Disconnected(why.clone()));
            if !self.options.reconnect || self.credentials.is_none() {
                return self.finish(Disconnect::Network(why));
            }
            tracing::info!("connection lost ({why}); reconnecting");
            match self.reconnect(&mut backoff).await {
                Ok(next) => ws = next,
                Err(reason) => return self.finish(reason),
            }
        }
    }

    /// Tries to open a new socket on the backoff schedule; commands meanwhile fail fast.
    async fn reconnect(&mut self, backoff: &mut Backoff) -> Result<Ws, Disconnect> {
        let mut last = String::from("no attempt");
        while let Some((attempt, delay)) = backoff.next() {
            let delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX);
            self.emit(Event::Reconnecting { attempt, delay_ms });
            let sleep = tokio::time::sleep(delay);
            tokio::pin!(sleep);
            loop {
                tokio::select! {
                    _ = &mut sleep => break,
                    cmd = self.commands.recv() => match cmd {
                        None | Some(Command::Close) => return Err(Disconnect::Closed),
                        Some(other) => reject(other, "reconnecting"),
                    },
                }
            }
            // The node just lost is tried last: with one address, that is the only one.
            match self.servers.open(1, &self.tls).await {
                Ok(ws) => {
                    backoff.reset();
                    if let Ok(mut shared) = self.shared.lock() {
                        shared.url = self.servers.current().to_owned();
                    }
                    return Ok(ws);
                }
                Err(e) => last = e.to_string(),
            }
        }
        Err(Disconnect::Network(format!("gave up reconnecting: {last}")))
    }

    fn finish(&mut self, reason: Disconnect) {
        let error = crate::disconnect_error(reason.clone());
        self.pending.fail_all(&error);
        if let Some(tx) = self.logout.take() {
            let _ = tx.send(if reason == Disconnect::LoggedOut { Ok(()) } else { Err(error) });
        }
        self.emit(Event::Disconnected(reason));
    }

    /// One websocket connection, from `admin init` to its end.
    async fn connection(&mut self, ws: Ws) -> End {
        let (mut sink, mut stream) = ws.split();
        let now = Instant::now().into_std();
        let mut core = ClientSession::new(
            self.options.session_config(),
            StdRng::from_entropy(),
            self.credentials.clone(),
            now,
            now_ms(),
        );
        core.start(now);
        loop {
            if let Some(end) = self.flush(&mut core, &mut sink).await {
                return end;
            }
            let wake = self.wake_at(&core);
            tokio::select! {
                msg = stream.next() => {
                    let now = Instant::now().into_std();
                    match msg {
                        Some(Ok(Message::Text(t))) => core.handle_text(now, t.as_str()),
                        Some(Ok(Message::Binary(b))) => core.handle_binary(now, &b),
                        Some(Ok(Message::Close(frame))) => {
                            let why = frame.map_or_else(String::new, |f| f.reason.to_string());
                            return End::Lost(format!("the server closed the connection {why}"));
                        }
                        Some(Ok(_)) => {}
                        Some(Err(e)) => return End::Lost(e.to_string()),
                        None => return End::Lost("the connection was cut".into()),
                    }
                }
                cmd = self.commands.recv() => match cmd {
                    Some(Command::Close) | None => {
                        let _ = sink.send(close_message(1000, "closing")).await;
                        return End::Final(Disconnect::Closed);
                    }
                    Some(cmd) => self.command(&mut core, cmd),
                },
                _ = tokio::time::sleep_until(wake) => {
                    core.handle_timeout(Instant::now().into_std());
                }
            }
        }
    }

    /// When the session or a request next needs attention.
    fn wake_at(&self, core: &ClientSession<StdRng>) -> Instant {
        let far = Instant::now() + std::time::Duration::from_secs(3600);
        core.poll_timeout().map_or(far, |t| Instant::from_std(t).min(far))
    }

    /// Sends what the session produced, then handles its events.
    async fn flush<S>(&mut self, core: &mut ClientSession<StdRng>, sink: &mut S) -> Option<End>
    where
        S: SinkExt<Message> + Unpin,
        S::Error: std::fmt::Display,
    {
        let now = Instant::now().into_std();
        while let Some(t) = core.poll_transmit(now) {
            let msg = match t {
                Transmit::Text(s) => Message::Text(s.into()),
                Transmit::Binary(b) => Message::Binary(b.into()),
                Transmit::Close(reason) => close_message(reason.code(), &reason.text()),
            };
            if let Err(e) = sink.send(msg).await {
                return Some(End::Lost(format!("cannot send: {e}")));
            }
        }
        while let Some(e) = core.poll_event() {
            if let Some(end) = self.core_event(e) {
                return Some(end);
            }
        }
        None
    }

    fn set_ready(&self, ready: bool) {
        if let Ok(mut shared) = self.shared.lock() {
            shared.ready = ready;
        }
    }

    fn emit(&self, e: Event) {
        // The application may have dropped its stream; requests still work without it.
        let _ = self.events.send(e);
    }
}

fn close_message(code: u16, reason: &str) -> Message {
    Message::Close(Some(CloseFrame {
        code: CloseCode::from(code),
        reason: reason.to_string().into(),
    }))
}
