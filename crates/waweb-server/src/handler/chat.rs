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

use waweb_proto::action::chat::{ChatAction, ChatChange, SpamReport};
use waweb_proto::action::{ActionPush, MessageRef};
use waweb_proto::binary::jid::to_whatsapp_net;
use waweb_proto::binary::Node;

use super::common::{node_push, ok, Failure, Handled};
use crate::context::{Me, Shared};
use crate::store::{ChatUpdate, ClearScope, Cursor, MessageKey, Store};

/// The action `chat`.
pub(super) async fn action<S: Store>(shared: &Shared<S>, me: &Me, child: &Node) -> Handled {
    // Too many items is refused before they are read (reading them is work too).
    let lists = matches!(child.get_attr("type"), Some("star" | "unstar" | "clear"));
    if lists && child.get_attr("jid").is_some() && child.child_nodes().len() > MAX_ITEMS {
        return Err(Failure(413));
    }
    let ChatAction { jid, change } = ChatAction::from_node(child).map_err(|_| Failure(400))?;
    let chat = to_whatsapp_net(&jid);
    let update = match change {
        ChatChange::Archive(on) => ChatUpdate::Archive(on),
        // No time is "off" (unmute, unpin).
        ChatChange::Mute(until) => ChatUpdate::Mute(until.unwrap_or(0)),
        ChatChange::Pin(at) => ChatUpdate::Pin(at.unwrap_or(0)),
        ChatChange::Spam => ChatUpdate::Spam(true),
        ChatChange::Star { on, items } => {
            if items.is_empty() {
                return Err(Failure(400));
            }
            return apply(shared, me, child, Change::Star(keys(&chat, items), on)).await;
        }
        ChatChange::Clear { items, up_to, star } => {
            let change = if items.is_empty() {
                let scope =
                    ClearScope { up_to: up_to.map(Cursor::from), starred: star == Some(true) };
                Change::Clear(chat, scope)
            } else {
                Change::RemoveMessages(keys(&chat, items))
            };
            return apply(shared, me, child, change).await;
        }
        ChatChange::Delete => return apply(shared, me, child, Change::Delete(chat)).await,
    };
    shared.store.update_chat(&me.account, &chat, update).await?;
    ok()
}

/// The action `["spam",{"jid"},null]`: the chat is marked as spam, as `chat type=spam` does
/// (blocking the sender is a separate `block` action).
pub(super) async fn report_spam<S: Store>(shared: &Shared<S>, me: &Me, child: &Node) -> Handled {
    let SpamReport { jid } = SpamReport::from_node(child).map_err(|_| Failure(400))?;
    shared.store.update_chat(&me.account, &to_whatsapp_net(&jid), ChatUpdate::Spam(true)).await?;
    ok()
}

/// A change to a chat's messages, or to the chat as a whole.
enum Change {
    Star(Vec<MessageKey>, bool),
    RemoveMessages(Vec<MessageKey>),
    Clear(String, ClearScope),
    Delete(String),
}

/// The most messages one action may name: each is a statement on the store's one writer, so
/// an unbounded list would hold up every account's writes (the official client sends a few).
const MAX_ITEMS: usize = 500;

/// The store's keys of the messages of `chat` named by `item`s.
fn keys(chat: &str, items: Vec<MessageRef>) -> Vec<MessageKey> {
    items
        .into_iter()
        .map(|m| MessageKey { chat_jid: chat.to_owned(), id: m.id, from_me: m.from_me })
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
    // The node as it came, not as read: the other devices get what this one sent.
    let elsewhere = ActionPush { children: vec![child.clone()] };
    shared.hub.deliver_except(&me.account, me.connection, node_push(elsewhere.into_node()));
    ok()
}
