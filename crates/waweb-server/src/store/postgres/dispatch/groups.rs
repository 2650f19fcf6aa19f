//! `impl GroupStore for PgStore`: groups; how each method runs (a pooled connection; a write also
//! its account's lane and a transaction) and which concept's file holds its SQL.

use crate::store::postgres::accounts::id_of;
use crate::store::postgres::{fan_out, group_receipts, groups, PgStore};
use crate::store::{
    Applied, CreatedGroup, FanOut, FanOutOutcome, Group, GroupChange, GroupRead, GroupReadNoted,
    GroupReceipts, GroupStore, MessageKey, NewGroup, Refusal, StoreResult,
};

impl GroupStore for PgStore {
    async fn create_group(&self, group: NewGroup) -> StoreResult<CreatedGroup> {
        let key = group.creator.clone();
        self.write(&key, true, move |mut db| async move {
            let created = groups::create(&db, &group).await;
            db.finish(created).await
        })
        .await
    }

    async fn group(&self, jid: &str) -> StoreResult<Option<Group>> {
        groups::load(&self.read().await?, jid, false).await
    }

    async fn group_by_invite(&self, code: &str) -> StoreResult<Option<String>> {
        groups::by_invite(&self.read().await?, code).await
    }

    async fn change_group(
        &self,
        jid: &str,
        actor: &str,
        change: GroupChange,
        now: u64,
    ) -> StoreResult<Result<Applied, Refusal>> {
        let (jid, owned) = (jid.to_owned(), actor.to_owned());
        self.write(actor, true, move |mut db| async move {
            let changed = groups::change(&db, &jid, &owned, &change, now).await;
            db.finish(changed).await
        })
        .await
    }

    async fn fan_out(&self, fan_out: FanOut) -> StoreResult<FanOutOutcome> {
        let key = fan_out.sender.as_ref().map_or_else(String::new, |(phone, _)| phone.clone());
        self.write(&key, true, move |mut db| async move {
            let stored = fan_out::fan_out(&mut db, &fan_out).await;
            db.finish(stored).await
        })
        .await
    }

    async fn note_group_reads(
        &self,
        reader: &str,
        reads: Vec<GroupRead>,
        t: u64,
    ) -> StoreResult<Vec<GroupReadNoted>> {
        let owned = reader.to_owned();
        self.write(reader, true, move |mut db| async move {
            let noted = group_receipts::note_reads(&db, &owned, &reads, t).await;
            db.finish(noted).await
        })
        .await
    }

    async fn group_receipts(
        &self,
        author: &str,
        key: MessageKey,
    ) -> StoreResult<Option<GroupReceipts>> {
        let db = self.read().await?;
        group_receipts::receipts(&db, id_of(&db, author).await?, &key).await
    }
}
