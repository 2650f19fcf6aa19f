//! Receipts from the reader's side: `read` (a chat read up to a message, or marked unread) and
//! `received type=played` (a voice note played). The author's copies are raised to READ or
//! PLAYED and the author's sessions get `["Msg",{"cmd":"ack","ack":3|4,…}]` (docs/PROTOCOL.md
//! §8.5, §8.9); in a group, each read is a `MsgInfo` ack, and the `Msg` ack comes once every
//! member has read (§8.10).

use futures_util::future::join_all;
use waweb_proto::action::read::{Played, Read};
use waweb_proto::action::{ActionError, ActionPush};
use waweb_proto::binary::jid::{
    is_group, person_jid, person_number, person_store_jid, to_whatsapp_net,
};
use waweb_proto::binary::Node;
use waweb_proto::json::msg::{Ack, MsgAck};
use waweb_proto::json::push::ServerPush;

use super::common::{json_push, node_push, now_s, ok};
use super::common::{Failure, Handled};
use crate::context::{Me, Shared};
use crate::store::StoredMessage;
use crate::store::WebMessageInfoStatus;
use crate::store::{ChatUpdate, Cursor, Direction, GroupRead, MessageKey, Store, StoreError};

/// Messages looked at per history page while searching for unread ones.
const PAGE: u32 = 50;
/// Pages looked at at most: a read marks at most this many times [`PAGE`] messages.
const MAX_PAGES: usize = 20;

/// The action `["read",{"jid","index"?,"owner"?,"count"?},null]`.
pub(super) async fn read<S: Store>(shared: &Shared<S>, me: &Me, child: &Node) -> Handled {
    let read = Read::from_node(child).map_err(|_| Failure(400))?;
    let jid = read.jid.as_str();
    let chat = to_whatsapp_net(jid);
    let store = shared.store.as_ref();
    if read.marks_unread() {
        store.update_chat(&me.account, &chat, ChatUpdate::MarkUnread).await?;
        return ok();
    }
    store.update_chat(&me.account, &chat, ChatUpdate::Read).await?;
    let index = read.index.clone().map(Cursor::from);
    let unread = unread_received(store, &me.account, &chat, index).await?;
    let now = now_s();
    let marks = unread
        .iter()
        .map(|m| store.set_message_status(&me.account, m.key(), WebMessageInfoStatus::Read, now));
    for result in join_all(marks).await {
        result?;
    }
    if let Some(author) = person_number(jid) {
        let ids = unread.into_iter().map(|m| m.id).collect();
        notify_author(shared, me, &author, ids, Ack::Read, now).await?;
    } else if is_group(jid) {
        notify_group_authors(shared, me, &chat, &unread, now).await?;
    }
    let elsewhere = ActionPush { children: vec![Read::elsewhere(jid).to_node()] };
    shared.hub.deliver_except(&me.account, me.connection, node_push(elsewhere.into_node()));
    ok()
}

/// The action `["received",{"type":"played","index","from"},null]`.
pub(super) async fn received<S: Store>(shared: &Shared<S>, me: &Me, child: &Node) -> Handled {
    let Played { index: id, from } = match Played::from_node(child) {
        Ok(played) => played,
        // A receipt other than `played` is one this server does not take.
        Err(ActionError::InvalidAttr("type")) => return Err(Failure(501)),
        Err(_) => return Err(Failure(400)),
    };
    let key = MessageKey { chat_jid: to_whatsapp_net(&from), id: id.clone(), from_me: false };
    let now = now_s();
    shared.store.set_message_status(&me.account, key, WebMessageInfoStatus::Played, now).await?;
    if let Some(author) = person_number(&from) {
        notify_author(shared, me, &author, vec![id], Ack::Played, now).await?;
    }
    ok()
}

/// The received messages of a chat not yet read, newest first: the reference message (when
/// given) and those before it, back to the first one already read.
async fn unread_received<S: Store>(
    store: &S,
    account: &str,
    chat: &str,
    index: Option<Cursor>,
) -> Result<Vec<StoredMessage>, StoreError> {
    let mut found = Vec::new();
    let mut cursor = None;
    if let Some(index) = index {
        let key =
            MessageKey { chat_jid: chat.to_owned(), id: index.id.clone(), from_me: index.from_me };
        let Some(reference) = store.find_message(account, key).await? else {
            return Ok(found);
        };
        if !reference.from_me && reference.status < WebMessageInfoStatus::Read {
            found.push(reference);
        }
        cursor = Some(index);
    }
    for _ in 0..MAX_PAGES {
        let page = store.history(account, chat, cursor.take(), Direction::Before, PAGE).await?;
        let Some(oldest) = page.first() else { break };
        let next = Cursor { id: oldest.id.clone(), from_me: oldest.from_me };
        let complete = page.len() == PAGE as usize;
        let mut reached_read = false;
        for m in page.into_iter().rev().filter(|m| !m.from_me) {
            if m.status >= WebMessageInfoStatus::Read {
                reached_read = true;
                break;
            }
            found.push(m);
        }
        if reached_read || !complete {
            break;
        }
        cursor = Some(next);
    }
    Ok(found)
}

/// Notes the reads of group messages and tells each author: `["MsgInfo",{"cmd":"ack","ack":3,
/// "participant":me,…}]` for every read, and `["Msg",{"cmd":"ack","ack":3,…}]` once every
/// member the message went to has read it (its copy is READ then).
async fn notify_group_authors<S: Store>(
    shared: &Shared<S>,
    me: &Me,
    gid: &str,
    unread: &[StoredMessage],
    t: u64,
) -> Result<(), StoreError> {
    let reads: Vec<GroupRead> = unread
        .iter()
        .filter_map(|m| {
            let author = person_number(m.participant.as_deref()?)?;
            Some(GroupRead { author, group: gid.to_owned(), id: m.id.clone() })
        })
        .collect();
    if reads.is_empty() {
        return Ok(());
    }
    for noted in shared.store.note_group_reads(&me.account, reads, t).await? {
        let GroupRead { author, group, id } = noted.read;
        let mut info = MsgAck::single(id.clone(), Ack::Read, person_jid(&author), group.clone(), t);
        info.participant = Some(person_jid(&me.account));
        shared.hub.deliver(&author, json_push(ServerPush::MsgInfo(info)));
        if noted.by_all {
            let all = MsgAck::single(id, Ack::Read, person_jid(&author), group, t);
            shared.hub.deliver(&author, json_push(ServerPush::Msg(all)));
        }
    }
    Ok(())
}

/// Raises the author's copies of `ids` (sent to me) to the state of `ack` at `t` and pushes one
/// `Msg` ack per message to the author's sessions. Copies the author no longer has are skipped.
async fn notify_author<S: Store>(
    shared: &Shared<S>,
    me: &Me,
    author: &str,
    ids: Vec<String>,
    ack: Ack,
    t: u64,
) -> Result<(), StoreError> {
    let status =
        if ack == Ack::Played { WebMessageInfoStatus::Played } else { WebMessageInfoStatus::Read };
    let chat = person_store_jid(&me.account);
    let raises = ids.iter().map(|id| {
        let key = MessageKey { chat_jid: chat.clone(), id: id.clone(), from_me: true };
        shared.store.set_message_status(author, key, status, t)
    });
    for (id, raised) in ids.iter().zip(join_all(raises).await) {
        match raised {
            Ok(_) => {}
            Err(StoreError::NotFound { .. }) => continue,
            Err(e) => return Err(e),
        }
        let push = MsgAck::single(id.clone(), ack, person_jid(author), person_jid(&me.account), t);
        shared.hub.deliver(author, json_push(ServerPush::Msg(push)));
    }
    Ok(())
}
