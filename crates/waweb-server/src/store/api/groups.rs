//! [`GroupStore`]: groups, their members and changes, and a group message stored for every
//! member.

use std::future::Future;

use crate::store::group::{
    Applied, CreatedGroup, FanOut, FanOutOutcome, Group, GroupChange, GroupRead, GroupReadNoted,
    GroupReceipts, NewGroup, Refusal,
};
use crate::store::{MessageKey, StoreResult};

/// Groups. Part of [`Store`](super::Store).
pub trait GroupStore {
    /// Creates a group (JID `<creator>-<time>@g.us`, or the second after the creator's last
    /// group if that is later; `TooFast` if that runs more than a minute ahead of `time`)
    /// with the creator as [`Role::SuperAdmin`](crate::store::Role::SuperAdmin) and every existing
    /// participant as a member, and gives each member a chat with it named after the subject.
    /// `NotFound` if the creator's account does not exist.
    fn create_group(
        &self,
        group: NewGroup,
    ) -> impl Future<Output = StoreResult<CreatedGroup>> + Send;

    /// The group with this JID, with its members, if it exists.
    fn group(&self, jid: &str) -> impl Future<Output = StoreResult<Option<Group>>> + Send;

    /// The JID of the group whose invite code this is, if any.
    fn group_by_invite(
        &self,
        code: &str,
    ) -> impl Future<Output = StoreResult<Option<String>>> + Send;

    /// Applies one change by `actor` under the rules of [`apply`](crate::store::group::apply), in the
    /// write that saves it; members added get a chat with the group, and a new subject renames
    /// every member's chat (a join by invite counts as an addition). `NotFound` if there is no
    /// such group; a refused change changes nothing.
    fn change_group(
        &self,
        jid: &str,
        actor: &str,
        change: GroupChange,
        now: u64,
    ) -> impl Future<Output = StoreResult<Result<Applied, Refusal>>> + Send;

    /// Stores a group message for several members at once (all or nothing), updating each
    /// one's chat with the group and queuing the copies of members without a live session. With
    /// a sender, notes whom the message went to, for its receipts.
    fn fan_out(&self, fan_out: FanOut) -> impl Future<Output = StoreResult<FanOutOutcome>> + Send;

    /// Notes that `reader` read these group messages at `t` (each by its author, group and
    /// id); returns the reads noted for the first time. When every member a message went to has
    /// read it, its author's copy becomes READ (see [`GroupReadNoted::by_all`]). Messages that
    /// were not sent to `reader` through a group, or that it read already, are skipped.
    fn note_group_reads(
        &self,
        reader: &str,
        reads: Vec<GroupRead>,
        t: u64,
    ) -> impl Future<Output = StoreResult<Vec<GroupReadNoted>>> + Send;

    /// Whom the author's group message `key` went to and who read it; `None` if it is not a
    /// group message the author sent. `NotFound` if there is no such account.
    fn group_receipts(
        &self,
        author: &str,
        key: MessageKey,
    ) -> impl Future<Output = StoreResult<Option<GroupReceipts>>> + Send;
}
