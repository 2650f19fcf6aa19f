//! History pages: `query type=message` with `jid`, `count`, `kind` before/after and an optional
//! reference message (`index`, `owner`), answered oldest first (docs/PROTOCOL.md §8.4); and the
//! starred messages, `query type=star` with `count` and an optional `jid`.

use waweb_proto::binary::Node;

use super::common::{chat_key, message_node, Failure, Handled};
use super::Reply;
use crate::context::{Me, Shared};
use crate::store::{Cursor, Direction, Store, StoreError, StoredMessage};

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
        let chat = chat_key(jid);
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
    let chat = node.get_attr("jid").map(chat_key);
    let page = if count == 0 {
        Vec::new()
    } else {
        shared.store.starred_messages(&me.account, chat, count).await?
    };
    Ok(response("star", &page))
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
