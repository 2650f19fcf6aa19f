//! Known answers for `waweb_proto::query`: each request and answer against the exact node (and,
//! where docs/PROTOCOL.md §8.3–§8.4 gives one, the exact bytes) that the server, the client and
//! the bench built by hand before these types existed, and the readers' defaults on what real
//! clients leave out.

use waweb_proto::action::batch::message_payloads;
use waweb_proto::binary::{decode, encode, Node};
use waweb_proto::query::chats::{Chat, ChatList, ChatsQuery};
use waweb_proto::query::contacts::{Contact, ContactList, ContactsQuery};
use waweb_proto::query::emoji::{Emoji, EmojiList, EmojiQuery};
use waweb_proto::query::empty::{EmptyResponse, SearchResponse};
use waweb_proto::query::group::{
    Description, GroupInfo, GroupQuery, GroupResponse, Participant, Role,
};
use waweb_proto::query::history::{Cursor, Direction, HistoryQuery};
use waweb_proto::query::media::{MediaQuery, MediaResponse};
use waweb_proto::query::message_info::{MessageInfo, MessageInfoQuery, Receipt};
use waweb_proto::query::page::{MessagePage, PageKind};
use waweb_proto::query::star::StarQuery;
use waweb_proto::query::{QueryError, QueryType};

const BOB: &str = "33698765432@c.us";

fn hex(node: &Node) -> String {
    hex::encode(encode(node))
}

fn with_epoch(node: Node, epoch: &str) -> Node {
    node.attr("epoch", epoch)
}

#[test]
fn chat_list_vectors_of_section_8_3() {
    let q = with_epoch(ChatsQuery { retry: false }.to_node(), "1");
    assert_eq!(hex(&q), "f805445b136bff811f");
    assert_eq!(ChatsQuery::from_node(&q), Ok(ChatsQuery { retry: false }));
    let chat =
        Chat { jid: BOB.into(), unread: 1, t: 1_588_844_100, modify_tag: 1, ..Chat::default() };
    let answer = ChatList::Full(vec![chat.clone()]).to_node();
    assert_eq!(
        hex(&answer),
        "f8044d5b13f801f80b132dfaff8633698765432f5018ff811f57ff05158884410072ff811f7120"
    );
    assert_eq!(
        ChatList::from_node(&decode(&encode(&answer)).unwrap()),
        Ok(ChatList::Full(vec![chat]))
    );
    assert_eq!(hex(&ChatList::Duplicate.to_node()), "f8054d5b131d5a");
    let retry = ChatsQuery { retry: true }.to_node();
    assert_eq!(retry, Node::new("query").attr("type", "chat").attr("kind", "retry"));
}

#[test]
fn a_chat_item_has_the_servers_attribute_order() {
    // Every attribute, as the server's chat list wrote it.
    let chat = Chat {
        jid: "1-2@g.us".into(),
        name: Some("Climbing".into()),
        unread: -1,
        t: 7,
        mute: 9,
        archived: true,
        pin: Some(8),
        modify_tag: 3,
        spam: true,
    };
    let expected = Node::new("chat")
        .attr("jid", "1-2@g.us")
        .attr("count", "-1")
        .attr("t", "7")
        .attr("mute", "9")
        .attr("modify_tag", "3")
        .attr("spam", "true")
        .attr("archive", "true")
        .attr("pin", "8")
        .attr("name", "Climbing");
    assert_eq!(chat.to_node(), expected);
    assert_eq!(Chat::from_node(&expected), Ok(chat));
}

#[test]
fn chat_items_are_read_leniently_as_clients_did() {
    let sparse = Node::new("chat").attr("jid", BOB).attr("count", "x").attr("pin", "soon");
    let chat = Chat::from_node(&sparse).unwrap();
    assert_eq!((chat.unread, chat.t, chat.mute, chat.pin, chat.spam), (0, 0, 0, None, false));
    assert_eq!(
        Chat::from_node(&Node::new("chat").attr("count", "1")),
        Err(QueryError::Missing("jid"))
    );
    // The list keeps the readable items and skips the rest.
    let list = Node::new("response").attr("type", "chat").children(vec![
        Node::new("chat").attr("jid", BOB).attr("count", "3").attr("t", "1588844100"),
        Node::new("chat").attr("count", "1"),
        Node::new("other").attr("jid", BOB),
    ]);
    let chats = ChatList::from_node(&list).unwrap().into_chats();
    assert_eq!(chats.len(), 1);
    assert_eq!((chats[0].unread, chats[0].t), (3, 1_588_844_100));
    assert!(ChatList::Duplicate.into_chats().is_empty());
    let empty = ChatList::Full(vec![]).to_node();
    assert!(hex(&empty).ends_with("00"), "an empty list keeps its empty child list");
    assert!(matches!(
        ChatList::from_node(&Node::new("response").attr("type", "contacts")),
        Err(QueryError::WrongType { .. })
    ));
}

#[test]
fn contact_list_vectors_of_section_8_3() {
    let q = with_epoch(ContactsQuery::default().to_node(), "1");
    assert_eq!(hex(&q), "f805445b176bff811f");
    let bob = Contact {
        jid: BOB.into(),
        notify: Some("Bob".into()),
        name: Some("Bob Martin".into()),
        short: Some("Bob".into()),
    };
    let answer = ContactList::Full(vec![bob.clone()]).to_node();
    assert_eq!(
        hex(&answer),
        "f8044d5b17f801f8095f2dfaff8633698765432f503afc03426f6238fc0a426f62204d617274696e67fc03426f62"
    );
    assert_eq!(ContactList::from_node(&answer), Ok(ContactList::Full(vec![bob])));
    assert_eq!(hex(&ContactList::Duplicate.to_node()), "f8054d5b171d5a");
    let only_jid = Contact { jid: BOB.into(), ..Contact::default() };
    assert_eq!(only_jid.to_node(), Node::new("user").attr("jid", BOB));
    assert_eq!(Contact::from_node(&Node::new("user")), Err(QueryError::Missing("jid")));
    assert_eq!(
        ContactsQuery { retry: true }.to_node(),
        Node::new("query").attr("type", "contacts").attr("kind", "retry")
    );
}

#[test]
fn history_vectors_of_section_8_4() {
    let latest = HistoryQuery::latest(BOB, 2);
    assert_eq!(
        hex(&with_epoch(latest.to_node(), "6")),
        "f80b445b342e102dfaff8633698765432f5018ff812f6bff816f"
    );
    let after = HistoryQuery {
        jid: BOB.into(),
        direction: Direction::After,
        count: Some(20),
        cursor: Some(Cursor { id: "3EB0A1B2C3D4".into(), from_me: true, participant: None }),
    };
    let node = with_epoch(after.to_node(), "7");
    assert_eq!(
        hex(&node),
        "f80f445b342e0b2dfaff8633698765432f5018ff01202afb063eb0a1b2c3d43c5a6bff817f"
    );
    assert_eq!(HistoryQuery::from_node(&node), Ok(after));
    let empty = MessagePage { kind: PageKind::Message, messages: vec![] }.to_node();
    assert_eq!(hex(&empty), "f8034d5b34");
    // The bench's request: type, kind, jid, count, then epoch.
    let bench = with_epoch(HistoryQuery::latest("1@c.us", 50).to_node(), "7");
    let expected = Node::new("query")
        .attr("type", "message")
        .attr("kind", "before")
        .attr("jid", "1@c.us")
        .attr("count", "50")
        .attr("epoch", "7");
    assert_eq!(bench, expected);
}

#[test]
fn history_requests_are_read_as_the_server_did() {
    let q = |attrs: &[(&str, &str)]| {
        attrs.iter().fold(Node::new("query").attr("type", "message"), |n, (k, v)| n.attr(*k, *v))
    };
    assert_eq!(HistoryQuery::from_node(&q(&[("count", "5")])), Err(QueryError::Missing("jid")));
    let read = HistoryQuery::from_node(&q(&[("jid", BOB), ("kind", "sideways"), ("count", "-3")]))
        .unwrap();
    assert_eq!((read.direction, read.count, read.cursor), (Direction::Before, None, None));
    let read =
        HistoryQuery::from_node(&q(&[("jid", BOB), ("index", "X"), ("owner", "yes")])).unwrap();
    assert_eq!(read.cursor, Some(Cursor { id: "X".into(), from_me: false, participant: None }));
    let read = HistoryQuery::from_node(&q(&[("jid", BOB), ("owner", "true")])).unwrap();
    assert_eq!(read.cursor, None, "owner without index names no message");
}

#[test]
fn message_pages_hold_message_nodes() {
    let page = MessagePage { kind: PageKind::Star, messages: vec![vec![1, 2], vec![3]] };
    let expected = Node::new("response").attr("type", "star").children(vec![
        Node::new("message").bytes(vec![1, 2]),
        Node::new("message").bytes(vec![3]),
    ]);
    assert_eq!(page.to_node(), expected);
    assert_eq!(page.clone().into_node(), expected);
    assert_eq!(MessagePage::from_node(&expected), Ok(page));
    // A push batch carries the same nodes; an odd child is skipped, a bare message is empty.
    let push = Node::new("action").attr("add", "before").children(vec![
        Node::new("message").bytes(vec![9]),
        Node::new("battery"),
        Node::new("message"),
    ]);
    assert_eq!(message_payloads(&push).collect::<Vec<_>>(), [&[9u8][..], &[][..]]);
    assert!(matches!(
        MessagePage::from_node(&Node::new("response").attr("type", "chat")),
        Err(QueryError::WrongType { .. })
    ));
}

#[test]
fn star_requests() {
    let q = StarQuery { count: Some(10), jid: Some(BOB.into()) };
    let expected = Node::new("query").attr("type", "star").attr("count", "10").attr("jid", BOB);
    assert_eq!(q.to_node(), expected);
    assert_eq!(StarQuery::from_node(&expected), Ok(q));
    let bare = StarQuery::from_node(&Node::new("query").attr("type", "star").attr("count", "x"));
    assert_eq!(bare, Ok(StarQuery::default()));
}

#[test]
fn message_info_as_the_server_wrote_it() {
    let q = MessageInfoQuery { jid: BOB.into(), id: "3EB0".into() };
    let expected =
        Node::new("query").attr("type", "message_info").attr("index", "3EB0").attr("jid", BOB);
    assert_eq!(q.to_node(), expected);
    assert_eq!(MessageInfoQuery::from_node(&expected), Ok(q));
    let no_index = Node::new("query").attr("type", "message_info").attr("jid", BOB);
    assert_eq!(MessageInfoQuery::from_node(&no_index), Err(QueryError::Missing("index")));

    let r = |jid: &str, t| Receipt { jid: jid.into(), t };
    let user = |jid: &str, t: &str| Node::new("user").attr("jid", jid).attr("t", t);
    let info = MessageInfo {
        read: vec![r("2@c.us", 20)],
        delivered: vec![r("2@c.us", 10), r("3@c.us", 11)],
        played: vec![],
    };
    let expected = Node::new("response").attr("type", "message_info").children(vec![
        Node::new("read").children(vec![user("2@c.us", "20")]),
        Node::new("delivery").children(vec![user("2@c.us", "10"), user("3@c.us", "11")]),
    ]);
    assert_eq!(info.to_node(), expected);
    assert_eq!(MessageInfo::from_node(&expected), Ok(info));
    let none = MessageInfo::default();
    assert_eq!(none.to_node(), Node::new("response").attr("type", "message_info"));
    assert!(none.is_empty());
    // Unknown lists are skipped; a malformed user is an error.
    let odd = Node::new("response").attr("type", "message_info").children(vec![
        Node::new("seen_by_aliens").children(vec![Node::new("martian")]),
        Node::new("played").children(vec![user("2@c.us", "30")]),
    ]);
    assert_eq!(MessageInfo::from_node(&odd).unwrap().played, [r("2@c.us", 30)]);
    for bad in [user("", "1"), user("2@c.us", "x"), Node::new("martian")] {
        let node = Node::new("response")
            .attr("type", "message_info")
            .children(vec![Node::new("read").children(vec![bad])]);
        assert!(MessageInfo::from_node(&node).is_err());
    }
    let bytes = Node::new("response").attr("type", "message_info").bytes(vec![1]);
    assert_eq!(MessageInfo::from_node(&bytes), Err(QueryError::Content("response")));
}

#[test]
fn group_metadata_as_the_server_wrote_it() {
    let gid = "15550000001-1700000000@g.us";
    let q = GroupQuery { jid: gid.into() };
    assert_eq!(q.to_node(), Node::new("query").attr("type", "group").attr("jid", gid));
    assert_eq!(GroupQuery::from_node(&q.to_node()), Ok(q));
    let info = GroupInfo {
        creator: "1@c.us".into(),
        created: 1_700_000_000,
        subject: "Team".into(),
        participants: vec![
            Participant { jid: "1@c.us".into(), role: Role::SuperAdmin },
            Participant { jid: "2@c.us".into(), role: Role::Admin },
            Participant { jid: "3@c.us".into(), role: Role::Member },
        ],
        description: Some(Description { id: "D1".into(), text: "Sunday climbs".into() }),
    };
    let expected = Node::new("response").attr("type", "group").children(vec![Node::new("group")
        .attr("creator", "1@c.us")
        .attr("create", "1700000000")
        .attr("subject", "Team")
        .children(vec![
            Node::new("participant").attr("jid", "1@c.us").attr("type", "superadmin"),
            Node::new("participant").attr("jid", "2@c.us").attr("type", "admin"),
            Node::new("participant").attr("jid", "3@c.us"),
            Node::new("description").attr("id", "D1").bytes(b"Sunday climbs".to_vec()),
        ])]);
    let answer = GroupResponse::Group(info);
    assert_eq!(answer.to_node(), expected);
    assert_eq!(GroupResponse::from_node(&expected), Ok(answer));
    let missing = Node::new("response").attr("type", "missing");
    assert_eq!(GroupResponse::Missing.to_node(), missing);
    assert_eq!(GroupResponse::from_node(&missing), Ok(GroupResponse::Missing));
    let odd_role = Node::new("participant").attr("jid", "1@c.us").attr("type", "owner");
    assert!(matches!(Participant::from_node(&odd_role), Err(QueryError::Invalid { .. })));
}

#[test]
fn media_query_as_baileys_sends_it() {
    let q = MediaQuery { jid: BOB.into(), id: "3EB0".into(), from_me: true };
    let expected = Node::new("query")
        .attr("type", "media")
        .attr("index", "3EB0")
        .attr("owner", "true")
        .attr("jid", BOB);
    assert_eq!(q.to_node(), expected);
    assert_eq!(MediaQuery::from_node(&expected), Ok(q));
    let base = || Node::new("query").attr("type", "media").attr("index", "X").attr("jid", BOB);
    assert!(!MediaQuery::from_node(&base()).unwrap().from_me, "no owner is not mine");
    assert!(matches!(
        MediaQuery::from_node(&base().attr("owner", "yes")),
        Err(QueryError::Invalid { name: "owner", .. })
    ));
    let no_jid = Node::new("query").attr("type", "media").attr("index", "X");
    assert_eq!(MediaQuery::from_node(&no_jid), Err(QueryError::Missing("jid")));
    let answer = MediaResponse { url: "https://m/x".into(), direct_path: "/x".into() };
    let expected = Node::new("response").attr("url", "https://m/x").attr("directPath", "/x");
    assert_eq!(answer.to_node(), expected);
    assert_eq!(MediaResponse::from_node(&expected), Ok(answer));
}

#[test]
fn emoji_and_empty_answers_of_section_8_3() {
    assert_eq!(hex(&with_epoch(EmojiQuery.to_node(), "1")), "f805445b756bff811f");
    let list = EmojiList { items: vec![Emoji { code: "😂".into(), value: "1.0".into() }] };
    assert_eq!(hex(&list.to_node()), "f8044d5b75f801f8052c15fc04f09f988260ff821b0f");
    assert_eq!(EmojiList::from_node(&list.to_node()), Ok(list));
    assert_eq!(EmojiList::default().to_node(), Node::new("response").attr("type", "emoji"));
    let odd = Node::new("response").attr("type", "emoji").children(vec![
        Node::new("item").attr("code", "x"),
        Node::new("thing").attr("code", "y").attr("value", "2"),
    ]);
    let items = EmojiList::from_node(&odd).unwrap().items;
    assert_eq!(items, [Emoji { code: "y".into(), value: "2".into() }]);

    let status = EmptyResponse { kind: QueryType::Status };
    assert_eq!(hex(&status.to_node()), "f8034d5b54");
    assert_eq!(EmptyResponse::from_node(&status.to_node()), Ok(status));
    let quick = EmptyResponse { kind: QueryType::QuickReply }.to_node();
    assert_eq!(hex(&quick), "f8034d5ba2");
    assert!(EmptyResponse::from_node(&quick.clone().children(vec![])).is_err());
    let search = SearchResponse { last: true }.to_node();
    assert_eq!(search, Node::new("response").attr("type", "search").attr("last", "true"));
    assert_eq!(SearchResponse::from_node(&search), Ok(SearchResponse { last: true }));
}
