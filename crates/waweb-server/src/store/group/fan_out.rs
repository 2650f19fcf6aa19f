//! Group messages: the copies a message to a group leaves in its members' accounts, and the
//! read receipts its author sees.

use super::super::NewMessage;

/// One copy of a group message, for one member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberCopy {
    /// The member's phone number.
    pub phone: String,
    /// The copy (`chat_jid` = the group).
    pub message: NewMessage,
    /// The member had a live web session: the caller pushes the copy, so it is not queued
    /// (as [`Relay::recipient_online`](crate::store::Relay::recipient_online)).
    pub online: bool,
}

/// A message to store for several members of a group at once: a relay to the group (with the
/// sender's own copy) or a system message about a change (without).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FanOut {
    /// The sender's phone number and own copy; a repeated id there makes the whole fan-out a
    /// [`FanOutOutcome::Duplicate`].
    pub sender: Option<(String, NewMessage)>,
    /// The other members' copies.
    pub copies: Vec<MemberCopy>,
    /// Whether the copies count as unread (a message does, a system message does not).
    pub unread: bool,
}

impl FanOut {
    /// The members whose copy was stored (`seqs` in the order of [`FanOut::copies`], as in
    /// [`FanOutOutcome::Stored`]): whom the sender's message went to, for its receipts.
    pub fn stored_recipients<'a>(&'a self, seqs: &[Option<i64>]) -> Vec<&'a str> {
        self.copies
            .iter()
            .zip(seqs)
            .filter(|(_, stored)| stored.is_some())
            .map(|(copy, _)| copy.phone.as_str())
            .collect()
    }
}

/// What a fan-out did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FanOutOutcome {
    /// Stored: the sequence number of each copy, in the order of [`FanOut::copies`] (`None`
    /// for an account removed meanwhile, or one that has a message of another member with the
    /// same id), each also its delivery id.
    Stored(Vec<Option<i64>>),
    /// The sender already has a message with this id in this group: nothing was changed.
    Duplicate,
}

/// A member read a message of someone else in a group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupRead {
    /// The author's phone number.
    pub author: String,
    /// The group's JID.
    pub group: String,
    /// The message's id.
    pub id: String,
}

/// A read noted for the first time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupReadNoted {
    /// What was read.
    pub read: GroupRead,
    /// Every member the message went to has now read it: the author's copy became READ.
    pub by_all: bool,
}

/// Who a group message went to and who read it: what the author's message info shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupReceipts {
    /// When it was delivered to each recipient (every member's phone is reachable: when it
    /// was stored).
    pub delivered: u64,
    /// The phone numbers of the members it went to.
    pub recipients: Vec<String>,
    /// Who read it and when, in the order they did.
    pub reads: Vec<(String, u64)>,
}
