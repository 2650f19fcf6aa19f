//! Presence: `presence available|unavailable` (online state, pushed to subscribers),
//! `composing|paused|recording` (chat state, pushed to the chat partner), the JSON subscription
//! and the `lastseen` query (docs/PROTOCOL.md §8.2, §8.5, §8.6). Nothing here is stored: the
//! state lives in the hub.

use serde_json::json;
use waweb_proto::binary::jid::is_group;
use waweb_proto::binary::Node;
use waweb_proto::json::presence::Presence;

use super::common::{json_push, now_s, ok, status, user_phone, wire_jid, Failure, Handled};
use super::Reply;
use crate::context::{Me, Shared};
use crate::store::Store;

/// A `Presence` body.
fn presence(id: String, kind: &str, t: Option<u64>) -> Presence {
    Presence { id, r#type: kind.to_owned(), t, participant: None, deny: None }
}

/// The action `["presence",{"type":…,"to"?},null]`.
pub(super) async fn action<S: Store>(shared: &Shared<S>, me: &Me, child: &Node) -> Handled {
    match child.get_attr("type") {
        Some(kind @ ("available" | "unavailable")) => {
            set_online(shared, &me.account, kind == "available");
            ok()
        }
        Some(kind @ ("composing" | "paused" | "recording")) => {
            let to = child.get_attr("to").ok_or(Failure(400))?;
            if is_group(to) {
                return to_group(shared, me, to, kind).await;
            }
            if let Some(peer) = user_phone(to) {
                let push = presence(wire_jid(&me.account), kind, None);
                shared.hub.deliver(&peer, json_push(push));
            }
            ok()
        }
        _ => Err(Failure(400)),
    }
}

/// A chat state in a group: every other member gets it with `id` = the group and
/// `participant` = the member typing. Only members may send one (401).
async fn to_group<S: Store>(shared: &Shared<S>, me: &Me, gid: &str, kind: &str) -> Handled {
    let (group, _) = super::group_info::member_of(shared, me, gid).await?;
    let push = Presence {
        participant: Some(wire_jid(&me.account)),
        ..presence(group.jid.clone(), kind, None)
    };
    for member in group.members.iter().filter(|m| m.phone != me.account) {
        shared.hub.deliver(&member.phone, json_push(push.clone()));
    }
    ok()
}

/// Records `account` as online or offline now and tells its subscribers. The connection shell
/// may also call this when an account's last session closes.
pub fn set_online<S: Store>(shared: &Shared<S>, account: &str, available: bool) {
    let t = now_s();
    shared.hub.set_presence(account, available, t);
    let kind = if available { "available" } else { "unavailable" };
    let push = presence(wire_jid(account), kind, Some(t));
    for subscriber in shared.hub.presence_subscribers(account) {
        shared.hub.deliver(&subscriber, json_push(push.clone()));
    }
}

/// `["action","presence","subscribe",jid]`: `{"status":200}`, then the current presence of `jid`
/// (`unavailable` without `t` when it never said).
pub(super) fn subscribe<S: Store>(shared: &Shared<S>, me: &Me, jid: &str) -> Reply {
    let Some(target) = user_phone(jid) else {
        return status(400);
    };
    shared.hub.subscribe_presence(&me.account, &target);
    let push = match shared.hub.presence(&target) {
        Some((true, t)) => presence(wire_jid(&target), "available", Some(t)),
        Some((false, t)) => presence(wire_jid(&target), "unavailable", Some(t)),
        None => presence(wire_jid(&target), "unavailable", None),
    };
    shared.hub.deliver(&me.account, json_push(push));
    status(200)
}

/// `["query","Presence","lastseen",jid]`: `{"t":<unix s>}` or `{"status":404}`.
pub(super) fn last_seen<S: Store>(shared: &Shared<S>, jid: &str) -> Reply {
    match user_phone(jid).and_then(|p| shared.hub.presence(&p)) {
        Some((_, t)) => Reply::Json(json!({ "t": t })),
        None => status(404),
    }
}
