//! Binary queries: `["query",{"type":T,…},null]`, answered with a `response` node
//! (docs/PROTOCOL.md §8.3).

use waweb_proto::binary::Node;

use super::common::{Failure, Handled};
use super::{group_info, history, lists, media_query, Reply};
use crate::context::{Me, Shared};
use crate::hub::FullList;
use crate::store::Store;

/// Query types the server knows but has nothing for: an empty `response` of the same type.
const EMPTY: [&str; 6] = ["status", "emoji", "quick_reply", "label", "media_message", "search"];

/// Query types the server knows and does not implement: `{"status":501}`.
const NOT_IMPLEMENTED: [&str; 6] = ["url", "identity", "preview", "resume", "receipt", "action"];

/// Answers one query node.
pub(super) async fn answer<S: Store>(shared: &Shared<S>, me: &Me, node: &Node) -> Handled {
    match node.get_attr("type") {
        Some("chat") => lists::query(shared, me, node, FullList::Chats).await,
        Some("contacts") => lists::query(shared, me, node, FullList::Contacts).await,
        Some("message") => history::query(shared, me, node).await,
        Some("star") => history::starred(shared, me, node).await,
        Some("message_info") => history::message_info(shared, me, node).await,
        Some("group") => group_info::query(shared, me, node).await,
        Some("media") => media_query::answer(shared, me, node).await,
        Some("search") => {
            Ok(Reply::Node(Node::new("response").attr("type", "search").attr("last", "true")))
        }
        Some(kind) if EMPTY.contains(&kind) => {
            Ok(Reply::Node(Node::new("response").attr("type", kind)))
        }
        Some(kind) if NOT_IMPLEMENTED.contains(&kind) => Err(Failure(501)),
        _ => Err(Failure(400)),
    }
}
