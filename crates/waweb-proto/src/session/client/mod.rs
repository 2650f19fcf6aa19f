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

mod commands;
mod incoming;
mod types;

pub use types::{ClientConfig, ClientError, ClientEvent, Credentials, DisconnectReason};

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use rand_core::{CryptoRng, RngCore};
use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant};

use super::outbox::{Outbox, Transmit};
use super::ProtocolError;
use crate::binary;
use crate::crypto::{KeyPair, SessionKeys};
use crate::frame::{self, TextFrame};
use crate::json::admin::AdminRequest;
use crate::json::conn::Conn;

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
