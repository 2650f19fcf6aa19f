//! Presence: `presence available|unavailable` (online state, pushed to subscribers),
//! `composing|paused|recording` (chat state, pushed to the chat partner), the JSON subscription
//! and the `lastseen` query (docs/PROTOCOL.md §8.2, §8.5, §8.6). Nothing here is stored: the
//! state lives in the hub, on every node.
//!
//! A user who blocked someone shows them no presence, no last seen and no about text (as if
//! they never said), and hears no chat state from them.

use serde_json::json;
use waweb_proto::action::presence::PresenceAction;
use waweb_proto::binary::jid::{is_group, person_jid, person_number, MAX_PHONE_DIGITS};
use waweb_proto::binary::Node;
use waweb_proto::json::presence::Presence;

use super::common::{blocks, json_push, now_s, ok, status, Failure, Handled};
use super::Reply;
use crate::context::{Me, Shared};
use crate::hub::PresenceChange;
use crate::store::{Store, StoreError};

/// A `Presence` body.
fn presence(id: String, kind: &str, t: Option<u64>) -> Presence {
    Presence { id, r#type: kind.to_owned(), t, participant: None, deny: None }
}

/// The action `["presence",{"type":…,"to"?},null]`.
pub(super) async fn action<S: Store>(shared: &Shared<S>, me: &Me, child: &Node) -> Handled {
    match PresenceAction::from_node(child).map_err(|_| Failure(400))? {
        PresenceAction::Available => {
            set_online(shared, &me.account, true).await?;
            ok()
        }
        PresenceAction::Unavailable => {
            set_online(shared, &me.account, false).await?;
            ok()
        }
        PresenceAction::ChatState { state, to } => {
            let (kind, to) = (state.as_str(), to.as_str());
            if is_group(to) {
                return to_group(shared, me, to, kind).await;
            }
            // Only a live peer can be told; the blocklist is read for that one alone (chat
            // states are frequent, and the peer is whatever the client names). With several
            // nodes any peer may be live somewhere.
            if let Some(peer) = person_number(to).filter(|p| shared.hub.may_be_online(p)) {
                if !hides_from(shared, &peer, &me.account).await? {
                    let push = presence(person_jid(&me.account), kind, None);
                    shared.hub.deliver(&peer, json_push(push));
                }
            }
            ok()
        }
    }
}

/// A chat state in a group: every other member gets it with `id` = the group and
/// `participant` = the member typing. Only members may send one (401).
async fn to_group<S: Store>(shared: &Shared<S>, me: &Me, gid: &str, kind: &str) -> Handled {
    let (group, _) = super::group_info::member_of(shared, me, gid).await?;
    let push = Presence {
        participant: Some(person_jid(&me.account)),
        ..presence(group.jid.clone(), kind, None)
    };
    for member in group.members.iter().filter(|m| m.phone != me.account) {
        shared.hub.deliver(&member.phone, json_push(push.clone()));
    }
    ok()
}

/// Records `account` as online or offline now, on every node, and tells its subscribers (but
/// those it blocked).
pub async fn set_online<S: Store>(
    shared: &Shared<S>,
    account: &str,
    available: bool,
) -> Result<(), StoreError> {
    let t = now_s();
    let kind = if available { "available" } else { "unavailable" };
    let push = presence(person_jid(account), kind, Some(t)).into();
    // Served from the store's memory; the followers may be on any node, so it goes along.
    let hidden_from = blocklist(shared, account).await?;
    let change = PresenceChange { account: account.to_owned(), available, t, push, hidden_from };
    shared.hub.announce_presence(change);
    Ok(())
}

/// The user part of a JID that may be followed or looked up: digits, at most
/// [`MAX_PHONE_DIGITS`] (the store holds no account with a longer number, so a longer one is
/// refused here rather than kept as a subscription that can never fire).
fn followable(jid: &str) -> Option<String> {
    person_number(jid).filter(|p| p.len() <= MAX_PHONE_DIGITS)
}

/// Whether `owner` blocked `viewer` (an unknown `owner` blocks no one).
async fn hides_from<S: Store>(
    shared: &Shared<S>,
    owner: &str,
    viewer: &str,
) -> Result<bool, StoreError> {
    Ok(owner != viewer && blocks(&blocklist(shared, owner).await?, viewer))
}

/// `owner`'s blocklist; empty for an unknown account.
async fn blocklist<S: Store>(shared: &Shared<S>, owner: &str) -> Result<Vec<String>, StoreError> {
    match shared.store.blocklist(owner).await {
        Err(StoreError::NotFound { .. }) => Ok(Vec::new()),
        other => other,
    }
}

/// `["action","presence","subscribe",jid]`: `{"status":200}`, then the current presence of `jid`
/// (`unavailable` without `t` when it never said, or blocked the subscriber). 400 for a JID
/// that is no user's; 429 when the connection already follows [`crate::hub::MAX_SUBSCRIPTIONS`].
pub(super) async fn subscribe<S: Store>(shared: &Shared<S>, me: &Me, jid: &str) -> Handled {
    let target = followable(jid).ok_or(Failure(400))?;
    if !shared.hub.subscribe_presence(&me.account, me.connection, &target) {
        return Err(Failure(429));
    }
    let known = match shared.hub.presence(&target) {
        Some(_) if hides_from(shared, &target, &me.account).await? => None,
        known => known,
    };
    let push = match known {
        Some((true, t)) => presence(person_jid(&target), "available", Some(t)),
        Some((false, t)) => presence(person_jid(&target), "unavailable", Some(t)),
        None => presence(person_jid(&target), "unavailable", None),
    };
    shared.hub.deliver(&me.account, json_push(push));
    Ok(status(200))
}

/// `["query","Presence","lastseen",jid]`: `{"t":<unix s>}` or `{"status":404}` (never said,
/// or blocked the asker).
pub(super) async fn last_seen<S: Store>(shared: &Shared<S>, me: &Me, jid: &str) -> Handled {
    let Some((target, (_, t))) =
        followable(jid).and_then(|p| Some((p.clone(), shared.hub.presence(&p)?)))
    else {
        return Ok(status(404));
    };
    if hides_from(shared, &target, &me.account).await? {
        return Ok(status(404));
    }
    Ok(Reply::Json(json!({ "t": t })))
}

/// The "about" text of the user `jid` as `viewer` may see it: empty when its owner blocked
/// the viewer.
pub(super) async fn about<S: Store>(shared: &Shared<S>, me: &Me, phone: &str) -> Handled {
    let text = if hides_from(shared, phone, &me.account).await? {
        String::new()
    } else {
        shared.store.status_text(phone).await?
    };
    Ok(Reply::Json(json!({ "status": text })))
}
