//! The order of one connection's relays in flight.
//!
//! A connection keeps reading while its earlier messages are being stored, so that a client
//! sending in bursts gets its messages written in one batch instead of one commit each. The
//! relays still behave as if handled one after the other: each [`Turn`] lets its relay take
//! its place in the write queue only after the previous relay took its own, and deliver (push
//! to the recipient, ack the sender) only after the previous relay delivered. Messages are
//! therefore stored, numbered and pushed in the order the client sent them.
//!
//! A turn signals the next one when it is done with a step, or when it is dropped: a relay
//! that fails early (bad request, unknown recipient) never holds up the ones behind it.

use std::future::Future;
use std::pin::pin;

use tokio::sync::oneshot;

/// What a relay waits for from the one before it.
#[derive(Debug)]
struct Before {
    queued: Option<oneshot::Receiver<()>>,
    delivered: Option<oneshot::Receiver<()>>,
}

/// One relay's place in its connection's order (see the module documentation).
#[derive(Debug, Default)]
pub struct Turn {
    before: Option<Before>,
    queued: Option<oneshot::Sender<()>>,
    delivered: Option<oneshot::Sender<()>>,
}

impl Turn {
    /// A turn that waits for nothing and nobody waits for: a relay handled on its own.
    pub fn alone() -> Turn {
        Turn::default()
    }

    /// Waits until the previous relay has taken its place in the write queue.
    pub(super) async fn wait_to_queue(&mut self) {
        if let Some(rx) = self.before.as_mut().and_then(|b| b.queued.take()) {
            // An error means the previous relay is gone: nothing to wait for either way.
            let _ = rx.await;
        }
    }

    /// Runs `write` (a store call), letting the next relay queue its own write as soon as this
    /// one has been polled once: a store takes a write's place in its queue at the first poll
    /// (see [`Store`](crate::store::Store)).
    pub(super) async fn queue<F: Future>(&mut self, write: F) -> F::Output {
        let mut write = pin!(write);
        std::future::poll_fn(|cx| {
            let polled = write.as_mut().poll(cx);
            self.queued.take();
            polled
        })
        .await
    }

    /// Waits until the previous relay has delivered (or given up).
    pub(super) async fn wait_to_deliver(&mut self) {
        if let Some(rx) = self.before.as_mut().and_then(|b| b.delivered.take()) {
            let _ = rx.await;
        }
    }

    /// Lets the next relay deliver (dropping the turn does too).
    pub(super) fn delivered(&mut self) {
        self.delivered.take();
    }
}

/// Hands out the turns of one connection, in request order.
///
/// ```
/// use waweb_server::handler::TurnChain;
/// let mut chain = TurnChain::default();
/// let first = chain.next_turn();
/// let second = chain.next_turn(); // waits for `first` at each step
/// drop((first, second));
/// ```
#[derive(Debug, Default)]
pub struct TurnChain {
    last: Option<Before>,
}

impl TurnChain {
    /// The turn of the next relay: after every turn handed out before it.
    pub fn next_turn(&mut self) -> Turn {
        let (queued, queued_rx) = oneshot::channel();
        let (delivered, delivered_rx) = oneshot::channel();
        let before =
            self.last.replace(Before { queued: Some(queued_rx), delivered: Some(delivered_rx) });
        Turn { before, queued: Some(queued), delivered: Some(delivered) }
    }
}

#[cfg(test)]
mod tests {
    use std::future::{pending, ready};

    use futures_util::FutureExt;

    use super::*;

    #[tokio::test]
    async fn the_second_relay_queues_only_after_the_first_was_polled_once() {
        let mut chain = TurnChain::default();
        let mut first = chain.next_turn();
        let mut second = chain.next_turn();
        assert!(second.wait_to_queue().now_or_never().is_none(), "went ahead of the first");
        // One poll of a write that stays pending is enough to let the next one queue.
        assert!(first.queue(pending::<()>()).now_or_never().is_none());
        assert!(second.wait_to_queue().now_or_never().is_some());
        // Delivering still waits for the first to deliver.
        assert!(second.wait_to_deliver().now_or_never().is_none(), "delivered before the first");
        first.wait_to_deliver().await;
        first.delivered();
        assert!(second.wait_to_deliver().now_or_never().is_some());
    }

    #[tokio::test]
    async fn a_dropped_turn_releases_the_next_at_every_step() {
        let mut chain = TurnChain::default();
        let first = chain.next_turn();
        let mut second = chain.next_turn();
        let mut third = chain.next_turn();
        drop(first);
        second.wait_to_queue().await;
        assert_eq!(second.queue(ready(7)).await, 7);
        assert!(third.wait_to_queue().now_or_never().is_some());
        assert!(third.wait_to_deliver().now_or_never().is_none(), "second has not delivered");
        drop(second);
        assert!(third.wait_to_deliver().now_or_never().is_some());
    }

    #[tokio::test]
    async fn a_turn_alone_never_waits() {
        let mut turn = Turn::alone();
        assert!(turn.wait_to_queue().now_or_never().is_some());
        assert!(turn.wait_to_deliver().now_or_never().is_some());
    }
}
