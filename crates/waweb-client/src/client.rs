//! The public handle: [`Client`] (cheap to clone, every method async and matched to its answer by
//! tag) and [`EventStream`] (what the server pushes); how it behaves is
//! [`ClientOptions`] (see [`crate::options`]).

use futures_util::Stream;
use rand::RngCore;
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use tokio::sync::{mpsc, oneshot};
use waweb_proto::action::ActionRequest;
use waweb_proto::binary::Node;
use waweb_proto::frame::{Flags, Metric};
use waweb_proto::session::Credentials;

use crate::driver::{Driver, Shared};
use crate::error::ClientError;
use crate::event::{ConnInfo, Event};
use crate::options::ClientOptions;
use crate::request::{Command, Reply};
use crate::servers::Servers;

/// The server's acknowledgement of a message we sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SendReceipt {
    /// The message id (also the relay's tag).
    pub id: String,
    /// The server's time for the message, unix seconds.
    pub t: u64,
}

/// What the server pushes, in order. Ends after [`Event::Disconnected`].
///
/// Read it with [`EventStream::recv`] or as a `futures` [`Stream`].
#[derive(Debug)]
pub struct EventStream {
    rx: mpsc::UnboundedReceiver<Event>,
}

impl EventStream {
    /// The next event; `None` once the session has ended and every event was read.
    pub async fn recv(&mut self) -> Option<Event> {
        self.rx.recv().await
    }

    /// Skips events until [`Event::Ready`]; fails if the session ends first. QR codes are
    /// skipped too, so use this only with a saved session.
    pub async fn wait_ready(&mut self) -> Result<ConnInfo, ClientError> {
        while let Some(e) = self.rx.recv().await {
            match e {
                Event::Ready { info, .. } => return Ok(info),
                Event::Disconnected(reason) => return Err(crate::disconnect_error(reason)),
                _ => {}
            }
        }
        Err(ClientError::Disconnected("the event stream ended".into()))
    }
}

impl Stream for EventStream {
    type Item = Event;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Event>> {
        self.rx.poll_recv(cx)
    }
}

/// A connection to a waweb (or compatible) server. Clone it freely; the socket closes when the
/// last clone is dropped or [`Client::close`] is called.
///
/// ```no_run
/// # async fn demo() -> Result<(), waweb_client::ClientError> {
/// use waweb_client::{Client, Event};
/// let (client, mut events) = Client::connect("ws://127.0.0.1:8080/ws", None).await?;
/// while let Some(event) = events.recv().await {
///     match event {
///         Event::Qr { code, .. } => println!("scan this: {code}"),
///         Event::Ready { info, .. } => {
///             println!("logged in as {}", info.wid);
///             let receipt = client.send_text("33698765432@c.us", "hello").await?;
///             println!("sent {} at {}", receipt.id, receipt.t);
///         }
///         _ => {}
///     }
/// }
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct Client {
    commands: mpsc::UnboundedSender<Command>,
    shared: Arc<Mutex<Shared>>,
    /// HTTP for media uploads and downloads.
    http: reqwest::Client,
}

impl std::fmt::Debug for Command {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Command")
    }
}

impl Client {
    /// Connects with default options: restores `session` if given (no QR), or pairs by QR.
    pub async fn connect(
        url: &str,
        session: Option<Credentials>,
    ) -> Result<(Client, EventStream), ClientError> {
        Client::connect_with(url, session, ClientOptions::default()).await
    }

    /// Connects with chosen options. Fails with [`ClientError::Unreachable`] if no websocket
    /// can be opened (at `url`, nor at [`ClientOptions::fallback_urls`]); everything after that
    /// is reported on the [`EventStream`].
    pub async fn connect_with(
        url: &str,
        session: Option<Credentials>,
        options: ClientOptions,
    ) -> Result<(Client, EventStream), ClientError> {
        let tls = crate::tls::config(options.ca_cert.as_deref())?;
        let mut servers = Servers::new(url, &options.fallback_urls);
        let ws = servers.open(0, &tls).await?;
        let http = reqwest::Client::builder()
            .use_preconfigured_tls(rustls::ClientConfig::clone(&tls))
            .build()
            .map_err(|e| ClientError::InvalidArgument(format!("HTTP client: {e}")))?;
        let url = servers.current().to_owned();
        let shared = Arc::new(Mutex::new(Shared {
            credentials: session.clone(),
            url,
            ..Default::default()
        }));
        let (cmd_tx, cmd_rx) = mpsc::unbounded_channel();
        let (ev_tx, ev_rx) = mpsc::unbounded_channel();
        let d = Driver::new(servers, tls, options, shared.clone(), cmd_rx, ev_tx, session);
        tokio::spawn(d.run(ws));
        let client = Client { commands: cmd_tx, shared, http };
        Ok((client, EventStream { rx: ev_rx }))
    }

    /// The credentials to save (they change at every login, so save after each
    /// [`Event::Ready`]). `None` before the first pairing.
    pub fn credentials(&self) -> Option<Credentials> {
        self.shared.lock().ok().and_then(|s| s.credentials.clone())
    }

    /// Who we are, once logged in.
    pub fn info(&self) -> Option<ConnInfo> {
        self.shared.lock().ok().and_then(|s| s.info.clone())
    }

    /// Whether the session is logged in right now.
    pub fn is_ready(&self) -> bool {
        self.shared.lock().map(|s| s.ready).unwrap_or(false)
    }

    /// The websocket URL of the server this client is (or was last) connected to.
    pub(crate) fn url(&self) -> String {
        self.shared.lock().map(|s| s.url.clone()).unwrap_or_default()
    }

    /// The HTTP client of media transfers.
    pub(crate) fn http(&self) -> &reqwest::Client {
        &self.http
    }

    /// Our JID, known once logged in.
    pub(crate) fn own_jid(&self) -> Result<String, ClientError> {
        Ok(self.info().ok_or(ClientError::NotReady)?.wid)
    }

    /// Logs out: the server forgets this browser, the session ends with
    /// [`Disconnect::LoggedOut`](crate::Disconnect::LoggedOut). Delete the saved session after.
    pub async fn logout(&self) -> Result<(), ClientError> {
        let (reply, rx) = oneshot::channel();
        self.submit(Command::Logout { reply })?;
        await_reply(rx).await
    }

    /// Closes the connection (the session stays valid for a later restore).
    pub fn close(&self) {
        let _ = self.commands.send(Command::Close);
    }

    pub(crate) async fn query(&self, node: Node, metric: Metric) -> Result<Node, ClientError> {
        let (reply, rx) = oneshot::channel();
        self.submit(Command::Node { node, metric, flags: Flags::REQUEST, reply })?;
        match await_reply(rx).await? {
            Reply::Node(n) => Ok(n),
            Reply::Json(v) => {
                Err(check_status(&v).err().unwrap_or(ClientError::UnexpectedAnswer(v.to_string())))
            }
        }
    }

    pub(crate) async fn action(
        &self,
        child: Node,
        metric: Metric,
        flags: Flags,
    ) -> Result<(), ClientError> {
        self.action_answer(child, metric, flags).await.map(drop)
    }

    /// An action whose 2xx answer carries more than the status.
    pub(crate) async fn action_answer(
        &self,
        child: Node,
        metric: Metric,
        flags: Flags,
    ) -> Result<Value, ClientError> {
        let node = ActionRequest::set(child).into_node();
        let (reply, rx) = oneshot::channel();
        self.submit(Command::Node { node, metric, flags, reply })?;
        let value = into_json(await_reply(rx).await?)?;
        check_status(&value)?;
        Ok(value)
    }

    pub(crate) async fn json(&self, value: Value) -> Result<Value, ClientError> {
        let (reply, rx) = oneshot::channel();
        self.submit(Command::Json { value, reply })?;
        into_json(await_reply(rx).await?)
    }

    pub(crate) fn submit(&self, cmd: Command) -> Result<(), ClientError> {
        self.commands
            .send(cmd)
            .map_err(|_| ClientError::Disconnected("the client has stopped".into()))
    }
}

pub(crate) async fn await_reply<T>(
    rx: oneshot::Receiver<Result<T, ClientError>>,
) -> Result<T, ClientError> {
    rx.await.map_err(|_| ClientError::Disconnected("the client has stopped".into()))?
}

pub(crate) fn into_json(reply: Reply) -> Result<Value, ClientError> {
    match reply {
        Reply::Json(v) => Ok(v),
        Reply::Node(n) => Err(ClientError::UnexpectedAnswer(format!("a {} node", n.description))),
    }
}

/// `Ok` for `{"status":200}` (or 2xx); the status as an error otherwise.
pub(crate) fn check_status(value: &Value) -> Result<(), ClientError> {
    match value.get("status").and_then(Value::as_u64) {
        Some(s) if (200..300).contains(&s) => Ok(()),
        Some(s) => Err(ClientError::Status(u16::try_from(s).unwrap_or(u16::MAX))),
        None => Err(ClientError::UnexpectedAnswer(value.to_string())),
    }
}

/// A JSON answer read as `T`; the answer itself as [`ClientError::UnexpectedAnswer`] if it does
/// not fit.
pub(crate) fn parse_answer<T: DeserializeOwned>(value: &Value) -> Result<T, ClientError> {
    T::deserialize(value).map_err(|_| ClientError::UnexpectedAnswer(value.to_string()))
}

/// The string member `name` of an answer.
pub(crate) fn string_member(value: &Value, name: &str) -> Result<String, ClientError> {
    let member = value.get(name).and_then(Value::as_str);
    member.map(str::to_owned).ok_or_else(|| ClientError::UnexpectedAnswer(value.to_string()))
}

/// A message id like the official web client's: `3EB0` and 16 upper-case hex digits.
pub fn new_message_id() -> String {
    let mut raw = [0u8; 8];
    rand::thread_rng().fill_bytes(&mut raw);
    let hex: String = raw.iter().map(|b| format!("{b:02X}")).collect();
    format!("3EB0{hex}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn message_ids_look_official_and_differ() {
        let (a, b) = (new_message_id(), new_message_id());
        assert_eq!(a.len(), 20);
        assert!(a.starts_with("3EB0"));
        assert!(a.chars().all(|c| c.is_ascii_digit() || c.is_ascii_uppercase()));
        assert_ne!(a, b);
    }

    #[test]
    fn statuses_map_to_errors() {
        assert_eq!(check_status(&json!({"status": 200, "t": 5})), Ok(()));
        assert_eq!(check_status(&json!({"status": 404})), Err(ClientError::Status(404)));
        assert!(matches!(check_status(&json!([1])), Err(ClientError::UnexpectedAnswer(_))));
    }

    #[test]
    fn answers_out_of_shape_are_unexpected() {
        let answer = json!({"status": 200, "gid": "1-2@g.us", "n": 3});
        assert_eq!(string_member(&answer, "gid"), Ok("1-2@g.us".to_owned()));
        assert!(matches!(string_member(&answer, "n"), Err(ClientError::UnexpectedAnswer(_))));
        assert_eq!(parse_answer::<u8>(&json!(7)), Ok(7));
        assert!(matches!(parse_answer::<u8>(&answer), Err(ClientError::UnexpectedAnswer(_))));
    }

    #[test]
    fn options_reach_the_session_config() {
        let o = ClientOptions { takeover: false, ..ClientOptions::default() };
        let c = o.session_config();
        assert!(!c.takeover);
        assert_eq!(c.request_timeout_ms, 20_000);
        assert_eq!(c.keepalive_interval_ms, 20_000);
    }
}
