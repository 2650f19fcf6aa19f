//! `impl SessionStore for SqliteStore`: paired browsers and the delivery queue; where each method
//! runs (a job for the writer thread, or a pooled reader) and which concept's file holds its SQL.

use crate::store::sqlite::{deliveries, sessions, SqliteStore};
use crate::store::{
    DeliveryId, PendingDelivery, SessionStore, StoreResult, TokenRotation, WebSessionRecord,
};

impl SessionStore for SqliteStore {
    async fn pending_for(&self, phone: &str, limit: u32) -> StoreResult<Vec<PendingDelivery>> {
        let phone = phone.to_owned();
        self.read(move |c| deliveries::pending(c, &phone, limit)).await
    }

    async fn enqueue_delivery(&self, phone: &str, id: DeliveryId) -> StoreResult<()> {
        let phone = phone.to_owned();
        self.write(move |c| deliveries::enqueue_stored(c, &phone, id)).await
    }

    async fn ack_delivered(&self, phone: &str, ids: Vec<DeliveryId>) -> StoreResult<usize> {
        let phone = phone.to_owned();
        self.write(move |c| deliveries::ack(c, &phone, &ids)).await
    }

    async fn pair_session(&self, record: WebSessionRecord) -> StoreResult<()> {
        self.write(move |c| sessions::pair(c, &record)).await
    }

    async fn session(&self, client_id: &str) -> StoreResult<Option<WebSessionRecord>> {
        let client_id = client_id.to_owned();
        self.read(move |c| sessions::by_client_id(c, &client_id)).await
    }

    async fn session_by_browser_token(&self, token: &str) -> StoreResult<Option<WebSessionRecord>> {
        let token = zeroize::Zeroizing::new(token.to_owned());
        self.read(move |c| sessions::by_browser_token(c, &token)).await
    }

    async fn sessions_of(&self, phone: &str) -> StoreResult<Vec<WebSessionRecord>> {
        let phone = phone.to_owned();
        self.read(move |c| sessions::of_account(c, &phone)).await
    }

    async fn rotate_tokens(&self, rotation: TokenRotation) -> StoreResult<WebSessionRecord> {
        self.write(move |c| sessions::rotate(c, &rotation)).await
    }

    async fn touch_session(&self, client_id: &str, now_ms: u64) -> StoreResult<()> {
        let client_id = client_id.to_owned();
        self.write(move |c| sessions::touch(c, &client_id, now_ms)).await
    }

    async fn remove_session(&self, client_id: &str) -> StoreResult<bool> {
        let client_id = client_id.to_owned();
        self.write(move |c| sessions::remove(c, &client_id)).await
    }
}
