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

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use rand_core::{CryptoRng, RngCore};
use serde_json::{json, Value};
use std::collections::VecDeque;

use super::outbox::{CloseReason, Outbox, Transmit};
use crate::binary::{self, Node};
use crate::crypto::{self, SessionKeys};
use crate::frame::{self, Flags, TextFrame};
use crate::json::admin::{AdminRequest, ChallengeAnswer, InitRequest, LoginRequest};
use crate::json::blocklist::Blocklist;
use crate::json::cmd::Cmd;
use crate::json::conn::Conn;
use crate::json::props::Props;
use crate::json::push::ServerPush;
use crate::json::query::JsonQuery;
use crate::json::response::{InitResponse, RerefResponse, StatusResponse};
use crate::json::stream::Stream;
use crate::json::{ClientJson, JsonError};

/// Tunables of a server session. `Default` gives the values real clients expect.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// How long a QR ref stays valid (the init response's `ttl`), in ms.
    pub ref_ttl_ms: u64,
    /// How many `reref`s one connection may ask before it gets 429.
    pub max_rerefs: u32,
    /// The pause inserted where clients need one (see the module docs), in ms.
    pub pace_ms: u64,
    /// Close the connection when nothing has been received for this long, in ms.
    pub idle_timeout_ms: u64,
    /// The web version announced as `curr` and in `Stream`.
    pub curr_version: String,
    /// Whether every login is challenged (`["Cmd",{"type":"challenge"}]`) before it is accepted.
    pub challenge_on_login: bool,
    /// Whether the simulated phone answers `admin test` with `["Pong",true]`.
    pub phone_online: bool,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            ref_ttl_ms: 20_000,
            max_rerefs: 20,
            pace_ms: 50,
            idle_timeout_ms: 90_000,
            curr_version: "2.2142.12".to_string(),
            challenge_on_login: true,
            phone_online: true,
        }
    }
}

/// What the application gives the session to finish a pairing or a login: the account's view of
/// the connection. Tokens in `conn` must already be the new ones (stored before this call).
#[derive(Debug, Clone)]
pub struct Handshake {
    /// The `Conn` object to send (without `secret`: the session adds it on pairing).
    pub conn: Conn,
    /// The session keys (fresh on pairing, the stored ones on login).
    pub keys: SessionKeys,
    /// The account's blocklist.
    pub blocklist: Blocklist,
    /// The client properties to push.
    pub props: Props,
}

/// What the application must know or decide.
#[derive(Debug, Clone, PartialEq)]
pub enum ServerEvent {
    /// `admin init` arrived: the client shows a QR with this ref and waits for a scan.
    AwaitingScan {
        /// The ref the phone must scan.
        r#ref: String,
        /// The client id from init.
        client_id: String,
        /// The browser description from init.
        browser: Vec<String>,
    },
    /// The client asked for a new ref; the old one is no longer scannable.
    RefRenewed {
        /// The ref that expired.
        old_ref: String,
        /// The ref now shown.
        new_ref: String,
    },
    /// `admin login`: answer with [`ServerSession::accept_login`] or [`ServerSession::reject_login`].
    LoginRequested(LoginRequest),
    /// The handshake is over; encrypted traffic may flow. Push the initial sync now.
    Ready {
        /// `true` after a login, `false` after a new pairing.
        restored: bool,
    },
    /// A decrypted binary request (`query`, `action`, relay...). Answer on the same tag.
    Request {
        /// The client's tag (the message id for relays).
        tag: String,
        /// The metric byte (informational; route on the node).
        metric: u8,
        /// The flag byte.
        flags: Flags,
        /// The decoded node.
        node: Node,
    },
    /// A JSON query or action once ready (`exist`, `Status`, `presence subscribe`, ...).
    JsonRequest {
        /// The client's tag.
        tag: String,
        /// The request.
        query: JsonQuery,
    },
    /// The client logged out (`goodbye`): forget its tokens.
    LoggedOut,
    /// The connection closes for this reason; nothing more will happen.
    Closed(CloseReason),
}

#[derive(Debug)]
enum State {
    /// Nothing but keepalives so far.
    New,
    /// Init answered; a QR with `ref` is shown until a scan or a login.
    Unpaired { r#ref: String, expires_at: u64, rerefs: u32 },
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
    last_rx: u64,
}

impl<R: RngCore + CryptoRng> ServerSession<R> {
    /// A new connection that opened at `now`.
    pub fn new(config: ServerConfig, rng: R, now: u64) -> Self {
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
    pub fn scannable_ref(&self, now: u64) -> Option<&str> {
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

    /// A text websocket message arrived.
    pub fn handle_text(&mut self, now: u64, text: &str) {
        if self.is_closed() {
            return;
        }
        self.last_rx = now;
        match TextFrame::parse(text) {
            Ok(TextFrame::Ping) => {
                self.send_text(now, TextFrame::Pong(now).to_string(), Lane::Answer)
            }
            Ok(TextFrame::Pong(_)) => {}
            Ok(TextFrame::Tagged { tag, payload }) => self.handle_tagged(now, tag, payload),
            Err(e) => match salvage_tag(text) {
                // The tag is readable: answer on it so the client's request fails fast.
                Some(tag) => {
                    let body = json!({"status": 400, "error": format!("malformed frame: {e}")});
                    self.respond_json(now, &tag, &body);
                }
                None => {
                    self.close(now, CloseReason::Protocol(format!("malformed text frame: {e}")))
                }
            },
        }
    }

    /// A binary websocket message arrived.
    pub fn handle_binary(&mut self, now: u64, data: &[u8]) {
        if self.is_closed() {
            return;
        }
        self.last_rx = now;
        let State::Ready { keys } = &self.state else {
            self.close(now, CloseReason::Protocol("binary frame before login".into()));
            return;
        };
        let opened = match frame::binary::open_client_frame(keys, data) {
            Ok(o) => o,
            Err(e) => {
                self.close(now, CloseReason::Protocol(format!("cannot open binary frame: {e}")));
                return;
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
    }

    /// Time has passed: closes idle connections.
    pub fn handle_timeout(&mut self, now: u64) {
        if self.is_closed() {
            return;
        }
        if now >= self.last_rx.saturating_add(self.config.idle_timeout_ms) {
            self.close(now, CloseReason::Idle);
        }
    }

    // ----- output --------------------------------------------------------------------------

    /// The next websocket message to send, once its time has come.
    pub fn poll_transmit(&mut self, now: u64) -> Option<Transmit> {
        self.outbox.pop(now)
    }

    /// The next event for the application.
    pub fn poll_event(&mut self) -> Option<ServerEvent> {
        self.events.pop_front()
    }

    /// When [`handle_timeout`](Self::handle_timeout) or [`poll_transmit`](Self::poll_transmit)
    /// next has something to do.
    pub fn poll_timeout(&self) -> Option<u64> {
        if self.is_closed() {
            return self.outbox.next_release();
        }
        let idle = self.last_rx.saturating_add(self.config.idle_timeout_ms);
        Some(self.outbox.next_release().map_or(idle, |r| r.min(idle)))
    }

    // ----- commands ------------------------------------------------------------------------

    /// The phone scanned this session's QR: sends `s1` Conn with a fresh `secret` built for the
    /// client's public key, then Blocklist, Stream and Props, and becomes ready.
    pub fn pair(&mut self, now: u64, client_public: &[u8; 32], handshake: Handshake) {
        if !matches!(self.state, State::Unpaired { .. }) {
            return;
        }
        let secret = crypto::secret::build_secret(&mut self.rng, client_public, &handshake.keys);
        let mut conn = handshake.conn;
        conn.secret = Some(B64.encode(secret));
        conn.is_response = Some(false);
        self.push(now, ServerPush::Conn(Box::new(conn)));
        self.finish_handshake(now, None, handshake.keys, handshake.blocklist, handshake.props);
    }

    /// The login names a known pairing: challenges the client (if configured) or sends Conn at
    /// once. See [`ServerSession::accept_login_with`] to decide per login.
    pub fn accept_login(&mut self, now: u64, handshake: Handshake) {
        let challenge = self.config.challenge_on_login;
        self.accept_login_with(now, handshake, challenge);
    }

    /// The login names a known pairing: with `challenge`, the client must first prove it holds
    /// the pairing's `macKey` (for tokens that are not the current pair); without, `Conn` is
    /// sent at once (the tokens were current).
    pub fn accept_login_with(&mut self, now: u64, handshake: Handshake, challenge: bool) {
        let State::LoginPending { login_tag, server_token } = &self.state else {
            return;
        };
        let (login_tag, server_token) = (login_tag.clone(), server_token.clone());
        if challenge {
            let mut challenge = vec![0u8; 32];
            self.rng.fill_bytes(&mut challenge);
            let cmd = Cmd::Challenge { challenge: B64.encode(&challenge) };
            self.push(now, ServerPush::Cmd(cmd));
            let handshake = Box::new(handshake);
            self.state = State::Challenged { login_tag, server_token, challenge, handshake };
        } else {
            self.send_restored_conn(now, login_tag, handshake);
        }
    }

    /// The login's tokens are not valid: answers the login tag with `status` and nothing else.
    /// The connection stays open so the client may pair again.
    pub fn reject_login(&mut self, now: u64, status: u16) {
        if let State::LoginPending { login_tag, .. } = &self.state {
            let tag = login_tag.clone();
            self.respond_status(now, &tag, status);
            self.reset_to_unpaired(now);
        }
    }

    /// Another session of the same account took over: tells the client and closes.
    pub fn replace(&mut self, now: u64) {
        self.disconnect_cmd(now, Some("replaced"), CloseReason::Replaced);
    }

    /// The phone logged this browser out: tells the client and closes.
    pub fn kick(&mut self, now: u64) {
        self.disconnect_cmd(now, None, CloseReason::LoggedOut);
    }

    /// Closes the connection (server shutdown, or an application decision).
    pub fn close(&mut self, now: u64, reason: CloseReason) {
        if self.is_closed() {
            return;
        }
        self.state = State::Closed;
        self.outbox.push(now, Transmit::Close(reason.clone()));
        self.events.push_back(ServerEvent::Closed(reason));
    }

    /// Answers a binary request with an encrypted node on the same tag.
    pub fn respond_node(&mut self, now: u64, tag: &str, node: &Node) {
        self.send_node(now, tag, node, Lane::Answer);
        self.answered(now, tag);
    }

    /// Answers a request with a JSON value on the same tag (`tag,{"status":200}`).
    pub fn respond_json(&mut self, now: u64, tag: &str, value: &Value) {
        let frame = TextFrame::tagged(tag, value.clone());
        self.send_text(now, frame.to_string(), Lane::Answer);
        self.answered(now, tag);
    }

    /// Answers with `{"status": status}`.
    pub fn respond_status(&mut self, now: u64, tag: &str, status: u16) {
        self.respond_json(now, tag, &to_json(&StatusResponse::with_status(status)));
    }

    /// Sends an unsolicited JSON push, tagged `s<n>`.
    pub fn push(&mut self, now: u64, push: ServerPush) {
        self.push_counter += 1;
        let tag = format!("s{}", self.push_counter);
        let frame = TextFrame::tagged(&tag, push.to_value());
        self.send_text(now, frame.to_string(), Lane::Push);
    }

    /// Sends an unsolicited encrypted node with a server tag (`s-<n>`); returns the tag.
    pub fn push_node(&mut self, now: u64, node: &Node) -> String {
        self.push_counter += 1;
        let tag = format!("s-{}", self.push_counter);
        self.send_node(now, &tag, node, Lane::Push);
        tag
    }

    /// Sends an initial-sync `response` node with a `preempt-<n>` tag; returns the tag.
    pub fn push_preempt(&mut self, now: u64, node: &Node) -> String {
        self.preempt_counter += 1;
        let tag = format!("preempt-{}", self.preempt_counter);
        self.send_node(now, &tag, node, Lane::Push);
        tag
    }

    // ----- internals -----------------------------------------------------------------------

    fn handle_tagged(&mut self, now: u64, tag: String, payload: Option<Value>) {
        let Some(payload) = payload else {
            return; // an empty `tag,` is a transport-level ack; nothing to answer
        };
        match ClientJson::from_value(&payload) {
            Ok(ClientJson::Admin(req)) => self.handle_admin(now, tag, req),
            Ok(ClientJson::Query(q)) => {
                if self.is_ready() {
                    self.events.push_back(ServerEvent::JsonRequest { tag, query: q });
                } else {
                    self.respond_status(now, &tag, 401);
                }
            }
            Err(JsonError::UnknownCommand(_)) => self.respond_status(now, &tag, 404),
            Err(_) => self.respond_status(now, &tag, 400),
        }
    }

    fn handle_admin(&mut self, now: u64, tag: String, req: AdminRequest) {
        match req {
            AdminRequest::Init(init) => self.on_init(now, tag, init),
            AdminRequest::Login(login) => self.on_login(now, tag, login),
            AdminRequest::Challenge(answer) => self.on_challenge(now, tag, answer),
            AdminRequest::Reref => self.on_reref(now, tag),
            AdminRequest::Disconnect => self.on_disconnect(now, tag),
            AdminRequest::Test => {
                let pong = ServerPush::Pong(self.config.phone_online).to_value();
                self.respond_json(now, &tag, &pong);
            }
            AdminRequest::Remember(_) => self.respond_status(now, &tag, 200),
        }
    }

    fn on_init(&mut self, now: u64, tag: String, init: InitRequest) {
        if self.is_ready() {
            self.respond_status(now, &tag, 405);
            return;
        }
        self.client_id = Some(init.client_id.clone());
        self.browser = init.browser.clone();
        let r#ref = self.new_ref();
        let resp = InitResponse::new(
            r#ref.clone(),
            self.config.ref_ttl_ms,
            &self.config.curr_version,
            now as f64,
        );
        self.respond_json(now, &tag, &to_json(&resp));
        self.outbox.pause(now, self.config.pace_ms);
        // A login that arrived before init keeps waiting for its decision.
        if !matches!(self.state, State::LoginPending { .. } | State::Challenged { .. }) {
            let expires_at = now + self.config.ref_ttl_ms;
            self.state = State::Unpaired { r#ref: r#ref.clone(), expires_at, rerefs: 0 };
        }
        self.events.push_back(ServerEvent::AwaitingScan {
            r#ref,
            client_id: init.client_id,
            browser: init.browser,
        });
    }

    fn on_login(&mut self, now: u64, tag: String, login: LoginRequest) {
        match &self.state {
            State::Ready { .. } => return self.respond_status(now, &tag, 405),
            State::Closed => return,
            _ => {}
        }
        if let Some(id) = &self.client_id {
            if *id != login.client_id {
                return self.respond_status(now, &tag, 401);
            }
        }
        self.client_id = Some(login.client_id.clone());
        let server_token = login.server_token.clone();
        self.state = State::LoginPending { login_tag: tag, server_token };
        self.events.push_back(ServerEvent::LoginRequested(login));
    }

    fn on_challenge(&mut self, now: u64, tag: String, answer: ChallengeAnswer) {
        let State::Challenged { challenge, handshake, server_token, .. } = &self.state else {
            return self.respond_status(now, &tag, 400);
        };
        let given = B64.decode(answer.answer.as_bytes()).unwrap_or_default();
        let ok = crypto::challenge::verify(&handshake.keys, challenge, &given)
            && answer.server_token == *server_token;
        let State::Challenged { login_tag, handshake, .. } =
            std::mem::replace(&mut self.state, State::New)
        else {
            return;
        };
        if ok {
            self.respond_status(now, &tag, 200);
            self.outbox.pause(now, self.config.pace_ms);
            self.send_restored_conn(now, login_tag, *handshake);
        } else {
            self.respond_status(now, &tag, 401);
            self.respond_status(now, &login_tag, 401);
            self.reset_to_unpaired(now);
        }
    }

    fn on_reref(&mut self, now: u64, tag: String) {
        let State::Unpaired { r#ref, rerefs, .. } = &self.state else {
            return self.respond_status(now, &tag, if self.is_ready() { 304 } else { 400 });
        };
        if *rerefs >= self.config.max_rerefs {
            return self.respond_json(now, &tag, &to_json(&RerefResponse::with_status(429)));
        }
        let (old_ref, rerefs) = (r#ref.clone(), rerefs + 1);
        let new_ref = self.new_ref();
        let expires_at = now + self.config.ref_ttl_ms;
        self.state = State::Unpaired { r#ref: new_ref.clone(), expires_at, rerefs };
        let resp = RerefResponse::new_ref(new_ref.clone(), self.config.ref_ttl_ms);
        self.respond_json(now, &tag, &to_json(&resp));
        self.events.push_back(ServerEvent::RefRenewed { old_ref, new_ref });
    }

    fn on_disconnect(&mut self, now: u64, tag: String) {
        if self.is_ready() {
            self.events.push_back(ServerEvent::LoggedOut);
        }
        self.respond_status(now, &tag, 200);
        self.close(now, CloseReason::LoggedOut);
    }

    fn send_restored_conn(&mut self, now: u64, login_tag: String, handshake: Handshake) {
        let mut conn = handshake.conn;
        conn.secret = None;
        conn.is_response = Some(true);
        self.push(now, ServerPush::Conn(Box::new(conn)));
        self.finish_handshake(
            now,
            Some(login_tag),
            handshake.keys,
            handshake.blocklist,
            handshake.props,
        );
    }

    /// Sends the login's 200 (if any), Blocklist, Stream and Props, and becomes ready.
    fn finish_handshake(
        &mut self,
        now: u64,
        login_tag: Option<String>,
        keys: SessionKeys,
        blocklist: Blocklist,
        props: Props,
    ) {
        let restored = login_tag.is_some();
        if let Some(tag) = login_tag {
            self.respond_status(now, &tag, 200);
        }
        self.push(now, ServerPush::Blocklist(blocklist));
        let stream = Stream::update(false, &self.config.curr_version);
        self.push(now, ServerPush::Stream(stream));
        self.push(now, ServerPush::Props(props));
        // The client derives its keys from s1 before it can read encrypted pushes.
        self.outbox.pause(now, self.config.pace_ms * 2);
        self.state = State::Ready { keys };
        self.events.push_back(ServerEvent::Ready { restored });
    }

    fn reset_to_unpaired(&mut self, now: u64) {
        let r#ref = self.new_ref();
        let expires_at = now + self.config.ref_ttl_ms;
        self.state = State::Unpaired { r#ref, expires_at, rerefs: 0 };
    }

    fn disconnect_cmd(&mut self, now: u64, kind: Option<&str>, reason: CloseReason) {
        if self.is_closed() {
            return;
        }
        let cmd = Cmd::Disconnect { kind: kind.map(str::to_string) };
        self.push(now, ServerPush::Cmd(cmd));
        self.close(now, reason);
    }

    fn send_node(&mut self, now: u64, tag: &str, node: &Node, lane: Lane) {
        let State::Ready { keys } = &self.state else {
            return;
        };
        let plaintext = binary::encode(node);
        let frame = frame::binary::seal_server_frame(keys, &mut self.rng, tag, &plaintext);
        self.enqueue(now, Transmit::Binary(frame), lane);
    }

    fn send_text(&mut self, now: u64, text: String, lane: Lane) {
        if !self.is_closed() {
            self.enqueue(now, Transmit::Text(text), lane);
        }
    }

    fn enqueue(&mut self, now: u64, t: Transmit, lane: Lane) {
        match lane {
            Lane::Answer => self.outbox.push(now, t),
            Lane::Push => self.outbox.push_unsolicited(now, t),
        }
    }

    /// Remembers the tag of a relay request, to hold pushes once it is answered.
    fn note_relay(&mut self, tag: String, node: &Node) -> String {
        if node.description == "action" && node.get_attr("type") == Some("relay") {
            if self.pending_relays.len() >= MAX_PENDING_RELAYS {
                self.pending_relays.pop_front();
            }
            self.pending_relays.push_back(tag.clone());
        }
        tag
    }

    /// An answer on `tag` was queued: if it answers a relay, hold the pushes that follow.
    fn answered(&mut self, now: u64, tag: &str) {
        if let Some(i) = self.pending_relays.iter().position(|t| t == tag) {
            self.pending_relays.remove(i);
            self.outbox.hold_pushes(now, self.config.pace_ms);
        }
    }

    fn new_ref(&mut self) -> String {
        let mut raw = [0u8; 24];
        self.rng.fill_bytes(&mut raw);
        format!("1@{}", B64.encode(raw))
    }
}

/// How many unanswered relays a session remembers for pacing (more only lose their pause).
const MAX_PENDING_RELAYS: usize = 256;

/// Whether a frame answers the client or is pushed unasked (pushes may be held, see `outbox`).
#[derive(Debug, Clone, Copy)]
enum Lane {
    Answer,
    Push,
}

/// The tag of a text frame whose payload did not parse, if the tag itself is well formed.
fn salvage_tag(text: &str) -> Option<String> {
    let (tag, _) = text.split_once(',')?;
    let printable = tag.bytes().all(|b| (0x21..=0x7e).contains(&b));
    (!tag.is_empty() && tag.len() <= 128 && printable).then(|| tag.to_string())
}

/// Serializes a response model; these models have no map keys or floats that could fail.
fn to_json<T: serde::Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}
