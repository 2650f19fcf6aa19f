//! Live delivery between connections: "send this to every web session of account X", on this
//! server node or any other one.
//!
//! Every connection task registers a [`Mailbox`] (a bounded channel of [`Delivery`]) under its
//! account once its handshake is done, and under its QR ref while it waits for a scan. Handlers
//! never touch another connection directly: they call [`Hub::deliver`] and the owning task seals
//! and sends.
//!
//! The [`Hub`] is the one type handlers see. It keeps this node's connections in a
//! [`Registry`] and hands everything meant for other connections to a [`Bus`]: the
//! [`LocalBus`] (one node; the default) dispatches into the registry at once, the
//! [`NatsBus`] (`waweb serve --bus nats://…`) publishes it to every node that has a session of
//! the account. What crosses a bus is data only ([`Envelope`], [`PresenceChange`],
//! [`ScanRequest`]): no channel, no reply handle.
//!
//! The hub also holds the soft, non-durable state of the simulated phones: who is online, who
//! subscribed to whose presence.

mod bus;
mod dedupe;
mod mailbox;
mod nats;
mod registry;
mod wire;

use std::sync::Arc;

use futures_util::future::BoxFuture;
use futures_util::FutureExt;
use waweb_proto::binary::Node;
use waweb_proto::json::push::ServerPush;

pub use bus::{Bus, BusError, Envelope, LocalBus, PresenceChange, ScanError, ScanRequest};
pub use bus::{SessionRef, SCAN_TIMEOUT};
pub use mailbox::Mailbox;
pub use nats::{redact_url, NatsBus};
pub use registry::{FullList, Registry, MAX_SUBSCRIPTIONS};

use crate::store::DeliveryId;

/// Identifies one connection for the lifetime of the server process.
pub type ConnectionId = u64;

/// Identifies one scan waiting for a connection's answer, on this node.
pub type ScanId = u64;

/// What a connection task receives from elsewhere in the server. Plain data: what another
/// node sends arrives as the same value.
#[derive(Debug, Clone, PartialEq)]
pub enum Delivery {
    /// Seal and push this node (tag `s-<n>`).
    Node(Node),
    /// Seal and push this relayed message; once it is written to the socket, the queue entry
    /// `queued` of the account is acknowledged (the next sync need not bring it).
    Relayed {
        /// The `action add=relay` push.
        node: Node,
        /// The recipient's queue entry for this message.
        queued: DeliveryId,
    },
    /// Push this JSON (tag `s<n>`).
    Json(ServerPush),
    /// Another session of the account logged in: send `replaced` and close.
    Replaced,
    /// The account's phone logged this browser out (or the account was removed): close.
    Kicked,
    /// The phone scanned this connection's QR for `account`; answer with [`Hub::scan_done`]
    /// when paired (or why not). Never crosses a bus (see [`ScanRequest`]).
    Scan {
        /// What to pass to [`Hub::scan_done`].
        scan: ScanId,
        /// The phone number of the account that scans.
        account: String,
        /// The client's public key from the QR string.
        client_public: [u8; 32],
    },
}

/// The registry of this node and the bus to the others. Cheap to clone (two `Arc`s).
#[derive(Clone)]
pub struct Hub {
    registry: Arc<Registry>,
    bus: Arc<dyn Bus>,
}

impl std::fmt::Debug for Hub {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Hub").field("node", &self.bus.node()).finish_non_exhaustive()
    }
}

impl Default for Hub {
    fn default() -> Self {
        Hub::new()
    }
}

impl Hub {
    /// A hub for one server node: the [`LocalBus`].
    pub fn new() -> Self {
        let registry = Arc::new(Registry::new(0));
        let bus = Arc::new(LocalBus::new(registry.clone()));
        Hub { registry, bus }
    }

    /// A hub over a bus built on `registry`.
    pub fn over(registry: Arc<Registry>, bus: Arc<dyn Bus>) -> Self {
        Hub { registry, bus }
    }

    /// A hub whose deliveries go through the NATS server at `url` (see [`NatsBus`]).
    pub async fn nats(url: &str) -> Result<Self, BusError> {
        let registry = Arc::new(Registry::new(rand::random()));
        let bus = NatsBus::connect(url, registry.clone()).await?;
        Ok(Hub::over(registry, Arc::new(bus)))
    }

    /// This node's connections.
    pub fn registry(&self) -> &Registry {
        &self.registry
    }

    // ----- logged-in sessions --------------------------------------------------------------

    /// Registers a logged-in connection of `account` serving the pairing `client_id`. The
    /// future resolves once deliveries for the account published from now on reach `mailbox`
    /// (the initial sync reads the history after that, so a message relayed meanwhile is
    /// pushed live).
    pub fn register(
        &self,
        account: &str,
        id: ConnectionId,
        client_id: &str,
        mailbox: Mailbox,
    ) -> BoxFuture<'static, ()> {
        self.registry.register(account, id, client_id, mailbox);
        self.bus.watch_account(account)
    }

    /// Tells every session of `account`, on every node, but the connection `id` of this node
    /// that it is replaced (one live web session per account, cluster-wide).
    pub fn replace_others(&self, account: &str, id: ConnectionId) {
        self.publish(account, Some(id), None, Delivery::Replaced);
    }

    /// Removes a connection (at close). Idempotent.
    pub fn unregister(&self, account: &str, id: ConnectionId) {
        if self.registry.unregister(account, id) {
            self.bus.unwatch_account(account);
        }
    }

    /// Sends to every live session of `account`, on every node.
    pub fn deliver(&self, account: &str, delivery: Delivery) {
        self.publish(account, None, None, delivery);
    }

    /// Sends to every live session of `account` but the connection `except` of this node.
    pub fn deliver_except(&self, account: &str, except: ConnectionId, delivery: Delivery) {
        self.publish(account, Some(except), None, delivery);
    }

    fn publish(
        &self,
        account: &str,
        except: Option<ConnectionId>,
        client: Option<String>,
        delivery: Delivery,
    ) {
        let except = except.map(|connection| SessionRef { node: self.bus.node(), connection });
        self.bus.publish(Envelope::new(account, except, client, delivery));
    }

    /// Whether `account` may have a live web session: exact on one node, always `true` when
    /// other nodes may hold it (a push to nobody costs nothing there).
    pub fn may_be_online(&self, account: &str) -> bool {
        !self.bus.is_single_node() || self.registry.has_sessions(account)
    }

    /// Whether a live session of `account`, on any node, serves a pairing other than
    /// `client_id` (`reconnect` may replace the same browser but must not kick a different
    /// one). When the bus cannot tell, `false`: the login goes on.
    pub async fn other_pairing_active(&self, account: &str, client_id: &str) -> bool {
        match self.bus.pairings_online(account).await {
            Ok(ids) => ids.iter().any(|c| c != client_id),
            Err(e) => {
                tracing::warn!(error = %e, "cannot ask the other nodes about live sessions");
                false
            }
        }
    }

    /// Sends [`Delivery::Kicked`] to every session, on every node, of the pairing `client_id`
    /// of `account` (its browser logged out).
    pub fn kick_client(&self, account: &str, client_id: &str) {
        self.publish(account, None, Some(client_id.to_owned()), Delivery::Kicked);
    }

    /// How many logged-in connections this node holds.
    pub fn connection_count(&self) -> usize {
        self.registry.connection_count()
    }

    /// Records that connection `id` is being sent `list` in full; returns whether this is the
    /// first time (a later plain query gets a `duplicate` answer instead).
    pub fn claim_full_list(&self, id: ConnectionId, list: FullList) -> bool {
        self.registry.claim_full_list(id, list)
    }

    // ----- QR pairing ----------------------------------------------------------------------

    /// The connection `id` shows the QR `r#ref`.
    pub fn await_scan(&self, r#ref: &str, id: ConnectionId, mailbox: Mailbox) {
        self.registry.await_scan(r#ref, id, mailbox);
        self.bus.watch_ref(r#ref);
    }

    /// The QR `r#ref` is no longer shown (renewed, paired or closed).
    pub fn forget_ref(&self, r#ref: &str) {
        if self.registry.forget_ref(r#ref) {
            self.bus.unwatch_ref(r#ref);
        }
    }

    /// Forgets every ref shown by connection `id`.
    pub fn forget_connection_refs(&self, id: ConnectionId) {
        for r#ref in self.registry.forget_connection_refs(id) {
            self.bus.unwatch_ref(&r#ref);
        }
    }

    /// The phone of `request.account` scans the QR `request.r#ref`, shown on whichever node:
    /// resolves once that browser got its `Conn`, or with why not.
    pub fn scan(&self, request: ScanRequest) -> BoxFuture<'static, Result<(), ScanError>> {
        self.bus.scan(request).boxed()
    }

    /// The connection asked by [`Delivery::Scan`] reports how the scan `scan` went.
    pub fn scan_done(&self, scan: ScanId, outcome: Result<(), ScanError>) {
        self.registry.scan_done(scan, outcome);
    }

    // ----- presence ------------------------------------------------------------------------

    /// Records `change.account` as available or not, on every node, and pushes `change.push`
    /// to the sessions subscribed to it (but those of accounts in `change.hidden_from`).
    pub fn announce_presence(&self, change: PresenceChange) {
        // Recorded here at once: this node answers `lastseen` right even before the bus brings
        // the change back (the NATS bus delivers it to every node, this one included).
        self.registry.note_presence(&change.account, change.available, change.t);
        self.bus.announce_presence(change);
    }

    /// Whether `account` is available, and since/until when (unix s), if it ever said.
    pub fn presence(&self, account: &str) -> Option<(bool, u64)> {
        self.registry.presence(account)
    }

    /// The connection `id` of `subscriber` wants `["Presence",…]` pushes about `target`, until
    /// it closes ([`Hub::unregister`]). `false` (nothing recorded) when the connection already
    /// has [`MAX_SUBSCRIPTIONS`] other subscriptions.
    pub fn subscribe_presence(&self, subscriber: &str, id: ConnectionId, target: &str) -> bool {
        self.registry.subscribe_presence(subscriber, id, target)
    }

    /// How many presence subscriptions this node holds, over all connections.
    pub fn subscription_count(&self) -> usize {
        self.registry.subscription_count()
    }
}
