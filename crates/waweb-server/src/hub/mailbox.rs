//! A connection's mailbox: a bounded queue of [`Delivery`], and the alarm raised when it
//! overflows.
//!
//! A push that does not fit is not waited for (the sender may be another connection, or the
//! bus's subscriber task serving every account of this node) and cannot be dropped silently
//! (the session would miss a message while believing it is up to date): the mailbox raises
//! its overflow alarm and the owning connection closes. Everything pushed live is in the store
//! too, so the client's next sync brings what it missed.

use std::sync::Arc;

use tokio::sync::mpsc::error::TrySendError;
use tokio::sync::{mpsc, Notify};

use super::Delivery;

/// The sending side of a connection's mailbox. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Mailbox {
    tx: mpsc::Sender<Delivery>,
    overflow: Arc<Notify>,
}

impl Mailbox {
    /// A mailbox that holds up to `capacity` deliveries (at least one), and its receiver.
    pub fn new(capacity: usize) -> (Mailbox, mpsc::Receiver<Delivery>) {
        let (tx, rx) = mpsc::channel(capacity.max(1));
        (Mailbox { tx, overflow: Arc::new(Notify::new()) }, rx)
    }

    /// Queues `delivery`; `false` if the connection is gone or its mailbox is full (then the
    /// overflow alarm is raised: see [`Mailbox::overflowed`]).
    pub fn offer(&self, delivery: Delivery) -> bool {
        match self.tx.try_send(delivery) {
            Ok(()) => true,
            Err(TrySendError::Full(_)) => {
                // Stored permit: the connection sees it even if it is not waiting right now.
                self.overflow.notify_one();
                false
            }
            Err(TrySendError::Closed(_)) => false,
        }
    }

    /// Whether the receiving connection is gone.
    pub fn is_closed(&self) -> bool {
        self.tx.is_closed()
    }

    /// Resolves once a delivery did not fit (the connection then closes).
    pub async fn overflowed(&self) {
        self.overflow.notified().await;
    }
}

#[cfg(test)]
mod tests {
    use futures_util::FutureExt;

    use super::*;

    #[tokio::test]
    async fn a_full_mailbox_refuses_and_raises_the_alarm_once_a_delivery_is_lost() {
        let (mailbox, mut rx) = Mailbox::new(2);
        assert!(mailbox.overflowed().now_or_never().is_none());
        assert!(mailbox.offer(Delivery::Kicked));
        assert!(mailbox.offer(Delivery::Replaced));
        assert!(mailbox.overflowed().now_or_never().is_none(), "alarm while nothing was lost");
        assert!(!mailbox.offer(Delivery::Kicked));
        assert!(mailbox.overflowed().now_or_never().is_some());
        assert_eq!(rx.recv().await, Some(Delivery::Kicked));
        drop(rx);
        assert!(!mailbox.offer(Delivery::Kicked));
        assert!(mailbox.is_closed());
    }
}
