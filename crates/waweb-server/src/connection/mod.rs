//! One task per websocket: the socket loop around a [`ServerSession`].
//!
//! The task owns the session and feeds it what arrives (frames, mailbox deliveries, timer
//! expiries, the shutdown signal), then answers its events ([`events`], [`login`],
//! [`deliveries`]) and writes everything it wants to send ([`socket`]). Nothing here is shared
//! with other connections except through the hub, so a misbehaving client only ever closes its
//! own socket.

mod deliveries;
mod events;
mod login;
mod pipeline;
mod socket;

use std::sync::Arc;
use std::time::Duration;

use futures_util::StreamExt;
use rand::rngs::{OsRng, StdRng};
use rand::SeedableRng;
use tokio::sync::mpsc;
use tokio::time::Instant;
use waweb_proto::session::{CloseReason, ServerSession};

use crate::app::App;
use crate::context::{now_ms, Me};
use crate::frame_guard::FrameLimit;
use crate::hub::{ConnectionId, Delivery, Mailbox, ScanError, ScanId};
use crate::record::SessionRecorder;
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
    let recorder = app.recorder.as_ref().and_then(|r| match r.session(id, now_ms()) {
        Ok(s) => Some(s),
        Err(e) => {
            tracing::warn!(connection = id, error = %e, "cannot start the session log");
            None
        }
    });
    let config = app.shared.config.session.clone();
    let mut session = ServerSession::new(config, session_rng, session_now());
    // The log holds each encrypted frame's node bytes, which the session hands out.
    session.keep_plaintext(recorder.is_some());
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
            self.session.close(session_now(), CloseReason::Shutdown);
        }
        let login_deadline = Instant::now() + self.app.shared.config.login_timeout;
        loop {
            let wake = self.session.poll_timeout().map_or_else(far_future, Instant::from_std);
            tokio::select! {
                msg = socket.next(), if !self.relays.is_full() && !self.read_failed => {
                    self.on_socket(msg);
                }
                () = tokio::time::sleep_until(login_deadline), if self.awaits_login() => {
                    tracing::debug!(connection = self.id, "no login in time: closing");
                    self.session.close(session_now(), CloseReason::Idle);
                }
                Some((tag, reply)) = self.relays.next(), if !self.relays.is_empty() => {
                    self.send_reply(&tag, reply);
                }
                Some(d) = deliveries.recv() => self.on_delivery(d).await,
                () = tokio::time::sleep_until(wake) => {
                    self.session.handle_timeout(session_now());
                }
                Ok(()) = stopping.changed() => {
                    self.session.close(session_now(), CloseReason::Shutdown);
                }
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
            let open = self.flush_or_drop(&mut socket, &deliveries, &mailbox).await;
            // What the frames just written told the session (the `Conn` left), answered now
            // rather than at the next wake-up.
            self.process_events().await;
            if !open {
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
                let _ = tokio::time::timeout(CLOSE_GRACE, socket::discard(socket.get_mut())).await;
            }
        }
    }

    /// Whether the connection has neither logged in nor shown a QR code yet.
    fn awaits_login(&self) -> bool {
        self.me.is_none() && self.pending.is_none() && self.shown_ref.is_none()
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

/// The session's clock: tokio's, as the loop's timers are (so that the two agree, also when
/// tokio's time is paused), in the type the sans-IO session takes.
fn session_now() -> std::time::Instant {
    Instant::now().into_std()
}

fn far_future() -> Instant {
    Instant::now() + Duration::from_secs(3600)
}
