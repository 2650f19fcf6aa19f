//! Shared set-up for the handler tests: a store in a temporary directory, a hub, fake
//! connection mailboxes, and builders for request nodes.
#![allow(dead_code)]

use serde_json::Value;
use tokio::sync::mpsc::Receiver;
use waweb_proto::binary::Node;
use waweb_proto::json::push::ServerPush;
use waweb_proto::message::{self, WebMessageInfo};
use waweb_server::config::Config;
use waweb_server::context::{Me, Shared};
use waweb_server::handler::{self, Reply};
use waweb_server::hub::{Delivery, Hub, Mailbox};
use waweb_server::media::Media;
use waweb_server::store::sqlite::SqliteStore;
use waweb_server::store::{
    Account, AccountStore, ChatStore, Contact, MessageStore, NewMessage, SessionStore,
    WebMessageInfoStatus,
};

/// A server without sockets.
pub struct Env {
    pub _dir: tempfile::TempDir,
    pub shared: Shared<SqliteStore>,
}

/// What a test connection's mailbox holds: more than any test pushes.
const MAILBOX: usize = 100_000;

/// Alice, Bob and Carol.
pub const A: &str = "15550000001";
pub const B: &str = "15550000002";
pub const C: &str = "15550000003";

impl Env {
    /// An empty server.
    pub fn new() -> Env {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(dir.path().join("waweb.db")).unwrap();
        let config = Config::new(dir.path());
        let media = Media::open(&config).unwrap().into();
        let shared = Shared { store: store.into(), hub: Hub::new(), config: config.into(), media };
        Env { _dir: dir, shared }
    }

    /// A server with Alice, Bob and Carol (no contacts, no chats).
    pub async fn with_accounts() -> Env {
        let env = Env::new();
        for (phone, name) in [(A, "Alice"), (B, "Bob"), (C, "Carol")] {
            env.store().create_account(Account::new(phone, name, 1_000)).await.unwrap();
        }
        env
    }

    pub fn store(&self) -> &SqliteStore {
        self.shared.store.as_ref()
    }

    /// A logged-in session of `account` on connection `id`, with its mailbox.
    pub fn connect(&self, account: &str, id: u64) -> (Me, Receiver<Delivery>) {
        let (tx, rx) = Mailbox::new(MAILBOX);
        // The local bus is ready at once: nothing to wait for.
        drop(self.shared.hub.register(account, id, &format!("client-{id}"), tx));
        (me(account, id), rx)
    }

    /// What a connection does once it wrote relayed messages to its socket: acknowledges their
    /// queue entries for `account`.
    pub async fn ack_written(&self, account: &str, deliveries: &[Delivery]) {
        let ids: Vec<_> = deliveries
            .iter()
            .filter_map(|d| match d {
                Delivery::Relayed { queued, .. } => Some(*queued),
                _ => None,
            })
            .collect();
        self.store().ack_delivered(account, ids).await.unwrap();
    }

    pub async fn binary(&self, me: &Me, tag: &str, node: Node) -> Reply {
        handler::binary(&self.shared, me, tag, node).await
    }

    pub async fn json(&self, me: &Me, value: Value) -> Reply {
        let q = waweb_proto::json::query::JsonQuery::from_value(&value).unwrap();
        handler::json(&self.shared, me, "t1", q).await
    }

    /// Stores `n` messages in `account`'s chat with `peer`, alternating sides, ids `M00`, …
    pub async fn history(&self, account: &str, peer: &str, n: usize) {
        for i in 0..n {
            let from_me = i % 2 == 0;
            let id = format!("M{i:02}");
            let info = message::text_message(
                &jid(peer),
                from_me,
                &id,
                &format!("text {i}"),
                100 + i as u64,
            );
            let m = NewMessage {
                chat_jid: jid(peer),
                id,
                from_me,
                timestamp: 100 + i as u64,
                status: WebMessageInfoStatus::DeliveryAck,
                participant: None,
                push_name: None,
                info: message::encode(&info),
            };
            self.store().insert_message(account, m).await.unwrap();
        }
    }

    pub async fn contact(&self, account: &str, peer: &str, name: &str) {
        let c = Contact {
            jid: jid(peer),
            name: Some(format!("{name} Full")),
            notify: Some(name.to_owned()),
            short: None,
        };
        self.store().upsert_contacts(account, vec![c]).await.unwrap();
    }
}

/// The session identity of `account` on connection `id`.
pub fn me(account: &str, id: u64) -> Me {
    Me {
        account: account.to_owned(),
        jid: format!("{account}@c.us"),
        pushname: format!("push-{account}"),
        connection: id,
        client_id: format!("client-{id}"),
    }
}

/// The protobuf spelling.
pub fn jid(phone: &str) -> String {
    format!("{phone}@s.whatsapp.net")
}

/// The node/JSON spelling.
pub fn cjid(phone: &str) -> String {
    format!("{phone}@c.us")
}

/// `["query",{"type":kind,"epoch":"1",attrs…},null]`.
pub fn query(kind: &str, attrs: &[(&str, &str)]) -> Node {
    let mut node = Node::new("query").attr("type", kind).attr("epoch", "1");
    for (k, v) in attrs {
        node = node.attr(*k, *v);
    }
    node
}

/// `["action",{"type":"set","epoch":"1"},[child]]`.
pub fn set(child: Node) -> Node {
    Node::new("action").attr("type", "set").attr("epoch", "1").children(vec![child])
}

/// The relay a client sends: text `text` to `to`, id `id`, as a `fromMe` PENDING message.
pub fn relay(to: &str, id: &str, text: &str) -> Node {
    relay_info(&message::extended_text_message(&jid(to), true, id, text, 42))
}

/// A relay node around any WebMessageInfo.
pub fn relay_info(info: &WebMessageInfo) -> Node {
    let msg = Node::new("message").bytes(message::encode(info));
    Node::new("action").attr("type", "relay").attr("epoch", "9").children(vec![msg])
}

/// `{"status": code}`: the JSON answer of a request that only succeeded or failed.
pub fn status(code: u16) -> Value {
    serde_json::json!({ "status": code })
}

/// The JSON of a reply (panics on other replies).
pub fn json_of(reply: Reply) -> Value {
    match reply {
        Reply::Json(v) => v,
        other => panic!("expected JSON, got {other:?}"),
    }
}

/// The node of a reply (panics on other replies).
pub fn node_of(reply: Reply) -> Node {
    match reply {
        Reply::Node(n) => n,
        other => panic!("expected a node, got {other:?}"),
    }
}

/// Everything queued in a mailbox so far.
pub fn drain(rx: &mut Receiver<Delivery>) -> Vec<Delivery> {
    std::iter::from_fn(|| rx.try_recv().ok()).collect()
}

/// The JSON pushes among deliveries, as wire values.
pub fn json_pushes(deliveries: &[Delivery]) -> Vec<Value> {
    deliveries
        .iter()
        .filter_map(|d| match d {
            Delivery::Json(p) => Some(ServerPush::to_value(p)),
            _ => None,
        })
        .collect()
}

/// The node pushes among deliveries.
pub fn node_pushes(deliveries: &[Delivery]) -> Vec<Node> {
    deliveries
        .iter()
        .filter_map(|d| match d {
            Delivery::Node(n) | Delivery::Relayed { node: n, .. } => Some(n.clone()),
            _ => None,
        })
        .collect()
}

/// Decodes every `message` child of a node.
pub fn infos(node: &Node) -> Vec<WebMessageInfo> {
    node.child_nodes()
        .iter()
        .map(|m| {
            assert_eq!(m.description, "message");
            message::decode(m.content_bytes().unwrap()).unwrap()
        })
        .collect()
}

/// The ids of the messages of a node, in order.
pub fn ids(node: &Node) -> Vec<String> {
    infos(node).into_iter().map(|i| i.key.unwrap().id.unwrap()).collect()
}
