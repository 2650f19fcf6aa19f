//! Session state machines, sans-IO, in the style of quinn-proto and rustls.
//!
//! A session never touches a socket, a clock or a global random generator. The caller:
//!
//! 1. feeds what arrived with `handle_text(now, unix_ms, ..)` / `handle_binary(now, ..)`,
//! 2. calls `handle_timeout(now)` when the deadline from `poll_timeout()` has passed,
//! 3. issues commands (`pair`, `accept_login`, `query`, `relay`, ...),
//! 4. then drains `poll_transmit(now)` (websocket messages to send) and `poll_event()`
//!    (what the application must know or decide).
//!
//! `now` is a [`std::time::Instant`] of the caller's monotonic clock (a session never reads a
//! clock): pauses, keepalives, idle limits, QR expiry and request timeouts are all counted on it,
//! so a wall clock that jumps moves none of them. Wall-clock time (ms since the Unix epoch) is
//! given only where the protocol carries it: the server's keepalive answer `!<ms>` and init
//! reply `time` (`handle_text`'s `unix_ms`), the client's request tags (`ClientSession::new`).
//! Randomness comes from the `RngCore + CryptoRng` each session owns, given at construction, so
//! tests can seed it.
//!
//! * [`server`] — one connection as the WhatsApp server sees it (pairing, restore, challenge,
//!   takeover, logout, keepalive, encrypted requests).
//! * [`client`] — the web client's side (init, QR, Conn and keys, restore, challenge, queries).
//! * [`qr`] — the QR string `ref,publicKey,clientId` the phone scans.
//! * [`outbox`] — the paced queue of outgoing messages both sides share.
//! * [`error`] — the typed protocol errors a session closes on.

pub mod client;
pub mod error;
pub mod outbox;
pub mod qr;
pub mod server;

pub use client::{ClientConfig, ClientEvent, ClientSession, Credentials, DisconnectReason};
pub use error::ProtocolError;
pub use outbox::{CloseReason, Transmit};
pub use qr::QrCode;
pub use server::{Handshake, ServerConfig, ServerEvent, ServerSession, WrongState};
