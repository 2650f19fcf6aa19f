//! History pages: `query type=message` with `jid`, `count`, `kind` before/after and an optional
//! reference message (`index`, `owner`), answered oldest first (docs/PROTOCOL.md §8.4); and the
//! starred messages, `query type=star` with `count` and an optional `jid`; and who got and read
//! one of the account's messages, `query type=message_info` with `jid` and `index`. The wire
//! shapes are in [`waweb_proto::query`]; the page sizes and who may ask are decided here.

use waweb_proto::binary::jid::{is_group, person_jid, person_number, to_whatsapp_net};
use waweb_proto::binary::Node;
use waweb_proto::query::history::HistoryQuery;
use waweb_proto::query::message_info::{MessageInfo, MessageInfoQuery, Receipt};
use waweb_proto::query::page::{MessagePage, PageKind};
use waweb_proto::query::star::StarQuery;

use super::common::{stored_payload, Failure, Handled};
use super::Reply;
use crate::context::{Me, Shared};
use crate::store::{Cursor, MessageKey, Store, StoreError, StoredMessage};

/// Most messages one page holds; larger `count`s are treated as this.
pub const MAX_PAGE: u32 = 100;

/// What a page holds when the client gives no usable `count`.
const DEFAULT_PAGE: u32 = 20;

/// Answers a history query. An unknown chat or reference message gives the empty answer
/// `["response",{"type":"message"},null]`, which also marks the start of the chat.
pub(super) async fn query<S: Store>(shared: &Shared<S>, me: &Me, node: &Node) -> Handled {
    let q = HistoryQuery::from_node(node).map_err(|_| Failure(400))?;
    let count = page_size(q.count);
    let (direction, cursor) = (q.direction, q.cursor.map(Cursor::from));
    let page = if count == 0 {
        Vec::new()
    } else {
        let chat = to_whatsapp_net(&q.jid);
        match shared.store.history(&me.account, &chat, cursor, direction, count).await {
            Ok(page) => page,
            Err(StoreError::NotFound { .. }) => Vec::new(),
            Err(e) => return Err(e.into()),
        }
    };
    Ok(response(PageKind::Message, &page))
}

/// Answers a starred-messages query: the latest `count` starred messages, oldest first, of the
/// chat `jid` or of every chat.
pub(super) async fn starred<S: Store>(shared: &Shared<S>, me: &Me, node: &Node) -> Handled {
    let q = StarQuery::from_node(node).map_err(|_| Failure(400))?;
    let count = page_size(q.count);
    let chat = q.jid.as_deref().map(to_whatsapp_net);
    let page = if count == 0 {
        Vec::new()
    } else {
        shared.store.starred_messages(&me.account, chat, count).await?
    };
    Ok(response(PageKind::Star, &page))
}

/// Answers `query type=message_info` for one of the account's own messages (`index`) in the
/// chat `jid`: the `read`, `delivery` and `played` lists, each only once the peer reached it,
/// with the time it did. `404` for a message that is not the account's own (or not there). In
/// a group, see `group_message_info`.
pub(super) async fn message_info<S: Store>(shared: &Shared<S>, me: &Me, node: &Node) -> Handled {
    let MessageInfoQuery { jid, id } =
        MessageInfoQuery::from_node(node).map_err(|_| Failure(400))?;
    if is_group(&jid) {
        return group_message_info(shared, me, &jid, &id).await;
    }
    let peer = person_number(&jid).ok_or(Failure(404))?;
    let key = MessageKey { chat_jid: to_whatsapp_net(&jid), id, from_me: true };
    let m = shared.store.find_message(&me.account, key).await?.ok_or(Failure(404))?;
    let level = |t: Option<u64>| t.map(|t| receipt(&peer, t)).into_iter().collect();
    let info = MessageInfo {
        read: level(m.receipts.read),
        delivered: level(m.receipts.delivered),
        played: level(m.receipts.played),
    };
    Ok(Reply::Node(info.to_node()))
}

/// `message_info` for our message in a group: every member it went to under `delivery` (at the
/// time it was stored), and under `read` those who read it, with when.
async fn group_message_info<S: Store>(shared: &Shared<S>, me: &Me, gid: &str, id: &str) -> Handled {
    let key = MessageKey { chat_jid: gid.to_owned(), id: id.to_owned(), from_me: true };
    let receipts = shared.store.group_receipts(&me.account, key).await?.ok_or(Failure(404))?;
    let info = MessageInfo {
        read: receipts.reads.iter().map(|(phone, t)| receipt(phone, *t)).collect(),
        delivered: receipts.recipients.iter().map(|p| receipt(p, receipts.delivered)).collect(),
        played: Vec::new(),
    };
    Ok(Reply::Node(info.to_node()))
}

/// Who reached a level of a message, and when.
fn receipt(phone: &str, t: u64) -> Receipt {
    Receipt { jid: person_jid(phone), t }
}

/// The asked `count`, bounded.
fn page_size(count: Option<u32>) -> u32 {
    count.unwrap_or(DEFAULT_PAGE).min(MAX_PAGE)
}

/// A page of stored messages, each with its current status and star.
fn response(kind: PageKind, page: &[StoredMessage]) -> Reply {
    let messages = page.iter().map(stored_payload).collect();
    Reply::Node(MessagePage { kind, messages }.into_node())
}
