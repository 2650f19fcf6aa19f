//! # waweb-server — the WhatsApp Web server and the simulated phone, over durable storage
//!
//! A thin tokio shell around [`waweb_proto::session::ServerSession`]:
//!
//! * [`config`] — what the server needs to start.
//! * [`store`] — durable storage behind the [`store::Store`] trait (SQLite by default).
//! * [`hub`] — live delivery between connections, QR pairing registry, presence.
//! * [`context`] — the state shared by handlers and who is asking.
//! * [`handler`] — one file per query or action.
//! * [`sync`] — the initial sync after pairing or login.
//! * [`demo`] — demo accounts with chats and history.
//! * [`record`] — `--record`: per-connection frame logs for `waweb decode`.
//! * [`listener`] — the listening socket and the settings of accepted connections.
//! * [`server`] — [`Server`]: bind, then run the websocket endpoint and the HTTP routes until
//!   shutdown (one task per connection, in the private `connection` module).
//! * [`media`] — media hosting: upload tokens, blob storage, the `/mms` upload and download
//!   routes.
//! * [`tls`] — TLS on the same port (`--tls-cert`/`--tls-key`, or self-signed).
//! * [`admin`] — the admin API under `/admin` (accounts, QR scan, health).
//! * [`error`] — [`ServerError`].

#![forbid(unsafe_code)]

pub mod admin;
pub mod config;
mod connection;
pub mod context;
pub mod demo;
pub mod error;
pub mod handler;
mod http;
pub mod hub;
pub mod listener;
pub mod media;
pub mod record;
pub mod server;
pub mod store;
pub mod sync;
pub mod tls;

pub use config::Config;
pub use error::ServerError;
pub use server::Server;
