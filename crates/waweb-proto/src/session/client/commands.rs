//! What the application asks of a [`ClientSession`]: start (init, and login when restoring),
//! send a request (a node, a relay, a JSON query), log out. Each request is timed out by the
//! session, which reports [`ClientEvent::RequestTimedOut`] for a tag it gave up on.

use rand_core::{CryptoRng, RngCore};
use serde_json::Value;
use std::time::{Duration, Instant};

use super::{ClientError, ClientSession, State};
#[cfg(doc)]
use super::{ClientEvent, DisconnectReason};
use crate::action::relay::RelayRequest;
use crate::binary::{self, Node};
use crate::frame::{self, Flags, Metric, TextFrame};
use crate::json::admin::{AdminRequest, InitRequest, LoginMode, LoginRequest};
use crate::message::WebMessageInfo;
use crate::session::outbox::Transmit;

impl<R: RngCore + CryptoRng> ClientSession<R> {
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
        let message = prost::Message::encode_to_vec(message);
        let node = RelayRequest { epoch: Some(epoch), message }.into_node();
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
}
