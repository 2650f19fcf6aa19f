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
//! let now = std::time::Instant::now();
//! let mut client = ClientSession::new(ClientConfig::default(), rng, None, now, 1_600_000_000_000);
//! client.start(now);
//! let Some(Transmit::Text(init)) = client.poll_transmit(now) else { panic!() };
//! assert!(init.starts_with("1600000000.--0,[\"admin\",\"init\""));
//! ```

mod incoming;
mod types;

pub use types::{ClientConfig, ClientError, ClientEvent, Credentials, DisconnectReason};

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use rand_core::{CryptoRng, RngCore};
use serde_json::Value;
use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant};

use super::outbox::{Outbox, Transmit};
use super::ProtocolError;
use crate::binary::{self, Node};
use crate::crypto::{KeyPair, SessionKeys};
use crate::frame::{self, Flags, Metric, TextFrame};
use crate::json::admin::{AdminRequest, InitRequest, LoginMode, LoginRequest};
use crate::json::conn::Conn;
use crate::message::WebMessageInfo;

#[derive(Debug)]
enum State {
    Idle,
    /// Init sent; waiting for the init reply (and, when restoring, the login's outcome).
    Connecting,
    /// A QR is shown; waiting for the scan.
    ShowingQr {
        expires_at: Instant,
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
    pending: HashMap<String, Instant>,
    outbox: Outbox,
    events: VecDeque<ClientEvent>,
    last_rx: Instant,
    next_ping: Instant,
}

impl<R: RngCore + CryptoRng> ClientSession<R> {
    /// A session that restores `credentials` if given, or pairs by QR otherwise. `now` is the
    /// monotonic clock every deadline is counted on; `unix_ms`, the wall-clock time (ms since
    /// the Unix epoch), names the connection's request tags (`<unix seconds>.--<n>`).
    pub fn new(
        config: ClientConfig,
        mut rng: R,
        credentials: Option<Credentials>,
        now: Instant,
        unix_ms: u64,
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
            next_ping: now + Duration::from_millis(config.keepalive_interval_ms),
            config,
            rng,
            state: State::Idle,
            client_id,
            key_pair,
            credentials,
            pending_conn: None,
            tag_base: unix_ms / 1000,
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
    pub fn start(&mut self, now: Instant) {
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
        now: Instant,
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
        now: Instant,
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
        self.pending
            .insert(tag.to_string(), now + Duration::from_millis(self.config.request_timeout_ms));
        Ok(())
    }

    /// Relays a message (`action relay`); the tag is the message id. The server answers
    /// `{"status":200,"t":…}` as a [`ClientEvent::JsonResponse`].
    pub fn relay(&mut self, now: Instant, message: &WebMessageInfo) -> Result<String, ClientError> {
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
    pub fn send_json(&mut self, now: Instant, value: &Value) -> Result<String, ClientError> {
        if self.is_closed() {
            return Err(ClientError::Closed);
        }
        let tag = self.send_json_request(now, value);
        self.pending
            .insert(tag.clone(), now + Duration::from_millis(self.config.request_timeout_ms));
        Ok(tag)
    }

    /// A fresh `epoch` attribute value for a query or action.
    pub fn next_epoch(&mut self) -> String {
        self.seq.to_string()
    }

    /// Logs out: the server forgets our tokens; the session then ends with
    /// [`DisconnectReason::LoggedOut`].
    pub fn logout(&mut self, now: Instant) {
        if self.is_closed() || self.goodbye_sent {
            return;
        }
        self.goodbye_sent = true;
        let frame = TextFrame::tagged("goodbye", AdminRequest::Disconnect.to_value());
        self.outbox.push(now, Transmit::Text(frame.to_string()));
        self.pending
            .insert("goodbye".into(), now + Duration::from_millis(self.config.request_timeout_ms));
    }

    // ----- input from the network ----------------------------------------------------------

    /// A text websocket message arrived.
    pub fn handle_text(&mut self, now: Instant, text: &str) {
        if self.is_closed() {
            return;
        }
        self.last_rx = now;
        match TextFrame::parse(text) {
            Ok(TextFrame::Pong(_)) | Ok(TextFrame::Ping) => {}
            Ok(TextFrame::Tagged { tag, payload }) => self.on_tagged(now, tag, payload),
            Err(e) => self.fail(now, DisconnectReason::Protocol(ProtocolError::BadTextFrame(e))),
        }
    }

    /// A binary websocket message arrived.
    pub fn handle_binary(&mut self, now: Instant, data: &[u8]) {
        if self.is_closed() {
            return;
        }
        self.last_rx = now;
        let State::Ready { keys } = &self.state else {
            return self.fail(now, DisconnectReason::Protocol(ProtocolError::EncryptedBeforeKeys));
        };
        let (tag, plaintext) = match frame::binary::open_server_frame(keys, data) {
            Ok(x) => x,
            Err(e) => {
                return self.fail(now, DisconnectReason::Protocol(ProtocolError::BadFrame(e)))
            }
        };
        let node = match binary::decode(&plaintext) {
            Ok(n) => n,
            Err(e) => return self.fail(now, DisconnectReason::Protocol(ProtocolError::BadNode(e))),
        };
        if self.pending.remove(&tag).is_some() {
            self.events.push_back(ClientEvent::Response { tag, node });
        } else {
            self.events.push_back(ClientEvent::Node { tag, node });
        }
    }

    /// Time has passed: keepalive, ref renewal, request timeouts, dead link detection.
    pub fn handle_timeout(&mut self, now: Instant) {
        if self.is_closed() || matches!(self.state, State::Idle) {
            return;
        }
        if now >= self.dead_at() {
            return self.fail(now, DisconnectReason::KeepaliveTimeout);
        }
        if now >= self.next_ping {
            self.outbox.push(now, Transmit::Text(TextFrame::Ping.to_string()));
            self.next_ping = now + Duration::from_millis(self.config.keepalive_interval_ms);
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
    pub fn poll_transmit(&mut self, now: Instant) -> Option<Transmit> {
        self.outbox.pop(now)
    }

    /// The next event for the application.
    pub fn poll_event(&mut self) -> Option<ClientEvent> {
        self.events.pop_front()
    }

    /// When [`handle_timeout`](Self::handle_timeout) next has something to do.
    pub fn poll_timeout(&self) -> Option<Instant> {
        if self.is_closed() || matches!(self.state, State::Idle) {
            return self.outbox.next_release();
        }
        let mut t = self.next_ping.min(self.dead_at());
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

    /// When the link counts as dead if nothing arrives meanwhile.
    fn dead_at(&self) -> Instant {
        self.last_rx + Duration::from_millis(self.config.dead_after_ms)
    }
}
