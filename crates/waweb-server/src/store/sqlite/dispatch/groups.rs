//! `impl GroupStore for SqliteStore`: groups; where each method runs (a job for the writer thread,
//! or a pooled reader) and which concept's file holds its SQL.

use std::sync::Arc;

use crate::store::sqlite::{fan_out, group_receipts, groups, SqliteStore};
use crate::store::{
    Applied, CreatedGroup, FanOut, FanOutOutcome, Group, GroupChange, GroupRead, GroupReadNoted,
    GroupReceipts, GroupStore, MessageKey, NewGroup, Refusal, StoreResult,
};

impl GroupStore for SqliteStore {
    async fn create_group(&self, group: NewGroup) -> StoreResult<CreatedGroup> {
        let cache = Arc::clone(&self.cache);
        self.write(move |c| groups::create(c, &cache, &group)).await
    }

    async fn group(&self, jid: &str) -> StoreResult<Option<Group>> {
        if let Some(group) = self.groups.get(jid) {
            return Ok(Some(group));
        }
        let generation = self.groups.generation();
        let owned = jid.to_owned();
        let loaded = self.read(move |c| groups::load(c, &owned)).await?;
        if let Some(group) = &loaded {
            self.groups.keep(generation, group);
        }
        Ok(loaded)
    }

    async fn group_by_invite(&self, code: &str) -> StoreResult<Option<String>> {
        let code = code.to_owned();
        self.read(move |c| groups::by_invite(c, &code)).await
    }

    async fn change_group(
        &self,
        jid: &str,
        actor: &str,
        change: GroupChange,
        now: u64,
    ) -> StoreResult<Result<Applied, Refusal>> {
        let (owned, actor, cache) = (jid.to_owned(), actor.to_owned(), Arc::clone(&self.cache));
        let changed =
            self.write(move |c| groups::change(c, &cache, &owned, &actor, &change, now)).await;
        self.groups.forget(jid);
        changed
    }

    async fn fan_out(&self, fan_out: FanOut) -> StoreResult<FanOutOutcome> {
        let cache = Arc::clone(&self.cache);
        self.write(move |c| fan_out::fan_out(c, &cache, &fan_out)).await
    }

    async fn note_group_reads(
        &self,
        reader: &str,
        reads: Vec<GroupRead>,
        t: u64,
    ) -> StoreResult<Vec<GroupReadNoted>> {
        let (reader, cache) = (reader.to_owned(), Arc::clone(&self.cache));
        self.write(move |c| group_receipts::note_reads(c, &cache, &reader, &reads, t)).await
    }

    async fn group_receipts(
        &self,
        author: &str,
        key: MessageKey,
    ) -> StoreResult<Option<GroupReceipts>> {
        let author = author.to_owned();
        self.read(move |c| group_receipts::receipts(c, &author, &key)).await
    }
}
