//! A paced FIFO of outgoing websocket messages.
//!
//! Some real clients (Baileys 3.x on top of the `ws` package) register their next listener only
//! after a promise continuation, so frames that arrive in the same TCP read as the previous answer
//! are lost to them. The sessions therefore insert short *pauses* at the points where that matters
//! (after the init reply, after the challenge reply, before the first encrypted push). A pause holds
//! every later message until its release time; order is always preserved.
//!
//! The server also holds its *text pushes* (not its answers, not its encrypted pushes) for a
//! moment after answering a message relay: such a client files the message it sent only once the
//! answer's promise resumes, so a delivery ack in the same read would name a message it does not
//! hold yet. Held pushes wait in a side lane, in order among themselves, while answers and
//! incoming messages keep flowing (so neither a client that sends one message after another nor
//! the messages it receives meanwhile are slowed down).

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use super::{DisconnectReason, ProtocolError};

/// One websocket message to send, or the instruction to close the socket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Transmit {
    /// A text message (`tag,JSON`, `!<ms>`, `?,,`).
    Text(String),
    /// A binary message (an encrypted node frame).
    Binary(Vec<u8>),
    /// Close the websocket with this reason (sent after everything queued before it).
    Close(CloseReason),
}

/// Why a session closes its socket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CloseReason {
    /// The client logged out (`goodbye`).
    LoggedOut,
    /// Another session of the same account took over.
    Replaced,
    /// Nothing was received for longer than the idle limit.
    Idle,
    /// The peer sent something that cannot be handled.
    Protocol(ProtocolError),
    /// The application asked to close.
    Shutdown,
    /// A client session ended for one of its other reasons (refused login, phone logout,
    /// no more QR codes, an error of the server).
    Disconnected(DisconnectReason),
}

impl CloseReason {
    /// The websocket close code: 1000 for orderly ends, 1002 for protocol errors, 1001 when going away.
    pub fn code(&self) -> u16 {
        match self {
            CloseReason::LoggedOut | CloseReason::Replaced => 1000,
            CloseReason::Idle | CloseReason::Shutdown => 1001,
            CloseReason::Protocol(_) | CloseReason::Disconnected(_) => 1002,
        }
    }

    /// A short human-readable reason, suitable for the close frame (under 123 bytes).
    pub fn text(&self) -> String {
        let s = match self {
            CloseReason::LoggedOut => "logged out".to_string(),
            CloseReason::Replaced => "replaced by another session".to_string(),
            CloseReason::Idle => "idle timeout".to_string(),
            CloseReason::Protocol(why) => format!("protocol error: {why}"),
            CloseReason::Shutdown => "server shutting down".to_string(),
            CloseReason::Disconnected(why) => format!("protocol error: {}", client_wording(why)),
        };
        truncate_utf8(s, 120)
    }
}

/// How a client has always worded its reason in its close frame: the reason's name, with the
/// message of a protocol error quoted (`Protocol("bad frame: …")`, `InvalidSession(401)`).
fn client_wording(reason: &DisconnectReason) -> String {
    match reason {
        DisconnectReason::Protocol(e) => format!("Protocol({:?})", e.to_string()),
        other => format!("{other:?}"),
    }
}

fn truncate_utf8(mut s: String, max: usize) -> String {
    if s.len() > max {
        let mut cut = max;
        while !s.is_char_boundary(cut) {
            cut -= 1;
        }
        s.truncate(cut);
    }
    s
}

/// A queued message, with what its session must learn when it leaves the queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Queued {
    /// The message.
    pub transmit: Transmit,
    /// For an encrypted frame, the node bytes it was sealed from, when the session keeps them
    /// for a recording tool.
    pub plaintext: Option<Vec<u8>>,
    /// This is the handshake's `Conn`: the session reports when it leaves.
    pub conn: bool,
}

impl From<Transmit> for Queued {
    fn from(transmit: Transmit) -> Self {
        Queued { transmit, plaintext: None, conn: false }
    }
}

/// The queue itself. Times are monotonic instants, supplied by the caller.
#[derive(Debug, Default)]
pub struct Outbox {
    queue: VecDeque<(Instant, Queued)>,
    /// The end of the current pause, if one was ever set.
    hold_until: Option<Instant>,
    /// Unsolicited messages held by [`Outbox::hold_pushes`], oldest first.
    held_pushes: VecDeque<(Instant, Queued)>,
    hold_pushes_until: Option<Instant>,
}

impl Outbox {
    /// Queues a message; it leaves no earlier than the current pause allows.
    pub fn push(&mut self, now: Instant, t: impl Into<Queued>) {
        let t = t.into();
        if matches!(t.transmit, Transmit::Close(_)) && !self.held_pushes.is_empty() {
            // The close must not overtake the pushes still held (a `Cmd disconnect`, say).
            return self.hold(now, t);
        }
        let at = self.hold_until.map_or(now, |h| h.max(now));
        self.queue.push_back((at, t));
    }

    /// Queues an unsolicited message: like [`Outbox::push`], unless text pushes are being held
    /// and this is one, in which case it waits in the side lane behind the pushes already held.
    /// Encrypted (binary) pushes are never held: they are other messages arriving, which the
    /// client files on their own, and holding them would add the hold to every live delivery.
    pub fn push_unsolicited(&mut self, now: Instant, t: impl Into<Queued>) {
        let t = t.into();
        let holding =
            self.hold_pushes_until.is_some_and(|h| now < h) || !self.held_pushes.is_empty();
        if holding && matches!(t.transmit, Transmit::Text(_)) {
            self.hold(now, t);
        } else {
            self.push(now, t);
        }
    }

    /// Holds the pushes queued from now on (not the answers) until `ms` after the messages
    /// already queued can leave. Unlike [`Outbox::pause`], repeated holds do not add up.
    pub fn hold_pushes(&mut self, now: Instant, ms: u64) {
        let until = self.hold_until.map_or(now, |h| h.max(now)) + Duration::from_millis(ms);
        self.hold_pushes_until = Some(self.hold_pushes_until.map_or(until, |h| h.max(until)));
    }

    fn hold(&mut self, now: Instant, t: Queued) {
        let last = self.held_pushes.back().map(|(at, _)| *at);
        let at = [self.hold_until, self.hold_pushes_until, last]
            .into_iter()
            .flatten()
            .fold(now, Instant::max);
        self.held_pushes.push_back((at, t));
    }

    /// Holds everything queued from now on until `now + ms`.
    pub fn pause(&mut self, now: Instant, ms: u64) {
        if ms > 0 {
            let from = self.hold_until.map_or(now, |h| h.max(now));
            self.hold_until = Some(from + Duration::from_millis(ms));
        }
    }

    /// The next message whose time has come.
    pub fn pop(&mut self, now: Instant) -> Option<Transmit> {
        self.pop_queued(now).map(|q| q.transmit)
    }

    /// The next message whose time has come, with what its session must learn.
    pub fn pop_queued(&mut self, now: Instant) -> Option<Queued> {
        let main = self.queue.front().map(|(at, _)| *at).filter(|at| *at <= now);
        let held = self.held_pushes.front().map(|(at, _)| *at).filter(|at| *at <= now);
        // The earlier of the two lanes; the main lane first on a tie, as it was queued first.
        let lane = match (main, held) {
            (Some(m), Some(h)) if h < m => &mut self.held_pushes,
            (Some(_), _) => &mut self.queue,
            (None, Some(_)) => &mut self.held_pushes,
            (None, None) => return None,
        };
        lane.pop_front().map(|(_, t)| t)
    }

    /// When the next held message becomes ready, if one is waiting.
    pub fn next_release(&self) -> Option<Instant> {
        let main = self.queue.front().map(|(at, _)| *at);
        let held = self.held_pushes.front().map(|(at, _)| *at);
        main.into_iter().chain(held).min()
    }

    /// Whether nothing is queued.
    pub fn is_empty(&self) -> bool {
        self.queue.is_empty() && self.held_pushes.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::OnceLock;

    /// The instant `ms` milliseconds after the tests' origin.
    fn at(ms: u64) -> Instant {
        static ORIGIN: OnceLock<Instant> = OnceLock::new();
        *ORIGIN.get_or_init(Instant::now) + Duration::from_millis(ms)
    }

    #[test]
    fn pause_holds_later_messages_in_order() {
        let mut o = Outbox::default();
        o.push(at(100), Transmit::Text("a".into()));
        o.pause(at(100), 50);
        o.push(at(100), Transmit::Text("b".into()));
        o.push(at(120), Transmit::Text("c".into()));
        assert_eq!(o.pop(at(100)), Some(Transmit::Text("a".into())));
        assert_eq!(o.pop(at(149)), None);
        assert_eq!(o.next_release(), Some(at(150)));
        assert_eq!(o.pop(at(150)), Some(Transmit::Text("b".into())));
        assert_eq!(o.pop(at(150)), Some(Transmit::Text("c".into())));
        assert!(o.is_empty());
    }

    fn text(s: &str) -> Transmit {
        Transmit::Text(s.into())
    }

    #[test]
    fn held_pushes_let_answers_through_and_keep_their_order() {
        let mut o = Outbox::default();
        o.push(at(100), text("answer-1"));
        o.hold_pushes(at(100), 50);
        o.push_unsolicited(at(100), text("ack-1"));
        o.push(at(110), text("answer-2"));
        o.hold_pushes(at(110), 50);
        o.push_unsolicited(at(110), text("ack-2"));
        o.push_unsolicited(at(200), text("later push"));
        assert_eq!(o.pop(at(100)), Some(text("answer-1")));
        assert_eq!(o.pop(at(110)), Some(text("answer-2")));
        assert_eq!(o.pop(at(149)), None);
        assert_eq!(o.next_release(), Some(at(150)));
        assert_eq!(o.pop(at(150)), Some(text("ack-1")));
        assert_eq!(o.pop(at(150)), None);
        assert_eq!(o.next_release(), Some(at(160)), "50 ms after answer-2: holds do not add up");
        assert_eq!(o.pop(at(160)), Some(text("ack-2")));
        assert_eq!(o.pop(at(200)), Some(text("later push")));
        assert!(o.is_empty());
    }

    #[test]
    fn unheld_pushes_go_in_the_main_lane() {
        let mut o = Outbox::default();
        o.push_unsolicited(at(100), text("push"));
        o.push(at(100), text("answer"));
        assert_eq!(o.pop(at(100)), Some(text("push")));
        assert_eq!(o.pop(at(100)), Some(text("answer")));
    }

    #[test]
    fn encrypted_pushes_are_never_held() {
        let mut o = Outbox::default();
        o.push(at(100), text("relay answer"));
        o.hold_pushes(at(100), 50);
        o.push_unsolicited(at(100), text("delivery ack"));
        o.push_unsolicited(at(101), Transmit::Binary(vec![1, 2, 3]));
        assert_eq!(o.pop(at(101)), Some(text("relay answer")));
        assert_eq!(o.pop(at(101)), Some(Transmit::Binary(vec![1, 2, 3])), "an incoming message");
        assert_eq!(o.pop(at(149)), None);
        assert_eq!(o.pop(at(150)), Some(text("delivery ack")));
    }

    #[test]
    fn close_waits_for_held_pushes() {
        let mut o = Outbox::default();
        o.hold_pushes(at(100), 50);
        o.push_unsolicited(at(100), text("disconnect"));
        o.push(at(100), Transmit::Close(CloseReason::Replaced));
        assert_eq!(o.pop(at(120)), None);
        assert_eq!(o.pop(at(150)), Some(text("disconnect")));
        assert_eq!(o.pop(at(150)), Some(Transmit::Close(CloseReason::Replaced)));
    }

    #[test]
    fn close_reason_text_is_bounded() {
        let r = CloseReason::Protocol(ProtocolError::UnreadableMessage("é".repeat(200)));
        assert!(r.text().len() <= 120);
    }

    #[test]
    fn a_typed_reason_reads_as_the_text_sent_before_it_was_typed() {
        let r =
            CloseReason::Protocol(ProtocolError::FrameTooLarge { len: 2_100_000, limit: 16384 });
        assert_eq!(r.text(), "protocol error: frame of 2100000 bytes exceeds the limit of 16384");
        assert_eq!(r.code(), 1002);
        let client =
            CloseReason::Disconnected(DisconnectReason::Protocol(ProtocolError::InitRefused(500)));
        assert_eq!(
            client.text(),
            r#"protocol error: Protocol("admin init refused with status 500")"#
        );
        let refused = CloseReason::Disconnected(DisconnectReason::InvalidSession(401));
        assert_eq!(refused.text(), "protocol error: InvalidSession(401)");
    }
}
