//! JSON queries and actions outside the `admin` family (docs/PROTOCOL.md §8.2).

use serde_json::json;
use waweb_proto::binary::jid::{is_group, person_jid, person_number};
use waweb_proto::json::query::JsonQuery;

use super::common::{blocks, status, Failure, Handled};
use super::{group_info, group_invite, presence, Reply};
use crate::context::{Me, Shared};
use crate::store::Store;

/// Answers one JSON query.
pub(super) async fn answer<S: Store>(shared: &Shared<S>, me: &Me, q: JsonQuery) -> Handled {
    let store = shared.store.as_ref();
    match q {
        JsonQuery::Exist(jid) => {
            let found = match person_number(&jid) {
                Some(phone) => store.account(&phone).await?.map(|a| a.phone),
                None => None,
            };
            Ok(match found {
                Some(phone) => {
                    Reply::Json(json!({"status": 200, "jid": person_jid(&phone), "biz": false}))
                }
                None => status(404),
            })
        }
        JsonQuery::Status(jid) => {
            let phone = person_number(&jid).ok_or(Failure(404))?;
            presence::about(shared, me, &phone).await
        }
        JsonQuery::ProfilePicThumb(jid) => picture_of(shared, me, &jid).await,
        JsonQuery::GroupMetadata(gid) => group_info::metadata(shared, me, &gid).await,
        JsonQuery::LastSeen(jid) => presence::last_seen(shared, me, &jid).await,
        JsonQuery::PresenceSubscribe(jid) => presence::subscribe(shared, me, &jid).await,
        JsonQuery::InviteCode(gid) => group_invite::code(shared, me, &gid, false).await,
        JsonQuery::InviteReset(gid) => group_invite::code(shared, me, &gid, true).await,
        JsonQuery::InviteInfo(code) => group_invite::info(shared, &code).await,
        JsonQuery::AcceptInvite(code) => group_invite::join(shared, me, &code).await,
        JsonQuery::MediaConn => {
            Ok(Reply::Json(shared.media.conn_answer(&me.account, crate::context::now_ms())))
        }
        JsonQuery::EncrUpload { kind, hash } => {
            let now = crate::context::now_ms();
            Ok(Reply::Json(shared.media.encr_upload_answer(&me.account, &kind, &hash, now)))
        }
        JsonQuery::Other(_) => Err(Failure(400)),
    }
}

/// `{"eurl":url,"tag":tag}` for a user's profile picture; 404 if there is none, and the same 404
/// if its owner blocked the asker: a blocked contact neither sees the picture nor learns from the
/// answer that there is one (or when a new one comes). A group's picture is for its members (401
/// for others).
async fn picture_of<S: Store>(shared: &Shared<S>, me: &Me, jid: &str) -> Handled {
    let store = shared.store.as_ref();
    let group = is_group(jid);
    let owner = if group {
        group_info::member_of(shared, me, jid).await?.0.jid
    } else {
        person_number(jid).ok_or(Failure(404))?
    };
    let key = store.picture_key(&owner).await?;
    if !group && owner != me.account && blocks(&store.blocklist(&owner).await?, &me.account) {
        return Err(Failure(404));
    }
    let key = key.ok_or(Failure(404))?;
    let url = shared.config.picture_url(&owner, &key);
    Ok(Reply::Json(json!({ "eurl": url, "tag": key.tag })))
}
