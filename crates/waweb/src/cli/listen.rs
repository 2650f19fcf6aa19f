//! `waweb listen`: prints events as they arrive until Ctrl-C. Reconnects on its own when the link
//! drops. By default it shows what a person follows: new messages, acks of our messages,
//! presence and typing, connection changes, JIDs spelt `…@c.us` as every other command prints
//! them. `--verbose` adds everything else the server sends (the initial sync's batches, lists,
//! battery, raw pushes and nodes); `--json` prints every event as one JSON object per line.
//! `--mark-read` marks each new message read as it is shown. While it runs, `send` and `read`
//! of the same session go through it ([`super::forward`]) instead of taking the session over.

use serde_json::{json, Value};
use std::process::ExitCode;
use waweb_client::{session_file, BatchKind, Client, ConnInfo, Disconnect, Event, WebMessageInfo};
use waweb_proto::binary::jid::to_c_us;

use super::client_common::{client_error, format_time, out, ClientArgs};
use super::event_text::sentence;
use super::exit::{Exit, FAILURE, SESSION_INVALID, UNREACHABLE};
use super::history::{body, sender};

/// Its arguments.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    client: ClientArgs,
    /// One JSON object per line, for every event, instead of readable text.
    #[arg(long)]
    json: bool,
    /// Also show the protocol's housekeeping: the initial sync, lists, battery, raw pushes.
    #[arg(long)]
    verbose: bool,
    /// Mark each new message read as it is shown (its sender sees blue ticks).
    #[arg(long)]
    mark_read: bool,
}

/// Runs it.
pub async fn run(args: Args) -> anyhow::Result<ExitCode> {
    let options = waweb_client::ClientOptions { reconnect: true, ..args.client.options() };
    let mut s = args.client.open(options).await?;
    // `send` and `read` of this session come through this socket; other commands see it.
    let (acks, _) = tokio::sync::broadcast::channel(64);
    let _socket = serve_socket(&s.path, &s.client, &acks);
    let me = s.info.wid.clone();
    print(args.json, ready(&s.info), &format!("listening as {me}"))?;
    loop {
        let event = tokio::select! {
            e = s.events.recv() => e,
            _ = tokio::signal::ctrl_c() => {
                s.client.close();
                return Ok(ExitCode::SUCCESS);
            }
        };
        let Some(event) = event else { return Ok(ExitCode::SUCCESS) };
        if let Event::Ready { .. } = &event {
            // Tokens rotate at every login, reconnections included.
            if let Some(c) = s.client.credentials() {
                session_file::save(&s.path, &c).map_err(client_error)?;
            }
        }
        if let Event::Disconnected(why) = event {
            return Err(ended(why));
        }
        if let Event::Ack { id, ack, t, .. } = &event {
            let _ = acks.send((id.clone(), *ack, *t)); // nobody waiting is fine
        }
        for (value, text) in describe(&event, &me) {
            match text {
                Some(text) if !args.json => out(text)?,
                None if args.verbose && !args.json => out(verbose_text(&value))?,
                _ if args.json => out(value)?,
                _ => {}
            }
        }
        if args.mark_read {
            mark_read(&s.client, &event).await;
        }
    }
}

/// Serves the session's socket ([`super::forward`]) until the guard is dropped.
#[cfg(unix)]
fn serve_socket(
    session: &std::path::Path,
    client: &Client,
    acks: &tokio::sync::broadcast::Sender<super::forward::AckSeen>,
) -> Option<impl Drop> {
    let (guard, listener) = super::listen_socket::hold(session)?;
    let task = tokio::spawn(super::forward::serve(listener, client.clone(), acks.clone()));
    Some(SocketTask { _guard: guard, task })
}

/// No socket off Unix: the other commands take the session over.
#[cfg(not(unix))]
fn serve_socket(
    _session: &std::path::Path,
    _client: &Client,
    _acks: &tokio::sync::broadcast::Sender<(String, waweb_client::Ack, u64)>,
) -> Option<()> {
    None
}

/// The socket's task and file, ended and removed together.
#[cfg(unix)]
struct SocketTask {
    _guard: super::listen_socket::Guard,
    task: tokio::task::JoinHandle<()>,
}

#[cfg(unix)]
impl Drop for SocketTask {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Marks the new messages of `event` that came from others read; a failure is only reported.
async fn mark_read(client: &Client, event: &Event) {
    let Event::Messages { kind: BatchKind::Live, messages, .. } = event else { return };
    for m in messages {
        let chat = m.key.as_ref().and_then(|k| k.remote_jid.clone());
        if let (Some(chat), Some(id)) = (chat, super::read::received_id(m)) {
            if let Err(e) = client.read(&chat, &id).await {
                eprintln!("could not mark {id} read: {e}");
            }
        }
    }
}

/// The JSON form of a (re)connection.
fn ready(info: &ConnInfo) -> Value {
    json!({"event": "ready", "wid": info.wid, "pushname": info.pushname})
}

fn print(as_json: bool, value: Value, text: &str) -> anyhow::Result<()> {
    if as_json {
        out(value)
    } else {
        out(text)
    }
}

fn ended(why: Disconnect) -> anyhow::Error {
    match why {
        Disconnect::Replaced => Exit::new(
            FAILURE,
            "replaced: another web client took over this account (one session is live at a \
             time). A `waweb` command other than send and read with the same session does this; \
             give listen a session of its own (`waweb login --session listen.json`, then \
             `waweb listen --session listen.json`), or run `waweb listen` again to take it back",
        ),
        Disconnect::LoggedOut | Disconnect::InvalidSession(_) => Exit::new(
            SESSION_INVALID,
            "the session was logged out or is no longer valid: run `waweb login` to pair again",
        ),
        Disconnect::Network(e) => Exit::new(UNREACHABLE, format!("connection lost: {e}")),
        other => Exit::new(FAILURE, format!("the session ended: {other:?}")),
    }
}

/// A housekeeping event in `--verbose` text: its JSON form, whose `event` names it.
fn verbose_text(value: &Value) -> String {
    let name = value["event"].as_str().unwrap_or("event");
    format!("({name}) {value}")
}

/// The JSON form of one event (several for a batch of messages), each with its readable line,
/// or `None` for what only `--verbose` and `--json` show.
fn describe(event: &Event, me: &str) -> Vec<(Value, Option<String>)> {
    match event {
        Event::Messages { kind, messages, .. } => {
            messages.iter().map(|m| message(kind, m, me)).collect()
        }
        Event::Ack { id, ack, to, participant, t } => {
            let by = participant.as_deref().map(|p| format!(" by {}", to_c_us(p)));
            vec![(
                json!({"event": "ack", "id": id, "ack": ack.name(), "to": to,
                       "participant": participant, "t": t}),
                Some(format!(
                    "ack {id} to {}{}: {}",
                    to_c_us(to),
                    by.unwrap_or_default(),
                    ack.name()
                )),
            )]
        }
        Event::Presence { jid, kind, t, participant } => vec![(
            json!({"event": "presence", "jid": jid, "type": kind, "t": t,
                   "participant": participant}),
            Some(presence(jid, kind, *t, participant.as_deref())),
        )],
        Event::Reconnecting { attempt, delay_ms } => vec![(
            json!({"event": "reconnecting", "attempt": attempt, "delay_ms": delay_ms}),
            Some(format!("connection lost; reconnecting in {delay_ms} ms (attempt {attempt})")),
        )],
        Event::Ready { info, .. } => {
            vec![(ready(info), Some(format!("connected again as {}", info.wid)))]
        }
        Event::Battery { value, live } => {
            vec![(json!({"event": "battery", "value": value, "live": live}), None)]
        }
        Event::Chats(chats) => vec![(json!({"event": "chats", "count": chats.len()}), None)],
        Event::Contacts(c) => vec![(json!({"event": "contacts", "count": c.len()}), None)],
        Event::Push(p) => {
            vec![(json!({"event": "push", "name": p.name(), "value": p.to_value()}), None)]
        }
        Event::Node { tag, node } => {
            vec![(json!({"event": "node", "tag": tag, "description": node.description}), None)]
        }
        Event::Qr { .. } | Event::Disconnected(_) => vec![],
    }
}

/// A presence or chat state in words: `15550000002@c.us is typing`.
fn presence(jid: &str, kind: &str, t: Option<u64>, participant: Option<&str>) -> String {
    let who = match participant {
        Some(member) => format!("{} in {}", to_c_us(member), to_c_us(jid)),
        None => to_c_us(jid),
    };
    let state = match kind {
        "available" => "is online".to_string(),
        "unavailable" => match t {
            Some(t) if t > 0 => format!("is offline (last seen {})", format_time(t)),
            _ => "is offline".to_string(),
        },
        "composing" => "is typing".to_string(),
        "recording" => "is recording audio".to_string(),
        "paused" => "stopped typing".to_string(),
        other => format!("is {other}"),
    };
    format!("{who} {state}")
}

/// One message: JSON, and a line for a new one (the initial sync's batches only with
/// `--verbose`): `[time] chat sender: text`, or `[time] chat: sentence` for a system message.
fn message(kind: &BatchKind, m: &WebMessageInfo, me: &str) -> (Value, Option<String>) {
    let key = m.key.clone().unwrap_or_default();
    let kind_name = match kind {
        BatchKind::Live => "live".to_string(),
        BatchKind::Last => "last".to_string(),
        BatchKind::Before => "before".to_string(),
        BatchKind::After => "after".to_string(),
        BatchKind::Update => "update".to_string(),
        BatchKind::Unread => "unread".to_string(),
        BatchKind::Other(o) => o.clone(),
    };
    let chat = key.remote_jid.as_deref().map(to_c_us).unwrap_or_default();
    let from_me = key.from_me.unwrap_or(false);
    let t = m.message_timestamp.unwrap_or(0);
    let value = json!({
        "event": "message", "kind": kind_name, "chat": key.remote_jid, "id": key.id,
        "from_me": from_me, "participant": key.participant, "push_name": m.push_name, "t": t,
        "text": m.text(),
        "media": waweb_client::Attachment::of(m).map(|a| super::media_show::to_json(&a)),
    });
    if *kind != BatchKind::Live {
        return (value, None);
    }
    let text = match sentence(m, me) {
        Some(event) => format!("[{}] {chat}: {event}", format_time(t)),
        None => format!("[{}] {chat} {}: {}", format_time(t), sender(m), body(m)),
    };
    (value, Some(text))
}

#[cfg(test)]
mod tests {
    use super::*;
    use waweb_proto::message::text_message;

    #[test]
    fn new_messages_acks_and_presence_read_plainly_housekeeping_only_in_verbose() {
        let me = "15550000001@c.us";
        let mut m = text_message("15550000002@s.whatsapp.net", false, "ID1", "hi", 0);
        m.push_name = Some("Bob".into());
        let live =
            Event::Messages { kind: BatchKind::Live, last: false, messages: vec![m.clone()] };
        let shown = describe(&live, me);
        assert_eq!(shown[0].1.as_deref(), Some("[1970-01-01 00:00] 15550000002@c.us Bob: hi"));
        let synced = Event::Messages { kind: BatchKind::Last, last: true, messages: vec![m] };
        assert_eq!(describe(&synced, me)[0].1, None);
        assert_eq!(describe(&synced, me)[0].0["kind"], "last");
        let typing = presence("15550000002@s.whatsapp.net", "composing", None, None);
        assert_eq!(typing, "15550000002@c.us is typing");
        let battery = describe(&Event::Battery { value: 80, live: false }, me);
        assert_eq!(battery[0].1, None);
        assert_eq!(
            verbose_text(&battery[0].0),
            r#"(battery) {"event":"battery","value":80,"live":false}"#
        );
    }
}
