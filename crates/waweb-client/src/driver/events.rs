//! What the socket task does with what it is given: each event of the session (to a waiting
//! request, or to the application as an [`Event`]) and each command of the handle (a request
//! started on the session); and how the session's end decides between reconnecting and
//! stopping.

use rand::rngs::StdRng;
use tokio::time::Instant;
use waweb_proto::session::{ClientEvent, ClientSession, DisconnectReason};

use super::{now_ms, Driver, End};
use crate::event::{self, ConnInfo, Disconnect, Event};
use crate::request::{Command, Reply};

impl Driver {
    /// Routes one session event to a waiting request or to the application.
    pub(super) fn core_event(&mut self, e: ClientEvent) -> Option<End> {
        match e {
            ClientEvent::Qr { code, expires_at } => {
                // The application is told the wall-clock time, which it can show.
                let left = expires_at.saturating_duration_since(std::time::Instant::now());
                let left_ms = u64::try_from(left.as_millis()).unwrap_or(u64::MAX);
                self.emit(Event::Qr { code, expires_at: now_ms().saturating_add(left_ms) });
            }
            ClientEvent::LoggedIn { conn, credentials, new_pairing } => {
                let info = ConnInfo::from_conn(&conn);
                self.credentials = Some(credentials.clone());
                if let Ok(mut shared) = self.shared.lock() {
                    shared.credentials = Some(credentials);
                    shared.info = Some(info.clone());
                    shared.ready = true;
                }
                self.emit(Event::Ready { info, new_pairing });
            }
            ClientEvent::Push(p) => event::from_push(p).into_iter().for_each(|e| self.emit(e)),
            ClientEvent::Node { tag, node } => {
                event::from_node(tag, node).into_iter().for_each(|e| self.emit(e))
            }
            ClientEvent::Response { tag, node } => {
                // Nobody waits: the node comes back, and is an event like any pushed node.
                if let Some(Ok(Reply::Node(node))) =
                    self.pending.resolve(&tag, Ok(Reply::Node(node)))
                {
                    event::from_node(tag, node).into_iter().for_each(|e| self.emit(e));
                }
            }
            ClientEvent::JsonResponse { tag, value } => {
                if self.pending.resolve(&tag, Ok(Reply::Json(value))).is_some() {
                    tracing::debug!("an answer nobody waits for, on tag {tag}");
                }
            }
            ClientEvent::RequestTimedOut { tag } if tag == "goodbye" => {
                if let Some(tx) = self.logout.take() {
                    let _ = tx.send(Err(self.pending.timeout_error()));
                }
            }
            ClientEvent::RequestTimedOut { tag } => self.pending.time_out(&tag),
            ClientEvent::Disconnected(reason) => return Some(end_of(reason)),
        }
        None
    }

    /// Starts one request.
    pub(super) fn command(&mut self, core: &mut ClientSession<StdRng>, cmd: Command) {
        let now = Instant::now().into_std();
        let sent = match cmd {
            Command::Node { node, metric, flags, reply } => {
                let node = node.attr("epoch", core.next_epoch());
                (core.send_node(now, &node, metric, flags), reply)
            }
            Command::Json { value, reply } => (core.send_json(now, &value), reply),
            Command::Relay { message, reply } => (core.relay(now, &message), reply),
            Command::Logout { reply } => {
                core.logout(now);
                self.logout = Some(reply);
                return;
            }
            Command::Close => return,
        };
        match sent {
            (Ok(tag), reply) => self.pending.insert(tag, reply),
            (Err(e), reply) => {
                let _ = reply.send(Err(e.into()));
            }
        }
    }
}

fn end_of(reason: DisconnectReason) -> End {
    match reason {
        DisconnectReason::Replaced => End::Final(Disconnect::Replaced),
        DisconnectReason::RemovedByPhone | DisconnectReason::LoggedOut => {
            End::Final(Disconnect::LoggedOut)
        }
        // A server error is not a verdict on the session (its storage may be down for a
        // moment): the link is lost, and a reconnection tries the login again.
        DisconnectReason::InvalidSession(s) if s >= 500 => {
            End::Lost(format!("the server could not check the session (status {s})"))
        }
        DisconnectReason::InvalidSession(s) => End::Final(Disconnect::InvalidSession(s)),
        DisconnectReason::QrRefsExhausted => End::Final(Disconnect::QrRefsExhausted),
        DisconnectReason::KeepaliveTimeout => End::Lost("the server stopped answering".into()),
        DisconnectReason::Protocol(p) => End::Final(Disconnect::Protocol(p)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_server_error_at_login_is_retried_and_a_refusal_is_final() {
        let lost = end_of(DisconnectReason::InvalidSession(503));
        assert!(matches!(lost, End::Lost(ref why) if why.contains("status 503")));
        let refused = end_of(DisconnectReason::InvalidSession(401));
        assert!(matches!(refused, End::Final(Disconnect::InvalidSession(401))));
    }
}
