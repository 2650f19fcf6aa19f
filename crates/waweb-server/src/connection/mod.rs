//! One task per websocket: the socket loop around a [`ServerSession`].
//!
//! The task owns the session and feeds it what arrives (frames, mailbox deliveries, timer
//! expiries, the shutdown signal), then answers its events ([`events`], [`login`],
//! [`deliveries`]) and writes everything it wants to send. Nothing here is shared with other
//! connections except through the hub, so a misbehaving client only ever closes its own socket.

mod deliveries;
mod events;
mod login;
mod pipeline;

use std::sync::Arc;
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use rand::rngs::{OsRng, StdRng};
use rand::SeedableRng;
use tokio::sync::mpsc;
use tokio::time::Instant;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::{Error as WsError, Message};
use waweb_proto::frame::binary::{open_client_frame, open_server_frame};
use waweb_proto::session::{CloseReason, ServerSession, Transmit};

use crate::app::App;
use crate::context::{now_ms, Me};
use crate::frame_guard::{FrameLimit, FrameTooLarge};
use crate::hub::{ConnectionId, Delivery, Mailbox, ScanError, ScanId};
use crate::record::{Dir, SessionRecorder};
use crate::store::{DeliveryId, Store};

/// The websocket over the accepted socket, as the connection task sees it (the upgrade builds
/// it: a [`crate::frame_guard::FrameGuard`] under tungstenite).
pub(crate) type Socket = tokio_tungstenite::WebSocketStream<
    crate::frame_guard::FrameGuard<hyper_util::rt::TokioIo<hyper::upgrade::Upgraded>>,
>;

/// How long to wait for the client's close frame after sending ours.
const CLOSE_GRACE: Duration = Duration::from_secs(1);

/// How many mailbox deliveries one turn of the loop takes before writing.
const DELIVERIES_PER_TURN: usize = 256;

/// The close code for a client too slow to take its pushes (1008, policy violation).
const TOO_SLOW: u16 = 1008;

/// The state of one connection task.
pub(crate) struct Connection<S: Store> {
    app: Arc<App<S>>,
    id: ConnectionId,
    session: ServerSession<StdRng>,
    /// For keys and tokens; the session has its own generator.
    rng: StdRng,
    mailbox: Mailbox,
    /// Who is logged in, once the handshake is over (shared with the relays in flight).
    me: Option<Arc<Me>>,
    /// Who the handshake in progress is for.
    pending: Option<login::Pending>,
    /// The ref of this connection's init answer (the restored `Conn` names it).
    shown_ref: Option<String>,
    /// The admin API scan waiting for this connection's pairing `Conn` to leave.
    scan_reply: Option<ScanId>,
    /// Queue entries pushed to the session, acknowledged once written to the socket.
    written: Vec<DeliveryId>,
    recorder: Option<SessionRecorder>,
    /// The socket is closed or broken: nothing more can be written.
    peer_gone: bool,
    /// Relays being stored while the connection reads on.
    relays: pipeline::Pipeline,
    /// The frame limit of the socket (raised at login).
    frame_limit: FrameLimit,
    /// A frame over the limit was refused (its rest may still be arriving).
    refused_size: bool,
    /// A read failed: the websocket layer reads nothing more (its stream has ended), while
    /// the close frame may still wait for its turn to be sent.
    read_failed: bool,
}

/// Runs one websocket connection to its end.
pub(crate) async fn serve<S: Store>(app: Arc<App<S>>, socket: Socket, frame_limit: FrameLimit) {
    let (id, _open) = app.open_connection();
    let (Ok(session_rng), Ok(rng)) = (StdRng::from_rng(OsRng), StdRng::from_rng(OsRng)) else {
        tracing::error!(connection = id, "the system random generator failed; dropping connection");
        return;
    };
    let now = now_ms();
    let recorder = app.recorder.as_ref().and_then(|r| match r.session(id, now) {
        Ok(s) => Some(s),
        Err(e) => {
            tracing::warn!(connection = id, error = %e, "cannot start the session log");
            None
        }
    });
    let session = ServerSession::new(app.shared.config.session.clone(), session_rng, now);
    let (mailbox, deliveries) = Mailbox::new(app.shared.config.max_backlog);
    let mut conn = Connection {
        app,
        id,
        session,
        rng,
        mailbox,
        me: None,
        pending: None,
        shown_ref: None,
        scan_reply: None,
        written: Vec::new(),
        recorder,
        peer_gone: false,
        relays: pipeline::Pipeline::default(),
        frame_limit,
        refused_size: false,
        read_failed: false,
    };
    tracing::debug!(connection = id, "websocket opened");
    conn.run(socket, deliveries).await;
    conn.finish();
}

impl<S: Store> Connection<S> {
    async fn run(&mut self, mut socket: Socket, mut deliveries: mpsc::Receiver<Delivery>) {
        let mut stopping = self.app.stopping.clone();
        let mailbox = self.mailbox.clone();
        if *stopping.borrow_and_update() {
            self.session.close(now_ms(), CloseReason::Shutdown);
        }
        let login_deadline = Instant::now() + self.app.shared.config.login_timeout;
        loop {
            let wake = self.session.poll_timeout().map_or_else(far_future, instant_at);
            tokio::select! {
                msg = socket.next(), if !self.relays.is_full() && !self.read_failed => {
                    self.on_socket(msg);
                }
                () = tokio::time::sleep_until(login_deadline), if self.awaits_login() => {
                    tracing::debug!(connection = self.id, "no login in time: closing");
                    self.session.close(now_ms(), CloseReason::Idle);
                }
                Some((tag, reply)) = self.relays.next(), if !self.relays.is_empty() => {
                    self.send_reply(&tag, reply);
                }
                Some(d) = deliveries.recv() => self.on_delivery(d).await,
                () = tokio::time::sleep_until(wake) => self.session.handle_timeout(now_ms()),
                Ok(()) = stopping.changed() => self.session.close(now_ms(), CloseReason::Shutdown),
                () = mailbox.overflowed() => {
                    self.drop_too_slow(&mut socket, deliveries.len()).await;
                    break;
                }
            }
            while let Some((tag, reply)) = self.relays.next_done() {
                self.send_reply(&tag, reply);
            }
            // A busy socket wins `select!` half the time; without this, pushes for this
            // connection would pile up behind its own requests.
            for _ in 0..DELIVERIES_PER_TURN {
                let Ok(d) = deliveries.try_recv() else { break };
                self.on_delivery(d).await;
            }
            self.process_events().await;
            if !self.flush_or_drop(&mut socket, &deliveries, &mailbox).await {
                break;
            }
        }
        // Relays already taken are finished (stored and pushed) even if nobody hears the answer.
        self.finish_relays().await;
        if !self.peer_gone {
            // Let the client's close frame arrive so the close handshake completes.
            let drain = async { while let Some(Ok(_)) = socket.next().await {} };
            let _ = tokio::time::timeout(CLOSE_GRACE, drain).await;
            if self.refused_size {
                // The client may still be sending the frame refused: read it away, or closing
                // with unread data resets the socket and the reset can overtake our close frame.
                let _ = tokio::time::timeout(CLOSE_GRACE, discard(socket.get_mut())).await;
            }
        }
    }

    /// Whether the connection has neither logged in nor shown a QR code yet.
    fn awaits_login(&self) -> bool {
        self.me.is_none() && self.pending.is_none() && self.shown_ref.is_none()
    }

    /// Messages over the size limit never get here: the frame guard and the websocket layer
    /// refuse them as errors (see [`Self::on_socket_error`]).
    fn on_socket(&mut self, msg: Option<Result<Message, WsError>>) {
        let now = now_ms();
        match msg {
            Some(Ok(Message::Text(text))) => {
                if let Some(r) = &self.recorder {
                    r.text(now, Dir::In, text.as_str());
                }
                self.session.handle_text(now, text.as_str());
            }
            Some(Ok(Message::Binary(data))) => {
                self.record_binary(now, Dir::In, &data);
                self.session.handle_binary(now, &data);
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
    fn on_socket_error(&mut self, now: u64, e: &WsError) {
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
        let why = format!("unreadable websocket message: {e}");
        self.session.close(now, CloseReason::Protocol(why));
    }

    fn refuse_size(&mut self, now: u64, len: usize, max: usize) {
        tracing::debug!(connection = self.id, len, max, "frame over the size limit");
        let why = format!("frame of {len} bytes exceeds the limit of {max}");
        self.session.close(now, CloseReason::Protocol(why));
    }

    /// [`Self::flush`], unless the mailbox overflows meanwhile (its bound is the configured
    /// `max_backlog`): then the client has stopped reading (or cannot keep up) and is
    /// disconnected, which releases what waits for it; everything pushed is stored, the next
    /// sync brings it.
    async fn flush_or_drop(
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
    async fn drop_too_slow(&mut self, socket: &mut Socket, waiting: usize) {
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
        let now = now_ms();
        let mut written = false;
        let mut conn_sent = false;
        let mut closing = false;
        while !self.peer_gone && !closing {
            let Some(t) = self.session.poll_transmit(now) else { break };
            let msg = match t {
                Transmit::Text(s) => {
                    if let Some(r) = &self.recorder {
                        r.text(now, Dir::Out, &s);
                    }
                    conn_sent |= is_conn_push(&s);
                    Message::Text(s.into())
                }
                Transmit::Binary(b) => {
                    self.record_binary(now, Dir::Out, &b);
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
        if conn_sent && !self.peer_gone {
            if let Some(scan) = self.scan_reply.take() {
                self.app.shared.hub.scan_done(scan, Ok(()));
            }
        }
        if !self.peer_gone && !self.written.is_empty() && !self.session.has_pending_output() {
            self.acknowledge_written();
        }
        !(self.peer_gone || closing)
    }

    fn record_binary(&self, now: u64, dir: Dir, wire: &[u8]) {
        let Some(r) = &self.recorder else { return };
        let plain = self.session.keys().and_then(|keys| match dir {
            Dir::In => open_client_frame(keys, wire).ok().map(|o| o.plaintext),
            Dir::Out => open_server_frame(keys, wire).ok().map(|(_, p)| p),
        });
        r.binary(now, dir, wire, plain.as_deref());
    }

    /// Removes every trace of this connection from the shared registries (idempotent: done as
    /// soon as the session closes, and again when the socket task ends).
    fn leave_registries(&self) {
        let hub = &self.app.shared.hub;
        hub.forget_connection_refs(self.id);
        if let Some(me) = &self.me {
            hub.unregister(&me.account, self.id);
        }
    }

    /// Hands the queue entries written to the socket to the acknowledger (batched, off this
    /// task: the next sync would bring them again otherwise, which clients tolerate).
    fn acknowledge_written(&mut self) {
        if let Some(me) = &self.me {
            self.app.acks.ack(&me.account, std::mem::take(&mut self.written));
        } else {
            self.written.clear();
        }
    }

    /// The socket task ends: leave the registries and fail a scan still waiting on this one.
    fn finish(&mut self) {
        self.leave_registries();
        if let Some(scan) = self.scan_reply.take() {
            let why =
                ScanError::NotFound("the connection closed before the pairing was sent".into());
            self.app.shared.hub.scan_done(scan, Err(why));
        }
        tracing::debug!(connection = self.id, "websocket closed");
    }
}

/// Reads `io` to its end, throwing the bytes away (a refused frame's rest).
async fn discard(io: &mut (impl tokio::io::AsyncRead + Unpin)) {
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

/// Whether a text frame is a `Conn` push (`s<n>,["Conn",…]`).
fn is_conn_push(text: &str) -> bool {
    text.starts_with('s')
        && text.split_once(',').is_some_and(|(_, rest)| rest.starts_with("[\"Conn\""))
}

/// The tokio instant of a deadline in ms since the Unix epoch.
fn instant_at(deadline_ms: u64) -> Instant {
    Instant::now() + Duration::from_millis(deadline_ms.saturating_sub(now_ms()))
}

fn far_future() -> Instant {
    Instant::now() + Duration::from_secs(3600)
}
