//! `impl AccountStore for PgStore`: accounts and their profiles; how each method runs (a pooled
//! connection; a write also its account's lane and a transaction) and which concept's file holds
//! its SQL.

use crate::store::postgres::accounts::id_of;
use crate::store::postgres::{accounts, blocklist, pictures, PgStore};
use crate::store::{Account, AccountStore, Picture, PictureKey, StoreResult};

impl AccountStore for PgStore {
    async fn create_account(&self, account: Account) -> StoreResult<()> {
        let key = account.phone.clone();
        self.write(&key, false, move |db| async move {
            accounts::create(&db, &account).await.map(|_| ())
        })
        .await
    }

    async fn account(&self, phone: &str) -> StoreResult<Option<Account>> {
        accounts::one(&self.read().await?, phone).await
    }

    async fn accounts(&self) -> StoreResult<Vec<Account>> {
        accounts::all(&self.read().await?).await
    }

    async fn remove_account(&self, phone: &str) -> StoreResult<()> {
        self.remove_account_in_chunks(phone).await
    }

    async fn set_pushname(&self, phone: &str, pushname: &str) -> StoreResult<()> {
        let (owned, pushname) = (phone.to_owned(), pushname.to_owned());
        self.write(phone, false, move |db| async move {
            accounts::set_pushname(&db, &owned, &pushname).await
        })
        .await
    }

    async fn status_text(&self, phone: &str) -> StoreResult<String> {
        accounts::status_text(&self.read().await?, phone).await
    }

    async fn set_status_text(&self, phone: &str, text: &str) -> StoreResult<()> {
        let (owned, text) = (phone.to_owned(), text.to_owned());
        self.write(phone, false, move |db| async move {
            accounts::set_status_text(&db, &owned, &text).await
        })
        .await
    }

    async fn blocklist(&self, phone: &str) -> StoreResult<Vec<String>> {
        blocklist::of(&self.read().await?, phone).await
    }

    async fn set_blocklist(&self, phone: &str, jids: Vec<String>) -> StoreResult<()> {
        let owned = phone.to_owned();
        self.write(phone, true, move |mut db| async move {
            let set = async {
                let account = id_of(&db, &owned).await?;
                blocklist::insert(&db, account, &jids, true).await
            }
            .await;
            db.finish(set).await
        })
        .await
    }

    async fn picture(&self, owner: &str) -> StoreResult<Option<Picture>> {
        pictures::get_picture(&self.read().await?, owner).await
    }

    async fn picture_key(&self, owner: &str) -> StoreResult<Option<PictureKey>> {
        pictures::key(&self.read().await?, owner).await
    }

    async fn set_picture(&self, owner: &str, picture: Picture) -> StoreResult<String> {
        let owned = owner.to_owned();
        self.write(owner, true, move |mut db| async move {
            let set = pictures::set(&db, &owned, &picture).await;
            db.finish(set).await
        })
        .await
    }

    async fn remove_picture(&self, owner: &str) -> StoreResult<bool> {
        let owned = owner.to_owned();
        self.write(owner, true, move |mut db| async move {
            let removed = pictures::remove(&db, &owned).await;
            db.finish(removed).await
        })
        .await
    }
}
