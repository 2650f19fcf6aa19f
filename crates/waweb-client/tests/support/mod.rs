//! An in-memory peer for the client's tests: a real websocket server on 127.0.0.1 (port 0) that
//! runs `waweb_proto::session::ServerSession` per connection, with one account, a chat with a
//! short history, and pairing driven by the test (`scan`).

#![allow(dead_code, clippy::field_reassign_with_default, clippy::result_large_err)]

use futures_util::{SinkExt, StreamExt};
use rand::rngs::StdRng;
use rand::SeedableRng;
use serde_json::json;
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use tokio::net::TcpListener;
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::handshake::server::{Request, Response};
use tokio_tungstenite::tungstenite::Message;
use waweb_proto::binary::Node;
use waweb_proto::crypto::SessionKeys;
use waweb_proto::json::blocklist::Blocklist;
use waweb_proto::json::conn::Conn;
use waweb_proto::json::msg::{Ack, MsgAck};
use waweb_proto::json::presence::Presence;
use waweb_proto::json::props::Props;
use waweb_proto::json::push::ServerPush;
use waweb_proto::json::query::JsonQuery;
use waweb_proto::message::{self, WebMessageInfo};
use waweb_proto::session::{Handshake, QrCode, ServerConfig, ServerEvent, ServerSession, Transmit};

pub const ME: &str = "33612345678@c.us";
pub const BOB: &str = "33698765432@c.us";

/// What a test asks one connection to do.
enum Control {
    Pair([u8; 32]),
    Replace,
    Drop,
}

#[derive(Clone)]
struct Paired {
    keys: SessionKeys,
    client_token: String,
    server_token: String,
}

#[derive(Default)]
struct State {
    next_id: u64,
    token_seq: u64,
    refs: HashMap<String, u64>,
    controls: HashMap<u64, mpsc::UnboundedSender<Control>>,
    live: Option<u64>,
    paired: HashMap<String, Paired>,
    origins: Vec<Option<String>>,
    history: Vec<WebMessageInfo>,
    unanswered: Vec<String>,
}

/// The fake server (one node: several may share one state, as the nodes of a cluster share
/// their storage).
#[derive(Clone)]
pub struct FakeServer {
    pub addr: SocketAddr,
    state: Arc<Mutex<State>>,
    /// Stops this node's accept loop.
    accepting: tokio::task::AbortHandle,
}

fn now_ms() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as u64
}

/// The monotonic clock the session counts its deadlines on.
fn now() -> std::time::Instant {
    std::time::Instant::now()
}

impl FakeServer {
    pub async fn start() -> FakeServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let mut state = State::default();
        state.history = (1..=5)
            .map(|i| {
                let mut m = message::text_message(
                    "33698765432@s.whatsapp.net",
                    i % 2 == 0,
                    &format!("MSG{i}"),
                    &format!("text {i}"),
                    1_600_000_000 + i,
                );
                m.status = None;
                m
            })
            .collect();
        FakeServer::serve(listener, Arc::new(Mutex::new(state)))
    }

    /// Another node of the same service: its own address, the same accounts and pairings.
    pub async fn another_node(&self) -> FakeServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        FakeServer::serve(listener, self.state.clone())
    }

    fn serve(listener: TcpListener, state: Arc<Mutex<State>>) -> FakeServer {
        let addr = listener.local_addr().unwrap();
        let (tx, rx) = tokio::sync::oneshot::channel::<FakeServer>();
        let task = tokio::spawn(async move {
            let s = rx.await.unwrap();
            while let Ok((tcp, _)) = listener.accept().await {
                let s = s.clone();
                tokio::spawn(async move { s.connection(tcp).await });
            }
        });
        let server = FakeServer { addr, state, accepting: task.abort_handle() };
        let _ = tx.send(server.clone());
        server
    }

    /// The node dies: it stops accepting (its port refuses connections) and every live socket
    /// of the service is cut.
    pub async fn kill(&self) {
        self.accepting.abort();
        while !self.accepting.is_finished() {
            tokio::task::yield_now().await;
        }
        self.drop_connections();
    }

    pub fn url(&self) -> String {
        format!("ws://{}/ws", self.addr)
    }

    /// The `Origin` header of every upgrade so far.
    pub fn origins(&self) -> Vec<Option<String>> {
        self.state.lock().unwrap().origins.clone()
    }

    /// Query types the server must leave unanswered (to test timeouts).
    pub fn ignore_query(&self, kind: &str) {
        self.state.lock().unwrap().unanswered.push(kind.to_string());
    }

    /// The phone scans `qr`: the connection showing it gets paired.
    pub fn scan(&self, qr: &str) {
        let qr = QrCode::parse(qr).unwrap();
        let st = self.state.lock().unwrap();
        let id = st.refs[&qr.r#ref];
        st.controls[&id].send(Control::Pair(qr.public_key)).unwrap();
    }

    /// Cuts every live socket without a word (a network failure).
    pub fn drop_connections(&self) {
        for c in self.state.lock().unwrap().controls.values() {
            let _ = c.send(Control::Drop);
        }
    }

    /// How many pairings the server remembers.
    pub fn pairings(&self) -> usize {
        self.state.lock().unwrap().paired.len()
    }

    fn handshake(&self, client_id: &str, keys: SessionKeys) -> Handshake {
        let mut st = self.state.lock().unwrap();
        st.token_seq += 1;
        let p = Paired {
            keys: keys.clone(),
            client_token: format!("ct-{}", st.token_seq),
            server_token: format!("1@st-{}", st.token_seq),
        };
        st.paired.insert(client_id.to_string(), p.clone());
        let mut conn = Conn::default();
        conn.wid = Some(ME.into());
        conn.pushname = Some("Alice".into());
        conn.platform = Some("android".into());
        conn.battery = Some(80);
        conn.connected = Some(true);
        conn.client_token = Some(p.client_token);
        conn.server_token = Some(p.server_token);
        Handshake { conn, keys, blocklist: Blocklist::new(vec![]), props: Props::seed_defaults() }
    }

    async fn connection(self, tcp: tokio::net::TcpStream) {
        let state = self.state.clone();
        let record = move |req: &Request, resp: Response| {
            let origin = req.headers().get("origin").and_then(|v| v.to_str().ok());
            state.lock().unwrap().origins.push(origin.map(str::to_string));
            Ok(resp)
        };
        let Ok(ws) = tokio_tungstenite::accept_hdr_async(tcp, record).await else { return };
        let (mut sink, mut stream) = ws.split();
        let (ctl_tx, mut ctl_rx) = mpsc::unbounded_channel();
        let id = {
            let mut st = self.state.lock().unwrap();
            st.next_id += 1;
            let id = st.next_id;
            st.controls.insert(id, ctl_tx);
            id
        };
        let config = ServerConfig { pace_ms: 5, ..ServerConfig::default() };
        let mut s = ServerSession::new(config, StdRng::seed_from_u64(id), now());
        loop {
            let sent_at = now();
            while let Some(t) = s.poll_transmit(sent_at) {
                let m = match t {
                    Transmit::Text(t) => Message::Text(t.into()),
                    Transmit::Binary(b) => Message::Binary(b.into()),
                    Transmit::Close(_) => Message::Close(None),
                };
                if sink.send(m).await.is_err() {
                    return self.forget(id);
                }
            }
            while let Some(e) = s.poll_event() {
                self.on_event(&mut s, id, e);
            }
            if s.is_closed() && s.poll_timeout().is_none() {
                return self.forget(id);
            }
            let wait = s.poll_timeout().map_or(std::time::Duration::from_secs(1), |t| {
                t.saturating_duration_since(std::time::Instant::now())
            });
            tokio::select! {
                m = stream.next() => match m {
                    Some(Ok(Message::Text(t))) => s.handle_text(now(), now_ms(), t.as_str()),
                    Some(Ok(Message::Binary(b))) => s.handle_binary(now(), &b),
                    Some(Ok(_)) => {}
                    _ => return self.forget(id),
                },
                c = ctl_rx.recv() => match c {
                    Some(Control::Pair(public)) => {
                        let keys = SessionKeys::generate(&mut StdRng::seed_from_u64(id + 99));
                        let client_id = s.client_id().unwrap_or_default().to_string();
                        let hs = self.handshake(&client_id, keys);
                        s.pair(now(), &public, hs).expect("a QR is shown");
                    }
                    Some(Control::Replace) => s.replace(now()),
                    Some(Control::Drop) | None => return self.forget(id),
                },
                _ = tokio::time::sleep(wait) => {
                    s.handle_timeout(now());
                }
            }
        }
    }

    fn forget(&self, id: u64) {
        let mut st = self.state.lock().unwrap();
        st.controls.remove(&id);
        if st.live == Some(id) {
            st.live = None;
        }
    }

    fn on_event(&self, s: &mut ServerSession<StdRng>, id: u64, e: ServerEvent) {
        let now = now();
        match e {
            ServerEvent::AwaitingScan { r#ref, .. } => {
                self.state.lock().unwrap().refs.insert(r#ref, id);
            }
            ServerEvent::LoginRequested(login) => {
                let known = self.state.lock().unwrap().paired.get(&login.client_id).cloned();
                match known {
                    Some(p)
                        if p.client_token == login.client_token
                            && p.server_token == login.server_token =>
                    {
                        let hs = self.handshake(&login.client_id, p.keys);
                        s.accept_login(now, hs).expect("a login waits");
                    }
                    _ => s.reject_login(now, 401).expect("a login waits"),
                }
            }
            ServerEvent::Ready { .. } => {
                let mut st = self.state.lock().unwrap();
                if let Some(old) = st.live.replace(id) {
                    if let Some(c) = st.controls.get(&old) {
                        let _ = c.send(Control::Replace);
                    }
                }
                drop(st);
                s.push_preempt(now, &chat_list());
                let battery = Node::new("battery").attr("value", "55").attr("live", "false");
                s.push_node(now, &Node::new("action").children(vec![battery]));
            }
            ServerEvent::Request { tag, node, .. } => self.on_request(s, &tag, &node),
            ServerEvent::JsonRequest { tag, query } => match query {
                JsonQuery::Status(j) if j == BOB => {
                    s.respond_json(now, &tag, &json!({"status": "At the gym"}))
                }
                JsonQuery::Status(_) => s.respond_status(now, &tag, 404),
                JsonQuery::PresenceSubscribe(j) => {
                    s.respond_status(now, &tag, 200);
                    let p = Presence {
                        id: j,
                        r#type: "available".into(),
                        t: Some(7),
                        ..Default::default()
                    };
                    s.push(now, ServerPush::Presence(p));
                }
                _ => s.respond_status(now, &tag, 400),
            },
            ServerEvent::LoggedOut => {
                let client_id = s.client_id().unwrap_or_default().to_string();
                self.state.lock().unwrap().paired.remove(&client_id);
            }
            ServerEvent::RefRenewed { .. } | ServerEvent::ConnSent | ServerEvent::Closed(_) => {}
        }
    }

    fn on_request(&self, s: &mut ServerSession<StdRng>, tag: &str, node: &Node) {
        let now = now();
        let kind = node.get_attr("type").unwrap_or_default();
        if self.state.lock().unwrap().unanswered.iter().any(|k| k == kind) {
            return;
        }
        match (node.description.as_str(), kind) {
            ("query", "chat") => s.respond_node(now, tag, &chat_list()),
            ("query", "contacts") => {
                let user = Node::new("user").attr("jid", BOB).attr("notify", "Bob");
                let r = Node::new("response").attr("type", "contacts").children(vec![user]);
                s.respond_node(now, tag, &r);
            }
            ("query", "message") => s.respond_node(now, tag, &self.history_page(node)),
            ("action", "relay") => {
                let bytes = node.child_nodes()[0].content_bytes().unwrap();
                let m = message::decode(bytes).unwrap();
                let to = m.key.as_ref().and_then(|k| k.remote_jid.clone()).unwrap();
                s.respond_json(now, tag, &json!({"status": 200, "t": 1_700_000_000}));
                let ack = MsgAck::single(tag, Ack::Delivered, ME, to, 1_700_000_001);
                s.push(now, ServerPush::Msg(ack));
            }
            ("action", "set") => {
                let child = &node.child_nodes()[0];
                let ok = child.description != "read" || child.get_attr("index").is_some();
                s.respond_status(now, tag, if ok { 200 } else { 400 });
            }
            _ => s.respond_status(now, tag, 400),
        }
    }

    fn history_page(&self, q: &Node) -> Node {
        let st = self.state.lock().unwrap();
        let count: usize = q.get_attr("count").unwrap().parse().unwrap();
        let end = match q.get_attr("index") {
            Some(id) => st
                .history
                .iter()
                .position(|m| m.key.as_ref().unwrap().id.as_deref() == Some(id))
                .unwrap_or(0),
            None => st.history.len(),
        };
        let page = &st.history[end.saturating_sub(count)..end];
        let kids: Vec<Node> =
            page.iter().map(|m| Node::new("message").bytes(message::encode(m))).collect();
        let r = Node::new("response").attr("type", "message");
        if kids.is_empty() {
            r
        } else {
            r.children(kids)
        }
    }
}

fn chat_list() -> Node {
    Node::new("response").attr("type", "chat").children(vec![Node::new("chat")
        .attr("jid", BOB)
        .attr("count", "2")
        .attr("t", "1600000005")])
}
