//! Live delivery between connections: "send this to every web session of account X".
//!
//! Every connection task registers a mailbox (an unbounded channel of [`Delivery`]) under its
//! account once its handshake is done, and under its QR ref while it waits for a scan. Handlers
//! never touch another connection directly: they call [`Hub::deliver`] and the owning task seals
//! and sends. Keeping this behind one type is what lets a later multi-node setup replace the
//! in-process maps with a message bus without touching the handlers.
//!
//! The hub also holds the soft, non-durable state of the simulated phones: who is online, who
//! subscribed to whose presence.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, MutexGuard};
use tokio::sync::{mpsc, oneshot};
use waweb_proto::binary::Node;
use waweb_proto::json::push::ServerPush;

/// Identifies one connection for the lifetime of the server process.
pub type ConnectionId = u64;

/// What a connection task receives from elsewhere in the server.
#[derive(Debug)]
pub enum Delivery {
    /// Seal and push this node (tag `s-<n>`).
    Node(Node),
    /// Push this JSON (tag `s<n>`).
    Json(ServerPush),
    /// Another session of the account logged in with `takeover`: send `replaced` and close.
    Replaced,
    /// The account's phone logged this browser out (or the account was removed): close.
    Kicked,
    /// The phone scanned this connection's QR for `account`; answer when paired (or why not).
    Scan {
        /// The phone number of the account that scans.
        account: String,
        /// The client's public key from the QR string.
        client_public: [u8; 32],
        /// Where to report the outcome.
        reply: oneshot::Sender<Result<(), String>>,
    },
}

/// A mailbox of one connection.
pub type Mailbox = mpsc::UnboundedSender<Delivery>;

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

/// The registry. Cheap to clone (an `Arc`).
#[derive(Debug, Clone, Default)]
pub struct Hub {
    inner: Arc<Mutex<Inner>>,
}

impl Hub {
    /// An empty hub.
    pub fn new() -> Self {
        Hub::default()
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        // A panic while holding the lock leaves plain maps behind; they stay consistent enough
        // to keep serving, so a poisoned lock is recovered rather than propagated.
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    // ----- logged-in sessions --------------------------------------------------------------

    /// Registers a logged-in connection of `account` serving the pairing `client_id`. Returns
    /// the mailboxes of the account's other live connections (the caller decides whether they
    /// are replaced).
    pub fn register(
        &self,
        account: &str,
        id: ConnectionId,
        client_id: &str,
        mailbox: Mailbox,
    ) -> Vec<Mailbox> {
        let mut inner = self.lock();
        let list = inner.sessions.entry(account.to_string()).or_default();
        list.retain(|s| !s.mailbox.is_closed());
        let others = list.iter().filter(|s| s.id != id).map(|s| s.mailbox.clone()).collect();
        list.retain(|s| s.id != id);
        list.push(Session { id, client_id: client_id.to_string(), mailbox });
        others
    }

    /// Removes a connection (at close). Returns whether the account has no live session left.
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

    /// Sends to every live connection of `account` except `except`; returns how many got it.
    pub fn deliver_except(
        &self,
        account: &str,
        except: Option<ConnectionId>,
        make: impl Fn() -> Delivery,
    ) -> usize {
        let inner = self.lock();
        let Some(list) = inner.sessions.get(account) else {
            return 0;
        };
        list.iter()
            .filter(|s| Some(s.id) != except)
            .filter(|s| s.mailbox.send(make()).is_ok())
            .count()
    }

    /// Sends to every live connection of `account`; returns how many got it.
    pub fn deliver(&self, account: &str, make: impl Fn() -> Delivery) -> usize {
        self.deliver_except(account, None, make)
    }

    /// Whether `account` has at least one live web session.
    pub fn is_connected(&self, account: &str) -> bool {
        let inner = self.lock();
        inner.sessions.get(account).is_some_and(|l| l.iter().any(|s| !s.mailbox.is_closed()))
    }

    /// Whether a live connection of `account` serves a pairing other than `client_id`
    /// (`reconnect` may replace the same browser but must not kick a different one).
    pub fn other_pairing_active(&self, account: &str, client_id: &str) -> bool {
        let inner = self.lock();
        inner
            .sessions
            .get(account)
            .is_some_and(|l| l.iter().any(|s| s.client_id != client_id && !s.mailbox.is_closed()))
    }

    /// Sends [`Delivery::Kicked`] to every connection of the pairing `client_id` (its browser
    /// logged out); returns how many got it.
    pub fn kick_client(&self, client_id: &str) -> usize {
        let inner = self.lock();
        inner
            .sessions
            .values()
            .flatten()
            .filter(|s| s.client_id == client_id)
            .filter(|s| s.mailbox.send(Delivery::Kicked).is_ok())
            .count()
    }

    /// How many logged-in connections the server holds.
    pub fn connection_count(&self) -> usize {
        self.lock().sessions.values().map(Vec::len).sum()
    }

    /// Records that connection `id` is being sent `list` in full; returns whether this is the
    /// first time (a later plain query gets a `duplicate` answer instead).
    pub fn claim_full_list(&self, id: ConnectionId, list: FullList) -> bool {
        self.lock().lists_sent.entry(id).or_default().insert(list)
    }

    // ----- QR pairing ----------------------------------------------------------------------

    /// The connection `id` shows the QR `r#ref`.
    pub fn await_scan(&self, r#ref: &str, id: ConnectionId, mailbox: Mailbox) {
        self.lock().pairing.insert(r#ref.to_string(), (id, mailbox));
    }

    /// The QR `r#ref` is no longer shown (renewed, paired or closed).
    pub fn forget_ref(&self, r#ref: &str) {
        self.lock().pairing.remove(r#ref);
    }

    /// Forgets every ref shown by connection `id`.
    pub fn forget_connection_refs(&self, id: ConnectionId) {
        self.lock().pairing.retain(|_, (i, _)| *i != id);
    }

    /// The mailbox of the connection showing `r#ref`.
    pub fn scanner(&self, r#ref: &str) -> Option<Mailbox> {
        let inner = self.lock();
        inner.pairing.get(r#ref).filter(|(_, m)| !m.is_closed()).map(|(_, m)| m.clone())
    }

    // ----- presence ------------------------------------------------------------------------

    /// Records `account` as available or not since `t` (unix s).
    pub fn set_presence(&self, account: &str, available: bool, t: u64) {
        self.lock().presence.insert(account.to_string(), (available, t));
    }

    /// Whether `account` is available, and since/until when (unix s), if it ever said.
    pub fn presence(&self, account: &str) -> Option<(bool, u64)> {
        self.lock().presence.get(account).copied()
    }

    /// The connection `id` of `subscriber` wants `["Presence",…]` pushes about `target`, until
    /// it closes ([`Hub::unregister`]). `false` (nothing recorded) when the connection already
    /// has [`MAX_SUBSCRIPTIONS`] other subscriptions.
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

    /// The accounts subscribed to `target`'s presence (each once).
    pub fn presence_subscribers(&self, target: &str) -> Vec<String> {
        let inner = self.lock();
        let Some(subscribers) = inner.subscribers.get(target) else { return Vec::new() };
        let accounts: HashSet<&String> = subscribers.values().collect();
        accounts.into_iter().cloned().collect()
    }

    /// How many presence subscriptions the hub holds, over all connections.
    pub fn subscription_count(&self) -> usize {
        self.lock().subscriptions.values().map(HashSet::len).sum()
    }
}

/// How many accounts one connection may follow the presence of (a client subscribes to the
/// contacts it shows; a few thousand is far more than any address book).
pub const MAX_SUBSCRIPTIONS: usize = 2048;

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
mod tests {
    use super::*;

    #[test]
    fn delivers_to_every_live_session_and_reports_takeover_candidates() {
        let hub = Hub::new();
        let (tx1, mut rx1) = mpsc::unbounded_channel();
        let (tx2, mut rx2) = mpsc::unbounded_channel();
        assert!(hub.register("111", 1, "browser-a", tx1).is_empty());
        assert_eq!(hub.register("111", 2, "browser-b", tx2).len(), 1);
        assert_eq!(hub.deliver("111", || Delivery::Kicked), 2);
        assert!(matches!(rx1.try_recv(), Ok(Delivery::Kicked)));
        assert!(matches!(rx2.try_recv(), Ok(Delivery::Kicked)));
        assert_eq!(hub.deliver_except("111", Some(1), || Delivery::Replaced), 1);
        assert!(rx1.try_recv().is_err());
        assert_eq!(hub.deliver("222", || Delivery::Kicked), 0);
        assert!(!hub.unregister("111", 1));
        assert!(hub.unregister("111", 2));
        assert!(!hub.is_connected("111"));
    }

    #[test]
    fn tells_pairings_apart_and_kicks_by_client_id() {
        let hub = Hub::new();
        let (tx1, mut rx1) = mpsc::unbounded_channel();
        let (tx2, mut rx2) = mpsc::unbounded_channel();
        hub.register("111", 1, "browser-a", tx1);
        hub.register("222", 2, "browser-b", tx2);
        assert!(!hub.other_pairing_active("111", "browser-a"));
        assert!(hub.other_pairing_active("111", "browser-z"));
        assert!(!hub.other_pairing_active("333", "browser-a"));
        assert_eq!(hub.kick_client("browser-b"), 1);
        assert!(matches!(rx2.try_recv(), Ok(Delivery::Kicked)));
        assert!(rx1.try_recv().is_err());
        hub.unregister("111", 1);
        assert!(!hub.other_pairing_active("111", "browser-z"));
    }

    #[test]
    fn closed_mailboxes_are_not_counted() {
        let hub = Hub::new();
        let (tx, rx) = mpsc::unbounded_channel();
        hub.register("111", 1, "browser-a", tx);
        drop(rx);
        assert_eq!(hub.deliver("111", || Delivery::Kicked), 0);
        assert!(!hub.is_connected("111"));
    }

    #[test]
    fn scanner_is_found_by_ref_until_forgotten() {
        let hub = Hub::new();
        let (tx, _rx) = mpsc::unbounded_channel();
        hub.await_scan("1@abc", 7, tx);
        assert!(hub.scanner("1@abc").is_some());
        hub.forget_connection_refs(7);
        assert!(hub.scanner("1@abc").is_none());
    }

    #[test]
    fn presence_subscriptions_are_bounded_and_end_with_the_connection() {
        let hub = Hub::new();
        let (tx, _rx) = mpsc::unbounded_channel();
        hub.register("111", 1, "browser-a", tx);
        for n in 0..MAX_SUBSCRIPTIONS {
            assert!(hub.subscribe_presence("111", 1, &n.to_string()));
        }
        assert!(!hub.subscribe_presence("111", 1, "999999"));
        // Subscribing again to one already followed is not a new one.
        assert!(hub.subscribe_presence("111", 1, "7"));
        assert!(hub.subscribe_presence("222", 2, "7"));
        assert_eq!(hub.subscription_count(), MAX_SUBSCRIPTIONS + 1);
        hub.unregister("111", 1);
        assert_eq!(hub.subscription_count(), 1);
        assert_eq!(hub.presence_subscribers("7"), vec!["222"]);
        assert!(hub.presence_subscribers("8").is_empty());
        assert_eq!(hub.lock().subscribers.len(), 1);
    }

    #[test]
    fn presence_subscriptions() {
        let hub = Hub::new();
        hub.subscribe_presence("111", 1, "222");
        hub.subscribe_presence("111", 4, "222");
        hub.subscribe_presence("333", 2, "222");
        let mut subs = hub.presence_subscribers("222");
        subs.sort();
        assert_eq!(subs, vec!["111", "333"]);
        hub.set_presence("222", true, 5);
        assert!(hub.claim_full_list(4, FullList::Chats));
        assert!(!hub.claim_full_list(4, FullList::Chats));
        assert!(hub.claim_full_list(4, FullList::Contacts));
        assert_eq!(hub.presence("222"), Some((true, 5)));
    }
}
