//! Known answers: the byte examples of docs/PROTOCOL.md §8.5 and §8.7, and the node shapes our
//! client, server and bench have always written, for every action family; and the typed errors
//! of malformed actions.

use crate::action::batch::{BatchKind, MessageBatch};
use crate::action::battery::Battery;
use crate::action::chat::{ChatAction, ChatChange};
use crate::action::group::{GroupAction, GroupChange, GroupProp};
use crate::action::presence::{ChatState, PresenceAction};
use crate::action::profile::{AboutText, Block, PictureAction, PictureChange, PushName};
use crate::action::read::{Played, Read, ReadCount};
use crate::action::relay::RelayRequest;
use crate::action::*;
use crate::binary::{decode, encode, Node};

fn hex(s: &str) -> Vec<u8> {
    hex::decode(s).unwrap()
}

/// `child` in `["action",{"type":"set","epoch"},[child]]`, encoded.
fn set(child: Node, epoch: &str) -> Vec<u8> {
    encode(&ActionRequest::set(child).with_epoch(epoch).to_node())
}

const BOB: &str = "33698765432@c.us";

#[test]
fn the_documented_actions() {
    let typing = |state| PresenceAction::ChatState { state, to: BOB.into() };
    let vectors: Vec<(Vec<u8>, &str)> = vec![
        (set(PresenceAction::Available.to_node(), "1"), "f806095b526bff811ff801f803415b0e"),
        (set(PresenceAction::Unavailable.to_node(), "8"), "f806095b526bff818ff801f803415b5d"),
        (
            set(typing(ChatState::Composing).to_node(), "4"),
            "f806095b526bff814ff801f805415b1659faff8633698765432f50",
        ),
        (
            set(typing(ChatState::Paused).to_node(), "4"),
            "f806095b526bff814ff801f805415b3e59faff8633698765432f50",
        ),
        (
            set(
                Read {
                    jid: "33612345678@c.us".into(),
                    index: Some(MessageRef::new("3EB0A1B2C3D4", false)),
                    count: Some(ReadCount::Messages(1)),
                }
                .to_node(),
                "5",
            ),
            "f806095b526bff815ff801f809462dfaff8633612345678f502afb063eb0a1b2c3d43c2018ff811f",
        ),
        (
            set(Block { add: true, users: vec![BOB.into()] }.to_node(), "7"),
            "f806095b526bff817ff801f8046c5b0af801f8035f2dfaff8633698765432f50",
        ),
        (
            set(AboutText { text: "At work".into() }.to_node(), "8"),
            "f806095b526bff818ff801f80254fc07417420776f726b",
        ),
        (
            set(PushName { name: "Albert".into() }.to_node(), "8"),
            "f806095b526bff818ff801f8038638fc06416c62657274",
        ),
    ];
    for (got, want) in vectors {
        assert_eq!(hex::encode(&got), want);
        // And back: every documented request reads as what wrote it.
        let node = decode(&got).unwrap();
        let request = ActionRequest::from_node(&node).unwrap();
        assert_eq!(request.to_node(), node);
    }
}

#[test]
fn the_documented_pushes() {
    let read = ActionPush { children: vec![Read::elsewhere(BOB).to_node()] };
    assert_eq!(encode(&read.to_node()), hex("f80209f801f803462dfaff8633698765432f50"));
    let archived = ChatAction { jid: BOB.into(), change: ChatChange::Archive(true) };
    let push = ActionPush { children: vec![archived.to_node()] };
    assert_eq!(encode(&push.to_node()), hex("f80209f801f805132dfaff8633698765432f505b0c"));
    // Battery, vector B3.1.
    let node = decode(&hex("f80209f801f8070f60ff0121315a6920")).unwrap();
    let battery = Battery::all_in(&node);
    assert_eq!(battery, [Battery { value: 21, live: true, powersave: Some(false) }]);
    assert_eq!(ActionPush { children: vec![battery[0].to_node()] }.to_node(), node);
    assert!(MessageBatch::from_node(&node).is_err(), "no `add`: not a batch");
}

#[test]
fn the_documented_batches() {
    let vectors = [
        ("f804090a2ff801f80234fc4f", BatchKind::Last, false),
        ("f806090a102f5af801f80234fc4b", BatchKind::Before, true),
        ("f804090a4bf801f80234fc48", BatchKind::Live, false),
    ];
    let bodies = [
        "0a340a1a333336393837363534333240732e77686174736170702e6e657410001a1433413542324230433541414642364631433436381\
         20b0a09486920416c6265727418c4accff5059a0103426f62",
        "0a340a1a333336393837363534333240732e77686174736170702e6e657410011a1433454230313138323930393935454331414344381\
         20b0a0948656c6c6f20426f6218e0abcff5052004",
        "0a2c0a1a333336313233343536373840732e77686174736170702e6e657410001a0c333442304131423243334434120932070a0568656c\
         6c6f18aae1d2f5059a0106416c62657274",
    ];
    for ((head, kind, last), body) in vectors.into_iter().zip(bodies) {
        let wire = hex(&format!("{head}{body}"));
        let node = decode(&wire).unwrap();
        let batch = MessageBatch::from_node(&node).unwrap();
        assert_eq!((&batch.kind, batch.last), (&kind, last));
        assert_eq!(batch.messages, [hex(body)]);
        assert_eq!(encode(&batch.to_node()), wire);
    }
}

#[test]
fn the_shapes_our_client_and_bench_write() {
    let chat = |kind: &str| Node::new("chat").attr("jid", BOB).attr("type", kind);
    let item = |id: &str, mine: &str| Node::new("item").attr("index", id).attr("owner", mine);
    let star = ChatAction {
        jid: BOB.into(),
        change: ChatChange::Star {
            on: true,
            items: vec![MessageRef::new("A", true), MessageRef::new("B", false)],
        },
    };
    assert_eq!(star.to_node(), chat("star").children(vec![item("A", "true"), item("B", "false")]));
    let clear = ChatChange::Clear { items: vec![], up_to: None, star: Some(false) };
    let clear = ChatAction { jid: BOB.into(), change: clear };
    assert_eq!(clear.to_node(), chat("clear").attr("star", "false"));
    let delete = ChatAction { jid: BOB.into(), change: ChatChange::Delete };
    assert_eq!(delete.to_node(), chat("delete"));

    let group = GroupAction {
        author: Some("1@c.us".into()),
        id: Some("bench-group-1".into()),
        jid: None,
        change: GroupChange::Create {
            subject: Some("bench".into()),
            participants: vec!["2@c.us".into()],
        },
    };
    let want = Node::new("group")
        .attr("author", "1@c.us")
        .attr("id", "bench-group-1")
        .attr("type", "create")
        .attr("subject", "bench")
        .children(vec![Node::new("participant").attr("jid", "2@c.us")]);
    assert_eq!(group.to_node(), want);
    let prop = GroupAction {
        author: Some("1@c.us".into()),
        id: Some("X".into()),
        jid: Some("1-2@g.us".into()),
        change: GroupChange::Prop(GroupProp::Locked(true)),
    };
    let want = Node::new("group")
        .attr("author", "1@c.us")
        .attr("id", "X")
        .attr("type", "prop")
        .attr("jid", "1-2@g.us")
        .children(vec![Node::new("locked").attr("value", "true")]);
    assert_eq!(prop.to_node(), want);

    let picture =
        PictureAction { jid: "1@c.us".into(), id: Some("P".into()), change: PictureChange::Delete };
    let want = Node::new("picture").attr("jid", "1@c.us").attr("id", "P").attr("type", "delete");
    assert_eq!(picture.to_node(), want);

    let relay = RelayRequest { epoch: Some("3".into()), message: vec![1, 2] };
    let want = Node::new("action")
        .attr("type", "relay")
        .attr("epoch", "3")
        .children(vec![Node::new("message").bytes(vec![1, 2])]);
    assert_eq!(relay.to_node(), want);
    assert!(RelayRequest::is_relay(&want));
    let played = Played { index: "V".into(), from: BOB.into() };
    let want = Node::new("received").attr("type", "played").attr("index", "V").attr("from", BOB);
    assert_eq!(played.to_node(), want);
}

#[test]
fn malformed_actions_are_typed_errors() {
    let errors = [
        (PresenceAction::from_node(&Node::new("presence")), ActionError::MissingAttr("type")),
        (
            PresenceAction::from_node(&Node::new("presence").attr("type", "composing")),
            ActionError::MissingAttr("to"),
        ),
        (
            PresenceAction::from_node(&Node::new("presence").attr("type", "away")),
            ActionError::InvalidAttr("type"),
        ),
        (
            PresenceAction::from_node(&Node::new("read")),
            ActionError::Description { expected: "presence" },
        ),
    ];
    for (got, want) in errors {
        assert_eq!(got, Err(want));
    }
    let played = Node::new("received").attr("type", "delivery").attr("index", "X");
    assert_eq!(Played::from_node(&played), Err(ActionError::InvalidAttr("type")));
    let played = Node::new("received").attr("type", "played").attr("index", "X");
    assert_eq!(Played::from_node(&played), Err(ActionError::MissingAttr("from")));
    let mute = Node::new("chat").attr("jid", BOB).attr("type", "mute").attr("mute", "soon");
    assert_eq!(ChatAction::from_node(&mute), Err(ActionError::InvalidAttr("mute")));
    let bad_item = Node::new("chat")
        .attr("jid", BOB)
        .attr("type", "star")
        .children(vec![Node::new("item").attr("index", "")]);
    assert_eq!(ChatAction::from_node(&bad_item), Err(ActionError::MissingChild("item")));
    assert_eq!(
        AboutText::from_node(&Node::new("status").bytes(vec![0xff])),
        Err(ActionError::NotUtf8("status"))
    );
    let prop = Node::new("group").attr("type", "prop").children(vec![Node::new("locked")]);
    assert_eq!(GroupAction::from_node(&prop), Err(ActionError::InvalidAttr("value")));
    assert_eq!(
        RequestKind::of(&Node::new("action").attr("type", "get")),
        Err(ActionError::InvalidAttr("type"))
    );
    assert_eq!(RequestKind::of(&Node::new("action")), Ok(RequestKind::Set));
    assert_eq!(
        RelayRequest::from_node(&Node::new("action").attr("type", "relay")),
        Err(ActionError::MissingChild("message"))
    );
}

#[test]
fn defaults_are_what_readers_always_took() {
    // An unmute has no `mute`; a `read` with an odd count ignores it; a participant without
    // `jid` is the empty JID; a message without bytes is empty.
    let unmute = Node::new("chat").attr("jid", BOB).attr("type", "mute").attr("previous", "5");
    assert_eq!(ChatAction::from_node(&unmute).unwrap().change, ChatChange::Mute(None));
    let read = Node::new("read").attr("jid", BOB).attr("count", "many");
    assert_eq!(Read::from_node(&read).unwrap().count, None);
    let unread = Node::new("read").attr("jid", BOB).attr("count", "-2");
    assert!(Read::from_node(&unread).unwrap().marks_unread());
    let add = Node::new("group").attr("type", "add").children(vec![Node::new("participant")]);
    assert_eq!(GroupAction::from_node(&add).unwrap().change, GroupChange::Add(vec![String::new()]));
    let batch = Node::new("action").attr("add", "relay").children(vec![Node::new("message")]);
    assert_eq!(MessageBatch::from_node(&batch).unwrap().messages, [Vec::<u8>::new()]);
    let picture = Node::new("picture").attr("jid", BOB);
    assert_eq!(
        PictureAction::from_node(&picture).unwrap().change,
        PictureChange::Other(String::new())
    );
}
