//! A client session and a server session wired together in memory, with a virtual clock: every
//! message either side sends is recorded, then delivered to the other side unless that side has
//! closed. Shared by the handshake tests and the capture builders.

#![allow(dead_code)]

use std::sync::OnceLock;
use std::time::{Duration, Instant};

use rand::rngs::StdRng;
use rand::SeedableRng;
use waweb_proto::session::{
    ClientConfig, ClientEvent, ClientSession, Credentials, ServerConfig, ServerEvent,
    ServerSession, Transmit,
};

/// The virtual clock's start on the wall clock, in milliseconds since the Unix epoch.
pub const T0: u64 = 1_600_000_000_000;

/// The virtual clock's start on the monotonic clock: one real instant, taken once.
pub fn origin() -> Instant {
    static ORIGIN: OnceLock<Instant> = OnceLock::new();
    *ORIGIN.get_or_init(Instant::now)
}

/// The instant `ms` milliseconds after the start.
pub fn at(ms: u64) -> Instant {
    origin() + Duration::from_millis(ms)
}

/// The wall-clock time (ms since the Unix epoch) of an instant of the virtual clock.
pub fn unix(t: Instant) -> u64 {
    T0 + u64::try_from(t.duration_since(origin()).as_millis()).unwrap_or(u64::MAX)
}

/// One recorded websocket message.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub t: u64,
    pub from_client: bool,
    pub text: Option<String>,
    pub binary: Option<Vec<u8>>,
}

/// The two sessions, their events, and every text or binary message that crossed.
pub struct Wire {
    pub now: Instant,
    pub client: ClientSession<StdRng>,
    pub server: ServerSession<StdRng>,
    pub client_events: Vec<ClientEvent>,
    pub server_events: Vec<ServerEvent>,
    pub frames: Vec<Recorded>,
    pub client_closed: bool,
    pub server_closed: bool,
}

impl Wire {
    /// A fresh pair at `T0`; the client draws from `seed`, the server from `seed + 1000`.
    pub fn new(credentials: Option<Credentials>, seed: u64) -> Wire {
        let client = ClientSession::new(
            ClientConfig::default(),
            StdRng::seed_from_u64(seed),
            credentials,
            at(0),
            T0,
        );
        let server =
            ServerSession::new(ServerConfig::default(), StdRng::seed_from_u64(seed + 1000), at(0));
        Wire {
            now: at(0),
            client,
            server,
            client_events: vec![],
            server_events: vec![],
            frames: vec![],
            client_closed: false,
            server_closed: false,
        }
    }

    fn record(&mut self, from_client: bool, t: &Transmit) {
        let (text, binary) = match t {
            Transmit::Text(s) => (Some(s.clone()), None),
            Transmit::Binary(b) => (None, Some(b.clone())),
            _ => return,
        };
        self.frames.push(Recorded { t: unix(self.now), from_client, text, binary });
    }

    /// Moves every ready message across and collects events, without advancing time.
    pub fn pump(&mut self) {
        loop {
            let mut moved = false;
            while let Some(t) = self.client.poll_transmit(self.now) {
                moved = true;
                self.record(true, &t);
                match t {
                    Transmit::Text(s) if !self.server_closed => {
                        self.server.handle_text(self.now, unix(self.now), &s)
                    }
                    Transmit::Binary(b) if !self.server_closed => {
                        self.server.handle_binary(self.now, &b)
                    }
                    Transmit::Close(_) => self.client_closed = true,
                    _ => {}
                }
            }
            while let Some(t) = self.server.poll_transmit(self.now) {
                moved = true;
                self.record(false, &t);
                match t {
                    Transmit::Text(s) if !self.client_closed => {
                        self.client.handle_text(self.now, &s)
                    }
                    Transmit::Binary(b) if !self.client_closed => {
                        self.client.handle_binary(self.now, &b)
                    }
                    Transmit::Close(_) => self.server_closed = true,
                    _ => {}
                }
            }
            while let Some(e) = self.client.poll_event() {
                moved = true;
                self.client_events.push(e);
            }
            while let Some(e) = self.server.poll_event() {
                moved = true;
                self.server_events.push(e);
            }
            if !moved {
                return;
            }
        }
    }

    /// Advances the virtual clock through every deadline up to `now + ms`.
    pub fn run_for(&mut self, ms: u64) {
        let end = self.now + Duration::from_millis(ms);
        self.pump();
        loop {
            let next = [self.client.poll_timeout(), self.server.poll_timeout()]
                .into_iter()
                .flatten()
                .filter(|t| *t <= end)
                .min();
            let Some(t) = next else { break };
            self.now = t.max(self.now);
            self.client.handle_timeout(self.now);
            self.server.handle_timeout(self.now);
            self.pump();
            if self.client_closed && self.server_closed {
                break;
            }
        }
        self.now = end.max(self.now);
        self.pump();
    }

    /// The client events collected so far, leaving none.
    pub fn take_client_events(&mut self) -> Vec<ClientEvent> {
        std::mem::take(&mut self.client_events)
    }

    /// The server events collected so far, leaving none.
    pub fn take_server_events(&mut self) -> Vec<ServerEvent> {
        std::mem::take(&mut self.server_events)
    }
}
