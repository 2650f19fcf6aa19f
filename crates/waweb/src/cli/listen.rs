//! `waweb listen`: prints events as they arrive — readable lines, or one JSON object per line with
//! `--json` — until Ctrl-C. Reconnects on its own when the link drops.

use serde_json::{json, Value};
use std::process::ExitCode;
use waweb_client::{session_file, BatchKind, ConnInfo, Disconnect, Event, WebMessageInfo};

use super::client_common::{client_error, format_time, out, ClientArgs};
use super::exit::{Exit, FAILURE, SESSION_INVALID, UNREACHABLE};
use super::history::{body, sender};

/// Its arguments.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    client: ClientArgs,
    /// One JSON object per line instead of readable text.
    #[arg(long)]
    json: bool,
}

/// Runs it.
pub async fn run(args: Args) -> anyhow::Result<ExitCode> {
    let options = waweb_client::ClientOptions { reconnect: true, ..args.client.options() };
    let mut s = args.client.open(options).await?;
    print(args.json, ready(&s.info), &format!("listening as {}", s.info.wid))?;
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
        for (value, text) in describe(&event) {
            print(args.json, value, &text)?;
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
            "another web client took over this account (a second `waweb` command?); \
             run `waweb listen` again to take it back",
        ),
        Disconnect::LoggedOut | Disconnect::InvalidSession(_) => Exit::new(
            SESSION_INVALID,
            "the session was logged out or is no longer valid: run `waweb login` again",
        ),
        Disconnect::Network(e) => Exit::new(UNREACHABLE, format!("connection lost: {e}")),
        other => Exit::new(FAILURE, format!("the session ended: {other:?}")),
    }
}

/// The JSON and readable forms of one event (several for a batch of messages).
fn describe(event: &Event) -> Vec<(Value, String)> {
    match event {
        Event::Messages { kind, messages, .. } => {
            messages.iter().map(|m| message(kind, m)).collect()
        }
        Event::Ack { id, ack, to, t, .. } => vec![(
            json!({"event": "ack", "id": id, "ack": ack.name(),
                   "to": to, "t": t}),
            format!("ack {id} to {to}: {ack:?}"),
        )],
        Event::Presence { jid, kind, t, .. } => vec![(
            json!({"event": "presence", "jid": jid, "type": kind, "t": t}),
            format!("presence {jid}: {kind}"),
        )],
        Event::Battery { value, live } => vec![(
            json!({"event": "battery", "value": value, "live": live}),
            format!("battery {value}%{}", if *live { " (charging)" } else { "" }),
        )],
        Event::Chats(chats) => vec![(
            json!({"event": "chats", "count": chats.len()}),
            format!("chat list: {} chats", chats.len()),
        )],
        Event::Contacts(c) => vec![(
            json!({"event": "contacts", "count": c.len()}),
            format!("contact list: {} contacts", c.len()),
        )],
        Event::Reconnecting { attempt, delay_ms } => vec![(
            json!({"event": "reconnecting", "attempt": attempt, "delay_ms": delay_ms}),
            format!("connection lost; reconnecting in {delay_ms} ms (attempt {attempt})"),
        )],
        Event::Ready { info, .. } => {
            vec![(ready(info), format!("connected again as {}", info.wid))]
        }
        Event::Push(p) => vec![(
            json!({"event": "push", "name": p.name(), "value": p.to_value()}),
            format!("{} {}", p.name(), p.to_value()),
        )],
        Event::Node { tag, node } => vec![(
            json!({"event": "node", "tag": tag, "description": node.description}),
            format!("node {} on {tag}", node.description),
        )],
        Event::Qr { .. } | Event::Disconnected(_) => vec![],
    }
}

fn message(kind: &BatchKind, m: &WebMessageInfo) -> (Value, String) {
    let key = m.key.clone().unwrap_or_default();
    let kind = match kind {
        BatchKind::Live => "live".to_string(),
        BatchKind::Last => "last".to_string(),
        BatchKind::Before => "before".to_string(),
        BatchKind::After => "after".to_string(),
        BatchKind::Update => "update".to_string(),
        BatchKind::Unread => "unread".to_string(),
        BatchKind::Other(o) => o.clone(),
    };
    let chat = key.remote_jid.unwrap_or_default();
    let from_me = key.from_me.unwrap_or(false);
    let t = m.message_timestamp.unwrap_or(0);
    let value = json!({
        "event": "message", "kind": kind, "chat": chat, "id": key.id, "from_me": from_me,
        "participant": key.participant, "push_name": m.push_name, "t": t, "text": m.text(),
        "media": waweb_client::Attachment::of(m).map(|a| super::media_show::to_json(&a)),
    });
    let (who, text) = (sender(m), body(m));
    (value, format!("[{}] {kind} {chat} {who}: {text}", format_time(t)))
}
