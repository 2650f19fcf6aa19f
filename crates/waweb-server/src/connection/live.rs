//! The logged-in connections with the pairing (client id) each one serves.
//!
//! The hub knows accounts and mailboxes; login decisions also need to know *which pairing* is
//! live (`reconnect` may replace the same browser but must not kick a different one), and the
//! HTTP logout must reach the connections of one client id.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};

use crate::hub::{ConnectionId, Delivery, Mailbox};

#[derive(Debug)]
struct Entry {
    account: String,
    client_id: String,
    mailbox: Mailbox,
}

/// Connection id → (account, client id, mailbox) of every logged-in connection.
#[derive(Debug, Default)]
pub(crate) struct Live {
    inner: Mutex<HashMap<ConnectionId, Entry>>,
}

impl Live {
    fn lock(&self) -> MutexGuard<'_, HashMap<ConnectionId, Entry>> {
        // Plain map: still consistent after a panic elsewhere, so keep serving.
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Connection `id` is now logged in as `client_id` of `account`.
    pub fn insert(&self, id: ConnectionId, account: &str, client_id: &str, mailbox: Mailbox) {
        let entry =
            Entry { account: account.to_string(), client_id: client_id.to_string(), mailbox };
        self.lock().insert(id, entry);
    }

    /// Connection `id` closed.
    pub fn remove(&self, id: ConnectionId) {
        self.lock().remove(&id);
    }

    /// Whether a live connection of `account` serves a pairing other than `client_id`.
    pub fn other_pairing_active(&self, account: &str, client_id: &str) -> bool {
        self.lock()
            .values()
            .any(|e| e.account == account && e.client_id != client_id && !e.mailbox.is_closed())
    }

    /// Sends [`Delivery::Kicked`] to every connection of `client_id`; returns how many got it.
    pub fn kick_client(&self, client_id: &str) -> usize {
        self.lock()
            .values()
            .filter(|e| e.client_id == client_id)
            .filter(|e| e.mailbox.send(Delivery::Kicked).is_ok())
            .count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::sync::mpsc;

    #[test]
    fn tells_pairings_apart_and_kicks_by_client_id() {
        let live = Live::default();
        let (tx1, mut rx1) = mpsc::unbounded_channel();
        let (tx2, mut rx2) = mpsc::unbounded_channel();
        live.insert(1, "111", "browser-a", tx1);
        live.insert(2, "222", "browser-b", tx2);
        assert!(!live.other_pairing_active("111", "browser-a"));
        assert!(live.other_pairing_active("111", "browser-z"));
        assert!(!live.other_pairing_active("333", "browser-a"));
        assert_eq!(live.kick_client("browser-b"), 1);
        assert!(matches!(rx2.try_recv(), Ok(Delivery::Kicked)));
        assert!(rx1.try_recv().is_err());
        live.remove(1);
        assert!(!live.other_pairing_active("111", "browser-z"));
    }
}
