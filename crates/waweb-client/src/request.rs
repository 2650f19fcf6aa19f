//! Requests waiting for their answer, matched by tag.
//!
//! The driver registers a request when it hands it to the session and resolves it when an
//! answer with the same tag arrives. Deadlines belong to the session alone (it reports
//! `RequestTimedOut` for a tag it gave up on, which fails the request here with
//! [`ClientError::Timeout`]); everything still waiting fails when the connection ends.
//! [`Command`] is what the public handle sends the driver to start one.

use serde_json::Value;
use std::collections::HashMap;
use std::time::Duration;
use tokio::sync::oneshot;
use waweb_proto::binary::Node;
use waweb_proto::frame::{Flags, Metric};
use waweb_proto::message::WebMessageInfo;

use crate::error::ClientError;

/// The answer to a request: an encrypted node or a JSON value.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Reply {
    /// A binary `response` node.
    Node(Node),
    /// A text answer (`{"status":200}`, `{"status":"about text"}`...).
    Json(Value),
}

/// Where the answer goes.
pub(crate) type ReplyTx = oneshot::Sender<Result<Reply, ClientError>>;

/// The requests in flight.
#[derive(Debug)]
pub(crate) struct Pending {
    /// The session's request timeout, for the error a timed-out request gets.
    timeout_ms: u64,
    waiting: HashMap<String, ReplyTx>,
}

impl Pending {
    /// An empty table, for a session whose requests time out after `timeout`.
    pub(crate) fn new(timeout: Duration) -> Self {
        let timeout_ms = u64::try_from(timeout.as_millis()).unwrap_or(u64::MAX);
        Pending { timeout_ms, waiting: HashMap::new() }
    }

    /// Waits for an answer on `tag`.
    pub(crate) fn insert(&mut self, tag: String, reply: ReplyTx) {
        self.waiting.insert(tag, reply);
    }

    /// Hands `result` to whoever waits on `tag`; gives it back when nobody does.
    pub(crate) fn resolve(
        &mut self,
        tag: &str,
        result: Result<Reply, ClientError>,
    ) -> Option<Result<Reply, ClientError>> {
        match self.waiting.remove(tag) {
            Some(tx) => {
                // The caller may have given up (dropped its future); that is fine.
                let _ = tx.send(result);
                None
            }
            None => Some(result),
        }
    }

    /// The session gave up waiting for `tag`'s answer.
    pub(crate) fn time_out(&mut self, tag: &str) {
        let _ = self.resolve(tag, Err(self.timeout_error()));
    }

    /// The error of a request the session stopped waiting for.
    pub(crate) fn timeout_error(&self) -> ClientError {
        ClientError::Timeout(self.timeout_ms)
    }

    /// Fails everything (the connection ended).
    pub(crate) fn fail_all(&mut self, error: &ClientError) {
        for (_, tx) in self.waiting.drain() {
            let _ = tx.send(Err(error.clone()));
        }
    }

    /// How many requests wait.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.waiting.len()
    }
}

/// What the public handle asks the socket task to do.
pub(crate) enum Command {
    /// An encrypted request; the driver appends the `epoch` attribute.
    Node { node: Node, metric: Metric, flags: Flags, reply: ReplyTx },
    /// A JSON request.
    Json { value: serde_json::Value, reply: ReplyTx },
    /// A message relay, answered on the message id.
    Relay { message: Box<WebMessageInfo>, reply: ReplyTx },
    /// Log out; answered once the server confirmed.
    Logout { reply: oneshot::Sender<Result<(), ClientError>> },
    /// Close the socket and end the task.
    Close,
}

/// Fails a command that cannot run now.
pub(crate) fn reject(cmd: Command, why: &str) {
    let error = ClientError::Disconnected(why.to_string());
    match cmd {
        Command::Node { reply, .. }
        | Command::Json { reply, .. }
        | Command::Relay { reply, .. } => {
            let _ = reply.send(Err(error));
        }
        Command::Logout { reply } => {
            let _ = reply.send(Err(error));
        }
        Command::Close => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[tokio::test]
    async fn answers_go_to_their_tag_and_timed_out_ones_fail() {
        let mut p = Pending::new(Duration::from_millis(100));
        let (a_tx, a_rx) = oneshot::channel();
        let (b_tx, b_rx) = oneshot::channel();
        p.insert("a".into(), a_tx);
        p.insert("b".into(), b_tx);
        assert!(p.resolve("b", Ok(Reply::Json(json!({"status": 200})))).is_none());
        assert_eq!(b_rx.await.unwrap(), Ok(Reply::Json(json!({"status": 200}))));
        let unknown = p.resolve("zzz", Ok(Reply::Json(json!(1))));
        assert_eq!(unknown, Some(Ok(Reply::Json(json!(1)))), "nobody waits on zzz");
        p.time_out("zzz");
        assert_eq!(p.len(), 1, "a time-out of an unknown tag changes nothing");
        p.time_out("a");
        assert_eq!(a_rx.await.unwrap(), Err(ClientError::Timeout(100)));
        assert_eq!(p.len(), 0);
    }

    #[tokio::test]
    async fn fail_all_reaches_every_waiter() {
        let mut p = Pending::new(Duration::from_secs(1));
        let (tx, rx) = oneshot::channel();
        p.insert("x".into(), tx);
        p.fail_all(&ClientError::Replaced);
        assert_eq!(rx.await.unwrap(), Err(ClientError::Replaced));
        assert_eq!(p.len(), 0);
    }
}
