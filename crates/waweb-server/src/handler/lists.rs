//! The chat list and the contact list (`query type=chat|contacts`, and the `preempt` pushes of
//! the initial sync): each is sent in full once per connection, then answered as `duplicate`
//! unless the client asks again with `kind:"retry"` (docs/PROTOCOL.md §8.3). The wire shapes
//! are [`waweb_proto::query::chats`] and [`waweb_proto::query::contacts`].

use waweb_proto::binary::jid::to_c_us;
use waweb_proto::binary::Node;
use waweb_proto::query::chats::{self, ChatList, ChatsQuery};
use waweb_proto::query::contacts::{ContactList, ContactsQuery};

use super::common::{Failure, Handled};
use super::Reply;
use crate::context::{Me, Shared};
use crate::hub::FullList;
use crate::store::{Chat, Contact, Store};

/// A stored chat as the chat list shows it: the wire's JID spelling, no `mute` or `pin` when
/// they are 0.
fn chat_record(chat: &Chat) -> chats::Chat {
    chats::Chat {
        jid: to_c_us(&chat.jid),
        name: chat.name.clone(),
        unread: chat.unread,
        t: chat.t,
        mute: chat.mute_until,
        archived: chat.archived,
        pin: (chat.pinned != 0).then_some(chat.pinned),
        modify_tag: chat.modify_tag,
        spam: chat.spam,
    }
}

/// A stored contact as the contact list shows it (the wire's JID spelling).
fn contact_record(contact: &Contact) -> Contact {
    Contact { jid: to_c_us(&contact.jid), ..contact.clone() }
}

/// The full chat list, most recent first, as a `response type=chat` node.
pub fn chat_list_node(chats: &[Chat]) -> Node {
    ChatList::Full(chats.iter().map(chat_record).collect()).to_node()
}

/// The full contact list as a `response type=contacts` node.
pub fn contact_list_node(contacts: &[Contact]) -> Node {
    ContactList::Full(contacts.iter().map(contact_record).collect()).to_node()
}

/// Answers `query type=chat|contacts`.
pub(super) async fn query<S: Store>(
    shared: &Shared<S>,
    me: &Me,
    node: &Node,
    list: FullList,
) -> Handled {
    let retry = match list {
        FullList::Chats => ChatsQuery::from_node(node).map(|q| q.retry),
        FullList::Contacts => ContactsQuery::from_node(node).map(|q| q.retry),
    }
    .map_err(|_| Failure(400))?;
    let first = shared.hub.claim_full_list(me.connection, list);
    let (store, account) = (shared.store.as_ref(), me.account.as_str());
    let answer = match (list, first || retry) {
        (FullList::Chats, false) => ChatList::Duplicate.to_node(),
        (FullList::Contacts, false) => ContactList::Duplicate.to_node(),
        (FullList::Chats, true) => chat_list_node(&store.chats(account).await?),
        (FullList::Contacts, true) => contact_list_node(&store.contacts(account).await?),
    };
    Ok(Reply::Node(answer))
}
