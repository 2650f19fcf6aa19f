//! The initial sync pushed after a pairing or a login (filled in by the server work).

use waweb_proto::binary::Node;

use crate::context::{Me, Shared};
use crate::store::{Store, StoreError};

/// One encrypted push of the initial sync.
#[derive(Debug, Clone, PartialEq)]
pub enum SyncPush {
    /// A `response` node sent with a `preempt-<k>` tag (chat list, contacts).
    Preempt(Node),
    /// Any other node, sent with an `s-<n>` tag.
    Node(Node),
}

/// The pushes of the initial sync, in order.
pub async fn initial_sync<S: Store>(
    _shared: &Shared<S>,
    _me: &Me,
) -> Result<Vec<SyncPush>, StoreError> {
    Ok(Vec::new())
}
