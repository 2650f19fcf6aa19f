//! The chat list and the contact list (`query type=chat|contacts`, and the `preempt` pushes of
//! the initial sync): each is sent in full once per connection, then answered as `duplicate`
//! unless the client asks again with `kind:"retry"` (docs/PROTOCOL.md §8.3).

use waweb_proto::binary::jid::to_c_us;
use waweb_proto::binary::Node;

use super::common::Handled;
use super::Reply;
use crate::context::{Me, Shared};
use crate::hub::FullList;
use crate::store::{Chat, Contact, Store, StoreError};

/// `["chat",{jid,count,t,mute?,modify_tag,spam,archive?,pin?,name?},null]`.
pub fn chat_item(chat: &Chat) -> Node {
    let mut node = Node::new("chat")
        .attr("jid", to_c_us(&chat.jid))
        .attr("count", chat.unread.to_string())
        .attr("t", chat.t.to_string());
    if chat.mute_until != 0 {
        node = node.attr("mute", chat.mute_until.to_string());
    }
    node = node
        .attr("modify_tag", chat.modify_tag.to_string())
        .attr("spam", if chat.spam { "true" } else { "false" });
    if chat.archived {
        node = node.attr("archive", "true");
    }
    if chat.pinned != 0 {
        node = node.attr("pin", chat.pinned.to_string());
    }
    if let Some(name) = &chat.name {
        node = node.attr("name", name.clone());
    }
    node
}

/// `["user",{jid,notify?,name?,short?},null]`.
pub fn contact_item(contact: &Contact) -> Node {
    let mut node = Node::new("user").attr("jid", to_c_us(&contact.jid));
    for (key, value) in
        [("notify", &contact.notify), ("name", &contact.name), ("short", &contact.short)]
    {
        if let Some(value) = value {
            node = node.attr(key, value.clone());
        }
    }
    node
}

/// `["response",{"type":kind},[items…]]`. With no item the child list is there but empty:
/// Baileys skips a list without content and would keep asking for it.
pub fn full_list(kind: &str, items: Vec<Node>) -> Node {
    Node::new("response").attr("type", kind).children(items)
}

/// `["response",{"type":kind,"duplicate":"true"},null]`.
pub fn duplicate(kind: &str) -> Node {
    Node::new("response").attr("type", kind).attr("duplicate", "true")
}

/// The account's chat list as a `response type=chat` node (most recent first).
pub async fn chat_list<S: Store>(store: &S, account: &str) -> Result<Node, StoreError> {
    Ok(chat_list_node(&store.chats(account).await?))
}

/// [`chat_list`] from chats already read.
pub fn chat_list_node(chats: &[Chat]) -> Node {
    full_list("chat", chats.iter().map(chat_item).collect())
}

/// The account's contact list as a `response type=contacts` node.
pub async fn contact_list<S: Store>(store: &S, account: &str) -> Result<Node, StoreError> {
    Ok(contact_list_node(&store.contacts(account).await?))
}

/// [`contact_list`] from contacts already read.
pub fn contact_list_node(contacts: &[Contact]) -> Node {
    full_list("contacts", contacts.iter().map(contact_item).collect())
}

/// Answers `query type=chat|contacts`.
pub(super) async fn query<S: Store>(
    shared: &Shared<S>,
    me: &Me,
    node: &Node,
    list: FullList,
) -> Handled {
    let kind = match list {
        FullList::Chats => "chat",
        FullList::Contacts => "contacts",
    };
    let first = shared.hub.claim_full_list(me.connection, list);
    if !first && node.get_attr("kind") != Some("retry") {
        return Ok(Reply::Node(duplicate(kind)));
    }
    let answer = match list {
        FullList::Chats => chat_list(shared.store.as_ref(), &me.account).await?,
        FullList::Contacts => contact_list(shared.store.as_ref(), &me.account).await?,
    };
    Ok(Reply::Node(answer))
}
