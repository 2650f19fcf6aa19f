//! The web client's side of one websocket connection.
//!
//! [`ClientSession`] sends `admin init` (and `admin login` when it has [`Credentials`]), turns the
//! init reply into a QR string (renewed with `reref` when it expires), derives the session keys
//! from the `Conn` secret after a scan, answers the login challenge, keeps the link alive with
//! `?,,`, tags and times out requests, and seals/opens encrypted frames.
//!
//! ```
//! use waweb_proto::session::{ClientConfig, ClientEvent, ClientSession, Transmit};
//! # use rand::SeedableRng;
//! let rng = rand::rngs::StdRng::seed_from_u64(7);
//! let mut client = ClientSession::new(ClientConfig::default(), rng, None, 1_600_000_000_000);
//! client.start(1_600_000_000_000);
//! let Some(Transmit::Text(init)) = client.poll_transmit(1_600_000_000_000) else { panic!() };
//! assert!(init.starts_with("1600000000.--0,[\"admin\",\"init\""));
//! ```

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use rand_core::{CryptoRng, RngCore};
use serde_json::Value;
use std::collections::{HashMap, VecDeque};

use super::outbox::{Outbox, Transmit};
use super::qr::QrCode;
use crate::binary::{self, Node};
use crate::crypto::{self, KeyPair, SessionKeys};
use crate::frame::{self, Flags, Metric, TextFrame};
use crate::json::admin::{AdminRequest, ChallengeAnswer, InitRequest, LoginMode, LoginRequest};
use crate::json::cmd::Cmd;
use crate::json::conn::Conn;
use crate::json::push::ServerPush;
use crate::message::WebMessageInfo;

/// Tunables of a client session. `Default` matches what real clients do.
#[derive(Debug, Clone)]
pub struct ClientConfig {
    /// The web version claimed in `admin init`.
    pub version: [u32; 3],
    /// The browser description shown on the phone (`[os, browser, version]`).
    pub browser: [String; 3],
    /// Send `?,,` this often, in ms.
    pub keepalive_interval_ms: u64,
    /// Declare the link dead when nothing arrived for this long, in ms.
    pub dead_after_ms: u64,
    /// Fail a request that got no answer within this time, in ms.
    pub request_timeout_ms: u64,
    /// Use `takeover` (kick other sessions) when logging in, rather than `reconnect`.
    pub takeover: bool,
}

impl Default for ClientConfig {
    fn default() -> Self {
        ClientConfig {
            version: [2, 2142, 12],
            browser: ["waweb".into(), "Chrome".into(), "0.1".into()],
            keepalive_interval_ms: 20_000,
            dead_after_ms: 45_000,
            request_timeout_ms: 15_000,
            takeover: true,
        }
    }
}

/// What a paired client must keep to log in again without a QR. Keep it secret.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    /// The client id (base64 of 16 random bytes), reused for every connection.
    pub client_id: String,
    /// `WAToken1`, rotated by the server at every login.
    pub client_token: String,
    /// `WAToken2`, rotated by the server at every login.
    pub server_token: String,
    /// The session keys derived at pairing.
    pub keys: SessionKeys,
    /// Our own JID (`<number>@c.us`).
    pub wid: String,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("client_id", &self.client_id)
            .field("wid", &self.wid)
            .finish_non_exhaustive()
    }
}

/// Why the session ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DisconnectReason {
    /// Another browser took over the account (`kind: "replaced"`).
    Replaced,
    /// The phone (or the server) logged this browser out.
    RemovedByPhone,
    /// We logged out ourselves.
    LoggedOut,
    /// The login was refused with this status (401 unpaired, 403, 405, 409, 419...): log in again.
    InvalidSession(u16),
    /// The server stopped answering keepalives.
    KeepaliveTimeout,
    /// The server refused to give new QR refs (429).
    QrRefsExhausted,
    /// The server sent something we cannot handle.
    Protocol(String),
}

/// What the application must know.
#[derive(Debug, Clone, PartialEq)]
pub enum ClientEvent {
    /// Show this QR (a new one after every ref renewal); it expires at `expires_at` (ms).
    Qr {
        /// The string to render as a QR code.
        code: String,
        /// When the server stops accepting it.
        expires_at: u64,
    },
    /// The session is logged in; persist `credentials` (tokens change at every login).
    LoggedIn {
        /// The connection info from the server.
        conn: Box<Conn>,
        /// What to save for the next login.
        credentials: Credentials,
        /// `true` for a fresh QR pairing, `false` for a restore.
        new_pairing: bool,
    },
    /// An unsolicited JSON push (presence, acks, Blocklist, Props, ...).
    Push(ServerPush),
    /// An unsolicited encrypted node (sync data, incoming messages, battery...).
    Node {
        /// The server's tag (`preempt-…`, `s-…`).
        tag: String,
        /// The node.
        node: Node,
    },
    /// The encrypted answer to one of our requests.
    Response {
        /// Our request's tag.
        tag: String,
        /// The answer node.
        node: Node,
    },
    /// The JSON answer to one of our requests (`{"status":200}` for actions and relays).
    JsonResponse {
        /// Our request's tag.
        tag: String,
        /// The answer.
        value: Value,
    },
    /// A request got no answer in time.
    RequestTimedOut {
        /// Its tag.
        tag: String,
    },
    /// The session ended; nothing more will happen.
    Disconnected(DisconnectReason),
}

/// Errors of the client's commands.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClientError {
    /// Encrypted requests need a logged-in session.
    #[error("the session is not logged in yet")]
    NotLoggedIn,
    /// The session has ended.
    #[error("the session is closed")]
    Closed,
    /// A tag must be non-empty and contain no comma.
    #[error("invalid tag {0:?}")]
    InvalidTag(String),
}

#[derive(Debug)]
enum State {
    Idle,
    /// Init sent; waiting for the init reply (and, when restoring, the login's outcome).
    Connecting,
    /// A QR is shown; waiting for the scan.
    ShowingQr {
        expires_at: u64,
    },
    Ready {
        keys: SessionKeys,
    },
    Closed,
}

/// One connection, client side. `R` is the session's random source.
#[derive(Debug)]
pub struct ClientSession<R> {
    config: ClientConfig,
    rng: R,
    state: State,
    client_id: String,
    key_pair: KeyPair,
    credentials: Option<Credentials>,
    pending_conn: Option<Box<Conn>>,
    tag_base: u64,
    seq: u64,
    init_tag: Option<String>,
    login_tag: Option<String>,
    reref_tag: Option<String>,
    challenge_tag: Option<String>,
    goodbye_sent: bool,
    pending: HashMap<String, u64>,
    outbox: Outbox,
    events: VecDeque<ClientEvent>,
    last_rx: u64,
    next_ping: u64,
}

impl<R: RngCore + CryptoRng> ClientSession<R> {
    /// A session that restores `credentials` if given, or pairs by QR otherwise.
    pub fn new(
        config: ClientConfig,
        mut rng: R,
        credentials: Option<Credentials>,
        now: u64,
    ) -> Self {
        let client_id = match &credentials {
            Some(c) => c.client_id.clone(),
            None => {
                let mut id = [0u8; 16];
                rng.fill_bytes(&mut id);
                B64.encode(id)
            }
        };
        let key_pair = KeyPair::generate(&mut rng);
        ClientSession {
            next_ping: now + config.keepalive_interval_ms,
            config,
            rng,
            state: State::Idle,
            client_id,
            key_pair,
            credentials,
            pending_conn: None,
            tag_base: now / 1000,
            seq: 0,
            init_tag: None,
            login_tag: None,
            reref_tag: None,
            challenge_tag: None,
            goodbye_sent: false,
            pending: HashMap::new(),
            outbox: Outbox::default(),
            events: VecDeque::new(),
            last_rx: now,
        }
    }

    // ----- getters -------------------------------------------------------------------------

    /// The client id sent in init and login.
    pub fn client_id(&self) -> &str {
        &self.client_id
    }

    /// The credentials, once paired or restored.
    pub fn credentials(&self) -> Option<&Credentials> {
        self.credentials.as_ref()
    }

    /// Whether encrypted requests can be sent.
    pub fn is_ready(&self) -> bool {
        matches!(self.state, State::Ready { .. })
    }

    /// Whether the session has ended.
    pub fn is_closed(&self) -> bool {
        matches!(self.state, State::Closed)
    }

    // ----- commands ------------------------------------------------------------------------

    /// Sends `admin init`, then `admin login` right away when restoring (as real clients do).
    pub fn start(&mut self, now: u64) {
        if !matches!(self.state, State::Idle) {
            return;
        }
        let init = AdminRequest::Init(InitRequest {
            version: self.config.version.to_vec(),
            browser: self.config.browser.to_vec(),
            client_id: self.client_id.clone(),
            remember: true,
        });
        self.init_tag = Some(self.send_json_request(now, &init.to_value()));
        if let Some(c) = &self.credentials {
            let mode = if self.config.takeover {
                LoginMode::Takeover
            } else {
                LoginMode::Reconnect(c.wid.clone())
            };
            let login = AdminRequest::Login(LoginRequest {
                client_token: c.client_token.clone(),
                server_token: c.server_token.clone(),
                client_id: c.client_id.clone(),
                mode,
            });
            self.login_tag = Some(self.send_json_request(now, &login.to_value()));
        }
        self.state = State::Connecting;
    }

    /// Sends an encrypted `query`-style request; the answer comes as [`ClientEvent::Response`]
    /// (or [`ClientEvent::JsonResponse`] for actions) with the returned tag.
    pub fn send_node(
        &mut self,
        now: u64,
        node: &Node,
        metric: Metric,
        flags: Flags,
    ) -> Result<String, ClientError> {
        let tag = self.next_tag();
        self.send_node_tagged(now, &tag, node, metric, flags)?;
        Ok(tag)
    }

    /// Sends an encrypted request with a chosen tag (a relay uses the message id).
    pub fn send_node_tagged(
        &mut self,
        now: u64,
        tag: &str,
        node: &Node,
        metric: Metric,
        flags: Flags,
    ) -> Result<(), ClientError> {
        if tag.is_empty() || tag.contains(',') {
            return Err(ClientError::InvalidTag(tag.to_string()));
        }
        let keys = match &self.state {
            State::Ready { keys } => keys,
            State::Closed => return Err(ClientError::Closed),
            _ => return Err(ClientError::NotLoggedIn),
        };
        let plaintext = binary::encode(node);
        let frame = frame::binary::seal_client_frame(
            keys,
            &mut self.rng,
            tag,
            metric.as_u8(),
            flags,
            &plaintext,
        );
        self.outbox.push(now, Transmit::Binary(frame));
        self.pending.insert(tag.to_string(), now + self.config.request_timeout_ms);
        Ok(())
    }

    /// Relays a message (`action relay`); the tag is the message id. The server answers
    /// `{"status":200,"t":…}` as a [`ClientEvent::JsonResponse`].
    pub fn relay(&mut self, now: u64, message: &WebMessageInfo) -> Result<String, ClientError> {
        let id = message.key.as_ref().and_then(|k| k.id.clone()).unwrap_or_default();
        let epoch = self.next_epoch();
        let node = Node::new("action")
            .attr("type", "relay")
            .attr("epoch", epoch)
            .children(vec![Node::new("message").bytes(prost::Message::encode_to_vec(message))]);
        self.send_node_tagged(now, &id, &node, Metric::Message, Flags::EXPECTS_ANSWER)?;
        Ok(id)
    }

    /// Sends a JSON request (e.g. `["query","exist",jid]`); returns its tag.
    pub fn send_json(&mut self, now: u64, value: &Value) -> Result<String, ClientError> {
        if self.is_closed() {
            return Err(ClientError::Closed);
        }
        Ok(self.send_json_request(now, value))
    }

    /// A fresh `epoch` attribute value for a query or action.
    pub fn next_epoch(&mut self) -> String {
        self.seq.to_string()
    }

    /// Logs out: the server forgets our tokens; the session then ends with
    /// [`DisconnectReason::LoggedOut`].
    pub fn logout(&mut self, now: u64) {
        if self.is_closed() || self.goodbye_sent {
            return;
        }
        self.goodbye_sent = true;
        let frame = TextFrame::tagged("goodbye", AdminRequest::Disconnect.to_value());
        self.outbox.push(now, Transmit::Text(frame.to_string()));
        self.pending.insert("goodbye".into(), now + self.config.request_timeout_ms);
    }

    // ----- input from the network ----------------------------------------------------------

    /// A text websocket message arrived.
    pub fn handle_text(&mut self, now: u64, text: &str) {
        if self.is_closed() {
            return;
        }
        self.last_rx = now;
        match TextFrame::parse(text) {
            Ok(TextFrame::Pong(_)) | Ok(TextFrame::Ping) => {}
            Ok(TextFrame::Tagged { tag, payload }) => self.on_tagged(now, tag, payload),
            Err(e) => self.fail(now, DisconnectReason::Protocol(format!("bad text frame: {e}"))),
        }
    }

    /// A binary websocket message arrived.
    pub fn handle_binary(&mut self, now: u64, data: &[u8]) {
        if self.is_closed() {
            return;
        }
        self.last_rx = now;
        let State::Ready { keys } = &self.state else {
            let why = "encrypted frame before the keys are known".to_string();
            return self.fail(now, DisconnectReason::Protocol(why));
        };
        let (tag, plaintext) = match frame::binary::open_server_frame(keys, data) {
            Ok(x) => x,
            Err(e) => return self.fail(now, DisconnectReason::Protocol(format!("bad frame: {e}"))),
        };
        let node = match binary::decode(&plaintext) {
            Ok(n) => n,
            Err(e) => return self.fail(now, DisconnectReason::Protocol(format!("bad node: {e}"))),
        };
        if self.pending.remove(&tag).is_some() {
            self.events.push_back(ClientEvent::Response { tag, node });
        } else {
            self.events.push_back(ClientEvent::Node { tag, node });
        }
    }

    /// Time has passed: keepalive, ref renewal, request timeouts, dead link detection.
    pub fn handle_timeout(&mut self, now: u64) {
        if self.is_closed() || matches!(self.state, State::Idle) {
            return;
        }
        if now >= self.last_rx.saturating_add(self.config.dead_after_ms) {
            return self.fail(now, DisconnectReason::KeepaliveTimeout);
        }
        if now >= self.next_ping {
            self.outbox.push(now, Transmit::Text(TextFrame::Ping.to_string()));
            self.next_ping = now + self.config.keepalive_interval_ms;
        }
        if let State::ShowingQr { expires_at } = self.state {
            if now >= expires_at && self.reref_tag.is_none() {
                let reref = AdminRequest::Reref.to_value();
                self.reref_tag = Some(self.send_json_request(now, &reref));
            }
        }
        let expired: Vec<String> =
            self.pending.iter().filter(|(_, d)| **d <= now).map(|(t, _)| t.clone()).collect();
        for tag in expired {
            self.pending.remove(&tag);
            self.events.push_back(ClientEvent::RequestTimedOut { tag });
        }
    }

    // ----- output --------------------------------------------------------------------------

    /// The next websocket message to send.
    pub fn poll_transmit(&mut self, now: u64) -> Option<Transmit> {
        self.outbox.pop(now)
    }

    /// The next event for the application.
    pub fn poll_event(&mut self) -> Option<ClientEvent> {
        self.events.pop_front()
    }

    /// When [`handle_timeout`](Self::handle_timeout) next has something to do.
    pub fn poll_timeout(&self) -> Option<u64> {
        if self.is_closed() || matches!(self.state, State::Idle) {
            return self.outbox.next_release();
        }
        let mut t = self.next_ping.min(self.last_rx.saturating_add(self.config.dead_after_ms));
        if let State::ShowingQr { expires_at } = self.state {
            if self.reref_tag.is_none() {
                t = t.min(expires_at);
            }
        }
        if let Some(d) = self.pending.values().min() {
            t = t.min(*d);
        }
        if let Some(r) = self.outbox.next_release() {
            t = t.min(r);
        }
        Some(t)
    }

    // ----- internals -----------------------------------------------------------------------

    fn on_tagged(&mut self, now: u64, tag: String, payload: Option<Value>) {
        let Some(value) = payload else {
            return; // `tag,` is a transport-level ack; the real answer follows
        };
        if self.init_tag.as_deref() == Some(tag.as_str()) {
            self.init_tag = None;
            return self.on_init_reply(now, &value);
        }
        if self.login_tag.as_deref() == Some(tag.as_str()) {
            return self.on_login_reply(now, &value);
        }
        if self.reref_tag.as_deref() == Some(tag.as_str()) {
            self.reref_tag = None;
            return self.on_reref_reply(now, &value);
        }
        if self.challenge_tag.as_deref() == Some(tag.as_str()) {
            self.challenge_tag = None;
            let status = status_of(&value);
            if status != 200 {
                self.fail(now, DisconnectReason::InvalidSession(status));
            }
            return;
        }
        if tag == "goodbye" && self.goodbye_sent {
            return self.fail(now, DisconnectReason::LoggedOut);
        }
        if self.pending.remove(&tag).is_some() {
            self.events.push_back(ClientEvent::JsonResponse { tag, value });
            return;
        }
        match ServerPush::from_value(&value) {
            Ok(push) => self.on_push(now, push),
            Err(_) => self.events.push_back(ClientEvent::JsonResponse { tag, value }),
        }
    }

    fn on_init_reply(&mut self, now: u64, value: &Value) {
        let status = status_of(value);
        if status != 200 {
            let why = format!("admin init refused with status {status}");
            return self.fail(now, DisconnectReason::Protocol(why));
        }
        if self.credentials.is_some() {
            return; // restoring: the login's answer decides
        }
        match value.get("ref").and_then(Value::as_str) {
            Some(r) => {
                let ttl = value.get("ttl").and_then(Value::as_u64).unwrap_or(20_000);
                self.show_qr(now, r.to_string(), ttl);
            }
            None => self.fail(now, DisconnectReason::Protocol("init reply without ref".into())),
        }
    }

    fn on_reref_reply(&mut self, now: u64, value: &Value) {
        match status_of(value) {
            200 => match value.get("ref").and_then(Value::as_str) {
                Some(r) => {
                    let ttl = value.get("ttl").and_then(Value::as_u64).unwrap_or(20_000);
                    self.show_qr(now, r.to_string(), ttl);
                }
                None => self.fail(now, DisconnectReason::Protocol("reref without ref".into())),
            },
            304 => {
                if let State::ShowingQr { expires_at } = &mut self.state {
                    *expires_at = now + 20_000;
                }
            }
            _ => self.fail(now, DisconnectReason::QrRefsExhausted),
        }
    }

    fn on_login_reply(&mut self, now: u64, value: &Value) {
        let status = status_of(value);
        if status != 200 {
            return self.fail(now, DisconnectReason::InvalidSession(status));
        }
        self.login_tag = None;
        let Some(conn) = self.pending_conn.take() else {
            let why = "login accepted before any Conn".to_string();
            return self.fail(now, DisconnectReason::Protocol(why));
        };
        let Some(creds) = self.credentials.as_mut() else {
            return;
        };
        update_tokens(creds, &conn);
        let credentials = creds.clone();
        self.state = State::Ready { keys: credentials.keys.clone() };
        self.events.push_back(ClientEvent::LoggedIn { conn, credentials, new_pairing: false });
    }

    fn on_push(&mut self, now: u64, push: ServerPush) {
        match push {
            ServerPush::Conn(conn) if !self.is_ready() => self.on_conn(now, conn),
            ServerPush::Cmd(Cmd::Challenge { challenge }) => self.on_challenge(now, &challenge),
            ServerPush::Cmd(Cmd::Disconnect { kind }) => {
                let reason = match kind.as_deref() {
                    Some("replaced") => DisconnectReason::Replaced,
                    _ => DisconnectReason::RemovedByPhone,
                };
                self.fail(now, reason);
            }
            ServerPush::Pong(false) => {
                let why = "the phone is not reachable".to_string();
                self.fail(now, DisconnectReason::Protocol(why));
            }
            other => self.events.push_back(ClientEvent::Push(other)),
        }
    }

    fn on_conn(&mut self, now: u64, conn: Box<Conn>) {
        let Some(secret_b64) = conn.secret.clone() else {
            // A restore: the login's 200 follows and completes it.
            self.pending_conn = Some(conn);
            return;
        };
        let keys = match B64.decode(secret_b64.as_bytes()) {
            Ok(secret) => crypto::secret::open_secret(&self.key_pair, &secret),
            Err(_) => {
                return self.fail(now, DisconnectReason::Protocol("secret is not b64".into()))
            }
        };
        let keys = match keys {
            Ok(k) => k,
            Err(e) => {
                return self.fail(now, DisconnectReason::Protocol(format!("bad secret: {e}")));
            }
        };
        let credentials = Credentials {
            client_id: self.client_id.clone(),
            client_token: conn.client_token.clone().unwrap_or_default(),
            server_token: conn.server_token.clone().unwrap_or_default(),
            keys: keys.clone(),
            wid: conn.wid.clone().unwrap_or_default(),
        };
        self.credentials = Some(credentials.clone());
        self.reref_tag = None;
        self.state = State::Ready { keys };
        self.events.push_back(ClientEvent::LoggedIn { conn, credentials, new_pairing: true });
    }

    fn on_challenge(&mut self, now: u64, challenge_b64: &str) {
        let Some(creds) = &self.credentials else {
            let why = "challenge without credentials".to_string();
            return self.fail(now, DisconnectReason::Protocol(why));
        };
        let Ok(challenge) = B64.decode(challenge_b64.as_bytes()) else {
            return self.fail(now, DisconnectReason::Protocol("challenge is not b64".into()));
        };
        let answer = crypto::challenge::answer(&creds.keys, &challenge);
        let req = AdminRequest::Challenge(ChallengeAnswer {
            answer: B64.encode(answer),
            server_token: creds.server_token.clone(),
            client_id: creds.client_id.clone(),
        });
        self.challenge_tag = Some(self.send_json_request(now, &req.to_value()));
    }

    fn show_qr(&mut self, now: u64, r#ref: String, ttl: u64) {
        let qr = QrCode {
            r#ref,
            public_key: self.key_pair.public_bytes(),
            client_id: self.client_id.clone(),
        };
        let expires_at = now + ttl;
        self.state = State::ShowingQr { expires_at };
        self.events.push_back(ClientEvent::Qr { code: qr.to_string(), expires_at });
    }

    fn fail(&mut self, now: u64, reason: DisconnectReason) {
        if self.is_closed() {
            return;
        }
        self.state = State::Closed;
        let close = match &reason {
            DisconnectReason::LoggedOut => super::outbox::CloseReason::LoggedOut,
            DisconnectReason::Replaced => super::outbox::CloseReason::Replaced,
            DisconnectReason::KeepaliveTimeout => super::outbox::CloseReason::Idle,
            other => super::outbox::CloseReason::Protocol(format!("{other:?}")),
        };
        self.outbox.push(now, Transmit::Close(close));
        self.events.push_back(ClientEvent::Disconnected(reason));
    }

    fn send_json_request(&mut self, now: u64, value: &Value) -> String {
        let tag = self.next_tag();
        let frame = TextFrame::tagged(&tag, value.clone());
        self.outbox.push(now, Transmit::Text(frame.to_string()));
        tag
    }

    fn next_tag(&mut self) -> String {
        let tag = format!("{}.--{}", self.tag_base, self.seq);
        self.seq += 1;
        tag
    }
}

fn status_of(value: &Value) -> u16 {
    value.get("status").and_then(Value::as_u64).and_then(|s| u16::try_from(s).ok()).unwrap_or(0)
}

fn update_tokens(creds: &mut Credentials, conn: &Conn) {
    if let Some(t) = &conn.client_token {
        creds.client_token = t.clone();
    }
    if let Some(t) = &conn.server_token {
        creds.server_token = t.clone();
    }
    if let Some(w) = &conn.wid {
        creds.wid = w.clone();
    }
}
