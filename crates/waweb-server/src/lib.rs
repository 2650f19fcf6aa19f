//! # waweb-server — the WhatsApp Web server and the simulated phone, over durable storage
//!
//! A thin tokio shell around [`waweb_proto::session::ServerSession`]:
//!
//! * [`config`] — what the server needs to start.
//! * [`store`] — durable storage behind the [`store::Store`] trait (SQLite by default).
//! * [`hub`] — live delivery between connections, on one node or over NATS; QR pairing
//!   registry, presence.
//! * `acks` — acknowledges, in batches, the queued messages connections pushed live.
//! * [`context`] — the state shared by handlers and who is asking.
//! * [`handler`] — one file per query or action.
//! * [`sync`] — the initial sync after pairing or login.
//! * [`datadir`] — the data directory's lock, private file modes, the running server's address.
//! * [`demo`] — demo accounts with chats and history.
//! * [`record`] — `--record`: per-connection frame logs for `waweb decode`.
//! * [`listener`] — the listening socket and the settings of accepted connections.
//! * `accept` — the accept loop: connection cap, handshake timeout, file-limit backoff.
//! * [`frame_guard`] — websocket frame limits enforced from frame headers (small until login).
//! * `upgrade` — the websocket handshake at `/ws`.
//! * [`server`] — [`Server`]: bind, then run the websocket endpoint and the HTTP routes until
//!   shutdown (one task per connection, in the private `connection` module).
//! * [`media`] — media hosting: upload tokens, blob storage, the `/mms` upload and download
//!   routes.
//! * [`tls`] — TLS on the same port (`--tls-cert`/`--tls-key`, or self-signed).
//! * [`admin`] — the admin API under `/admin` (accounts, QR scan, health).
//! * [`web`] — the web client (the page at `/`) and the phone page at `/phone`.
//! * [`error`] — [`ServerError`].

#![forbid(unsafe_code)]

mod accept;
mod acks;
pub mod admin;
mod app;
pub mod config;
mod connection;
pub mod context;
pub mod datadir;
pub mod demo;
pub mod error;
pub mod frame_guard;
pub mod handler;
mod http;
pub mod hub;
pub mod listener;
pub mod media;
pub mod record;
mod reply;
pub mod server;
pub mod store;
pub mod sync;
pub mod tls;
mod upgrade;
pub mod web;

pub use config::Config;
pub use error::ServerError;
pub use server::Server;
