//! # waweb-proto — the sans-IO core of the legacy WhatsApp Web protocol
//!
//! This crate holds everything both ends of a connection need to speak the protocol, and nothing
//! that touches a socket, a clock or a global random generator:
//!
//! * [`frame`] — websocket payloads: `tag,JSON` text frames, keepalives, and the layout of
//!   encrypted binary frames (tag, metric, flags, MAC, IV, ciphertext).
//! * [`json`] — typed models of every JSON message (`admin init`, `Conn`, `Cmd`, `Props`, ...).
//! * [`action`] — the binary actions and action pushes, one typed value per family.
//! * [`binary`] — the "WABinary" node codec with its token dictionary.
//! * [`crypto`] — Curve25519 pairing, the `Conn.secret`, frame sealing and opening, challenges.
//! * [`message`] — the `WebMessageInfo` protobuf family (prost).
//! * [`query`] — binary `query` requests and their `response` nodes, one file per query type.
//! * [`session`] — client and server state machines: frames and time in, frames and events out.
//! * [`capture`] — captured traffic (HAR files, server session logs) back to readable frames.
//!
//! Time comes in as [`std::time::SystemTime`]-free values (milliseconds since the Unix epoch, or
//! `Instant`s chosen by the caller) and randomness as a [`rand_core::RngCore`] argument, so the
//! same code runs in the server, the client, the capture decoder and deterministic tests.
//!
//! ```
//! use waweb_proto::binary::{Node, encode, decode};
//!
//! let node = Node::new("query")
//!     .attr("type", "contacts")
//!     .attr("epoch", "1");
//! let bytes = encode(&node);
//! assert_eq!(decode(&bytes).unwrap(), node);
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod action;
pub mod binary;
pub mod capture;
pub mod crypto;
pub mod frame;
pub mod json;
pub mod message;
pub mod query;
pub mod session;
