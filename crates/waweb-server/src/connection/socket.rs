//! The connection's websocket: what a read turns into for the session (a frame, the peer gone,
//! a frame over the size limit) and how the session's output is written, including the close
//! of a client too slow to take its pushes.

use futures_util::SinkExt;
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::{Error as WsError, Message};
use waweb_proto::session::{CloseReason, ProtocolError, Transmit};

use super::{session_now, Connection, Socket, CLOSE_GRACE};
use crate::context::now_ms;
use crate::frame_guard::FrameTooLarge;
use crate::hub::{Delivery, Mailbox};
use crate::record::Dir;
use crate::store::Store;

/// The close code for a client too slow to take its pushes (1008, policy violation).
const TOO_SLOW: u16 = 1008;

impl<S: Store> Connection<S> {
    /// Messages over the size limit never get here: the frame guard and the websocket layer
    /// refuse them as errors (see [`Self::on_socket_error`]).
    pub(super) fn on_socket(&mut self, msg: Option<Result<Message, WsError>>) {
        // The monotonic clock for the session's deadlines, the wall clock for what carries it.
        let (now, unix_ms) = (session_now(), now_ms());
        match msg {
            Some(Ok(Message::Text(text))) => {
                if let Some(r) = &self.recorder {
                    r.text(unix_ms, Dir::In, text.as_str());
                }
                self.session.handle_text(now, unix_ms, text.as_str());
            }
            Some(Ok(Message::Binary(data))) => {
                let plain = self.session.handle_binary_with_plaintext(now, &data);
                if let Some(r) = &self.recorder {
                    r.binary(unix_ms, Dir::In, &data, plain.as_deref());
                }
            }
            Some(Ok(Message::Ping(_) | Message::Pong(_) | Message::Frame(_))) => {}
            Some(Ok(Message::Close(_))) | None => {
                tracing::debug!(connection = self.id, "client closed the websocket");
                self.peer_gone = true;
                self.session.close(now, CloseReason::Shutdown);
            }
            Some(Err(e)) => self.on_socket_error(now, &e),
        }
    }

    /// A read failed: a frame over the limit, the peer gone, or a malformed websocket stream.
    fn on_socket_error(&mut self, now: std::time::Instant, e: &WsError) {
        self.read_failed = true;
        if let Some(big) = FrameTooLarge::find(e) {
            self.refused_size = true;
            let len = usize::try_from(big.len).unwrap_or(usize::MAX);
            return self.refuse_size(now, len, big.limit);
        }
        if peer_went_away(e) {
            tracing::debug!(connection = self.id, error = %e, "the client went away");
            self.peer_gone = true;
            return self.session.close(now, CloseReason::Shutdown);
        }
        // Invalid UTF-8, an unmasked frame, a broken websocket framing, a message over the
        // websocket layer's own limit.
        tracing::debug!(connection = self.id, error = %e, "unreadable websocket message");
        let why = ProtocolError::UnreadableMessage(e.to_string());
        self.session.close(now, CloseReason::Protocol(why));
    }

    fn refuse_size(&mut self, now: std::time::Instant, len: usize, max: usize) {
        tracing::debug!(connection = self.id, len, max, "frame over the size limit");
        let why = ProtocolError::FrameTooLarge { len, limit: max };
        self.session.close(now, CloseReason::Protocol(why));
    }

    /// [`Self::flush`], unless the mailbox overflows meanwhile (its bound is the configured
    /// `max_backlog`): then the client has stopped reading (or cannot keep up) and is
    /// disconnected, which releases what waits for it; everything pushed is stored, the next
    /// sync brings it.
    pub(super) async fn flush_or_drop(
        &mut self,
        socket: &mut Socket,
        deliveries: &mpsc::Receiver<Delivery>,
        mailbox: &Mailbox,
    ) -> bool {
        let open = tokio::select! {
            // Flush first: when it completes at once (the usual case), no waiter is set.
            biased;
            open = self.flush(socket) => return open,
            () = mailbox.overflowed() => false,
        };
        self.drop_too_slow(socket, deliveries.len()).await;
        open
    }

    /// The mailbox overflowed: a push was lost for this session, so it must not go on. Tries
    /// to say why in a close frame (a client that does not read will not see it) and ends.
    pub(super) async fn drop_too_slow(&mut self, socket: &mut Socket, waiting: usize) {
        tracing::info!(
            connection = self.id,
            waiting,
            "the client does not keep up with its pushes: disconnecting (its next sync has the rest)"
        );
        let close = Message::Close(Some(CloseFrame {
            code: CloseCode::from(TOO_SLOW),
            reason: "too slow: pushes piled up; log in again to sync".into(),
        }));
        let _ = tokio::time::timeout(CLOSE_GRACE, socket.send(close)).await;
        self.peer_gone = true;
        self.leave_registries();
    }

    /// Writes everything due; `false` once the connection is over.
    async fn flush(&mut self, socket: &mut Socket) -> bool {
        let (now, unix_ms) = (session_now(), now_ms());
        let mut written = false;
        let mut closing = false;
        while !self.peer_gone && !closing {
            let Some((t, plain)) = self.session.poll_transmit_with_plaintext(now) else { break };
            let msg = match t {
                Transmit::Text(s) => {
                    if let Some(r) = &self.recorder {
                        r.text(unix_ms, Dir::Out, &s);
                    }
                    Message::Text(s.into())
                }
                Transmit::Binary(b) => {
                    if let Some(r) = &self.recorder {
                        r.binary(unix_ms, Dir::Out, &b, plain.as_deref());
                    }
                    Message::Binary(b.into())
                }
                Transmit::Close(reason) => {
                    closing = true;
                    let reason_text = reason.text();
                    Message::Close(Some(CloseFrame {
                        code: CloseCode::from(reason.code()),
                        reason: reason_text.into(),
                    }))
                }
            };
            written = true;
            if socket.feed(msg).await.is_err() {
                self.peer_gone = true;
            }
        }
        if written && !self.peer_gone && socket.flush().await.is_err() {
            self.peer_gone = true;
        }
        if !self.peer_gone && !self.written.is_empty() && !self.session.has_pending_output() {
            self.acknowledge_written();
        }
        !(self.peer_gone || closing)
    }
}

/// Reads `io` to its end, throwing the bytes away (a refused frame's rest).
pub(super) async fn discard(io: &mut (impl tokio::io::AsyncRead + Unpin)) {
    use tokio::io::AsyncReadExt;
    let mut scratch = [0u8; 4096];
    loop {
        match io.read(&mut scratch).await {
            Ok(0) => return,
            Ok(_) => {}
            Err(e) if FrameTooLarge::find(&e).is_some() => {}
            Err(_) => return,
        }
    }
}

/// Whether a read error means the client dropped the connection (no close frame).
fn peer_went_away(e: &WsError) -> bool {
    use std::io::ErrorKind;
    use tokio_tungstenite::tungstenite::error::ProtocolError;
    match e {
        WsError::ConnectionClosed | WsError::AlreadyClosed => true,
        WsError::Protocol(ProtocolError::ResetWithoutClosingHandshake) => true,
        WsError::Io(io) => matches!(
            io.kind(),
            ErrorKind::ConnectionReset
                | ErrorKind::ConnectionAborted
                | ErrorKind::BrokenPipe
                | ErrorKind::UnexpectedEof
        ),
        _ => false,
    }
}
