//! `impl AccountStore for SqliteStore`: accounts and their profiles; where each method runs (a job
//! for the writer thread, or a pooled reader) and which concept's file holds its SQL.

use std::sync::Arc;

use crate::store::sqlite::accounts::NOT_FOUND as NO_ACCOUNT;
use crate::store::sqlite::cache::{self, Edit, Entry};
use crate::store::sqlite::{accounts, blocklist, groups, pictures, removal, SqliteStore};
use crate::store::{Account, AccountStore, Picture, PictureKey, StoreResult};

impl AccountStore for SqliteStore {
    async fn create_account(&self, account: Account) -> StoreResult<()> {
        self.write_edit(false, move |c| {
            let id = accounts::create(c, &account)?;
            Ok((
                (),
                Edit::Added(vec![Entry { id, account: account.clone(), blocklist: Vec::new() }]),
            ))
        })
        .await
    }

    async fn account(&self, phone: &str) -> StoreResult<Option<Account>> {
        self.cached(phone, |e| e.account.clone())
    }

    async fn accounts(&self) -> StoreResult<Vec<Account>> {
        self.listed().await
    }

    async fn remove_account(&self, phone: &str) -> StoreResult<()> {
        // Its messages first, a chunk per write, so that a big account does not hold up the
        // writer; the cascade then removes the rest in one short write.
        let phone = phone.to_owned();
        let owned = phone.clone();
        self.in_chunks(move |c| removal::account_chunk(c, &owned)).await?;
        let cache = Arc::clone(&self.cache);
        let removed = self
            .write_edit(true, move |c| {
                groups::forget_member(c, &cache, &phone)?;
                accounts::remove(c, &phone).map(|()| ((), Edit::Removed(phone.clone())))
            })
            .await;
        self.groups.forget_all();
        removed
    }

    async fn set_pushname(&self, phone: &str, pushname: &str) -> StoreResult<()> {
        let (phone, pushname) = (phone.to_owned(), pushname.to_owned());
        self.write_edit(false, move |c| {
            accounts::set_pushname(c, &phone, &pushname)?;
            Ok(((), Edit::Pushname(phone.clone(), pushname.clone())))
        })
        .await
    }

    async fn status_text(&self, phone: &str) -> StoreResult<String> {
        self.cached(phone, |e| e.account.status_text.clone())?.ok_or(NO_ACCOUNT)
    }

    async fn set_status_text(&self, phone: &str, text: &str) -> StoreResult<()> {
        let (phone, text) = (phone.to_owned(), text.to_owned());
        self.write_edit(false, move |c| {
            accounts::set_status_text(c, &phone, &text)?;
            Ok(((), Edit::StatusText(phone.clone(), text.clone())))
        })
        .await
    }

    async fn blocklist(&self, phone: &str) -> StoreResult<Vec<String>> {
        self.cached(phone, |e| e.blocklist.clone())?.ok_or(NO_ACCOUNT)
    }

    async fn set_blocklist(&self, phone: &str, jids: Vec<String>) -> StoreResult<()> {
        let phone = phone.to_owned();
        self.write_edit(false, move |c| {
            blocklist::set(c, &phone, &jids)?;
            Ok(((), Edit::Blocklist(phone.clone(), cache::normalized(&jids))))
        })
        .await
    }

    async fn picture(&self, phone: &str) -> StoreResult<Option<Picture>> {
        let phone = phone.to_owned();
        self.read(move |c| pictures::get(c, &phone)).await
    }

    async fn picture_key(&self, phone: &str) -> StoreResult<Option<PictureKey>> {
        let phone = phone.to_owned();
        self.read(move |c| pictures::key(c, &phone)).await
    }

    async fn set_picture(&self, phone: &str, picture: Picture) -> StoreResult<String> {
        let phone = phone.to_owned();
        self.write(move |c| pictures::set(c, &phone, &picture)).await
    }

    async fn remove_picture(&self, phone: &str) -> StoreResult<bool> {
        let phone = phone.to_owned();
        self.write(move |c| pictures::remove(c, &phone)).await
    }
}
