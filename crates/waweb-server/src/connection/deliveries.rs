//! What other parts of the server send to this connection through its mailbox.

use super::Connection;
use crate::context::now_ms;
use crate::hub::Delivery;
use crate::store::Store;

/// Prefix of a scan failure that means "no such QR or account" (the admin API answers 404).
pub(crate) const SCAN_NOT_FOUND: &str = "not found";
/// Prefix of a scan failure that means "this browser's client id is paired already" (409).
pub(crate) const SCAN_REFUSED: &str = "refused";

impl<S: Store> Connection<S> {
    /// Acts on one delivery.
    pub(super) async fn on_delivery(&mut self, delivery: Delivery) {
        let now = now_ms();
        match delivery {
            Delivery::Node(node) if self.session.is_ready() => {
                self.session.push_node(now, &node);
            }
            Delivery::Json(push) if self.session.is_ready() => self.session.push(now, push),
            Delivery::Node(_) | Delivery::Json(_) => {
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
            Delivery::Scan { account, client_public, reply } => {
                if self.scan_reply.is_some() {
                    let _ = reply.send(Err(format!("{SCAN_NOT_FOUND}: already being paired")));
                    return;
                }
                match self.pair_scanned(&account, client_public).await {
                    // Answered once the `Conn` has been written (see `flush`).
                    Ok(()) => self.scan_reply = Some(reply),
                    Err(why) => {
                        let _ = reply.send(Err(why));
                    }
                }
            }
        }
    }
}
