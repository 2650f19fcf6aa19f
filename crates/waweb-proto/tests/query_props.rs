//! Property tests for `waweb_proto::query`: every request and answer reads back as itself from
//! its own node, and again after the node went through the WABinary codec.

use proptest::prelude::*;
use waweb_proto::binary::{decode, encode, Node};
use waweb_proto::query::chats::{Chat, ChatList, ChatsQuery};
use waweb_proto::query::contacts::{Contact, ContactList, ContactsQuery};
use waweb_proto::query::emoji::{Emoji, EmojiList};
use waweb_proto::query::empty::{EmptyResponse, SearchResponse};
use waweb_proto::query::group::{
    Description, GroupInfo, GroupQuery, GroupResponse, Participant, Role,
};
use waweb_proto::query::history::{Cursor, Direction, HistoryQuery};
use waweb_proto::query::media::{MediaQuery, MediaResponse};
use waweb_proto::query::message_info::{MessageInfo, MessageInfoQuery, Receipt};
use waweb_proto::query::page::{MessagePage, PageKind};
use waweb_proto::query::star::StarQuery;
use waweb_proto::query::QueryType;

#[allow(dead_code)]
#[path = "support/node_strategies.rs"]
mod strategies;

use strategies::string;

/// The node as it arrives on the other side.
fn wire(node: Node) -> Node {
    decode(&encode(&node)).expect("an encoded node decodes")
}

/// Checks both readings of `node`: as built, and after the codec.
macro_rules! reads_back {
    ($ty:ty, $value:expr) => {{
        let value = $value;
        let node = value.to_node();
        prop_assert_eq!(<$ty>::from_node(&node), Ok(value.clone()));
        prop_assert_eq!(<$ty>::from_node(&wire(node)), Ok(value));
    }};
}

fn opt_string() -> impl Strategy<Value = Option<String>> {
    proptest::option::of(string())
}

fn chat() -> impl Strategy<Value = Chat> {
    let head = (string(), opt_string(), any::<i64>(), any::<u64>(), any::<u64>());
    let tail = (any::<bool>(), proptest::option::of(any::<u64>()), any::<u64>(), any::<bool>());
    (head, tail).prop_map(|((jid, name, unread, t, mute), (archived, pin, modify_tag, spam))| {
        Chat { jid, name, unread, t, mute, archived, pin, modify_tag, spam }
    })
}

fn contact() -> impl Strategy<Value = Contact> {
    (string(), opt_string(), opt_string(), opt_string())
        .prop_map(|(jid, name, notify, short)| Contact { jid, name, notify, short })
}

fn receipt() -> impl Strategy<Value = Receipt> {
    (string().prop_filter("non-empty", |s| !s.is_empty()), any::<u64>())
        .prop_map(|(jid, t)| Receipt { jid, t })
}

fn receipts() -> impl Strategy<Value = Vec<Receipt>> {
    proptest::collection::vec(receipt(), 0..4)
}

fn participant() -> impl Strategy<Value = Participant> {
    let role = prop_oneof![Just(Role::Member), Just(Role::Admin), Just(Role::SuperAdmin)];
    (string(), role).prop_map(|(jid, role)| Participant { jid, role })
}

fn group_info() -> impl Strategy<Value = GroupInfo> {
    let description =
        proptest::option::of((string(), string()).prop_map(|(id, text)| Description { id, text }));
    (string(), any::<u64>(), string(), proptest::collection::vec(participant(), 0..5), description)
        .prop_map(|(creator, created, subject, participants, description)| GroupInfo {
            creator,
            created,
            subject,
            participants,
            description,
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn list_queries(retry in any::<bool>()) {
        reads_back!(ChatsQuery, ChatsQuery { retry });
        reads_back!(ContactsQuery, ContactsQuery { retry });
    }

    #[test]
    fn chat_lists(chats in proptest::collection::vec(chat(), 0..5), duplicate in any::<bool>()) {
        for chat in &chats {
            reads_back!(Chat, chat.clone());
        }
        let list = if duplicate { ChatList::Duplicate } else { ChatList::Full(chats) };
        reads_back!(ChatList, list);
    }

    #[test]
    fn contact_lists(users in proptest::collection::vec(contact(), 0..5), duplicate in any::<bool>()) {
        let list = if duplicate { ContactList::Duplicate } else { ContactList::Full(users) };
        reads_back!(ContactList, list);
    }

    #[test]
    fn history_queries(
        jid in string(),
        after in any::<bool>(),
        count in proptest::option::of(any::<u32>()),
        cursor in proptest::option::of((string(), any::<bool>(), opt_string())),
    ) {
        let direction = if after { Direction::After } else { Direction::Before };
        let cursor = cursor.map(|(id, from_me, participant)| Cursor { id, from_me, participant });
        reads_back!(HistoryQuery, HistoryQuery { jid, direction, count, cursor });
    }

    #[test]
    fn star_queries(count in proptest::option::of(any::<u32>()), jid in opt_string()) {
        reads_back!(StarQuery, StarQuery { count, jid });
    }

    #[test]
    fn message_pages(star in any::<bool>(), messages in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..64), 0..4)) {
        let kind = if star { PageKind::Star } else { PageKind::Message };
        let page = MessagePage { kind, messages };
        prop_assert_eq!(MessagePage::from_node(&page.clone().into_node()), Ok(page.clone()));
        reads_back!(MessagePage, page);
    }

    #[test]
    fn message_info(jid in string(), id in string(), read in receipts(), delivered in receipts(), played in receipts()) {
        reads_back!(MessageInfoQuery, MessageInfoQuery { jid, id });
        reads_back!(MessageInfo, MessageInfo { read, delivered, played });
    }

    #[test]
    fn groups(jid in string(), info in proptest::option::of(group_info())) {
        reads_back!(GroupQuery, GroupQuery { jid });
        reads_back!(GroupResponse, info.map_or(GroupResponse::Missing, GroupResponse::Group));
    }

    #[test]
    fn media(jid in string(), id in string(), from_me in any::<bool>(), url in string(), path in string()) {
        reads_back!(MediaQuery, MediaQuery { jid, id, from_me });
        reads_back!(MediaResponse, MediaResponse { url, direct_path: path });
    }

    #[test]
    fn emoji_and_empty(items in proptest::collection::vec((string(), string()), 0..4), kind in proptest::sample::select(QueryType::ALL.to_vec()), last in any::<bool>()) {
        let items = items.into_iter().map(|(code, value)| Emoji { code, value }).collect();
        reads_back!(EmojiList, EmojiList { items });
        reads_back!(EmptyResponse, EmptyResponse { kind });
        reads_back!(SearchResponse, SearchResponse { last });
    }

    /// No node makes a reader panic.
    #[test]
    fn readers_are_total(node in strategies::node()) {
        let _ = ChatList::from_node(&node);
        let _ = ContactList::from_node(&node);
        let _ = HistoryQuery::from_node(&node);
        let _ = StarQuery::from_node(&node);
        let _ = MessagePage::from_node(&node);
        let _ = MessageInfo::from_node(&node);
        let _ = MessageInfoQuery::from_node(&node);
        let _ = GroupResponse::from_node(&node);
        let _ = MediaQuery::from_node(&node);
        let _ = MediaResponse::from_node(&node);
        let _ = EmojiList::from_node(&node);
        let _ = EmptyResponse::from_node(&node);
        let _ = SearchResponse::from_node(&node);
    }
}
