//! Relays in flight on one connection.
//!
//! A relay waits for its durable commit, a few milliseconds. Handled one at a time, a client
//! that sends a burst gets one message stored per commit; in flight together, the burst shares
//! one commit (and one `fsync`), and the pages it touches are written once. The connection
//! starts each relay here and keeps reading; the [`TurnChain`] keeps the relays in request
//! order (stored, pushed and answered), and every other request waits until the relays before
//! it are answered, so a client never sees the difference except in speed. On a store that
//! does not order writes, a relay's write waits for the commit of the previous relay to the
//! same chat (see [`crate::handler::Turn`]).

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use futures_util::stream::FuturesOrdered;
use futures_util::{FutureExt, StreamExt};
use waweb_proto::binary::Node;

use crate::app::App;
use crate::context::Me;
use crate::handler::{self, Reply, TurnChain};
use crate::store::Store;

/// How many relays one connection may have in flight; past it, the connection stops reading
/// its socket until one is answered (the client's TCP window fills up: backpressure).
pub(super) const MAX_IN_FLIGHT: usize = 32;

type Running = Pin<Box<dyn Future<Output = (String, Reply)> + Send>>;

/// The relays a connection has in flight, answered in request order.
#[derive(Default)]
pub(super) struct Pipeline {
    running: FuturesOrdered<Running>,
    turns: TurnChain,
}

impl Pipeline {
    /// Whether the connection should stop reading until a relay is answered.
    pub(super) fn is_full(&self) -> bool {
        self.running.len() >= MAX_IN_FLIGHT
    }

    /// Whether no relay is in flight.
    pub(super) fn is_empty(&self) -> bool {
        self.running.is_empty()
    }

    /// Starts a relay request (see [`handler::is_relay`]); it runs when the pipeline is polled.
    pub(super) fn start<S: Store>(
        &mut self,
        app: &Arc<App<S>>,
        me: &Arc<Me>,
        tag: String,
        node: Node,
    ) {
        let turn = if app.shared.store.orders_writes() {
            self.turns.next_turn()
        } else {
            // Read only for such stores: SQLite's relays pay no extra decode.
            self.turns.next_turn_in(handler::relay_chat(&node).as_deref())
        };
        let (app, me, mut turn) = (Arc::clone(app), Arc::clone(me), turn);
        self.running.push_back(Box::pin(async move {
            let reply = handler::binary_in_turn(&app.shared, &me, &tag, node, &mut turn).await;
            (tag, reply)
        }));
    }

    /// The answer of the oldest relay, once it is done; `None` when none is in flight.
    pub(super) async fn next(&mut self) -> Option<(String, Reply)> {
        self.running.next().await
    }

    /// The answer of the oldest relay if it is already done. Relays of one commit finish
    /// together: taking them all before writing sends their answers in one socket write.
    pub(super) fn next_done(&mut self) -> Option<(String, Reply)> {
        // Polled with a no-op waker; the connection's `select!` polls `next` again with its
        // own before it sleeps, so no wake-up is lost.
        self.running.next().now_or_never().flatten()
    }
}
