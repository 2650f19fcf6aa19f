//! The window of envelope ids a node has already handed on: a delivery the bus brings twice
//! (two overlapping subscriptions while an account is unwatched and watched again, a publish
//! repeated after a reconnect) reaches the sessions once.

use std::collections::{HashSet, VecDeque};

/// The ids seen most recently, at most `capacity` of them.
#[derive(Debug)]
pub struct Dedupe {
    seen: HashSet<u128>,
    order: VecDeque<u128>,
    capacity: usize,
}

impl Dedupe {
    /// An empty window of `capacity` ids (at least one).
    pub fn new(capacity: usize) -> Self {
        let capacity = capacity.max(1);
        Dedupe { seen: HashSet::with_capacity(capacity), order: VecDeque::new(), capacity }
    }

    /// Whether `id` is new (and records it); `false` for an id still in the window.
    pub fn first(&mut self, id: u128) -> bool {
        if !self.seen.insert(id) {
            return false;
        }
        self.order.push_back(id);
        if self.order.len() > self.capacity {
            if let Some(old) = self.order.pop_front() {
                self.seen.remove(&old);
            }
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_passes_once_while_in_the_window_and_the_window_is_bounded() {
        let mut d = Dedupe::new(2);
        assert!(d.first(1));
        assert!(!d.first(1));
        assert!(d.first(2));
        assert!(d.first(3));
        // 1 fell out of the window: bounded memory, so an id that old passes again.
        assert!(d.first(1));
        assert!(!d.first(3));
        assert_eq!(d.seen.len(), 2);
    }
}
