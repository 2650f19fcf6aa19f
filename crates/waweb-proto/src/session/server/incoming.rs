//! What a server session does with each client frame (init, login, challenge, reref, goodbye)
//! and how it queues what it sends: handshake order, pacing lanes, tags and relay holds.

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use rand_core::{CryptoRng, RngCore};
use serde_json::Value;
use std::time::{Duration, Instant};

use super::*;
use crate::action::relay::RelayRequest;
use crate::binary::{self, Node};
use crate::crypto::{self, SessionKeys};
use crate::frame::{self, TextFrame};
use crate::json::admin::{AdminRequest, ChallengeAnswer, InitRequest, LoginRequest};
use crate::json::blocklist::Blocklist;
use crate::json::cmd::Cmd;
use crate::json::conn::Conn;
use crate::json::props::Props;
use crate::json::push::ServerPush;
use crate::json::response::{InitResponse, RerefResponse};
use crate::json::stream::Stream;
use crate::json::{ClientJson, JsonError};
use crate::session::outbox::{CloseReason, Queued, Transmit};

impl<R: RngCore + CryptoRng> ServerSession<R> {
    pub(super) fn handle_tagged(
        &mut self,
        now: Instant,
        unix_ms: u64,
        tag: String,
        payload: Option<Value>,
    ) {
        let Some(payload) = payload else {
            return; // an empty `tag,` is a transport-level ack; nothing to answer
        };
        match ClientJson::from_value(&payload) {
            Ok(ClientJson::Admin(req)) => self.handle_admin(now, unix_ms, tag, req),
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

    pub(super) fn handle_admin(
        &mut self,
        now: Instant,
        unix_ms: u64,
        tag: String,
        req: AdminRequest,
    ) {
        match req {
            AdminRequest::Init(init) => self.on_init(now, unix_ms, tag, init),
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

    /// `unix_ms` is the server time the answer carries.
    pub(super) fn on_init(&mut self, now: Instant, unix_ms: u64, tag: String, init: InitRequest) {
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
            unix_ms as f64,
        );
        self.respond_json(now, &tag, &to_json(&resp));
        self.outbox.pause(now, self.config.pace_ms);
        // A login that arrived before init keeps waiting for its decision.
        if !matches!(self.state, State::LoginPending { .. } | State::Challenged { .. }) {
            let expires_at = now + Duration::from_millis(self.config.ref_ttl_ms);
            self.state = State::Unpaired { r#ref: r#ref.clone(), expires_at, rerefs: 0 };
        }
        self.events.push_back(ServerEvent::AwaitingScan {
            r#ref,
            client_id: init.client_id,
            browser: init.browser,
        });
    }

    pub(super) fn on_login(&mut self, now: Instant, tag: String, login: LoginRequest) {
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

    pub(super) fn on_challenge(&mut self, now: Instant, tag: String, answer: ChallengeAnswer) {
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

    pub(super) fn on_reref(&mut self, now: Instant, tag: String) {
        let State::Unpaired { r#ref, rerefs, .. } = &self.state else {
            return self.respond_status(now, &tag, if self.is_ready() { 304 } else { 400 });
        };
        if *rerefs >= self.config.max_rerefs {
            return self.respond_json(now, &tag, &to_json(&RerefResponse::with_status(429)));
        }
        let (old_ref, rerefs) = (r#ref.clone(), rerefs + 1);
        let new_ref = self.new_ref();
        let expires_at = now + Duration::from_millis(self.config.ref_ttl_ms);
        self.state = State::Unpaired { r#ref: new_ref.clone(), expires_at, rerefs };
        let resp = RerefResponse::new_ref(new_ref.clone(), self.config.ref_ttl_ms);
        self.respond_json(now, &tag, &to_json(&resp));
        self.events.push_back(ServerEvent::RefRenewed { old_ref, new_ref });
    }

    pub(super) fn on_disconnect(&mut self, now: Instant, tag: String) {
        if self.is_ready() {
            self.events.push_back(ServerEvent::LoggedOut);
        }
        self.respond_status(now, &tag, 200);
        self.close(now, CloseReason::LoggedOut);
    }

    pub(super) fn send_restored_conn(
        &mut self,
        now: Instant,
        login_tag: String,
        handshake: Handshake,
    ) {
        let mut conn = handshake.conn;
        conn.secret = None;
        conn.is_response = Some(true);
        self.push_conn(now, conn);
        self.finish_handshake(
            now,
            Some(login_tag),
            handshake.keys,
            handshake.blocklist,
            handshake.props,
        );
    }

    /// Sends the login's 200 (if any), Blocklist, Stream and Props, and becomes ready.
    pub(super) fn finish_handshake(
        &mut self,
        now: Instant,
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

    pub(super) fn reset_to_unpaired(&mut self, now: Instant) {
        let r#ref = self.new_ref();
        let expires_at = now + Duration::from_millis(self.config.ref_ttl_ms);
        self.state = State::Unpaired { r#ref, expires_at, rerefs: 0 };
    }

    pub(super) fn disconnect_cmd(
        &mut self,
        now: Instant,
        why: DisconnectKind,
        reason: CloseReason,
    ) {
        if self.is_closed() {
            return;
        }
        self.push(now, ServerPush::Cmd(Cmd::disconnect(why)));
        self.close(now, reason);
    }

    pub(super) fn send_node(&mut self, now: Instant, tag: &str, node: &Node, lane: Lane) {
        let State::Ready { keys } = &self.state else {
            return;
        };
        let plaintext = binary::encode(node);
        let frame = frame::binary::seal_server_frame(keys, &mut self.rng, tag, &plaintext);
        let plaintext = self.keep_plaintext.then_some(plaintext);
        self.enqueue(
            now,
            Queued { transmit: Transmit::Binary(frame), plaintext, conn: false },
            lane,
        );
    }

    /// Sends the handshake's `Conn`, marked so that its leaving is reported
    /// ([`ServerEvent::ConnSent`]).
    pub(super) fn push_conn(&mut self, now: Instant, conn: Conn) {
        self.push_text(now, ServerPush::Conn(Box::new(conn)), true);
    }

    /// Queues a JSON push tagged `s<n>`; with `conn`, its leaving is reported.
    pub(super) fn push_text(&mut self, now: Instant, push: ServerPush, conn: bool) {
        self.push_counter += 1;
        let frame = TextFrame::tagged(format!("s{}", self.push_counter), push.to_value());
        if !self.is_closed() {
            let text = Transmit::Text(frame.to_string());
            self.enqueue(now, Queued { transmit: text, plaintext: None, conn }, Lane::Push);
        }
    }

    pub(super) fn send_text(&mut self, now: Instant, text: String, lane: Lane) {
        if !self.is_closed() {
            self.enqueue(now, Transmit::Text(text), lane);
        }
    }

    pub(super) fn enqueue(&mut self, now: Instant, t: impl Into<Queued>, lane: Lane) {
        match lane {
            Lane::Answer => self.outbox.push(now, t),
            Lane::Push => self.outbox.push_unsolicited(now, t),
        }
    }

    /// Remembers the tag of a relay request, to hold pushes once it is answered.
    pub(super) fn note_relay(&mut self, tag: String, node: &Node) -> String {
        if RelayRequest::is_relay(node) {
            if self.pending_relays.len() >= MAX_PENDING_RELAYS {
                self.pending_relays.pop_front();
            }
            self.pending_relays.push_back(tag.clone());
        }
        tag
    }

    /// An answer on `tag` was queued: if it answers a relay, hold the pushes that follow.
    pub(super) fn answered(&mut self, now: Instant, tag: &str) {
        if let Some(i) = self.pending_relays.iter().position(|t| t == tag) {
            self.pending_relays.remove(i);
            self.outbox.hold_pushes(now, self.config.pace_ms);
        }
    }

    pub(super) fn new_ref(&mut self) -> String {
        let mut raw = [0u8; 24];
        self.rng.fill_bytes(&mut raw);
        format!("1@{}", B64.encode(raw))
    }
}

/// How many unanswered relays a session remembers for pacing (more only lose their pause).
const MAX_PENDING_RELAYS: usize = 256;

/// Whether a frame answers the client or is pushed unasked (pushes may be held, see `outbox`).
#[derive(Debug, Clone, Copy)]
pub(super) enum Lane {
    Answer,
    Push,
}

/// The tag of a text frame whose payload did not parse, if the tag itself is well formed.
pub(super) fn salvage_tag(text: &str) -> Option<String> {
    let (tag, _) = text.split_once(',')?;
    let printable = tag.bytes().all(|b| (0x21..=0x7e).contains(&b));
    (!tag.is_empty() && tag.len() <= 128 && printable).then(|| tag.to_string())
}

/// Serializes a response model; these models have no map keys or floats that could fail.
pub(super) fn to_json<T: serde::Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}
