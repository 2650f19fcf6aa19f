//! Typed events: what the server tells the application, decoded from JSON pushes and encrypted
//! nodes ([`Event`]), with the records they carry ([`ConnInfo`], [`Chat`], [`Contact`]).

use waweb_proto::action::batch::message_payloads;
use waweb_proto::action::batch::MessageBatch;
use waweb_proto::action::battery::Battery;
use waweb_proto::binary::Node;
use waweb_proto::json::conn::Conn;
use waweb_proto::json::msg::{Ack, MsgAck, MsgIds};
use waweb_proto::json::push::ServerPush;
use waweb_proto::message::{self, WebMessageInfo};
use waweb_proto::query::chats::ChatList;
use waweb_proto::query::contacts::ContactList;
use waweb_proto::session::ProtocolError;

pub use waweb_proto::action::batch::BatchKind;

/// Something the application should know about. Read them from
/// [`EventStream`](crate::EventStream).
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// Show this QR code to the phone; a new one comes when the previous expires.
    Qr {
        /// The string to encode in the QR image (`ref,publicKey,clientId`).
        code: String,
        /// When the server stops accepting it, in ms since the Unix epoch.
        expires_at: u64,
    },
    /// Logged in (after a scan, a restore or a reconnect). Save
    /// [`Client::credentials`](crate::Client::credentials) now: tokens change at every login.
    Ready {
        /// Who we are and what the phone reports.
        info: ConnInfo,
        /// `true` after a QR scan, `false` after a restore.
        new_pairing: bool,
    },
    /// The chat list (initial sync, or the answer to a query someone else made).
    Chats(Vec<Chat>),
    /// The contact list.
    Contacts(Vec<Contact>),
    /// A batch of messages.
    Messages {
        /// Why they come.
        kind: BatchKind,
        /// `true` on the final `before` batch of the initial sync.
        last: bool,
        /// The messages, oldest first.
        messages: Vec<WebMessageInfo>,
    },
    /// Progress of a message we sent.
    Ack {
        /// The message id.
        id: String,
        /// How far it got.
        ack: Ack,
        /// The chat it went to.
        to: String,
        /// In a group: the member this ack is about.
        participant: Option<String>,
        /// Server time, unix seconds.
        t: u64,
    },
    /// Presence or chat state of a contact we subscribed to.
    Presence {
        /// The contact (or group).
        jid: String,
        /// `available`, `unavailable`, `composing`, `recording` or `paused`.
        kind: String,
        /// Last seen, unix seconds.
        t: Option<u64>,
        /// In a group: the member.
        participant: Option<String>,
    },
    /// The phone's battery.
    Battery {
        /// Percent.
        value: u32,
        /// Charging.
        live: bool,
    },
    /// Any other JSON push (Blocklist, Stream, Props, Status, Conn updates...).
    Push(ServerPush),
    /// Any other encrypted node (read elsewhere, chat changes, frequent contacts...).
    Node {
        /// The server's tag.
        tag: String,
        /// The node.
        node: Node,
    },
    /// The connection dropped; the client tries again after `delay_ms` (only with
    /// [`ClientOptions::reconnect`](crate::ClientOptions::reconnect)).
    Reconnecting {
        /// 1 for the first retry.
        attempt: u32,
        /// How long it waits before trying.
        delay_ms: u64,
    },
    /// The session ended for good; the stream ends after this.
    Disconnected(Disconnect),
}

/// Why the session ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Disconnect {
    /// Another web client took over the account.
    Replaced,
    /// We logged out, or the phone logged this browser out: the session file is worthless.
    LoggedOut,
    /// The server refused the saved session with this status: pair again.
    InvalidSession(u16),
    /// The server would give no more QR codes.
    QrRefsExhausted,
    /// The link broke (socket error, keepalive lost, server going away) and we do not retry.
    Network(String),
    /// The server sent something we cannot handle.
    Protocol(ProtocolError),
    /// The application closed the client.
    Closed,
}

/// Who we are, from the `Conn` push.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ConnInfo {
    /// Our own JID (`<number>@c.us`).
    pub wid: String,
    /// Our display name.
    pub pushname: Option<String>,
    /// The phone's platform (`android`, `iphone`...).
    pub platform: Option<String>,
    /// Phone battery, percent.
    pub battery: Option<u32>,
    /// Phone charging.
    pub plugged: Option<bool>,
    /// Country code, e.g. `FR`.
    pub lc: Option<String>,
    /// Language, e.g. `fr`.
    pub lg: Option<String>,
}

impl ConnInfo {
    /// The public parts of a `Conn` (tokens and the secret stay out).
    pub fn from_conn(conn: &Conn) -> ConnInfo {
        ConnInfo {
            wid: conn.wid.clone().unwrap_or_default(),
            pushname: conn.pushname.clone(),
            platform: conn.platform.clone(),
            battery: conn.battery,
            plugged: conn.plugged,
            lc: conn.lc.clone(),
            lg: conn.lg.clone(),
        }
    }
}

/// One chat of the chat list: the wire record of [`waweb_proto::query::chats`].
pub use waweb_proto::query::chats::Chat;

/// One contact of the contact list: the wire record of [`waweb_proto::query::contacts`].
pub use waweb_proto::query::contacts::Contact;

/// The chats of a `response type=chat` node: none for a `duplicate` answer, or for a node that
/// is no chat list.
pub(crate) fn chats_of(node: &Node) -> Vec<Chat> {
    ChatList::from_node(node).map(ChatList::into_chats).unwrap_or_default()
}

/// The contacts of a `response type=contacts` node (none for a `duplicate` answer).
pub(crate) fn contacts_of(node: &Node) -> Vec<Contact> {
    ContactList::from_node(node).map(ContactList::into_contacts).unwrap_or_default()
}

/// The decodable `message` children of a node (undecodable ones are skipped and logged).
pub(crate) fn messages_of(node: &Node) -> Vec<WebMessageInfo> {
    message_payloads(node).filter_map(decoded).collect()
}

/// A message's bytes decoded; `None`, logged, if they do not decode.
fn decoded(bytes: &[u8]) -> Option<WebMessageInfo> {
    match message::decode(bytes) {
        Ok(m) => Some(m),
        Err(e) => {
            tracing::warn!("skipping a message that does not decode: {e}");
            None
        }
    }
}

/// Turns an unsolicited node into events.
pub(crate) fn from_node(tag: String, node: Node) -> Vec<Event> {
    if let Ok((kind, last)) = MessageBatch::head_of(&node) {
        return vec![Event::Messages { kind, last, messages: messages_of(&node) }];
    }
    match (node.description.as_str(), node.get_attr("type")) {
        ("response", Some("chat")) => vec![Event::Chats(chats_of(&node))],
        ("response", Some("contacts")) => vec![Event::Contacts(contacts_of(&node))],
        ("action", _) => {
            let battery: Vec<Event> = Battery::all_in(&node)
                .into_iter()
                .map(|b| Event::Battery { value: b.value, live: b.live })
                .collect();
            if battery.is_empty() {
                vec![Event::Node { tag, node }]
            } else {
                battery
            }
        }
        _ => vec![Event::Node { tag, node }],
    }
}

/// Turns a JSON push into events.
pub(crate) fn from_push(push: ServerPush) -> Vec<Event> {
    let is_info = matches!(push, ServerPush::MsgInfo(_));
    match push {
        ServerPush::Msg(ack) | ServerPush::MsgInfo(ack) => {
            let Ok(level) = Ack::try_from(ack.ack) else {
                // An ack level we do not know: hand the push on as it came.
                return vec![Event::Push(push_again(is_info, ack))];
            };
            let ids = match ack.id {
                MsgIds::One(id) => vec![id],
                MsgIds::Many(ids) => ids,
            };
            ids.into_iter()
                .map(|id| Event::Ack {
                    id,
                    ack: level,
                    to: ack.to.clone(),
                    participant: ack.participant.clone(),
                    t: ack.t,
                })
                .collect()
        }
        ServerPush::Presence(p) => {
            vec![Event::Presence { jid: p.id, kind: p.r#type, t: p.t, participant: p.participant }]
        }
        other => vec![Event::Push(other)],
    }
}

/// Rebuilds an ack push of the kind it arrived as (`Msg` or `MsgInfo`).
fn push_again(is_info: bool, ack: MsgAck) -> ServerPush {
    if is_info {
        ServerPush::MsgInfo(ack)
    } else {
        ServerPush::Msg(ack)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn chat_list_is_read_from_attributes() {
        let node = Node::new("response").attr("type", "chat").children(vec![
            Node::new("chat")
                .attr("jid", "33698765432@c.us")
                .attr("count", "3")
                .attr("t", "1588844100"),
            Node::new("chat").attr("count", "1"),
            Node::new("chat")
                .attr("jid", "g@g.us")
                .attr("name", "Climbing")
                .attr("archive", "true"),
        ]);
        let events = from_node("preempt-1".into(), node);
        let [Event::Chats(chats)] = events.as_slice() else {
            panic!("one Chats event: {events:?}")
        };
        assert_eq!(chats.len(), 2, "the chat without a jid is dropped");
        assert_eq!((chats[0].unread, chats[0].t), (3, 1_588_844_100));
        assert_eq!(chats[1].name.as_deref(), Some("Climbing"));
        assert!(chats[1].archived);
    }

    #[test]
    fn relay_action_is_a_live_message() {
        let wmi = message::text_message("33612345678@s.whatsapp.net", false, "ID1", "hi", 5);
        let node = Node::new("action").attr("add", "relay").children(vec![
            Node::new("message").bytes(message::encode(&wmi)),
            Node::new("message").bytes(vec![0xff, 0xff]),
        ]);
        let events = from_node("s-5".into(), node);
        let [Event::Messages { kind, last, messages }] = events.as_slice() else { panic!() };
        assert_eq!((kind, *last), (&BatchKind::Live, false));
        assert_eq!(messages, &vec![wmi], "the broken message is skipped");
    }

    #[test]
    fn group_messages_and_system_messages_are_live_messages() {
        let gid = "15550000001-1700000000@g.us";
        let mut said = message::text_message(gid, false, "ID2", "hi all", 5);
        let key = said.key.get_or_insert_with(Default::default);
        key.participant = Some("15550000002@s.whatsapp.net".into());
        let stub = WebMessageInfo {
            key: Some(message::MessageKey {
                remote_jid: Some(gid.into()),
                from_me: Some(false),
                id: Some("ID3".into()),
                participant: Some("15550000001@s.whatsapp.net".into()),
            }),
            message_stub_type: Some(message::WebMessageInfoStubType::GroupChangeSubject as i32),
            message_stub_parameters: vec!["New name".into()],
            ..Default::default()
        };
        let node = Node::new("action").attr("add", "relay").children(vec![
            Node::new("message").bytes(message::encode(&said)),
            Node::new("message").bytes(message::encode(&stub)),
        ]);
        let events = from_node("s-7".into(), node);
        let [Event::Messages { kind: BatchKind::Live, messages, .. }] = events.as_slice() else {
            panic!("one live batch: {events:?}")
        };
        assert_eq!(messages, &vec![said, stub]);
        // The group's change push is handed on as it came.
        let push = ServerPush::from_value(&json!(["Chat", {"id": gid, "cmd": "action",
            "data": ["subject", "15550000001@c.us", {"subject": "New name", "s_t": 6}]}]))
        .unwrap();
        assert!(matches!(from_push(push).as_slice(), [Event::Push(p)] if p.name() == "Chat"));
    }

    #[test]
    fn battery_and_acks() {
        let node = Node::new("action")
            .children(vec![Node::new("battery").attr("value", "42").attr("live", "true")]);
        assert_eq!(from_node("s-6".into(), node), vec![Event::Battery { value: 42, live: true }]);
        let push = ServerPush::from_value(&json!(["Msg", {"cmd":"acks","id":["A","B"],"ack":3,
            "from":"1@c.us","to":"2@c.us","t":9}]))
        .unwrap();
        let acks = from_push(push);
        assert_eq!(acks.len(), 2);
        assert!(matches!(&acks[1], Event::Ack { id, ack: Ack::Read, t: 9, .. } if id == "B"));
    }

    #[test]
    fn an_unknown_ack_level_is_handed_on_as_the_push_it_came_as() {
        let mut ack = MsgAck::single("3EB0", Ack::Read, "1@c.us", "2@c.us", 7);
        ack.ack = 9;
        let events = from_push(ServerPush::MsgInfo(ack.clone()));
        assert_eq!(events, vec![Event::Push(ServerPush::MsgInfo(ack.clone()))]);
        let events = from_push(ServerPush::Msg(ack.clone()));
        assert_eq!(events, vec![Event::Push(ServerPush::Msg(ack))]);
    }
}
