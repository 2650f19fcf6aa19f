//! Groups: who is in each group and what it is called, and the rules of changing that.
//!
//! A group is shared by its members' accounts, so unlike chats it is stored once, not per
//! account. Each member's account keeps its own chat with the group (name, unread count,
//! messages), as for any other chat. The rules (who may add, remove, promote, rename) are
//! [`apply`], a plain function over a loaded [`Group`]: the store runs it inside the write that
//! saves the result, so two admins changing the same group cannot both act on a stale copy.

mod fan_out;
mod rules;

pub use fan_out::{FanOut, FanOutOutcome, GroupRead, GroupReadNoted, GroupReceipts, MemberCopy};
pub use rules::apply;

/// The most members a group has, its creator included (`maxParticipants` of the `Props`).
pub const MAX_MEMBERS: usize = 257;

/// A member's rank in a group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    /// Writes messages (unless the group is announce-only) and may leave.
    Member,
    /// May also add, remove, promote and demote members and change the settings.
    Admin,
    /// The creator: an admin that other admins cannot remove or demote.
    SuperAdmin,
}

impl Role {
    /// Admins and the creator.
    pub fn is_admin(self) -> bool {
        self >= Role::Admin
    }
}

/// One member of a group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    /// The member's phone number.
    pub phone: String,
    /// Its rank.
    pub role: Role,
}

/// A group's description and who last set it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Description {
    /// The id the client gave this version (the next change names it as `prev`).
    pub id: String,
    /// The text.
    pub text: String,
    /// Unix seconds when it was set.
    pub time: u64,
    /// The phone number of who set it.
    pub owner: String,
}

/// A group as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// `<creator>-<creation>@g.us`.
    pub jid: String,
    /// The creator's phone number.
    pub creator: String,
    /// Unix seconds of its creation.
    pub created: u64,
    /// Its name.
    pub subject: String,
    /// Unix seconds when the subject was last set.
    pub subject_time: u64,
    /// The phone number of who last set the subject.
    pub subject_owner: String,
    /// Its description, if any.
    pub description: Option<Description>,
    /// Only admins may write.
    pub announce: bool,
    /// Only admins may change the subject and the description ("restrict").
    pub locked: bool,
    /// The code of its invite link, once an admin asked for one.
    pub invite_code: Option<String>,
    /// The members, in the order they joined.
    pub members: Vec<Member>,
}

impl Group {
    /// The member with this phone number, if it is one.
    pub fn member(&self, phone: &str) -> Option<&Member> {
        self.members.iter().find(|m| m.phone == phone)
    }

    /// The members' phone numbers, in joining order.
    pub fn phones(&self) -> Vec<String> {
        self.members.iter().map(|m| m.phone.clone()).collect()
    }

    /// Whether `phone` is a member allowed to write in the group.
    pub fn may_write(&self, phone: &str) -> bool {
        self.member(phone).is_some_and(|m| !self.announce || m.role.is_admin())
    }
}

/// What creating a group needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewGroup {
    /// The creator's phone number; it becomes the [`Role::SuperAdmin`].
    pub creator: String,
    /// The group's name.
    pub subject: String,
    /// Unix seconds now: the creation time, and the number in the group's JID.
    pub time: u64,
    /// Phone numbers to add as members (the creator, repeats and unknown accounts are left
    /// out; see [`CreatedGroup::results`]).
    pub participants: Vec<String>,
}

/// A group just created.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreatedGroup {
    /// The group, with every member added.
    pub group: Group,
    /// For each participant asked for: 200 if added, 404 if there is no such account.
    pub results: Vec<(String, u16)>,
}

/// One change to a group, as the `group` action asks for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GroupChange {
    /// Add these accounts as members (admins only).
    Add(Vec<String>),
    /// Remove these members (admins only; the creator stays).
    Remove(Vec<String>),
    /// Make these members admins (admins only).
    Promote(Vec<String>),
    /// Make these admins plain members (admins only; the creator stays an admin).
    Demote(Vec<String>),
    /// The actor leaves.
    Leave,
    /// A new subject, set at this Unix second.
    Subject(String, u64),
    /// A new description; `prev` is the id of the one the client saw (a different current one
    /// is a conflict).
    Describe {
        /// The new description (its `owner` is the actor).
        description: Description,
        /// The id of the description the client replaces, if it named one.
        prev: Option<String>,
    },
    /// Only admins may (`true`) or everyone may (`false`) write.
    Announce(bool),
    /// Only admins may (`true`) or everyone may (`false`) change subject and description.
    Locked(bool),
    /// The invite link's code (admins only): `fresh` becomes the code if there is none yet, or
    /// if `reset` (the old link then stops working).
    InviteCode {
        /// A new random code, used if needed.
        fresh: String,
        /// Replace the current code.
        reset: bool,
    },
    /// The actor joins by the invite link with this code (it need not be a member).
    Join(String),
}

impl GroupChange {
    /// The accounts the change names, if it names some.
    pub fn participants(&self) -> &[String] {
        match self {
            GroupChange::Add(p)
            | GroupChange::Remove(p)
            | GroupChange::Promote(p)
            | GroupChange::Demote(p) => p,
            _ => &[],
        }
    }
}

/// Why a change was refused as a whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The actor is not a member of the group.
    NotMember,
    /// The change needs an admin and the actor is not one.
    NotAdmin,
    /// The description changed since the client read it.
    Conflict,
    /// The invite code is not (or no longer) the group's.
    UnknownInvite,
    /// The group has [`MAX_MEMBERS`] members already.
    Full,
}

/// A change as made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    /// The group after the change.
    pub group: Group,
    /// For each account the change named: 200 if changed; 404 if not a member (or, for an
    /// addition, no such account); 409 if already a member, or already of the role asked for;
    /// 403 for the creator (and for the demotion of the last admin); 406 for an addition to a
    /// full group.
    pub results: Vec<(String, u16)>,
    /// The members made admin because the last admin left, if any.
    pub promoted: Vec<String>,
}

impl Applied {
    /// The accounts the change actually affected (result 200).
    pub fn changed(&self) -> Vec<String> {
        self.results.iter().filter(|(_, code)| *code == 200).map(|(p, _)| p.clone()).collect()
    }
}

#[cfg(test)]
mod tests;
