//! History pages: `query type=message` with `jid`, `count`, `kind` before/after and an optional
//! reference message (`index`, `owner`), answered oldest first (docs/PROTOCOL.md §8.4); and the
//! starred messages, `query type=star` with `count` and an optional `jid`; and who got and read
//! one of the account's messages, `query type=message_info` with `jid` and `index`.

use waweb_proto::binary::jid::{is_group, person_jid, person_number, to_whatsapp_net};
use waweb_proto::binary::Node;

use super::common::{message_node, Failure, Handled};
use super::Reply;
use crate::context::{Me, Shared};
use crate::store::{Cursor, Direction, MessageKey, Store, StoreError, StoredMessage};

/// Most messages one page holds; larger `count`s are treated as this.
pub const MAX_PAGE: u32 = 100;

/// What a page holds when the client gives no usable `count`.
const DEFAULT_PAGE: u32 = 20;

/// Answers a history query. An unknown chat or reference message gives the empty answer
/// `["response",{"type":"message"},null]`, which also marks the start of the chat.
pub(super) async fn query<S: Store>(shared: &Shared<S>, me: &Me, node: &Node) -> Handled {
    let jid = node.get_attr("jid").ok_or(Failure(400))?;
    let count = page_size(node);
    let direction = match node.get_attr("kind") {
        Some("after") => Direction::After,
        _ => Direction::Before,
    };
    let cursor = node
        .get_attr("index")
        .map(|id| Cursor { id: id.to_owned(), from_me: node.get_attr("owner") == Some("true") });
    let page = if count == 0 {
        Vec::new()
    } else {
        let chat = to_whatsapp_net(jid);
        match shared.store.history(&me.account, &chat, cursor, direction, count).await {
            Ok(page) => page,
            Err(StoreError::NotFound { .. }) => Vec::new(),
            Err(e) => return Err(e.into()),
        }
    };
    Ok(response("message", &page))
}

/// Answers a starred-messages query: the latest `count` starred messages, oldest first, of the
/// chat `jid` or of every chat.
pub(super) async fn starred<S: Store>(shared: &Shared<S>, me: &Me, node: &Node) -> Handled {
    let count = page_size(node);
    let chat = node.get_attr("jid").map(to_whatsapp_net);
    let page = if count == 0 {
        Vec::new()
    } else {
        shared.store.starred_messages(&me.account, chat, count).await?
    };
    Ok(response("star", &page))
}

/// Answers `query type=message_info` for one of the account's own messages (`index`) in the
/// chat `jid`: `["response",{"type":"message_info"},[["read",null,[["user",{"jid","t"}]]],
/// ["delivery",…],["played",…]]]`, each list only once the peer reached it, with the time it
/// did. `404` for a message that is not the account's own (or not there). In a group, see
/// `group_message_info`.
pub(super) async fn message_info<S: Store>(shared: &Shared<S>, me: &Me, node: &Node) -> Handled {
    let (Some(jid), Some(id)) = (node.get_attr("jid"), node.get_attr("index")) else {
        return Err(Failure(400));
    };
    if is_group(jid) {
        return group_message_info(shared, me, jid, id).await;
    }
    let peer = person_number(jid).ok_or(Failure(404))?;
    let key = MessageKey { chat_jid: to_whatsapp_net(jid), id: id.to_owned(), from_me: true };
    let m = shared.store.find_message(&me.account, key).await?.ok_or(Failure(404))?;
    let level = |t: Option<u64>| t.map(|t| user(&peer, t)).into_iter().collect();
    Ok(info_response([
        ("read", level(m.receipts.read)),
        ("delivery", level(m.receipts.delivered)),
        ("played", level(m.receipts.played)),
    ]))
}

/// `message_info` for our message in a group: every member it went to under `delivery` (at the
/// time it was stored), and under `read` those who read it, with when.
async fn group_message_info<S: Store>(shared: &Shared<S>, me: &Me, gid: &str, id: &str) -> Handled {
    let key = MessageKey { chat_jid: gid.to_owned(), id: id.to_owned(), from_me: true };
    let receipts = shared.store.group_receipts(&me.account, key).await?.ok_or(Failure(404))?;
    let reads = receipts.reads.iter().map(|(phone, t)| user(phone, *t)).collect();
    let delivered =
        receipts.recipients.iter().map(|phone| user(phone, receipts.delivered)).collect();
    Ok(info_response([("read", reads), ("delivery", delivered)]))
}

/// `["user",{"jid","t"},null]`: who reached a level of a message, and when.
fn user(phone: &str, t: u64) -> Node {
    Node::new("user").attr("jid", person_jid(phone)).attr("t", t.to_string())
}

/// `["response",{"type":"message_info"},[[level,null,[user…]]…]]` with the levels that have
/// users, in the order given; no content if none has.
fn info_response<const N: usize>(levels: [(&str, Vec<Node>); N]) -> Reply {
    let lists: Vec<Node> = levels
        .into_iter()
        .filter(|(_, users)| !users.is_empty())
        .map(|(name, users)| Node::new(name).children(users))
        .collect();
    let answer = Node::new("response").attr("type", "message_info");
    Reply::Node(if lists.is_empty() { answer } else { answer.children(lists) })
}

/// The `count` attribute, bounded.
fn page_size(node: &Node) -> u32 {
    node.get_attr("count").and_then(|c| c.parse::<u32>().ok()).unwrap_or(DEFAULT_PAGE).min(MAX_PAGE)
}

/// `["response",{"type":kind},[message…]]`, or no content for an empty page.
fn response(kind: &str, page: &[StoredMessage]) -> Reply {
    let answer = Node::new("response").attr("type", kind);
    Reply::Node(if page.is_empty() {
        answer
    } else {
        answer.children(page.iter().map(message_node).collect())
    })
}
