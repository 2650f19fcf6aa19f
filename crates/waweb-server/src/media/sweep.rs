//! The media sweep: removes blobs that are older than the media TTL (`mmsMediaKeyTTL`, which the
//! server announces in `Props`) and blobs no stored message references any more.
//!
//! It works in cycles of two phases, each done in bounded passes (so a pass stays short on any
//! store, whatever its size):
//!
//! 1. **collect**: page through every account's chats and note the `fileEncSha256` of every
//!    media message (at most `SweepBudget::messages` messages read per pass);
//! 2. **remove**: walk the blobs in key order (at most `SweepBudget::blobs` per pass) and remove
//!    those past the TTL, and those no message referenced that were stored at least the upload
//!    token lifetime before the cycle began (a blob uploaded later may be waiting for the message
//!    that will name it).
//!
//! A blob uploaded again meanwhile (same bytes) is newer than its listing and stays. A removed
//! blob's URL answers `404`, the status on which Baileys 3.5.3 asks for a new URL (the `media`
//! query, docs/PROTOCOL.md §10.3).

use std::collections::HashSet;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use tokio::sync::watch;
use waweb_proto::message::{Attachment, ProtoMessage, WebMessageInfo};

use super::blob::{BlobEntry, BlobKey};
use super::Media;
use crate::config::SweepBudget;
use crate::store::{Cursor, Direction, Store, StoreError};

/// Messages asked per history page.
const PAGE: usize = 200;
/// Buckets of blob keys (their first byte).
const BUCKETS: u16 = 256;

/// What one pass did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct PassReport {
    /// Stored messages read.
    pub messages_read: usize,
    /// Blobs looked at.
    pub blobs_seen: usize,
    /// Blobs removed for their age.
    pub removed_expired: usize,
    /// Blobs removed because no message references them.
    pub removed_unreferenced: usize,
    /// Whether this pass ended a cycle (the next one collects again).
    pub cycle_done: bool,
}

/// Where the collect phase is.
#[derive(Debug, Default)]
struct Collect {
    accounts: Option<Vec<String>>,
    account: usize,
    chats: Option<Vec<String>>,
    chat: usize,
    cursor: Option<Cursor>,
}

/// Where the remove phase is.
#[derive(Debug, Default)]
struct Walk {
    bucket: u16,
    after: Option<BlobKey>,
}

/// The sweep's state between passes.
pub struct Sweep<S> {
    store: Arc<S>,
    media: Arc<Media>,
    budget: SweepBudget,
    ttl: Duration,
    grace: Duration,
    /// When the current cycle began.
    started: SystemTime,
    referenced: HashSet<BlobKey>,
    collect: Option<Collect>,
    walk: Walk,
}

impl<S: Store> Sweep<S> {
    /// A sweep of `media`'s blobs against `store`'s messages, with the configured TTL, budget
    /// and the upload token lifetime as the grace of unreferenced blobs.
    pub fn new(store: Arc<S>, media: Arc<Media>) -> Self {
        let limits = &media.limits;
        let (budget, ttl) = (limits.sweep_budget, Duration::from_secs(limits.blob_ttl_secs));
        let grace = Duration::from_secs(limits.auth_ttl_secs);
        Sweep {
            store,
            media,
            budget,
            ttl,
            grace,
            started: SystemTime::UNIX_EPOCH,
            referenced: HashSet::new(),
            collect: None,
            walk: Walk::default(),
        }
    }

    /// Passes every `interval` until `stopping` turns true.
    pub async fn run(mut self, interval: Duration, mut stopping: watch::Receiver<bool>) {
        loop {
            tokio::select! {
                _ = tokio::time::sleep(interval) => {}
                _ = stopping.changed() => return,
            }
            if *stopping.borrow() {
                return;
            }
            let report = self.pass(SystemTime::now()).await;
            if report.removed_expired + report.removed_unreferenced > 0 {
                tracing::info!(
                    expired = report.removed_expired,
                    unreferenced = report.removed_unreferenced,
                    "media blobs removed"
                );
            }
        }
    }

    /// One bounded pass at time `now`: collects, or removes, or both when collecting ends.
    pub async fn pass(&mut self, now: SystemTime) -> PassReport {
        let mut report = PassReport::default();
        if self.collect.is_none() && self.walk.bucket == 0 && self.walk.after.is_none() {
            // A new cycle.
            self.started = now;
            self.referenced.clear();
            self.collect = Some(Collect::default());
        }
        if let Some(mut collect) = self.collect.take() {
            match self.collect_step(&mut collect, &mut report).await {
                Ok(true) => {}
                Ok(false) => {
                    self.collect = Some(collect);
                    return report;
                }
                Err(e) => {
                    // Try again from here next pass: nothing is removed on a partial picture.
                    tracing::warn!(error = %e, "media sweep: cannot read the messages");
                    self.collect = Some(collect);
                    return report;
                }
            }
        }
        if let Err(e) = self.walk_step(now, &mut report).await {
            tracing::warn!(error = %e, "media sweep: cannot list or remove blobs");
        }
        report
    }

    /// Reads messages within the budget; `Ok(true)` once every chat has been read.
    async fn collect_step(
        &mut self,
        c: &mut Collect,
        report: &mut PassReport,
    ) -> Result<bool, StoreError> {
        let store = self.store.clone();
        if c.accounts.is_none() {
            c.accounts = Some(store.accounts().await?.into_iter().map(|a| a.phone).collect());
        }
        let accounts = c.accounts.as_deref().unwrap_or_default();
        while report.messages_read < self.budget.messages {
            let Some(phone) = accounts.get(c.account) else { return Ok(true) };
            if c.chats.is_none() {
                c.chats = match store.chats(phone).await {
                    Ok(chats) => Some(chats.into_iter().map(|chat| chat.jid).collect()),
                    Err(StoreError::NotFound { .. }) => Some(Vec::new()),
                    Err(e) => return Err(e),
                };
            }
            let Some(jid) = c.chats.as_deref().unwrap_or_default().get(c.chat).cloned() else {
                (c.account, c.chats, c.chat) = (c.account + 1, None, 0);
                continue;
            };
            let want = PAGE.min(self.budget.messages - report.messages_read);
            let count = u32::try_from(want).unwrap_or(u32::MAX);
            let asked = store.history(phone, &jid, c.cursor.clone(), Direction::Before, count);
            let page = match asked.await {
                Ok(page) => page,
                // The cursor message was deleted: read the chat again from its end. A chat
                // that is gone has nothing to read.
                Err(StoreError::NotFound { .. }) if c.cursor.is_some() => {
                    c.cursor = None;
                    continue;
                }
                Err(StoreError::NotFound { .. }) => Vec::new(),
                Err(e) => return Err(e),
            };
            report.messages_read += page.len().max(1);
            for message in &page {
                if let Some(key) = referenced_blob(&message.info) {
                    self.referenced.insert(key);
                }
            }
            match page.first() {
                Some(oldest) if page.len() >= want => {
                    c.cursor = Some(Cursor { id: oldest.id.clone(), from_me: oldest.from_me });
                }
                _ => (c.chat, c.cursor) = (c.chat + 1, None),
            }
        }
        Ok(false)
    }

    /// Walks blobs within the budget, removing those due.
    async fn walk_step(&mut self, now: SystemTime, report: &mut PassReport) -> std::io::Result<()> {
        while report.blobs_seen < self.budget.blobs && self.walk.bucket < BUCKETS {
            let want = self.budget.blobs - report.blobs_seen;
            let bucket = u8::try_from(self.walk.bucket).unwrap_or(u8::MAX);
            let entries = self.media.blobs.list(bucket, self.walk.after, want).await?;
            // An empty bucket still counts as one look, so a pass over an empty store ends.
            report.blobs_seen += entries.len().max(1);
            match entries.last() {
                Some(last) if entries.len() >= want => self.walk.after = Some(last.key),
                _ => self.walk = Walk { bucket: self.walk.bucket + 1, after: None },
            }
            for entry in entries {
                self.consider(entry, now, report).await?;
            }
        }
        if self.walk.bucket >= BUCKETS {
            self.walk = Walk::default();
            report.cycle_done = true;
        }
        Ok(())
    }

    async fn consider(
        &self,
        entry: BlobEntry,
        now: SystemTime,
        report: &mut PassReport,
    ) -> std::io::Result<()> {
        let age = now.duration_since(entry.stored_at).unwrap_or_default();
        let expired = age >= self.ttl;
        let settled = entry.stored_at.checked_add(self.grace).is_some_and(|t| t <= self.started);
        let unreferenced = settled && !self.referenced.contains(&entry.key);
        if !(expired || unreferenced)
            || !self.media.blobs.remove(entry.key, entry.stored_at).await?
        {
            return Ok(());
        }
        tracing::debug!(blob = %entry.key.hex(), expired, "media blob removed");
        if expired {
            report.removed_expired += 1;
        } else {
            report.removed_unreferenced += 1;
        }
        Ok(())
    }
}

/// The blob a stored `WebMessageInfo` names: its `fileEncSha256`, else the hash in its URL.
pub fn referenced_blob(info: &[u8]) -> Option<BlobKey> {
    let info = WebMessageInfo::decode(info).ok()?;
    let attachment = Attachment::of(&info)?;
    if let Some(hash) = attachment.file_enc_sha256.as_deref() {
        return Some(BlobKey(hash.try_into().ok()?));
    }
    let path = attachment.direct_path.or(attachment.url)?;
    let (_, rest) = path.split_once("/mms/d/")?;
    super::path::blob_key(rest.split('/').next()?)
}
