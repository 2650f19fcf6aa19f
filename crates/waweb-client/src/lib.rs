//! # waweb-client — an async client for the legacy WhatsApp Web protocol
//!
//! A thin tokio shell around [`waweb_proto::session::ClientSession`].

#![forbid(unsafe_code)]
