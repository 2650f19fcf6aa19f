//! Round trips: every action family survives `to_node`, the wire and `from_node`, and any node
//! reads as an action or a typed error.

use proptest::prelude::*;

use crate::action::batch::{BatchKind, MessageBatch};
use crate::action::battery::Battery;
use crate::action::chat::{ChatAction, ChatChange, SpamReport};
use crate::action::group::{GroupAction, GroupChange, GroupDescription, GroupProp};
use crate::action::presence::{ChatState, PresenceAction};
use crate::action::profile::{AboutText, Block, PictureAction, PictureChange, PushName};
use crate::action::read::{Played, Read, ReadCount};
use crate::action::relay::RelayRequest;
use crate::action::*;
use crate::binary::{decode, encode, Node};

fn text() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9@.\\- ]{0,12}"
}

fn message_ref() -> impl Strategy<Value = MessageRef> {
    ("[A-F0-9]{1,12}", any::<bool>()).prop_map(|(id, from_me)| MessageRef { id, from_me })
}

fn refs() -> impl Strategy<Value = Vec<MessageRef>> {
    prop::collection::vec(message_ref(), 0..4)
}

fn batch_kind() -> impl Strategy<Value = BatchKind> {
    let known = ["relay", "last", "before", "after", "update", "unread", "older", ""];
    prop::sample::select(known.to_vec()).prop_map(BatchKind::from_add)
}

fn chat_change() -> impl Strategy<Value = ChatChange> {
    prop_oneof![
        any::<bool>().prop_map(ChatChange::Archive),
        any::<Option<u64>>().prop_map(ChatChange::Mute),
        any::<Option<u64>>().prop_map(ChatChange::Pin),
        Just(ChatChange::Spam),
        (any::<bool>(), refs()).prop_map(|(on, items)| ChatChange::Star { on, items }),
        (refs(), prop::option::of(message_ref()), any::<Option<bool>>())
            .prop_map(|(items, up_to, star)| ChatChange::Clear { items, up_to, star }),
        Just(ChatChange::Delete),
    ]
}

fn group_change() -> impl Strategy<Value = GroupChange> {
    let jids = || prop::collection::vec(text(), 0..4);
    prop_oneof![
        (prop::option::of(text()), jids())
            .prop_map(|(subject, participants)| GroupChange::Create { subject, participants }),
        jids().prop_map(GroupChange::Add),
        jids().prop_map(GroupChange::Remove),
        jids().prop_map(GroupChange::Promote),
        jids().prop_map(GroupChange::Demote),
        Just(GroupChange::Leave),
        prop::option::of(text()).prop_map(GroupChange::Subject),
        ("[A-F0-9]{1,8}", prop::option::of(text()), ".{0,20}").prop_map(|(id, prev, text)| {
            GroupChange::Description(GroupDescription { id, prev, text })
        }),
        prop_oneof![
            any::<bool>().prop_map(GroupProp::Announcement),
            any::<bool>().prop_map(GroupProp::Locked),
            any::<bool>().prop_map(GroupProp::Ephemeral),
        ]
        .prop_map(GroupChange::Prop),
    ]
}

fn picture_change() -> impl Strategy<Value = PictureChange> {
    let bytes = || prop::option::of(prop::collection::vec(any::<u8>(), 0..8));
    prop_oneof![
        (bytes(), bytes()).prop_map(|(image, preview)| PictureChange::Set { image, preview }),
        Just(PictureChange::Delete),
        "(|get|remove)".prop_map(PictureChange::Other),
    ]
}

/// Nodes shaped like actions: the descriptions, attribute names and values the readers look
/// for, in any mix, with such nodes as children (random bytes almost never decode to a node
/// a reader gets past its first check on).
fn action_like_node() -> impl Strategy<Value = Node> {
    let name = prop::sample::select(vec![
        "action",
        "chat",
        "group",
        "picture",
        "read",
        "received",
        "message",
        "battery",
        "presence",
        "image",
        "preview",
        "participant",
        "item",
    ]);
    // `type` and `jid` are listed thrice: most readers need both.
    let key = prop::sample::select(vec![
        "type", "type", "type", "jid", "jid", "jid", "add", "last", "epoch", "index", "owner",
        "count", "id", "star", "author", "value", "live", "from",
    ]);
    let value = prop::sample::select(vec![
        "set",
        "relay",
        "true",
        "false",
        "star",
        "unstar",
        "clear",
        "create",
        "add",
        "delete",
        "archive",
        "unarchive",
        "mute",
        "pin",
        "spam",
        "available",
        "unavailable",
        "composing",
        "paused",
        "1",
        "-1",
        "x",
        "15550000001@c.us",
        "",
    ]);
    let attrs = prop::collection::vec((key, value), 0..6);
    let build = |name: &str, attrs: Vec<(&str, &str)>| {
        attrs.into_iter().fold(Node::new(name), |node, (k, v)| node.attr(k, v))
    };
    let leaf = (name.clone(), attrs.clone()).prop_map(move |(n, a)| build(n, a));
    leaf.prop_recursive(2, 12, 4, move |inner| {
        (name.clone(), attrs.clone(), prop::collection::vec(inner, 0..4))
            .prop_map(move |(n, a, children)| build(n, a).children(children))
    })
}

/// Whatever a reader accepts, it reads back the same from the node it builds.
macro_rules! canonical {
    ($node:expr, $($ty:ty),+) => {{
        $(if let Ok(value) = <$ty>::from_node($node) {
            prop_assert_eq!(<$ty>::from_node(&value.to_node()), Ok(value));
        })+
    }};
}

/// A value survives `to_node`, the wire, and `from_node`.
macro_rules! round_trip {
    ($value:expr, $ty:ty) => {{
        let value: $ty = $value;
        let wire = decode(&encode(&value.to_node())).unwrap();
        prop_assert_eq!(&<$ty>::from_node(&wire).unwrap(), &value);
    }};
}

proptest! {
    #[test]
    fn requests_round_trip(relay: bool, epoch in prop::option::of("[0-9]{1,4}"),
                           message in prop::collection::vec(any::<u8>(), 0..16)) {
        let kind = if relay { RequestKind::Relay } else { RequestKind::Set };
        let children = vec![crate::action::batch::message_node(message.clone())];
        let request = ActionRequest { kind, epoch: epoch.clone(), children };
        round_trip!(request, ActionRequest);
        round_trip!(RelayRequest { epoch, message }, RelayRequest);
    }

    #[test]
    fn batches_and_pushes_round_trip(kind in batch_kind(), last: bool,
                                     messages in prop::collection::vec(
                                         prop::collection::vec(any::<u8>(), 0..16), 0..4),
                                     value: u32, live: bool, powersave: Option<bool>) {
        round_trip!(MessageBatch { kind, last, messages }, MessageBatch);
        let battery = Battery { value, live, powersave };
        round_trip!(battery, Battery);
        round_trip!(ActionPush { children: vec![battery.to_node()] }, ActionPush);
    }

    #[test]
    fn presence_and_reads_round_trip(state in 0..5u8, to in text(), jid in text(),
                                     index in prop::option::of(message_ref()),
                                     count in prop::option::of(prop_oneof![
                                         Just(ReadCount::MarkUnread),
                                         any::<u32>().prop_map(ReadCount::Messages)])) {
        let presence = match state {
            0 => PresenceAction::Available,
            1 => PresenceAction::Unavailable,
            2 => PresenceAction::ChatState { state: ChatState::Composing, to },
            3 => PresenceAction::ChatState { state: ChatState::Paused, to },
            _ => PresenceAction::ChatState { state: ChatState::Recording, to },
        };
        round_trip!(presence, PresenceAction);
        round_trip!(Read { jid: jid.clone(), index, count }, Read);
        round_trip!(Played { index: jid.clone(), from: jid }, Played);
    }

    #[test]
    fn chats_round_trip(jid in text(), change in chat_change()) {
        round_trip!(ChatAction { jid: jid.clone(), change }, ChatAction);
        round_trip!(SpamReport { jid }, SpamReport);
    }

    #[test]
    fn profiles_round_trip(add: bool, users in prop::collection::vec(text(), 0..4),
                           about in ".{0,20}", name in text(), jid in text(),
                           id in prop::option::of(text()), change in picture_change()) {
        round_trip!(Block { add, users }, Block);
        round_trip!(AboutText { text: about }, AboutText);
        round_trip!(PushName { name }, PushName);
        round_trip!(PictureAction { jid, id, change }, PictureAction);
    }

    #[test]
    fn groups_round_trip(author in prop::option::of(text()), id in prop::option::of(text()),
                         jid in prop::option::of(text()), change in group_change()) {
        round_trip!(GroupAction { author, id, jid, change }, GroupAction);
    }

    #[test]
    fn any_node_reads_as_an_action_or_an_error(node in action_like_node()) {
        // Every reader answers without panicking, and what it accepts is what it builds.
        for node in std::iter::once(&node).chain(node.child_nodes()) {
            canonical!(node, ActionRequest, MessageBatch, ChatAction, GroupAction, PictureAction);
            canonical!(node, Read, Battery, PresenceAction);
        }
    }
}
