//! The interface between this node's [`Registry`] and the other nodes: the [`Bus`] trait, what
//! crosses it (plain data), and the [`LocalBus`] of a single node.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use futures_util::future::{self, BoxFuture};
use futures_util::FutureExt;
use serde::{Deserialize, Serialize};
use waweb_proto::json::push::ServerPush;

use super::{ConnectionId, Delivery, Registry};

/// How long a scan waits for the browser's connection to send its `Conn`.
pub const SCAN_TIMEOUT: Duration = Duration::from_secs(10);

/// One connection of one node.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct SessionRef {
    /// The node's id on the bus.
    pub node: u64,
    /// The connection's id on that node.
    pub connection: ConnectionId,
}

/// A delivery for the live sessions of one account, on whichever node they are.
#[derive(Debug, Clone, PartialEq)]
pub struct Envelope {
    /// Unique per publish: a node that receives it twice hands it on once.
    pub id: u128,
    /// The account whose sessions get it.
    pub account: String,
    /// A session that does not get it (the one that caused it).
    pub except: Option<SessionRef>,
    /// Only the sessions of this pairing (client id) get it.
    pub client: Option<String>,
    /// What they get; never [`Delivery::Scan`].
    pub delivery: Delivery,
}

/// Envelope ids: a random 64-bit prefix per process, then a counter.
static NEXT_ID: AtomicU64 = AtomicU64::new(0);

fn process_prefix() -> u64 {
    static PREFIX: std::sync::OnceLock<u64> = std::sync::OnceLock::new();
    *PREFIX.get_or_init(rand::random)
}

/// A new id for something published on a bus: unique across processes.
pub fn fresh_id() -> u128 {
    (u128::from(process_prefix()) << 64) | u128::from(NEXT_ID.fetch_add(1, Ordering::Relaxed))
}

impl Envelope {
    /// An envelope with a fresh id.
    pub fn new(
        account: &str,
        except: Option<SessionRef>,
        client: Option<String>,
        delivery: Delivery,
    ) -> Self {
        Envelope { id: fresh_id(), account: account.to_owned(), except, client, delivery }
    }
}

/// An account went available or unavailable: every node records it (for `lastseen` and new
/// subscriptions) and pushes it to the sessions it holds that follow the account.
#[derive(Debug, Clone, PartialEq)]
pub struct PresenceChange {
    /// Whose presence.
    pub account: String,
    /// Available or not.
    pub available: bool,
    /// Since when (unix s).
    pub t: u64,
    /// The `["Presence",…]` push for the followers.
    pub push: ServerPush,
    /// The account's blocklist (JIDs): these followers are not told.
    pub hidden_from: Vec<String>,
}

/// The phone of `account` scanned the QR whose ref is `r#ref`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScanRequest {
    /// The QR's ref (first field of the QR string).
    pub r#ref: String,
    /// The phone number of the account that scans.
    pub account: String,
    /// The client's public key from the QR string.
    pub client_public: [u8; 32],
}

/// Why a scan did not pair the browser.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum ScanError {
    /// No connection shows this QR (unknown, expired, closed), or no such account.
    #[error("not found: {0}")]
    NotFound(String),
    /// The browser's client id is paired already.
    #[error("refused: {0}")]
    Refused(String),
    /// The pairing failed on the server (storage).
    #[error("{0}")]
    Failed(String),
    /// The browser's connection did not send its `Conn` in time.
    #[error("the browser's connection did not answer in time")]
    TimedOut,
    /// The bus to the other nodes failed.
    #[error("{0}")]
    Bus(String),
}

/// A bus failure.
#[derive(Debug, thiserror::Error)]
pub enum BusError {
    /// Cannot reach the bus at start.
    #[error("cannot connect to the message bus at {url}: {why} (is NATS running there? check --bus / WAWEB_BUS)")]
    Connect {
        /// Where.
        url: String,
        /// Why.
        why: String,
    },
    /// A request over the bus failed.
    #[error("message bus request failed: {0}")]
    Request(String),
}

/// How deliveries reach the nodes that hold the sessions. Implementations: [`LocalBus`] (one
/// node) and [`NatsBus`](super::NatsBus).
pub trait Bus: Send + Sync + 'static {
    /// This node's id (what [`SessionRef::node`] names).
    fn node(&self) -> u64;

    /// Whether this node is the only one (the registry then knows every session).
    fn is_single_node(&self) -> bool;

    /// Hands `envelope` to the sessions of its account, on every node.
    fn publish(&self, envelope: Envelope);

    /// Records a presence change on every node and pushes it to their followers.
    fn announce_presence(&self, change: PresenceChange);

    /// This node has a session of `account` now: deliveries for it must reach this node. The
    /// future resolves once they do.
    fn watch_account(&self, account: &str) -> BoxFuture<'static, ()>;

    /// This node may have no session of `account` left (the bus checks the registry).
    fn unwatch_account(&self, account: &str);

    /// A connection of this node shows the QR `r#ref`: scans of it must reach this node.
    fn watch_ref(&self, r#ref: &str);

    /// The QR `r#ref` is no longer shown here.
    fn unwatch_ref(&self, r#ref: &str);

    /// Delivers a scan to the node showing the QR; resolves with the connection's answer.
    fn scan(&self, request: ScanRequest) -> BoxFuture<'static, Result<(), ScanError>>;

    /// The pairings (client ids) of `account`'s live sessions, on every node.
    fn pairings_online(&self, account: &str) -> BoxFuture<'static, Result<Vec<String>, BusError>>;
}

/// The bus of a single node: everything goes straight into the registry, with no copy or
/// encoding (today's speed).
#[derive(Debug)]
pub struct LocalBus {
    registry: Arc<Registry>,
}

impl LocalBus {
    /// The bus of the node whose connections `registry` holds.
    pub fn new(registry: Arc<Registry>) -> Self {
        LocalBus { registry }
    }
}

impl Bus for LocalBus {
    fn node(&self) -> u64 {
        self.registry.node()
    }

    fn is_single_node(&self) -> bool {
        true
    }

    fn publish(&self, envelope: Envelope) {
        self.registry.dispatch(&envelope);
    }

    fn announce_presence(&self, change: PresenceChange) {
        self.registry.apply_presence(&change);
    }

    fn watch_account(&self, _account: &str) -> BoxFuture<'static, ()> {
        future::ready(()).boxed()
    }

    fn unwatch_account(&self, _account: &str) {}

    fn watch_ref(&self, _ref: &str) {}

    fn unwatch_ref(&self, _ref: &str) {}

    fn scan(&self, request: ScanRequest) -> BoxFuture<'static, Result<(), ScanError>> {
        scan_here(self.registry.clone(), request, SCAN_TIMEOUT).boxed()
    }

    fn pairings_online(&self, account: &str) -> BoxFuture<'static, Result<Vec<String>, BusError>> {
        future::ready(Ok(self.registry.client_ids(account))).boxed()
    }
}

/// Hands a scan to the connection of this node showing its QR and waits up to `limit` for
/// its answer.
pub(super) async fn scan_here(
    registry: Arc<Registry>,
    request: ScanRequest,
    limit: Duration,
) -> Result<(), ScanError> {
    let (scan, outcome) = registry.start_scan(&request)?;
    match tokio::time::timeout(limit, outcome).await {
        Ok(Ok(answer)) => answer,
        Ok(Err(_)) => Err(ScanError::NotFound("the connection showing this QR closed".into())),
        Err(_) => {
            registry.abandon_scan(scan);
            Err(ScanError::TimedOut)
        }
    }
}
