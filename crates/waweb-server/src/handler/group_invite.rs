//! Group invite links (docs/PROTOCOL.md §8.10): an admin asks for the link's code (`inviteCode`)
//! or replaces it (`inviteReset`); anyone with the code may look at the group (`invite`) and
//! join it (`["action","invite",code]`), which its members hear of like an addition.

use rand::distributions::{Alphanumeric, DistString};
use serde_json::json;
use waweb_proto::binary::jid::is_group;

use super::common::{now_s, Failure, Handled};
use super::group::{notices, refused};
use super::group_info::{member_of, metadata_of};
use super::group_notice::tell;
use super::Reply;
use crate::context::{Me, Shared};
use crate::store::{GroupChange, Store};

/// Characters in a new invite code (as on WhatsApp: 22 letters and digits).
const CODE_LENGTH: usize = 22;

/// `["query","inviteCode",gid]` → `{"status":200,"code"}`, and `["action","inviteReset",gid]` →
/// `{"status":200,"code"}` with a new code (the old one stops working). Admins only.
pub(super) async fn code<S: Store>(shared: &Shared<S>, me: &Me, gid: &str, reset: bool) -> Handled {
    if !is_group(gid) {
        return Err(Failure(400));
    }
    // Asking for the current code changes nothing: answered from the group as read.
    let (group, role) = member_of(shared, me, gid).await?;
    let code = match (reset, role.is_admin(), group.invite_code) {
        (false, true, Some(code)) => code,
        _ => {
            let fresh = Alphanumeric.sample_string(&mut rand::thread_rng(), CODE_LENGTH);
            let change = GroupChange::InviteCode { fresh, reset };
            let applied = shared.store.change_group(gid, &me.account, change, now_s()).await?;
            applied.map_err(refused)?.group.invite_code.ok_or(Failure(500))?
        }
    };
    Ok(Reply::Json(json!({ "status": 200, "code": code })))
}

/// `["query","invite",code]`: the group the code leads to, as `GroupMetadata` plus its `size`
/// (what a client shows before joining); 404 for an unknown code.
pub(super) async fn info<S: Store>(shared: &Shared<S>, code: &str) -> Handled {
    let store = shared.store.as_ref();
    let gid = store.group_by_invite(code).await?.ok_or(Failure(404))?;
    let group = store.group(&gid).await?.ok_or(Failure(404))?;
    let mut value = serde_json::to_value(metadata_of(&group)).map_err(|_| Failure(500))?;
    value["status"] = json!(200);
    value["size"] = json!(group.members.len());
    Ok(Reply::Json(value))
}

/// `["action","invite",code]`: joins the group → `{"status":200,"gid"}`; 404 for an unknown
/// code, 409 for a member already, 406 for a full group.
pub(super) async fn join<S: Store>(shared: &Shared<S>, me: &Me, code: &str) -> Handled {
    let store = shared.store.as_ref();
    let gid = store.group_by_invite(code).await?.ok_or(Failure(404))?;
    let t = now_s();
    let change = GroupChange::Join(code.to_owned());
    let applied = store.change_group(&gid, &me.account, change.clone(), t).await?;
    let applied = applied.map_err(refused)?;
    if applied.changed().is_empty() {
        return Err(Failure(409));
    }
    let audience = applied.group.phones();
    let (told, promotion) = notices(&applied, &change, &me.account, t);
    for notice in told.into_iter().chain(promotion) {
        tell(shared, &audience, notice).await?;
    }
    Ok(Reply::Json(json!({ "status": 200, "gid": gid })))
}
