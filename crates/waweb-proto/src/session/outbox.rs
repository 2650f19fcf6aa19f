//! A paced FIFO of outgoing websocket messages.
//!
//! Some real clients (Baileys 3.x on top of the `ws` package) register their next listener only
//! after a promise continuation, so frames that arrive in the same TCP read as the previous answer
//! are lost to them. The sessions therefore insert short *pauses* at the points where that matters
//! (after the init reply, after the challenge reply, before the first encrypted push). A pause holds
//! every later message until its release time; order is always preserved.

use std::collections::VecDeque;

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
    /// The peer sent something that cannot be handled; the text says what.
    Protocol(String),
    /// The application asked to close.
    Shutdown,
}

impl CloseReason {
    /// The websocket close code: 1000 for orderly ends, 1002 for protocol errors, 1001 when going away.
    pub fn code(&self) -> u16 {
        match self {
            CloseReason::LoggedOut | CloseReason::Replaced => 1000,
            CloseReason::Idle | CloseReason::Shutdown => 1001,
            CloseReason::Protocol(_) => 1002,
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
        };
        truncate_utf8(s, 120)
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

/// The queue itself. Times are milliseconds since the Unix epoch, supplied by the caller.
#[derive(Debug, Default)]
pub struct Outbox {
    queue: VecDeque<(u64, Transmit)>,
    hold_until: u64,
}

impl Outbox {
    /// Queues a message; it leaves no earlier than the current pause allows.
    pub fn push(&mut self, now: u64, t: Transmit) {
        let at = now.max(self.hold_until);
        self.queue.push_back((at, t));
    }

    /// Holds everything queued from now on until `now + ms`.
    pub fn pause(&mut self, now: u64, ms: u64) {
        if ms > 0 {
            self.hold_until = self.hold_until.max(now) + ms;
        }
    }

    /// The next message whose time has come.
    pub fn pop(&mut self, now: u64) -> Option<Transmit> {
        match self.queue.front() {
            Some((at, _)) if *at <= now => self.queue.pop_front().map(|(_, t)| t),
            _ => None,
        }
    }

    /// When the next held message becomes ready, if one is waiting.
    pub fn next_release(&self) -> Option<u64> {
        self.queue.front().map(|(at, _)| *at)
    }

    /// Whether nothing is queued.
    pub fn is_empty(&self) -> bool {
        self.queue.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pause_holds_later_messages_in_order() {
        let mut o = Outbox::default();
        o.push(100, Transmit::Text("a".into()));
        o.pause(100, 50);
        o.push(100, Transmit::Text("b".into()));
        o.push(120, Transmit::Text("c".into()));
        assert_eq!(o.pop(100), Some(Transmit::Text("a".into())));
        assert_eq!(o.pop(149), None);
        assert_eq!(o.next_release(), Some(150));
        assert_eq!(o.pop(150), Some(Transmit::Text("b".into())));
        assert_eq!(o.pop(150), Some(Transmit::Text("c".into())));
        assert!(o.is_empty());
    }

    #[test]
    fn close_reason_text_is_bounded() {
        let r = CloseReason::Protocol("é".repeat(200));
        assert!(r.text().len() <= 120);
    }
}
