//! What the application tells a [`ServerSession`] to do: the answers to the handshake's
//! decisions (pair, accept or reject a login, each a [`WrongState`] error in a state where it
//! means nothing), closes, and the answers and pushes it sends.

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use rand_core::{CryptoRng, RngCore};
use serde_json::Value;
use std::time::Instant;

use super::incoming::{to_json, Lane};
use super::{Handshake, ServerEvent, ServerSession, State, WrongState};
use crate::binary::Node;
use crate::crypto;
use crate::frame::TextFrame;
use crate::json::cmd::{Cmd, DisconnectKind};
use crate::json::push::ServerPush;
use crate::json::response::StatusResponse;
use crate::session::outbox::{CloseReason, Transmit};

impl<R: RngCore + CryptoRng> ServerSession<R> {
    /// The phone scanned this session's QR: sends `s1` Conn with a fresh `secret` built for the
    /// client's public key, then Blocklist, Stream and Props, and becomes ready. `WrongState`
    /// (and nothing sent) unless a QR is shown.
    pub fn pair(
        &mut self,
        now: Instant,
        client_public: &[u8; 32],
        handshake: Handshake,
    ) -> Result<(), WrongState> {
        if !matches!(self.state, State::Unpaired { .. }) {
            return Err(self.wrong_state("pair", "shows a QR code"));
        }
        let secret = crypto::secret::build_secret(&mut self.rng, client_public, &handshake.keys);
        let mut conn = handshake.conn;
        conn.secret = Some(B64.encode(secret));
        conn.is_response = Some(false);
        self.push_conn(now, conn);
        self.finish_handshake(now, None, handshake.keys, handshake.blocklist, handshake.props);
        Ok(())
    }

    /// The login names a known pairing: challenges the client (if configured) or sends Conn at
    /// once. See [`ServerSession::accept_login_with`] to decide per login.
    pub fn accept_login(&mut self, now: Instant, handshake: Handshake) -> Result<(), WrongState> {
        let challenge = self.config.challenge_on_login;
        self.accept_login_with(now, handshake, challenge)
    }

    /// The login names a known pairing: with `challenge`, the client must first prove it holds
    /// the pairing's `macKey` (for tokens that are not the current pair); without, `Conn` is
    /// sent at once (the tokens were current). `WrongState` (and nothing sent) unless a login
    /// waits for the decision.
    pub fn accept_login_with(
        &mut self,
        now: Instant,
        handshake: Handshake,
        challenge: bool,
    ) -> Result<(), WrongState> {
        let State::LoginPending { login_tag, server_token } = &self.state else {
            return Err(self.wrong_state("accept_login", "waits for a login decision"));
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
        Ok(())
    }

    /// The login's tokens are not valid: answers the login tag with `status` and nothing else.
    /// The connection stays open so the client may pair again. `WrongState` (and nothing sent)
    /// unless a login waits for the decision.
    pub fn reject_login(&mut self, now: Instant, status: u16) -> Result<(), WrongState> {
        let State::LoginPending { login_tag, .. } = &self.state else {
            return Err(self.wrong_state("reject_login", "waits for a login decision"));
        };
        let tag = login_tag.clone();
        self.respond_status(now, &tag, status);
        self.reset_to_unpaired(now);
        Ok(())
    }

    /// The error of a command given in a state where it means nothing.
    fn wrong_state(&self, command: &'static str, expected: &'static str) -> WrongState {
        let actual = match self.state {
            State::New => "has not been initialised",
            State::Unpaired { .. } => "shows a QR code",
            State::LoginPending { .. } => "waits for a login decision",
            State::Challenged { .. } => "waits for the challenge's answer",
            State::Ready { .. } => "is logged in",
            State::Closed => "is closed",
        };
        WrongState { command, expected, actual }
    }

    /// Another session of the same account took over: tells the client and closes.
    pub fn replace(&mut self, now: Instant) {
        self.disconnect_cmd(now, DisconnectKind::Replaced, CloseReason::Replaced);
    }

    /// The phone logged this browser out: tells the client and closes.
    pub fn kick(&mut self, now: Instant) {
        self.disconnect_cmd(now, DisconnectKind::LoggedOut, CloseReason::LoggedOut);
    }

    /// Closes the connection (server shutdown, or an application decision).
    pub fn close(&mut self, now: Instant, reason: CloseReason) {
        if self.is_closed() {
            return;
        }
        self.state = State::Closed;
        self.outbox.push(now, Transmit::Close(reason.clone()));
        self.events.push_back(ServerEvent::Closed(reason));
    }

    /// Answers a binary request with an encrypted node on the same tag.
    pub fn respond_node(&mut self, now: Instant, tag: &str, node: &Node) {
        self.send_node(now, tag, node, Lane::Answer);
        self.answered(now, tag);
    }

    /// Answers a request with a JSON value on the same tag (`tag,{"status":200}`).
    pub fn respond_json(&mut self, now: Instant, tag: &str, value: &Value) {
        let frame = TextFrame::tagged(tag, value.clone());
        self.send_text(now, frame.to_string(), Lane::Answer);
        self.answered(now, tag);
    }

    /// Answers with `{"status": status}`.
    pub fn respond_status(&mut self, now: Instant, tag: &str, status: u16) {
        self.respond_json(now, tag, &to_json(&StatusResponse::with_status(status)));
    }

    /// Sends an unsolicited JSON push, tagged `s<n>`.
    pub fn push(&mut self, now: Instant, push: ServerPush) {
        self.push_text(now, push, false);
    }

    /// Sends an unsolicited encrypted node with a server tag (`s-<n>`); returns the tag.
    pub fn push_node(&mut self, now: Instant, node: &Node) -> String {
        self.push_counter += 1;
        let tag = format!("s-{}", self.push_counter);
        self.send_node(now, &tag, node, Lane::Push);
        tag
    }

    /// Sends an initial-sync `response` node with a `preempt-<n>` tag; returns the tag.
    pub fn push_preempt(&mut self, now: Instant, node: &Node) -> String {
        self.preempt_counter += 1;
        let tag = format!("preempt-{}", self.preempt_counter);
        self.send_node(now, &tag, node, Lane::Push);
        tag
    }
}
