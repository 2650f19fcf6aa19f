//! [`SessionStore`]: the browsers paired with an account, and the messages queued for them
//! until one of them has them.

use std::future::Future;

use crate::store::{DeliveryId, PendingDelivery, StoreResult, TokenRotation, WebSessionRecord};

/// Paired browsers and the delivery queue. Part of [`Store`](super::Store).
pub trait SessionStore {
    // --- web sessions -------------------------------------------------------------------------

    /// Stores a newly paired browser. `Conflict` if its client id has a pairing already (with
    /// any account: never replaced, see docs/PROTOCOL.md §3.4); `NotFound` if the account does
    /// not exist.
    fn pair_session(
        &self,
        record: WebSessionRecord,
    ) -> impl Future<Output = StoreResult<()>> + Send;

    /// The session of a client id, if any (check the login's tokens with
    /// [`WebSessionRecord::tokens_match`]).
    fn session(
        &self,
        client_id: &str,
    ) -> impl Future<Output = StoreResult<Option<WebSessionRecord>>> + Send;

    /// The session with this browser token (HTTP logout), if any.
    fn session_by_browser_token(
        &self,
        browser_token: &str,
    ) -> impl Future<Output = StoreResult<Option<WebSessionRecord>>> + Send;

    /// Every session paired with the account.
    fn sessions_of(
        &self,
        phone: &str,
    ) -> impl Future<Output = StoreResult<Vec<WebSessionRecord>>> + Send;

    /// Replaces a session's client and server tokens if its server token is still the expected
    /// one, and returns the updated record. `NotFound` if there is no such session, `Conflict`
    /// if the server token changed meanwhile; the old tokens stop matching on success.
    fn rotate_tokens(
        &self,
        rotation: TokenRotation,
    ) -> impl Future<Output = StoreResult<WebSessionRecord>> + Send;

    /// Records activity on a session. `NotFound` if there is no such session.
    fn touch_session(
        &self,
        client_id: &str,
        now_ms: u64,
    ) -> impl Future<Output = StoreResult<()>> + Send;

    /// Logout: forgets the session, so its tokens and keys are no longer accepted. Returns
    /// whether there was one.
    fn remove_session(&self, client_id: &str) -> impl Future<Output = StoreResult<bool>> + Send;

    // --- delivery queue -----------------------------------------------------------------------

    /// Up to `limit` messages queued for the account's web session, oldest first.
    fn pending_for(
        &self,
        phone: &str,
        limit: u32,
    ) -> impl Future<Output = StoreResult<Vec<PendingDelivery>>> + Send;

    /// Queues an already stored message of the account for its web session (a relay made for an
    /// online recipient whose live push found no session after all). Queuing it twice is
    /// harmless. `NotFound` if the account, or the message in that account, does not exist.
    fn enqueue_delivery(
        &self,
        phone: &str,
        id: DeliveryId,
    ) -> impl Future<Output = StoreResult<()>> + Send;

    /// Removes delivered messages from the account's queue; returns how many were removed
    /// (ids that are not queued for this account are ignored).
    fn ack_delivered(
        &self,
        phone: &str,
        ids: Vec<DeliveryId>,
    ) -> impl Future<Output = StoreResult<usize>> + Send;
}
