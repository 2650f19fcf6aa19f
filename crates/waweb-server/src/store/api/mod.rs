//! The [`Store`] trait: every read and write the server makes, independent of the database.
//!
//! It gathers one trait per concept (accounts, chats, messages, groups, paired browsers), each in
//! its own file, so that a backend implements each concept next to its SQL. Code that is generic
//! over `S: Store` calls every method directly; code that holds a concrete store imports the
//! traits it calls (all are re-exported by [`crate::store`]).

use std::future::Future;

mod accounts;
mod chats;
mod groups;
mod messages;
mod sessions;

pub use accounts::AccountStore;
pub use chats::ChatStore;
pub use groups::GroupStore;
pub use messages::MessageStore;
pub use sessions::SessionStore;

use crate::store::{SeedAccount, SeedReport, StoreResult};

/// The server's durable storage. Every `account` argument is a phone number (digits).
///
/// Every write is durable when its future resolves with `Ok`. Concurrent writes may be applied
/// in any order, unless the backend says otherwise with [`Store::orders_writes`]: the server
/// keeps a connection's relays of one chat in order by starting each write only after the
/// previous one committed, or, on a backend that orders writes, as soon as the previous one was
/// polled once (so a burst can share one commit).
pub trait Store:
    AccountStore + ChatStore + MessageStore + GroupStore + SessionStore + Send + Sync + 'static
{
    /// Whether writes are applied in the order their futures are first polled (a write takes
    /// its place in the queue at its first poll, even if it then waits for room, and even if
    /// the task has used up tokio's cooperative budget). `false` unless the backend overrides
    /// it: a backend that runs writes on a connection pool cannot promise it, and the safe
    /// answer costs only speed.
    fn orders_writes(&self) -> bool {
        false
    }

    /// Creates whole accounts with contacts, chats, history and blocklists in one transaction.
    /// `AlreadyExists` (and nothing stored) if any of the accounts exists.
    fn seed(
        &self,
        accounts: Vec<SeedAccount>,
    ) -> impl Future<Output = StoreResult<SeedReport>> + Send;

    /// Finishes every write already submitted, then stops; later calls fail with `Closed`.
    fn close(&self) -> impl Future<Output = StoreResult<()>> + Send;
}
