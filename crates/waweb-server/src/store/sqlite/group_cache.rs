//! Groups kept in memory after their first read, so that a message to a group does not read the
//! group and its members from the database every time.
//!
//! Every write that may change a group forgets it once the write is durable (before the caller
//! hears of it), so a later read loads it again. A read that ran while such a write committed may
//! have loaded the group as it was: each forgetting bumps a generation, and a read keeps what it
//! loaded only if no forgetting happened since it started.

use std::collections::HashMap;
use std::sync::Mutex;

use super::super::Group;

/// The cached groups, by JID.
#[derive(Default)]
pub(super) struct GroupCache {
    inner: Mutex<Inner>,
}

#[derive(Default)]
struct Inner {
    generation: u64,
    groups: HashMap<String, Group>,
}

impl GroupCache {
    /// The group, if it is cached.
    pub(super) fn get(&self, jid: &str) -> Option<Group> {
        self.lock().groups.get(jid).cloned()
    }

    /// The generation to hand to [`keep`](Self::keep) after loading a group.
    pub(super) fn generation(&self) -> u64 {
        self.lock().generation
    }

    /// Caches a group loaded since `generation`, unless a write forgot something meanwhile.
    pub(super) fn keep(&self, generation: u64, group: &Group) {
        let mut inner = self.lock();
        if inner.generation == generation {
            inner.groups.insert(group.jid.clone(), group.clone());
        }
    }

    /// Forgets one group (a change to it was committed).
    pub(super) fn forget(&self, jid: &str) {
        let mut inner = self.lock();
        inner.generation += 1;
        inner.groups.remove(jid);
    }

    /// Forgets every group (a change to several was committed: an account left them all).
    pub(super) fn forget_all(&self) {
        let mut inner = self.lock();
        inner.generation += 1;
        inner.groups.clear();
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        // A panic while holding the lock cannot leave the map half-changed (each change is one
        // call), so a poisoned lock is still good to use.
        self.inner.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn group(jid: &str, subject: &str) -> Group {
        Group {
            jid: jid.into(),
            creator: "1".into(),
            created: 1,
            subject: subject.into(),
            subject_time: 1,
            subject_owner: "1".into(),
            description: None,
            announce: false,
            locked: false,
            invite_code: None,
            members: Vec::new(),
        }
    }

    #[test]
    fn a_read_that_raced_with_a_write_is_not_kept() {
        let cache = GroupCache::default();
        let before = cache.generation();
        cache.forget("1-1@g.us"); // a write committed while the read ran
        cache.keep(before, &group("1-1@g.us", "old"));
        assert_eq!(cache.get("1-1@g.us"), None);

        let before = cache.generation();
        cache.keep(before, &group("1-1@g.us", "new"));
        assert_eq!(cache.get("1-1@g.us").map(|g| g.subject), Some("new".into()));
        cache.forget_all();
        assert_eq!(cache.get("1-1@g.us"), None);
    }
}
