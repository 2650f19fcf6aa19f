//! The server's side of one websocket connection.
//!
//! [`ServerSession`] runs the handshake (init, QR ref and reref, pairing, login with challenge),
//! answers keepalives, opens encrypted client frames and turns them into [`ServerEvent::Request`]s,
//! and seals what the application answers. Decisions that need storage (is this login valid? which
//! account scanned the QR?) are handed to the application as events, answered with commands
//! ([`ServerSession::pair`], [`ServerSession::accept_login`], [`ServerSession::reject_login`]).
//!
//! Ordering rules real clients depend on (see `docs/PROTOCOL.md`, "What real clients expect"):
//! the init reply comes before any `s1`; `s1` (Conn or challenge) comes before the login's
//! `{"status":200}`; pushes are tagged `s1`, `s2`, ... per connection; and short pauses separate the
//! init reply from `s1`, the challenge reply from `s2`, and the plaintext handshake from the first
//! encrypted push. After answering a message relay, pushes (not answers) are held for the same
//! pause, so that the delivery ack of that message does not reach the client before it has filed
//! the message (see `outbox`).

mod commands;
mod incoming;
mod types;

pub use types::{Handshake, ServerConfig, ServerEvent, WrongState};

use incoming::{salvage_tag, Lane};

use rand_core::{CryptoRng, RngCore};
use serde_json::json;
use std::collections::VecDeque;
use std::time::{Duration, Instant};

use super::outbox::{CloseReason, Outbox, Transmit};
use super::ProtocolError;
use crate::binary;
use crate::crypto::SessionKeys;
use crate::frame::{self, TextFrame};
use crate::json::cmd::DisconnectKind;

#[derive(Debug)]
enum State {
    /// Nothing but keepalives so far.
    New,
    /// Init answered; a QR with `ref` is shown until a scan or a login.
    Unpaired { r#ref: String, expires_at: Instant, rerefs: u32 },
    /// A login waits for the application's decision.
    LoginPending { login_tag: String, server_token: String },
    /// The client must answer this challenge, naming the server token it logged in with.
    Challenged {
        login_tag: String,
        server_token: String,
        challenge: Vec<u8>,
        handshake: Box<Handshake>,
    },
    /// Keys are set; encrypted frames flow.
    Ready { keys: SessionKeys },
    /// Closed; every input is ignored.
    Closed,
}

/// One connection, server side. `R` is the session's random source.
#[derive(Debug)]
pub struct ServerSession<R> {
    config: ServerConfig,
    rng: R,
    state: State,
    client_id: Option<String>,
    browser: Vec<String>,
    outbox: Outbox,
    events: VecDeque<ServerEvent>,
    /// Shared by text pushes (`s<n>`) and binary pushes (`s-<n>`).
    push_counter: u64,
    /// The initial `preempt-<k>` responses count on their own.
    preempt_counter: u64,
    /// Tags of relays not answered yet (bounded: the oldest is forgotten first).
    pending_relays: VecDeque<String>,
    last_rx: Instant,
    /// Whether sealed frames keep their node bytes for [`ServerSession::poll_transmit_with_plaintext`].
    keep_plaintext: bool,
}

impl<R: RngCore + CryptoRng> ServerSession<R> {
    /// A new connection that opened at `now` (the monotonic clock: every deadline of the
    /// session is an [`Instant`]).
    pub fn new(config: ServerConfig, rng: R, now: Instant) -> Self {
        ServerSession {
            config,
            rng,
            state: State::New,
            client_id: None,
            browser: Vec::new(),
            outbox: Outbox::default(),
            events: VecDeque::new(),
            push_counter: 0,
            preempt_counter: 0,
            pending_relays: VecDeque::new(),
            last_rx: now,
            keep_plaintext: false,
        }
    }

    // ----- getters -------------------------------------------------------------------------

    /// The client id announced in `admin init` or `admin login`.
    pub fn client_id(&self) -> Option<&str> {
        self.client_id.as_deref()
    }

    /// The browser description from `admin init`.
    pub fn browser(&self) -> &[String] {
        &self.browser
    }

    /// The ref a phone may scan right now, if the QR is shown and not expired.
    pub fn scannable_ref(&self, now: Instant) -> Option<&str> {
        match &self.state {
            State::Unpaired { r#ref, expires_at, .. } if now < *expires_at => Some(r#ref),
            _ => None,
        }
    }

    /// Whether the handshake is over.
    pub fn is_ready(&self) -> bool {
        matches!(self.state, State::Ready { .. })
    }

    /// Whether the session is closed.
    pub fn is_closed(&self) -> bool {
        matches!(self.state, State::Closed)
    }

    /// The session keys once ready (for recording tools; never log them).
    pub fn keys(&self) -> Option<&SessionKeys> {
        match &self.state {
            State::Ready { keys } => Some(keys),
            _ => None,
        }
    }

    // ----- input from the network ----------------------------------------------------------

    /// A text websocket message arrived. `unix_ms` is the wall-clock time (ms since the Unix
    /// epoch) for the answers that carry it: the keepalive's `!<ms>` and the init reply.
    pub fn handle_text(&mut self, now: Instant, unix_ms: u64, text: &str) {
        if self.is_closed() {
            return;
        }
        self.last_rx = now;
        match TextFrame::parse(text) {
            Ok(TextFrame::Ping) => {
                self.send_text(now, TextFrame::Pong(unix_ms).to_string(), Lane::Answer)
            }
            Ok(TextFrame::Pong(_)) => {}
            Ok(TextFrame::Tagged { tag, payload }) => {
                self.handle_tagged(now, unix_ms, tag, payload)
            }
            Err(e) => match salvage_tag(text) {
                // The tag is readable: answer on it so the client's request fails fast.
                Some(tag) => {
                    let body = json!({"status": 400, "error": format!("malformed frame: {e}")});
                    self.respond_json(now, &tag, &body);
                }
                None => {
                    self.close(now, CloseReason::Protocol(ProtocolError::MalformedTextFrame(e)))
                }
            },
        }
    }

    /// A binary websocket message arrived.
    pub fn handle_binary(&mut self, now: Instant, data: &[u8]) {
        self.handle_binary_with_plaintext(now, data);
    }

    /// [`handle_binary`](Self::handle_binary), handing back the node bytes the frame opened to
    /// (for a recording tool); `None` when it did not open.
    pub fn handle_binary_with_plaintext(&mut self, now: Instant, data: &[u8]) -> Option<Vec<u8>> {
        if self.is_closed() {
            return None;
        }
        self.last_rx = now;
        let State::Ready { keys } = &self.state else {
            self.close(now, CloseReason::Protocol(ProtocolError::BinaryBeforeLogin));
            return None;
        };
        let opened = match frame::binary::open_client_frame(keys, data) {
            Ok(o) => o,
            Err(e) => {
                self.close(now, CloseReason::Protocol(ProtocolError::UnopenableFrame(e)));
                return None;
            }
        };
        match binary::decode(&opened.plaintext) {
            Ok(node) => {
                let tag = self.note_relay(opened.tag, &node);
                let (metric, flags) = (opened.metric, opened.flags);
                self.events.push_back(ServerEvent::Request { tag, metric, flags, node });
            }
            Err(e) => {
                let tag = opened.tag;
                let body = json!({"status": 400, "error": format!("bad node: {e}")});
                self.respond_json(now, &tag, &body);
            }
        }
        Some(opened.plaintext)
    }

    /// Time has passed: closes idle connections.
    pub fn handle_timeout(&mut self, now: Instant) {
        if self.is_closed() {
            return;
        }
        if now >= self.idle_deadline() {
            self.close(now, CloseReason::Idle);
        }
    }

    // ----- output --------------------------------------------------------------------------

    /// The next websocket message to send, once its time has come. When it is the handshake's
    /// `Conn`, [`ServerEvent::ConnSent`] follows in [`poll_event`](Self::poll_event).
    pub fn poll_transmit(&mut self, now: Instant) -> Option<Transmit> {
        self.poll_transmit_with_plaintext(now).map(|(t, _)| t)
    }

    /// [`poll_transmit`](Self::poll_transmit), with the node bytes an encrypted frame was
    /// sealed from, if [`keep_plaintext`](Self::keep_plaintext) was on when it was queued.
    pub fn poll_transmit_with_plaintext(
        &mut self,
        now: Instant,
    ) -> Option<(Transmit, Option<Vec<u8>>)> {
        let queued = self.outbox.pop_queued(now)?;
        if queued.conn {
            self.events.push_back(ServerEvent::ConnSent);
        }
        Some((queued.transmit, queued.plaintext))
    }

    /// Keeps, from now on, the node bytes of every frame the session seals, handed out with
    /// the frame by [`poll_transmit_with_plaintext`](Self::poll_transmit_with_plaintext): for a
    /// recording tool, which then needs no keys. Off by default: queued frames take twice the
    /// memory.
    pub fn keep_plaintext(&mut self, on: bool) {
        self.keep_plaintext = on;
    }

    /// Whether messages wait to be sent (held by a pause, or not polled yet): what was queued
    /// before is on the socket only once this is `false` and the socket was flushed.
    pub fn has_pending_output(&self) -> bool {
        !self.outbox.is_empty()
    }

    /// The next event for the application.
    pub fn poll_event(&mut self) -> Option<ServerEvent> {
        self.events.pop_front()
    }

    /// When [`handle_timeout`](Self::handle_timeout) or [`poll_transmit`](Self::poll_transmit)
    /// next has something to do.
    pub fn poll_timeout(&self) -> Option<Instant> {
        if self.is_closed() {
            return self.outbox.next_release();
        }
        let idle = self.idle_deadline();
        Some(self.outbox.next_release().map_or(idle, |r| r.min(idle)))
    }

    /// When the connection counts as idle if nothing arrives meanwhile.
    fn idle_deadline(&self) -> Instant {
        self.last_rx + Duration::from_millis(self.config.idle_timeout_ms)
    }
}
