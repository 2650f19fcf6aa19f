//! `impl SessionStore for PgStore`: paired browsers and the delivery queue; how each method runs (a
//! pooled connection; a write also its account's lane and a transaction) and which concept's file
//! holds its SQL.

use crate::store::postgres::accounts::id_of;
use crate::store::postgres::{deliveries, sessions, PgStore};
use crate::store::{
    DeliveryId, PendingDelivery, SessionStore, StoreResult, TokenRotation, WebSessionRecord,
};

impl SessionStore for PgStore {
    async fn pending_for(&self, phone: &str, limit: u32) -> StoreResult<Vec<PendingDelivery>> {
        let db = self.read().await?;
        deliveries::pending(&db, id_of(&db, phone).await?, limit).await
    }

    async fn enqueue_delivery(&self, phone: &str, id: DeliveryId) -> StoreResult<()> {
        let owned = phone.to_owned();
        self.write(phone, true, move |mut db| async move {
            let queued =
                async { deliveries::enqueue_stored(&db, id_of(&db, &owned).await?, id).await }
                    .await;
            db.finish(queued).await
        })
        .await
    }

    async fn ack_delivered(&self, phone: &str, ids: Vec<DeliveryId>) -> StoreResult<usize> {
        let owned = phone.to_owned();
        self.write(phone, true, move |mut db| async move {
            let acked = async { deliveries::ack(&db, id_of(&db, &owned).await?, &ids).await }.await;
            db.finish(acked).await
        })
        .await
    }

    async fn pair_session(&self, record: WebSessionRecord) -> StoreResult<()> {
        let key = record.account.clone();
        self.write(&key, false, move |db| async move { sessions::pair(&db, &record).await }).await
    }

    async fn session(&self, client_id: &str) -> StoreResult<Option<WebSessionRecord>> {
        sessions::by_client_id(&self.read().await?, client_id).await
    }

    async fn session_by_browser_token(&self, token: &str) -> StoreResult<Option<WebSessionRecord>> {
        sessions::by_browser_token(&self.read().await?, token).await
    }

    async fn sessions_of(&self, phone: &str) -> StoreResult<Vec<WebSessionRecord>> {
        let db = self.read().await?;
        sessions::of_account(&db, id_of(&db, phone).await?).await
    }

    async fn rotate_tokens(&self, rotation: TokenRotation) -> StoreResult<WebSessionRecord> {
        let key = rotation.client_id.clone();
        self.write(&key, false, move |db| async move { sessions::rotate(&db, &rotation).await })
            .await
    }

    async fn touch_session(&self, client_id: &str, now_ms: u64) -> StoreResult<()> {
        let owned = client_id.to_owned();
        self.write(
            client_id,
            false,
            move |db| async move { sessions::touch(&db, &owned, now_ms).await },
        )
        .await
    }

    async fn remove_session(&self, client_id: &str) -> StoreResult<bool> {
        let owned = client_id.to_owned();
        self.write(client_id, false, move |db| async move { sessions::remove(&db, &owned).await })
            .await
    }
}
