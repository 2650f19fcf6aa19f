//! What a client session does with each frame the server sends: init, reref and login answers,
//! `Conn` (keys from the secret, new tokens), the challenge, pushes and answers to requests.

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use rand_core::{CryptoRng, RngCore};
use serde_json::Value;
use std::time::{Duration, Instant};

use super::*;
use crate::crypto::{self};
use crate::frame::TextFrame;
use crate::json::admin::{AdminRequest, ChallengeAnswer};
use crate::json::cmd::{Cmd, DisconnectKind};
use crate::json::conn::Conn;
use crate::json::push::ServerPush;
use crate::session::outbox::{CloseReason, Transmit};
use crate::session::qr::QrCode;
use crate::session::ProtocolError;

impl<R: RngCore + CryptoRng> ClientSession<R> {
    pub(super) fn on_tagged(&mut self, now: Instant, tag: String, payload: Option<Value>) {
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

    pub(super) fn on_init_reply(&mut self, now: Instant, value: &Value) {
        let status = status_of(value);
        if status != 200 {
            return self.fail(now, DisconnectReason::Protocol(ProtocolError::InitRefused(status)));
        }
        if self.credentials.is_some() {
            return; // restoring: the login's answer decides
        }
        match value.get("ref").and_then(Value::as_str) {
            Some(r) => {
                let ttl = value.get("ttl").and_then(Value::as_u64).unwrap_or(20_000);
                self.show_qr(now, r.to_string(), ttl);
            }
            None => self.fail(now, DisconnectReason::Protocol(ProtocolError::InitWithoutRef)),
        }
    }

    pub(super) fn on_reref_reply(&mut self, now: Instant, value: &Value) {
        match status_of(value) {
            200 => match value.get("ref").and_then(Value::as_str) {
                Some(r) => {
                    let ttl = value.get("ttl").and_then(Value::as_u64).unwrap_or(20_000);
                    self.show_qr(now, r.to_string(), ttl);
                }
                None => self.fail(now, DisconnectReason::Protocol(ProtocolError::RerefWithoutRef)),
            },
            304 => {
                if let State::ShowingQr { expires_at } = &mut self.state {
                    *expires_at = now + Duration::from_millis(20_000);
                }
            }
            _ => self.fail(now, DisconnectReason::QrRefsExhausted),
        }
    }

    pub(super) fn on_login_reply(&mut self, now: Instant, value: &Value) {
        let status = status_of(value);
        if status != 200 {
            return self.fail(now, DisconnectReason::InvalidSession(status));
        }
        self.login_tag = None;
        let Some(conn) = self.pending_conn.take() else {
            return self.fail(now, DisconnectReason::Protocol(ProtocolError::LoginBeforeConn));
        };
        let Some(creds) = self.credentials.as_mut() else {
            return;
        };
        update_tokens(creds, &conn);
        let credentials = creds.clone();
        self.state = State::Ready { keys: credentials.keys.clone() };
        self.events.push_back(ClientEvent::LoggedIn { conn, credentials, new_pairing: false });
    }

    pub(super) fn on_push(&mut self, now: Instant, push: ServerPush) {
        match push {
            ServerPush::Conn(conn) if !self.is_ready() => self.on_conn(now, conn),
            ServerPush::Cmd(Cmd::Challenge { challenge }) => self.on_challenge(now, &challenge),
            ServerPush::Cmd(Cmd::Disconnect { kind }) => {
                let reason = match DisconnectKind::from_kind(kind.as_deref()) {
                    DisconnectKind::Replaced => DisconnectReason::Replaced,
                    DisconnectKind::LoggedOut => DisconnectReason::RemovedByPhone,
                };
                self.fail(now, reason);
            }
            ServerPush::Pong(false) => {
                self.fail(now, DisconnectReason::Protocol(ProtocolError::PhoneUnreachable));
            }
            other => self.events.push_back(ClientEvent::Push(other)),
        }
    }

    pub(super) fn on_conn(&mut self, now: Instant, conn: Box<Conn>) {
        let Some(secret_b64) = conn.secret.clone() else {
            // A restore: the login's 200 follows and completes it.
            self.pending_conn = Some(conn);
            return;
        };
        let keys = match B64.decode(secret_b64.as_bytes()) {
            Ok(secret) => crypto::secret::open_secret(&self.key_pair, &secret),
            Err(_) => {
                return self.fail(now, DisconnectReason::Protocol(ProtocolError::SecretNotBase64))
            }
        };
        let keys = match keys {
            Ok(k) => k,
            Err(e) => {
                return self.fail(now, DisconnectReason::Protocol(ProtocolError::BadSecret(e)));
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

    pub(super) fn on_challenge(&mut self, now: Instant, challenge_b64: &str) {
        let Some(creds) = &self.credentials else {
            let why = ProtocolError::ChallengeWithoutCredentials;
            return self.fail(now, DisconnectReason::Protocol(why));
        };
        let Ok(challenge) = B64.decode(challenge_b64.as_bytes()) else {
            let why = ProtocolError::ChallengeNotBase64;
            return self.fail(now, DisconnectReason::Protocol(why));
        };
        let answer = crypto::challenge::answer(&creds.keys, &challenge);
        let req = AdminRequest::Challenge(ChallengeAnswer {
            answer: B64.encode(answer),
            server_token: creds.server_token.clone(),
            client_id: creds.client_id.clone(),
        });
        self.challenge_tag = Some(self.send_json_request(now, &req.to_value()));
    }

    pub(super) fn show_qr(&mut self, now: Instant, r#ref: String, ttl: u64) {
        let qr = QrCode {
            r#ref,
            public_key: self.key_pair.public_bytes(),
            client_id: self.client_id.clone(),
        };
        let expires_at = now + Duration::from_millis(ttl);
        self.state = State::ShowingQr { expires_at };
        self.events.push_back(ClientEvent::Qr { code: qr.to_string(), expires_at });
    }

    pub(super) fn fail(&mut self, now: Instant, reason: DisconnectReason) {
        if self.is_closed() {
            return;
        }
        self.state = State::Closed;
        let close = match &reason {
            DisconnectReason::LoggedOut => CloseReason::LoggedOut,
            DisconnectReason::Replaced => CloseReason::Replaced,
            DisconnectReason::KeepaliveTimeout => CloseReason::Idle,
            other => CloseReason::Disconnected(other.clone()),
        };
        self.outbox.push(now, Transmit::Close(close));
        self.events.push_back(ClientEvent::Disconnected(reason));
    }

    pub(super) fn send_json_request(&mut self, now: Instant, value: &Value) -> String {
        let tag = self.next_tag();
        let frame = TextFrame::tagged(&tag, value.clone());
        self.outbox.push(now, Transmit::Text(frame.to_string()));
        tag
    }

    pub(super) fn next_tag(&mut self) -> String {
        let tag = format!("{}.--{}", self.tag_base, self.seq);
        self.seq += 1;
        tag
    }
}

pub(super) fn status_of(value: &Value) -> u16 {
    value.get("status").and_then(Value::as_u64).and_then(|s| u16::try_from(s).ok()).unwrap_or(0)
}

pub(super) fn update_tokens(creds: &mut Credentials, conn: &Conn) {
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
