//! Binary queries: `["query",{"type":T,…},null]`, answered with a `response` node
//! (docs/PROTOCOL.md §8.3). The shapes are in [`waweb_proto::query`]; which types this server
//! answers, and how, is decided here.

use waweb_proto::binary::Node;
use waweb_proto::query::empty::{EmptyResponse, SearchResponse};
use waweb_proto::query::QueryType;

use super::common::{Failure, Handled};
use super::{group_info, history, lists, media_query, Reply};
use crate::context::{Me, Shared};
use crate::hub::FullList;
use crate::store::Store;

/// Query types the server knows but has nothing for: an empty `response` of the same type.
const EMPTY: [QueryType; 5] = [
    QueryType::Status,
    QueryType::Emoji,
    QueryType::QuickReply,
    QueryType::Label,
    QueryType::MediaMessage,
];

/// Query types the server knows and does not implement: `{"status":501}`.
const NOT_IMPLEMENTED: [QueryType; 6] = [
    QueryType::Url,
    QueryType::Identity,
    QueryType::Preview,
    QueryType::Resume,
    QueryType::Receipt,
    QueryType::Action,
];

/// Answers one query node.
pub(super) async fn answer<S: Store>(shared: &Shared<S>, me: &Me, node: &Node) -> Handled {
    match QueryType::of(node) {
        Some(QueryType::Chat) => lists::query(shared, me, node, FullList::Chats).await,
        Some(QueryType::Contacts) => lists::query(shared, me, node, FullList::Contacts).await,
        Some(QueryType::Message) => history::query(shared, me, node).await,
        Some(QueryType::Star) => history::starred(shared, me, node).await,
        Some(QueryType::MessageInfo) => history::message_info(shared, me, node).await,
        Some(QueryType::Group) => group_info::query(shared, me, node).await,
        Some(QueryType::Media) => media_query::answer(shared, me, node).await,
        // Nothing is searchable: the first page is also the last.
        Some(QueryType::Search) => Ok(Reply::Node(SearchResponse { last: true }.to_node())),
        Some(kind) if EMPTY.contains(&kind) => Ok(Reply::Node(EmptyResponse { kind }.to_node())),
        Some(kind) if NOT_IMPLEMENTED.contains(&kind) => Err(Failure(501)),
        _ => Err(Failure(400)),
    }
}
