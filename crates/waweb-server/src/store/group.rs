//! Groups: who is in each group and what it is called, and the rules of changing that.
//!
//! A group is shared by its members' accounts, so unlike chats it is stored once, not per
//! account. Each member's account keeps its own chat with the group (name, unread count,
//! messages), as for any other chat. The rules (who may add, remove, promote, rename) are
//! [`apply`], a plain function over a loaded [`Group`]: the store runs it inside the write that
//! saves the result, so two admins changing the same group cannot both act on a stale copy.

use std::collections::HashSet;

use super::NewMessage;

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

/// Applies `change` by `actor` to `group`; `known` says whether an account exists (additions
/// of unknown accounts answer 404).
pub fn apply(
    mut group: Group,
    actor: &str,
    change: &GroupChange,
    known: impl Fn(&str) -> bool,
) -> Result<Applied, Refusal> {
    if let GroupChange::Join(code) = change {
        return join(group, actor, code);
    }
    let role = group.member(actor).map(|m| m.role).ok_or(Refusal::NotMember)?;
    let needs_admin = match change {
        GroupChange::Leave => false,
        GroupChange::Subject(..) | GroupChange::Describe { .. } => group.locked,
        _ => true,
    };
    if needs_admin && !role.is_admin() {
        return Err(Refusal::NotAdmin);
    }
    let mut results = Vec::new();
    let mut promoted = Vec::new();
    match change {
        GroupChange::Add(phones) => {
            for phone in unique(phones) {
                let code = if group.member(phone).is_some() {
                    409
                } else if !known(phone) {
                    404
                } else if group.members.len() >= MAX_MEMBERS {
                    406
                } else {
                    group.members.push(Member { phone: phone.clone(), role: Role::Member });
                    200
                };
                results.push((phone.clone(), code));
            }
        }
        GroupChange::Remove(phones) => {
            for phone in unique(phones) {
                let code = match group.member(phone).map(|m| m.role) {
                    None => 404,
                    Some(Role::SuperAdmin) if phone != actor => 403,
                    Some(_) => {
                        group.members.retain(|m| &m.phone != phone);
                        200
                    }
                };
                results.push((phone.clone(), code));
            }
            promoted = keep_an_admin(&mut group);
        }
        GroupChange::Promote(phones) | GroupChange::Demote(phones) => {
            let to =
                if matches!(change, GroupChange::Promote(_)) { Role::Admin } else { Role::Member };
            for phone in unique(phones) {
                let admins = group.members.iter().filter(|m| m.role.is_admin()).count();
                let member = group.members.iter_mut().find(|m| &m.phone == phone);
                let code = match member {
                    None => 404,
                    Some(m) if m.role == Role::SuperAdmin => 403,
                    Some(m) if m.role == to => 409,
                    // The last admin stays one: nobody could ever change the group again.
                    Some(m) if to == Role::Member && m.role == Role::Admin && admins == 1 => 403,
                    Some(m) => {
                        m.role = to;
                        200
                    }
                };
                results.push((phone.clone(), code));
            }
        }
        GroupChange::Leave => {
            group.members.retain(|m| m.phone != actor);
            results.push((actor.to_owned(), 200));
            promoted = keep_an_admin(&mut group);
        }
        GroupChange::Subject(subject, t) => {
            group.subject.clone_from(subject);
            group.subject_time = *t;
            group.subject_owner = actor.to_owned();
        }
        GroupChange::Describe { description, prev } => {
            let current = group.description.as_ref().map(|d| d.id.as_str());
            if prev.as_deref().is_some_and(|p| !p.is_empty() && current.is_some_and(|c| c != p)) {
                return Err(Refusal::Conflict);
            }
            // An empty text removes the description, as in the official clients.
            group.description = (!description.text.is_empty())
                .then(|| Description { owner: actor.to_owned(), ..description.clone() });
        }
        GroupChange::Announce(on) => group.announce = *on,
        GroupChange::Locked(on) => group.locked = *on,
        GroupChange::InviteCode { fresh, reset } => {
            if *reset || group.invite_code.is_none() {
                group.invite_code = Some(fresh.clone());
            }
        }
        GroupChange::Join(_) => {}
    }
    if group.members.is_empty() {
        // Nobody is left to manage it: its link must not let someone in as a plain member.
        group.invite_code = None;
    }
    Ok(Applied { group, results, promoted })
}

/// A join by invite: 200 and a new member, or 409 for a member already.
fn join(mut group: Group, actor: &str, code: &str) -> Result<Applied, Refusal> {
    if group.invite_code.as_deref() != Some(code) {
        return Err(Refusal::UnknownInvite);
    }
    if group.member(actor).is_some() {
        return Ok(Applied { group, results: vec![(actor.to_owned(), 409)], promoted: Vec::new() });
    }
    if group.members.len() >= MAX_MEMBERS {
        return Err(Refusal::Full);
    }
    group.members.push(Member { phone: actor.to_owned(), role: Role::Member });
    let promoted = keep_an_admin(&mut group);
    Ok(Applied { group, results: vec![(actor.to_owned(), 200)], promoted })
}

/// Each phone once, in the order given.
fn unique(phones: &[String]) -> Vec<&String> {
    let mut seen = HashSet::with_capacity(phones.len());
    phones.iter().filter(|p| seen.insert(p.as_str())).collect()
}

/// A group whose last admin left gets its longest-standing member as admin, as on WhatsApp:
/// otherwise nobody could ever add anyone again. The members promoted.
fn keep_an_admin(group: &mut Group) -> Vec<String> {
    if group.members.iter().any(|m| m.role.is_admin()) {
        return Vec::new();
    }
    match group.members.first_mut() {
        Some(first) => {
            first.role = Role::Admin;
            vec![first.phone.clone()]
        }
        None => Vec::new(),
    }
}

/// One copy of a group message, for one member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberCopy {
    /// The member's phone number.
    pub phone: String,
    /// The copy (`chat_jid` = the group).
    pub message: NewMessage,
    /// The member had a live web session: the caller pushes the copy, so it is not queued
    /// (as [`Relay::recipient_online`](super::Relay::recipient_online)).
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

#[cfg(test)]
mod tests;
