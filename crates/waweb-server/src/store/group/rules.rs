//! The rules of changing a group: [`apply`] checks who may do what and makes the change on a
//! loaded [`Group`], answering per member as the `group` action does.

use std::collections::HashSet;

use super::{Applied, Description, Group, GroupChange, Member, Refusal, Role, MAX_MEMBERS};

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
