//! The account's own settings: block list (`block`), "about" text (`status`), push name
//! (`profile`) and profile picture (`picture`; storing it is `picture.rs`'s) (docs/PROTOCOL.md §8.5).

use serde_json::json;
use waweb_proto::action::profile::{AboutText, Block, PictureAction, PushName};
use waweb_proto::binary::jid::{person_jid, person_number};
use waweb_proto::binary::Node;
use waweb_proto::json::blocklist::Blocklist;
use waweb_proto::json::cmd::Cmd;
use waweb_proto::json::push::ServerPush;
use waweb_proto::json::status::StatusUpdate;

use super::common::{blocks, json_push, ok, Failure, Handled};
use super::picture::change_picture;
use super::Reply;
use crate::context::{Me, Shared};
use crate::store::{check_pushname, check_status_text, Store};

/// `["block",{"type":"add"|"remove"},[["user",{"jid"},null]…]]`: updates the list, then pushes
/// the whole new `Blocklist` to the account's sessions.
pub(super) async fn block<S: Store>(shared: &Shared<S>, me: &Me, child: &Node) -> Handled {
    let Block { add, users } = Block::from_node(child).map_err(|_| Failure(400))?;
    let users: Vec<String> = users
        .iter()
        .map(|jid| person_number(jid).map(|p| person_jid(&p)))
        .collect::<Option<_>>()
        .ok_or(Failure(400))?;
    let store = shared.store.as_ref();
    let mut list = store.blocklist(&me.account).await?;
    list.retain(|j| !users.contains(j));
    if add {
        list.extend(users);
    }
    list.sort();
    list.dedup();
    store.set_blocklist(&me.account, list.clone()).await?;
    shared.hub.deliver(&me.account, json_push(Blocklist::new(list)));
    ok()
}

/// `["status",null,<text>]` (at most [`MAX_STATUS_CHARS`](crate::store::MAX_STATUS_CHARS)
/// characters, else 406): stores the "about" text and pushes `["Status",{"id":me,"status"}]`
/// to the live sessions of accounts that have this account as a contact.
pub(super) async fn status<S: Store>(shared: &Shared<S>, me: &Me, child: &Node) -> Handled {
    let AboutText { text } = AboutText::from_node(child).map_err(|_| Failure(400))?;
    let text = text.as_str();
    // Too long is 406, as for a group subject.
    check_status_text(text).map_err(|_| Failure(406))?;
    let store = shared.store.as_ref();
    store.set_status_text(&me.account, text).await?;
    let push = StatusUpdate { id: person_jid(&me.account), status: text.to_owned() };
    tell_who_knows_me(shared, me, push.into()).await?;
    ok()
}

/// Pushes to the live sessions of the accounts that have this account as a contact, but those it
/// blocked: a new picture's push would tell them when to look.
async fn tell_who_knows_me<S: Store>(
    shared: &Shared<S>,
    me: &Me,
    push: ServerPush,
) -> Result<(), Failure> {
    let blocked = shared.store.blocklist(&me.account).await?;
    for holder in shared.store.contact_holders(&me.account).await? {
        if holder != me.account && !blocks(&blocked, &holder) {
            shared.hub.deliver(&holder, json_push(push.clone()));
        }
    }
    Ok(())
}

/// `["picture",{"id","jid":me,"type":"set"},[["image",null,<jpeg>],["preview",null,<jpeg>]]]`
/// for the account's own picture: stores it under a new tag and secret and answers
/// `{"status":200,"eurl":url,"tag":tag}`; `type:"delete"` removes it. Either way the accounts
/// that have this one as a contact get `["Cmd",{"type":"picture","jid":me,"tag":tag|"removed"}]`.
/// Only the account's own picture can be changed (401 for any other user's JID).
pub(super) async fn picture<S: Store>(
    shared: &Shared<S>,
    me: &Me,
    picture: PictureAction,
) -> Handled {
    if person_number(&picture.jid).as_deref() != Some(me.account.as_str()) {
        return Err(Failure(401));
    }
    let (reply, tag) = change_picture(shared, &me.account, picture.change).await?;
    let push = ServerPush::Cmd(Cmd::picture(&person_jid(&me.account), &tag));
    tell_who_knows_me(shared, me, push).await?;
    Ok(reply)
}

/// `["profile",{"name"},null]` (at most [`MAX_PUSHNAME_CHARS`](crate::store::MAX_PUSHNAME_CHARS)
/// characters, else 406): stores the push name; answers `{"status":200,"pushname":name}`.
pub(super) async fn profile<S: Store>(shared: &Shared<S>, me: &Me, child: &Node) -> Handled {
    let PushName { name } = PushName::from_node(child).map_err(|_| Failure(400))?;
    let name = Some(name.as_str()).filter(|n| !n.is_empty()).ok_or(Failure(400))?;
    check_pushname(name).map_err(|_| Failure(406))?;
    shared.store.set_pushname(&me.account, name).await?;
    Ok(Reply::Json(json!({ "status": 200, "pushname": name })))
}
