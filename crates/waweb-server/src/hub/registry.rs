//! This node's connections: mailboxes by account and by QR ref, scans waiting for their
//! connection's answer, presence state and subscriptions, and the "full list sent" flags.
//!
//! A bus delivers into it ([`Registry::dispatch`], [`Registry::apply_presence`]); the [`Hub`]
//! registers and removes connections. Every call takes one short lock and never waits.
//!
//! [`Hub`]: super::Hub

use std::collections::{HashMap, HashSet};
use std::sync::{Mutex, MutexGuard};

use tokio::sync::oneshot;

use super::bus::{Envelope, PresenceChange, ScanError, ScanRequest};
use super::{ConnectionId, Delivery, Mailbox, ScanId};
use crate::handler::blocks;

/// One logged-in connection: its id, the pairing (client id) it serves, its mailbox.
#[derive(Debug)]
struct Session {
    id: ConnectionId,
    client_id: String,
    mailbox: Mailbox,
}

#[derive(Debug, Default)]
struct Inner {
    /// account → its live, logged-in connections.
    sessions: HashMap<String, Vec<Session>>,
    /// QR ref → the connection showing it.
    pairing: HashMap<String, (ConnectionId, Mailbox)>,
    /// Scans handed to a connection, waiting for its answer.
    scans: HashMap<ScanId, oneshot::Sender<Result<(), ScanError>>>,
    next_scan: ScanId,
    /// accounts whose phone/web user announced `available`, with the time (unix s).
    presence: HashMap<String, (bool, u64)>,
    /// target account → the connections subscribed to its presence, with their accounts.
    subscribers: HashMap<String, HashMap<ConnectionId, String>>,
    /// connection → the accounts it subscribed to (to bound them, and to drop them at close).
    subscriptions: HashMap<ConnectionId, HashSet<String>>,
    /// connection → the full lists (chat, contacts) it has already been sent.
    lists_sent: HashMap<ConnectionId, HashSet<FullList>>,
}

/// A list sent in full once per connection (docs/PROTOCOL.md §8.3), then as `duplicate`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FullList {
    /// The chat list.
    Chats,
    /// The contact list.
    Contacts,
}

/// How many accounts one connection may follow the presence of (a client subscribes to the
/// contacts it shows; a few thousand is far more than any address book).
pub const MAX_SUBSCRIPTIONS: usize = 2048;

/// The connections of one node (see the module documentation).
#[derive(Debug)]
pub struct Registry {
    /// This node's id on the bus (0 on a single node).
    node: u64,
    inner: Mutex<Inner>,
}

impl Registry {
    /// An empty registry for the node `node`.
    pub fn new(node: u64) -> Self {
        Registry { node, inner: Mutex::default() }
    }

    /// This node's id on the bus.
    pub fn node(&self) -> u64 {
        self.node
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        // A panic while holding the lock leaves plain maps behind; they stay consistent enough
        // to keep serving, so a poisoned lock is recovered rather than propagated.
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Registers a logged-in connection (see [`Hub::register`](super::Hub::register)).
    pub fn register(&self, account: &str, id: ConnectionId, client_id: &str, mailbox: Mailbox) {
        let mut inner = self.lock();
        let list = inner.sessions.entry(account.to_string()).or_default();
        list.retain(|s| s.id != id && !s.mailbox.is_closed());
        list.push(Session { id, client_id: client_id.to_string(), mailbox });
    }

    /// Removes a connection; returns whether the account has no live session left here.
    pub fn unregister(&self, account: &str, id: ConnectionId) -> bool {
        let mut inner = self.lock();
        let empty = match inner.sessions.get_mut(account) {
            Some(list) => {
                list.retain(|s| s.id != id && !s.mailbox.is_closed());
                list.is_empty()
            }
            None => true,
        };
        if empty {
            inner.sessions.remove(account);
        }
        inner.lists_sent.remove(&id);
        inner.drop_subscriptions(id);
        empty
    }

    /// Whether `account` has a live session on this node.
    pub fn has_sessions(&self, account: &str) -> bool {
        let inner = self.lock();
        inner.sessions.get(account).is_some_and(|l| l.iter().any(|s| !s.mailbox.is_closed()))
    }

    /// The pairings (client ids) of `account`'s live sessions on this node.
    pub fn client_ids(&self, account: &str) -> Vec<String> {
        let inner = self.lock();
        let Some(list) = inner.sessions.get(account) else { return Vec::new() };
        list.iter().filter(|s| !s.mailbox.is_closed()).map(|s| s.client_id.clone()).collect()
    }

    /// Hands `envelope` to the sessions of its account on this node that it is for; returns
    /// how many took it.
    pub fn dispatch(&self, envelope: &Envelope) -> usize {
        let inner = self.lock();
        let Some(list) = inner.sessions.get(&envelope.account) else { return 0 };
        list.iter()
            .filter(|s| envelope.except.is_none_or(|e| e.node != self.node || e.connection != s.id))
            .filter(|s| envelope.client.as_ref().is_none_or(|c| *c == s.client_id))
            .filter(|s| s.mailbox.offer(envelope.delivery.clone()))
            .count()
    }

    /// How many logged-in connections this node holds.
    pub fn connection_count(&self) -> usize {
        self.lock().sessions.values().map(Vec::len).sum()
    }

    /// See [`Hub::claim_full_list`](super::Hub::claim_full_list).
    pub fn claim_full_list(&self, id: ConnectionId, list: FullList) -> bool {
        self.lock().lists_sent.entry(id).or_default().insert(list)
    }

    // ----- QR pairing ----------------------------------------------------------------------

    /// The connection `id` shows the QR `r#ref`.
    pub fn await_scan(&self, r#ref: &str, id: ConnectionId, mailbox: Mailbox) {
        self.lock().pairing.insert(r#ref.to_string(), (id, mailbox));
    }

    /// The QR `r#ref` is no longer shown; returns whether it was.
    pub fn forget_ref(&self, r#ref: &str) -> bool {
        self.lock().pairing.remove(r#ref).is_some()
    }

    /// Forgets every ref shown by connection `id`, and returns them.
    pub fn forget_connection_refs(&self, id: ConnectionId) -> Vec<String> {
        let mut inner = self.lock();
        let refs: Vec<String> =
            inner.pairing.iter().filter(|(_, (i, _))| *i == id).map(|(r, _)| r.clone()).collect();
        for r in &refs {
            inner.pairing.remove(r);
        }
        refs
    }

    /// Hands a scan to the connection of this node showing its QR; the receiver gets the
    /// connection's answer. `NotFound` if no connection here shows it.
    pub fn start_scan(
        &self,
        request: &ScanRequest,
    ) -> Result<(ScanId, oneshot::Receiver<Result<(), ScanError>>), ScanError> {
        let mut inner = self.lock();
        let mailbox = match inner.pairing.get(&request.r#ref) {
            Some((_, m)) if !m.is_closed() => m.clone(),
            _ => return Err(ScanError::NotFound("no connection shows this QR".into())),
        };
        inner.next_scan += 1;
        let scan = inner.next_scan;
        let (reply, outcome) = oneshot::channel();
        let delivery = Delivery::Scan {
            scan,
            account: request.account.clone(),
            client_public: request.client_public,
        };
        if !mailbox.offer(delivery) {
            return Err(ScanError::NotFound("the connection showing this QR closed".into()));
        }
        inner.scans.insert(scan, reply);
        Ok((scan, outcome))
    }

    /// The connection's answer to the scan `scan` (ignored if nobody waits any more).
    pub fn scan_done(&self, scan: ScanId, outcome: Result<(), ScanError>) {
        if let Some(reply) = self.lock().scans.remove(&scan) {
            let _ = reply.send(outcome);
        }
    }

    /// Forgets a scan nobody waits for any more (timed out).
    pub fn abandon_scan(&self, scan: ScanId) {
        self.lock().scans.remove(&scan);
    }

    // ----- presence ------------------------------------------------------------------------

    /// Records a presence change and pushes it to the sessions here that follow it.
    pub fn apply_presence(&self, change: &PresenceChange) {
        let mut inner = self.lock();
        inner.presence.insert(change.account.clone(), (change.available, change.t));
        let Some(subscribers) = inner.subscribers.get(&change.account) else { return };
        let accounts: HashSet<&String> = subscribers.values().collect();
        for account in accounts.into_iter().filter(|a| !blocks(&change.hidden_from, a)) {
            for session in inner.sessions.get(account).into_iter().flatten() {
                session.mailbox.offer(Delivery::Json(change.push.clone()));
            }
        }
    }

    /// Records a presence change without pushing it to anyone.
    pub fn note_presence(&self, account: &str, available: bool, t: u64) {
        self.lock().presence.insert(account.to_owned(), (available, t));
    }

    /// Whether `account` is available, and since/until when (unix s), if it ever said.
    pub fn presence(&self, account: &str) -> Option<(bool, u64)> {
        self.lock().presence.get(account).copied()
    }

    /// See [`Hub::subscribe_presence`](super::Hub::subscribe_presence).
    pub fn subscribe_presence(&self, subscriber: &str, id: ConnectionId, target: &str) -> bool {
        let mut inner = self.lock();
        let mine = inner.subscriptions.entry(id).or_default();
        if !mine.contains(target) {
            if mine.len() >= MAX_SUBSCRIPTIONS {
                return false;
            }
            mine.insert(target.to_string());
        }
        let subscribers = inner.subscribers.entry(target.to_string()).or_default();
        subscribers.insert(id, subscriber.to_string());
        true
    }

    /// The accounts subscribed to `target`'s presence on this node (each once).
    pub fn presence_subscribers(&self, target: &str) -> Vec<String> {
        let inner = self.lock();
        let Some(subscribers) = inner.subscribers.get(target) else { return Vec::new() };
        let accounts: HashSet<&String> = subscribers.values().collect();
        accounts.into_iter().cloned().collect()
    }

    /// How many presence subscriptions this node holds, over all connections.
    pub fn subscription_count(&self) -> usize {
        self.lock().subscriptions.values().map(HashSet::len).sum()
    }
}

impl Inner {
    /// Forgets the presence subscriptions of connection `id`.
    fn drop_subscriptions(&mut self, id: ConnectionId) {
        for target in self.subscriptions.remove(&id).unwrap_or_default() {
            if let Some(subscribers) = self.subscribers.get_mut(&target) {
                subscribers.remove(&id);
                if subscribers.is_empty() {
                    self.subscribers.remove(&target);
                }
            }
        }
    }
}

#[cfg(test)]
#[path = "registry_tests.rs"]
mod tests;
