//! What other parts of the server, on this node or another, send to this connection through
//! its mailbox.

use super::{session_now, Connection};

use crate::hub::{Delivery, ScanError};
use crate::store::Store;

impl<S: Store> Connection<S> {
    /// Acts on one delivery.
    pub(super) async fn on_delivery(&mut self, delivery: Delivery) {
        let now = session_now();
        match delivery {
            Delivery::Node(node) if self.session.is_ready() => {
                self.session.push_node(now, &node);
            }
            Delivery::Relayed { node, queued } if self.session.is_ready() => {
                self.session.push_node(now, &node);
                // Acknowledged once the write that carries it went through (see `flush`).
                self.written.push(queued);
            }
            Delivery::Json(push) if self.session.is_ready() => self.session.push(now, push),
            Delivery::Node(_) | Delivery::Relayed { .. } | Delivery::Json(_) => {
                tracing::debug!(connection = self.id, "push for a session not ready, dropped");
            }
            Delivery::Replaced => {
                tracing::info!(connection = self.id, "replaced by another session");
                self.session.replace(now);
            }
            Delivery::Kicked => {
                tracing::info!(connection = self.id, "logged out by the phone");
                self.session.kick(now);
            }
            Delivery::Scan { scan, account, client_public } => {
                let hub = &self.app.shared.hub;
                if self.scan_reply.is_some() {
                    let busy = ScanError::NotFound("already being paired".into());
                    return hub.scan_done(scan, Err(busy));
                }
                match self.pair_scanned(&account, client_public).await {
                    // Answered once the `Conn` has been written (see `flush`).
                    Ok(()) => self.scan_reply = Some(scan),
                    Err(why) => self.app.shared.hub.scan_done(scan, Err(why)),
                }
            }
        }
    }
}
