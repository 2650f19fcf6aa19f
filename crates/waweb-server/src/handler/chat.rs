//! Chat actions from the browser (docs/PROTOCOL.md §8.5):
//!
//! * attributes: `["chat",{"type":"archive"|"unarchive"|"mute"|"pin"|"spam","jid",…},null]`,
//!   stored and shown in later chat lists;
//! * stars: `["chat",{"type":"star"|"unstar","jid"},[["item",{"index","owner"},null],…]]`;
//! * "delete for me": `type:"clear"` with `item`s removes those messages; without, it empties
//!   the chat up to its `index`/`owner` message (all of it if absent), starred messages
//!   included only with `star:"true"`; `type:"delete"` removes the chat and its messages.
//!
//! A spam report, `["spam",{"jid"},null]`, marks the chat as `type:"spam"` does.
//!
//! Stars, clears and deletes are also pushed to the account's other connections as
//! `["action",null,[<the same chat node>]]`, the form a phone sends its browser.

use waweb_proto::binary::jid::to_whatsapp_net;
use waweb_proto::binary::Node;

use super::common::{node_push, ok, Failure, Handled};
use crate::context::{Me, Shared};
use crate::store::{ChatUpdate, ClearScope, Cursor, MessageKey, Store};

/// A Unix-seconds attribute; absent means "off" (unmute, unpin).
fn seconds(child: &Node, key: &str) -> Result<u64, Failure> {
    child.get_attr(key).map_or(Ok(0), |v| v.parse().map_err(|_| Failure(400)))
}

/// The action `chat`.
pub(super) async fn action<S: Store>(shared: &Shared<S>, me: &Me, child: &Node) -> Handled {
    let jid = child.get_attr("jid").ok_or(Failure(400))?;
    let chat = to_whatsapp_net(jid);
    let update = match child.get_attr("type") {
        Some("archive") => ChatUpdate::Archive(true),
        Some("unarchive") => ChatUpdate::Archive(false),
        Some("mute") => ChatUpdate::Mute(seconds(child, "mute")?),
        Some("pin") => ChatUpdate::Pin(seconds(child, "pin")?),
        Some("spam") => ChatUpdate::Spam(true),
        Some(kind @ ("star" | "unstar")) => {
            return apply(shared, me, child, star(child, &chat, kind == "star")?).await
        }
        Some("clear") => return apply(shared, me, child, clear(child, &chat)?).await,
        Some("delete") => return apply(shared, me, child, Change::Delete(chat)).await,
        _ => return Err(Failure(400)),
    };
    shared.store.update_chat(&me.account, &chat, update).await?;
    ok()
}

/// The action `["spam",{"jid"},null]`: the chat is marked as spam, as `chat type=spam` does
/// (blocking the sender is a separate `block` action).
pub(super) async fn report_spam<S: Store>(shared: &Shared<S>, me: &Me, child: &Node) -> Handled {
    let jid = child.get_attr("jid").ok_or(Failure(400))?;
    shared.store.update_chat(&me.account, &to_whatsapp_net(jid), ChatUpdate::Spam(true)).await?;
    ok()
}

/// A change to a chat's messages, or to the chat as a whole.
enum Change {
    Star(Vec<MessageKey>, bool),
    RemoveMessages(Vec<MessageKey>),
    Clear(String, ClearScope),
    Delete(String),
}

fn star(child: &Node, chat: &str, on: bool) -> Result<Change, Failure> {
    let keys = items(child, chat)?;
    if keys.is_empty() {
        return Err(Failure(400));
    }
    Ok(Change::Star(keys, on))
}

fn clear(child: &Node, chat: &str) -> Result<Change, Failure> {
    let keys = items(child, chat)?;
    if !keys.is_empty() {
        return Ok(Change::RemoveMessages(keys));
    }
    let up_to = child
        .get_attr("index")
        .map(|id| Cursor { id: id.to_owned(), from_me: child.get_attr("owner") == Some("true") });
    let scope = ClearScope { up_to, starred: child.get_attr("star") == Some("true") };
    Ok(Change::Clear(chat.to_owned(), scope))
}

/// The most messages one action may name: each is a statement on the store's one writer, so
/// an unbounded list would hold up every account's writes (the official client sends a few).
const MAX_ITEMS: usize = 500;

/// The messages named by `["item",{"index","owner"},null]` children.
fn items(child: &Node, chat: &str) -> Result<Vec<MessageKey>, Failure> {
    if child.child_nodes().len() > MAX_ITEMS {
        return Err(Failure(413));
    }
    child
        .child_nodes()
        .iter()
        .map(|item| match (item.description.as_str(), item.get_attr("index")) {
            ("item", Some(id)) if !id.is_empty() => Ok(MessageKey {
                chat_jid: chat.to_owned(),
                id: id.to_owned(),
                from_me: item.get_attr("owner") == Some("true"),
            }),
            _ => Err(Failure(400)),
        })
        .collect()
}

/// Applies the change, then tells the account's other connections.
async fn apply<S: Store>(shared: &Shared<S>, me: &Me, child: &Node, change: Change) -> Handled {
    let store = shared.store.as_ref();
    match change {
        Change::Star(keys, on) => {
            // Starring only messages the account does not have is a mistake worth telling.
            if store.set_starred(&me.account, keys, on).await? == 0 {
                return Err(Failure(404));
            }
        }
        // Deleting is idempotent: a message already gone is what was asked for.
        Change::RemoveMessages(keys) => {
            store.delete_messages(&me.account, keys).await?;
        }
        Change::Clear(chat, scope) => {
            store.clear_chat(&me.account, &chat, scope).await?;
        }
        Change::Delete(chat) => store.delete_chat(&me.account, &chat).await?,
    }
    let elsewhere = Node::new("action").children(vec![child.clone()]);
    shared.hub.deliver_except(&me.account, me.connection, node_push(elsewhere));
    ok()
}
