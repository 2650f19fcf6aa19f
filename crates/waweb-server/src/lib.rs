//! # waweb-server — the WhatsApp Web server and the simulated phone, over durable storage
//!
//! A thin tokio shell around [`waweb_proto::session::ServerSession`].

#![forbid(unsafe_code)]

pub mod store;
