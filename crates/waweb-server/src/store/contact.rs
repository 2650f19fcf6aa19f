//! Contacts: an account's address book, as the `user` items of a `contacts` response show it.
//! The record is the core's ([`waweb_proto::query::contacts::Contact`]); the store keeps the
//! JID as it was given, and the contact list writes it in the wire's spelling.

pub use waweb_proto::query::contacts::Contact;
