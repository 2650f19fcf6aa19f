//! The order of one connection's relays in flight.
//!
//! A connection keeps reading while its earlier messages are being stored, so that a client
//! sending in bursts gets its messages written in one batch instead of one commit each. The
//! relays still behave as if handled one after the other: each [`Turn`] lets its relay take
//! its place in the write queue only after the previous relay took its own, and deliver (push
//! to the recipient, ack the sender) only after the previous relay delivered. Messages are
//! therefore stored, numbered and pushed in the order the client sent them.
//!
//! "Took its place" depends on the store ([`Store::orders_writes`]). A store that applies
//! writes in the order they are first polled (SQLite's single writer) lets the next relay go as
//! soon as the previous write was polled once, so a burst shares one commit. Any other store
//! (a connection pool) lets it go only once the previous write of the same chat committed:
//! relays to different chats still run side by side, and those of one chat keep their order.
//!
//! [`Store::orders_writes`]: crate::store::Store::orders_writes
//!
//! A turn signals the next one when it is done with a step, or when it is dropped: a relay
//! that fails early (bad request, unknown recipient) never holds up the ones behind it.

use std::collections::HashMap;
use std::future::Future;
use std::pin::pin;

use tokio::sync::oneshot;
use tokio::sync::oneshot::error::TryRecvError;

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
    /// Let the next relay queue only once this one's write completed (not at its first poll).
    at_commit: bool,
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
    /// one has been polled once (a store that orders writes takes a write's place in its queue
    /// at the first poll), or once it completed (any other store).
    pub(super) async fn queue<F: Future>(&mut self, write: F) -> F::Output {
        if self.at_commit {
            let done = write.await;
            self.queued.take();
            return done;
        }
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
    /// For a store that does not order writes: chat → the commit of its latest relay.
    commits: HashMap<String, oneshot::Receiver<()>>,
}

/// How many chats' last commits a chain keeps before it forgets those already done (no more
/// than the relays a connection has in flight are ever pending).
const CHATS_KEPT: usize = 64;

impl TurnChain {
    /// The turn of the next relay on a store that orders writes: after every turn handed out
    /// before it.
    pub fn next_turn(&mut self) -> Turn {
        let (queued, queued_rx) = oneshot::channel();
        let (delivered, delivered_rx) = oneshot::channel();
        let before =
            self.last.replace(Before { queued: Some(queued_rx), delivered: Some(delivered_rx) });
        Turn { before, queued: Some(queued), delivered: Some(delivered), at_commit: false }
    }

    /// The turn of the next relay, to `chat`, on a store that does not order writes: it writes
    /// once the previous relay to `chat` committed, and delivers after every turn before it.
    /// A relay whose chat cannot be read (`None`) waits for no write: it fails its checks.
    pub fn next_turn_in(&mut self, chat: Option<&str>) -> Turn {
        let mut turn = self.next_turn();
        turn.at_commit = true;
        let (queued, queued_rx) = oneshot::channel();
        turn.queued = Some(queued);
        let previous = chat.and_then(|chat| {
            if self.commits.len() >= CHATS_KEPT {
                self.commits.retain(|_, rx| matches!(rx.try_recv(), Err(TryRecvError::Empty)));
            }
            self.commits.insert(chat.to_owned(), queued_rx)
        });
        if let Some(before) = turn.before.as_mut() {
            before.queued = previous;
        } else {
            turn.before = Some(Before { queued: previous, delivered: None });
        }
        turn
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
    async fn without_ordered_writes_a_relay_waits_for_the_commit_of_the_same_chat_only() {
        let mut chain = TurnChain::default();
        let mut first = chain.next_turn_in(Some("a"));
        let mut other_chat = chain.next_turn_in(Some("b"));
        let mut second = chain.next_turn_in(Some("a"));
        assert!(other_chat.wait_to_queue().now_or_never().is_some(), "held up by another chat");
        let mut second_queues = Box::pin(second.wait_to_queue());
        assert!(futures_util::poll!(second_queues.as_mut()).is_pending(), "went ahead");
        // Polled once is not enough: only the commit lets the next relay of the chat write.
        let (commit, committed) = oneshot::channel::<()>();
        let mut write = Box::pin(first.queue(committed));
        assert!(futures_util::poll!(write.as_mut()).is_pending());
        assert!(futures_util::poll!(second_queues.as_mut()).is_pending(), "wrote before commit");
        commit.send(()).unwrap();
        write.await.unwrap();
        assert!(second_queues.now_or_never().is_some());
        // Delivering still follows request order across chats.
        assert!(second.wait_to_deliver().now_or_never().is_none());
        drop(other_chat);
        first.delivered();
        assert!(second.wait_to_deliver().now_or_never().is_some());
    }

    #[tokio::test]
    async fn a_turn_alone_never_waits() {
        let mut turn = Turn::alone();
        assert!(turn.wait_to_queue().now_or_never().is_some());
        assert!(turn.wait_to_deliver().now_or_never().is_some());
    }
}
