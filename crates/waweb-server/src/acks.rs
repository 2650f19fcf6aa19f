//! Acknowledging queue entries that connections wrote to their sockets, in batches, off the
//! connections' tasks.
//!
//! A relayed message is always queued for its recipient (with several nodes, no node knows
//! whether the recipient is online); the connection that pushes it hands its queue entry here
//! once the push went out, and this task removes the entries from the store a batch at a time.
//! An entry that is never acknowledged (the connection dropped first, this queue was full, the
//! store failed) stays queued: the next sync acknowledges it with the history that holds it.

use std::collections::HashMap;
use std::sync::Arc;

use tokio::sync::mpsc;

use crate::store::{DeliveryId, Store, StoreError};

/// How many acknowledgements (each a connection's batch) may wait for the store; past it new
/// ones are dropped (their entries stay queued, see the module documentation).
const CAPACITY: usize = 4096;

/// How many waiting acknowledgements one round of the task takes.
const BATCH: usize = 256;

/// The sending side. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Acker {
    tx: mpsc::Sender<(String, Vec<DeliveryId>)>,
}

impl Acker {
    /// Starts the task that acknowledges into `store`; it ends when every [`Acker`] is gone.
    pub fn spawn<S: Store>(store: Arc<S>) -> Acker {
        let (tx, rx) = mpsc::channel(CAPACITY);
        tokio::spawn(run(store, rx));
        Acker { tx }
    }

    /// `ids` of `account`'s queue were written to a socket.
    pub fn ack(&self, account: &str, ids: Vec<DeliveryId>) {
        if ids.is_empty() {
            return;
        }
        if self.tx.try_send((account.to_owned(), ids)).is_err() {
            tracing::debug!("acknowledgements pile up: left queued for the next sync");
        }
    }
}

async fn run<S: Store>(store: Arc<S>, mut rx: mpsc::Receiver<(String, Vec<DeliveryId>)>) {
    let mut taken = Vec::with_capacity(BATCH);
    while rx.recv_many(&mut taken, BATCH).await > 0 {
        let mut by_account: HashMap<String, Vec<DeliveryId>> = HashMap::new();
        for (account, ids) in taken.drain(..) {
            by_account.entry(account).or_default().extend(ids);
        }
        for (account, ids) in by_account {
            match store.ack_delivered(&account, ids).await {
                Ok(_) => {}
                // Shutting down: the entries stay queued, as documented.
                Err(StoreError::Closed) => return,
                Err(e) => {
                    tracing::warn!(error = %e, "cannot acknowledge live deliveries (left queued)")
                }
            }
        }
    }
}
