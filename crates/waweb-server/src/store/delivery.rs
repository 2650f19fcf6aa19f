//! Pending deliveries: messages relayed to an account that its web session has not received yet.
//!
//! A relay queues the recipient's copy; the server pushes the queue to the account's web session
//! when one is connected (at once, or at the next login) and acknowledges what was sent, so a
//! message relayed while the browser was away, or while the server restarted, is not lost.

use super::StoredMessage;

/// Identifies one queued delivery of an account (the recipient copy's sequence number).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DeliveryId(pub i64);

/// One message waiting to be pushed to an account's web session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingDelivery {
    /// What to pass to [`SessionStore::ack_delivered`](super::SessionStore::ack_delivered)
    /// once pushed.
    pub id: DeliveryId,
    /// The message, as stored in the recipient's chat.
    pub message: StoredMessage,
}
