//! Binary actions: `["action",{"type":"set"|"relay","epoch"},[child…]]` (docs/PROTOCOL.md §8.5,
//! §8.9). Each child is handled in order; the first failure is the answer.

use waweb_proto::action::RequestKind;
use waweb_proto::binary::Node;

use super::common::{ok, Failure, Handled};
use super::{chat, group, picture, presence, profile, read, relay, Turn};
use crate::context::{Me, Shared};
use crate::store::Store;

/// Performs one action node; a relay takes `turn` (see [`Turn`]).
pub(super) async fn perform<S: Store>(
    shared: &Shared<S>,
    me: &Me,
    node: &Node,
    turn: &mut Turn,
) -> Handled {
    match RequestKind::of(node) {
        Ok(RequestKind::Relay) => relay::relay(shared, me, node, turn).await,
        Ok(RequestKind::Set) => {
            let children = node.child_nodes();
            if children.is_empty() {
                return Err(Failure(400));
            }
            let mut reply = ok();
            for child in children {
                reply = Ok(one(shared, me, child).await?);
            }
            reply
        }
        Err(_) => Err(Failure(400)),
    }
}

/// Performs one child of `action type=set`.
async fn one<S: Store>(shared: &Shared<S>, me: &Me, child: &Node) -> Handled {
    match child.description.as_str() {
        "presence" => presence::action(shared, me, child).await,
        "read" => read::read(shared, me, child).await,
        "received" => read::received(shared, me, child).await,
        "chat" => chat::action(shared, me, child).await,
        "block" => profile::block(shared, me, child).await,
        "status" => profile::status(shared, me, child).await,
        "profile" => profile::profile(shared, me, child).await,
        "spam" => chat::report_spam(shared, me, child).await,
        "picture" => picture::action(shared, me, child).await,
        "group" => group::action(shared, me, child).await,
        "contacts" => Err(Failure(501)),
        _ => Err(Failure(400)),
    }
}
