//! The removals that go in several transactions (an account, a chat emptied or deleted): a
//! chunk of messages per write, so that none holds its locks, or its lane, for long (see
//! `removal.rs`).

use super::super::{ClearScope, StoreResult};
use super::accounts::id_of;
use super::{accounts, groups, removal, PgStore};

impl PgStore {
    /// [`AccountStore::remove_account`](super::super::AccountStore::remove_account).
    pub(super) async fn remove_account_in_chunks(&self, phone: &str) -> StoreResult<()> {
        // Its messages first, a chunk per transaction; the cascade then removes the rest.
        loop {
            let owned = phone.to_owned();
            let removed = self
                .write(phone, true, move |mut db| async move {
                    let removed =
                        async { removal::account_chunk(&db, id_of(&db, &owned).await?).await }
                            .await;
                    db.finish(removed).await
                })
                .await?;
            if removed < removal::CHUNK {
                break;
            }
        }
        let owned = phone.to_owned();
        self.write(phone, true, move |mut db| async move {
            let removed = async {
                let account = id_of(&db, &owned).await?;
                groups::forget_member(&db, account, &owned).await?;
                accounts::remove(&db, &owned).await
            }
            .await;
            db.finish(removed).await
        })
        .await
    }

    /// [`MessageStore::clear_chat`](super::super::MessageStore::clear_chat).
    pub(super) async fn clear_chat_in_chunks(
        &self,
        phone: &str,
        jid: &str,
        scope: ClearScope,
    ) -> StoreResult<usize> {
        let (owned, jid) = (phone.to_owned(), jid.to_owned());
        let (account, doomed) = self
            .write(phone, true, move |mut db| async move {
                let started = async {
                    let account = id_of(&db, &owned).await?;
                    Ok((account, removal::start_clear(&db, account, &jid, &scope).await?))
                }
                .await;
                db.finish(started).await
            })
            .await?;
        self.in_chunks(phone, account, doomed).await
    }

    /// [`MessageStore::delete_chat`](super::super::MessageStore::delete_chat).
    pub(super) async fn delete_chat_in_chunks(&self, phone: &str, jid: &str) -> StoreResult<()> {
        let (owned, jid) = (phone.to_owned(), jid.to_owned());
        let (account, doomed) = self
            .write(phone, true, move |mut db| async move {
                let started = async {
                    let account = id_of(&db, &owned).await?;
                    Ok((account, removal::start_delete(&db, account, &jid).await?))
                }
                .await;
                db.finish(started).await
            })
            .await?;
        self.in_chunks(phone, account, doomed.clone()).await?;
        self.write(phone, false, move |db| async move {
            removal::finish_delete(&db, account, &doomed).await
        })
        .await
    }

    /// Removes the doomed messages of a chat a chunk per transaction, until a chunk is short;
    /// how many it removed in all.
    async fn in_chunks(
        &self,
        phone: &str,
        account: i64,
        doomed: removal::Doomed,
    ) -> StoreResult<usize> {
        let mut total = 0;
        loop {
            let doomed = doomed.clone();
            let removed = self
                .write(phone, true, move |mut db| async move {
                    let removed = removal::remove_chunk(&db, account, &doomed).await;
                    db.finish(removed).await
                })
                .await?;
            total += removed;
            if removed < removal::CHUNK {
                return Ok(total);
            }
        }
    }
}
