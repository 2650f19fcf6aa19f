//! The state the network shell shares: [`App`] is what every connection task and HTTP handler
//! holds (the handlers' [`Shared`], the admin token, the recorder, the acknowledger, the shutdown
//! signal) and the count of open connections that shutdown waits on. The server builds it;
//! the HTTP routes, the admin API and the connections only read it, so none of them depends on
//! the server's lifecycle code.

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{watch, Notify};

use crate::acks::Acker;
use crate::context::Shared;
use crate::hub::ConnectionId;
use crate::record::Recorder;
use crate::store::Store;

/// Everything the network shell shares between connection tasks and HTTP handlers.
pub(crate) struct App<S> {
    /// What handlers see.
    pub shared: Shared<S>,
    /// The admin API token.
    pub admin_token: String,
    /// Session logs, when `--record` is on.
    pub recorder: Option<Recorder>,
    /// Becomes `true` when the server shuts down.
    pub stopping: watch::Receiver<bool>,
    /// Acknowledges the queue entries connections wrote to their sockets.
    pub acks: Acker,
    next_id: AtomicU64,
    open: AtomicUsize,
    closed: Notify,
}

impl<S: Store> App<S> {
    /// Assembles the shared state.
    pub fn new(
        shared: Shared<S>,
        admin_token: String,
        recorder: Option<Recorder>,
        stopping: watch::Receiver<bool>,
    ) -> Self {
        App {
            acks: Acker::spawn(shared.store.clone()),
            shared,
            admin_token,
            recorder,
            stopping,
            next_id: AtomicU64::new(1),
            open: AtomicUsize::new(0),
            closed: Notify::new(),
        }
    }

    /// A new connection opens: its id, and a guard that counts it as open until dropped.
    pub fn open_connection(self: &Arc<Self>) -> (ConnectionId, OpenGuard<S>) {
        self.open.fetch_add(1, Ordering::SeqCst);
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        (id, OpenGuard { app: self.clone() })
    }

    /// How many websocket connections are open.
    pub fn open_connections(&self) -> usize {
        self.open.load(Ordering::SeqCst)
    }

    /// Waits until every connection has closed, or `limit` has passed (then logs how many are
    /// still open).
    pub async fn wait_connections(&self, limit: Duration) {
        let wait = async {
            loop {
                let notified = self.closed.notified();
                if self.open_connections() == 0 {
                    return;
                }
                notified.await;
            }
        };
        if tokio::time::timeout(limit, wait).await.is_err() {
            tracing::warn!(open = self.open_connections(), "connections still open at shutdown");
        }
    }
}

/// Counts a connection as open while it lives.
pub(crate) struct OpenGuard<S: Store> {
    app: Arc<App<S>>,
}

impl<S: Store> Drop for OpenGuard<S> {
    fn drop(&mut self) {
        self.app.open.fetch_sub(1, Ordering::SeqCst);
        self.app.closed.notify_waiters();
    }
}
