//! `send` and `read` through a running `waweb listen` of the same session, so that they do not
//! take the session over (one live session per account). `listen` serves its socket
//! (`<session>.listen.sock`, see [`super::listen_socket`]); a command connects, writes one JSON
//! request line and reads JSON answer lines:
//!
//! * `{"cmd":"send","jid","text"}` → `{"id","t"}`, then `{"ack","level","t"}` for each later ack
//!   of that message until the command hangs up;
//! * `{"cmd":"read","jid"}` → `{"read": id or null}`;
//! * any failure → `{"error": message, "code": exit code}`.
//!
//! Bounded: one request line of at most [`MAX_REQUEST`] bytes per connection, at most
//! [`MAX_CONNECTIONS`] connections at a time.

use std::sync::Arc;

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::unix::OwnedWriteHalf;
use tokio::net::{UnixListener, UnixStream};
use tokio::sync::{broadcast, Semaphore};
use waweb_client::{Ack, Client};

use super::exit::{code_for, describe, Exit};

/// The longest request line accepted.
pub const MAX_REQUEST: u64 = 64 * 1024;
/// How many commands may be connected at once.
pub const MAX_CONNECTIONS: usize = 16;

/// What a command asks the listener to do.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "cmd", rename_all = "snake_case")]
pub enum Request {
    /// Send a text; answer with its id, then its acks.
    Send {
        /// The recipient (normalised).
        jid: String,
        /// The text.
        text: String,
    },
    /// Mark a chat read.
    Read {
        /// The chat (normalised).
        jid: String,
    },
}

/// An ack the listener saw: message id, level, server time.
pub type AckSeen = (String, Ack, u64);

/// Serves the commands that connect to `listener` with `client`; `acks` carries every ack the
/// listener sees. Runs until the task is dropped.
pub async fn serve(listener: UnixListener, client: Client, acks: broadcast::Sender<AckSeen>) {
    let slots = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            // Out of descriptors, most likely: wait for some to close instead of spinning.
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            continue;
        };
        let Ok(slot) = slots.clone().try_acquire_owned() else {
            continue; // too many at once: dropping the connection tells the command
        };
        let (client, acks) = (client.clone(), acks.subscribe());
        tokio::spawn(async move {
            let _slot = slot;
            let _ = handle(stream, &client, acks).await;
        });
    }
}

async fn handle(
    stream: UnixStream,
    client: &Client,
    mut acks: broadcast::Receiver<AckSeen>,
) -> std::io::Result<()> {
    let (read, mut write) = stream.into_split();
    let mut reader = BufReader::new(read);
    let mut line = String::new();
    (&mut reader).take(MAX_REQUEST).read_line(&mut line).await?;
    let request = match serde_json::from_str::<Request>(&line) {
        Ok(r) => r,
        Err(e) => {
            return answer(&mut write, json!({"error": format!("bad request: {e}"), "code": 1}))
                .await
        }
    };
    match request {
        Request::Read { jid } => {
            let done = super::read::mark_read(client, &jid).await;
            answer(&mut write, done.map_or_else(|e| failure(&e), |id| json!({"read": id}))).await
        }
        Request::Send { jid, text } => {
            let receipt = match client.send_text(&jid, &text).await {
                Ok(r) => r,
                Err(e) => {
                    return answer(&mut write, failure(&super::client_common::jid_error(e, &jid)))
                        .await
                }
            };
            answer(&mut write, json!({"id": receipt.id, "t": receipt.t})).await?;
            let mut probe = [0u8; 1];
            loop {
                tokio::select! {
                    seen = acks.recv() => match seen {
                        Ok((id, ack, t)) if id == receipt.id => {
                            let value = json!({"ack": ack.name(), "level": i32::from(ack), "t": t});
                            answer(&mut write, value).await?;
                        }
                        Ok(_) | Err(broadcast::error::RecvError::Lagged(_)) => {}
                        Err(broadcast::error::RecvError::Closed) => return Ok(()),
                    },
                    // The command hung up (or wrote more): this message is done with.
                    _ = reader.read(&mut probe) => return Ok(()),
                }
            }
        }
    }
}

fn failure(e: &anyhow::Error) -> Value {
    json!({"error": describe(e), "code": code_for(e)})
}

async fn answer(write: &mut OwnedWriteHalf, value: Value) -> std::io::Result<()> {
    write.write_all(format!("{value}\n").as_bytes()).await
}

/// A command's connection to the listener.
pub struct Link {
    lines: tokio::io::Lines<BufReader<tokio::net::unix::OwnedReadHalf>>,
    write: OwnedWriteHalf,
}

impl Link {
    /// Connects to the listener of session file `session`, if one runs.
    pub async fn connect(session: &std::path::Path) -> Option<Link> {
        let stream = UnixStream::connect(super::listen_socket::path_for(session)).await.ok()?;
        let (read, write) = stream.into_split();
        Some(Link { lines: BufReader::new(read).lines(), write })
    }

    /// Sends `request` and reads the first answer; an `error` answer becomes the error.
    pub async fn request(&mut self, request: &Request) -> anyhow::Result<Value> {
        let line = serde_json::to_string(request)?;
        self.write.write_all(format!("{line}\n").as_bytes()).await.map_err(lost)?;
        self.next().await
    }

    /// The next answer line; an `error` answer becomes the error.
    pub async fn next(&mut self) -> anyhow::Result<Value> {
        let line = self.lines.next_line().await.map_err(lost)?;
        let line = line.ok_or_else(|| lost("it closed the connection"))?;
        let value: Value = serde_json::from_str(&line)
            .map_err(|e| Exit::new(1, format!("unreadable answer from `waweb listen`: {e}")))?;
        if let Some(error) = value["error"].as_str() {
            let code = value["code"].as_u64().and_then(|c| u8::try_from(c).ok()).unwrap_or(1);
            return Err(Exit::new(code, error));
        }
        Ok(value)
    }
}

fn lost(e: impl std::fmt::Display) -> anyhow::Error {
    Exit::new(
        super::exit::UNREACHABLE,
        format!("lost the running `waweb listen` of this session ({e}); run the command again"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_are_one_json_object_per_line() {
        let send = Request::Send { jid: "1@c.us".into(), text: "hi".into() };
        let line = serde_json::to_string(&send).unwrap();
        assert_eq!(line, r#"{"cmd":"send","jid":"1@c.us","text":"hi"}"#);
        assert_eq!(serde_json::from_str::<Request>(&line).unwrap(), send);
        let read: Request = serde_json::from_str(r#"{"cmd":"read","jid":"1@c.us"}"#).unwrap();
        assert_eq!(read, Request::Read { jid: "1@c.us".into() });
        assert!(serde_json::from_str::<Request>(r#"{"cmd":"logout"}"#).is_err());
    }
}
