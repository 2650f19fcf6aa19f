//! Requests waiting for their answer, matched by tag, each with a deadline.
//!
//! The driver registers a request when it hands it to the session, resolves it when an answer
//! with the same tag arrives, fails it with [`ClientError::Timeout`] when its deadline passes, and
//! fails everything still waiting when the connection ends. [`Command`] is what the public handle
//! sends the driver to start one.

use serde_json::Value;
use std::collections::HashMap;
use tokio::sync::oneshot;
use tokio::time::{Duration, Instant};
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
    timeout: Duration,
    waiting: HashMap<String, (ReplyTx, Instant)>,
}

impl Pending {
    /// An empty table whose requests expire `timeout` after they were sent.
    pub(crate) fn new(timeout: Duration) -> Self {
        Pending { timeout, waiting: HashMap::new() }
    }

    /// Waits for an answer on `tag` from `now` on.
    pub(crate) fn insert(&mut self, tag: String, reply: ReplyTx, now: Instant) {
        self.waiting.insert(tag, (reply, now + self.timeout));
    }

    /// Hands `result` to whoever waits on `tag`; gives it back when nobody does.
    pub(crate) fn resolve(
        &mut self,
        tag: &str,
        result: Result<Reply, ClientError>,
    ) -> Option<Result<Reply, ClientError>> {
        match self.waiting.remove(tag) {
            Some((tx, _)) => {
                // The caller may have given up (dropped its future); that is fine.
                let _ = tx.send(result);
                None
            }
            None => Some(result),
        }
    }

    /// The earliest deadline.
    pub(crate) fn next_deadline(&self) -> Option<Instant> {
        self.waiting.values().map(|(_, d)| *d).min()
    }

    /// Fails every request whose deadline has passed.
    pub(crate) fn expire(&mut self, now: Instant) {
        let ms = u64::try_from(self.timeout.as_millis()).unwrap_or(u64::MAX);
        let late: Vec<String> =
            self.waiting.iter().filter(|(_, (_, d))| *d <= now).map(|(t, _)| t.clone()).collect();
        for tag in late {
            self.resolve(&tag, Err(ClientError::Timeout(ms)));
        }
    }

    /// Fails everything (the connection ended).
    pub(crate) fn fail_all(&mut self, error: &ClientError) {
        for (_, (tx, _)) in self.waiting.drain() {
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
    async fn answers_go_to_their_tag_and_late_ones_time_out() {
        let mut p = Pending::new(Duration::from_millis(100));
        let t0 = Instant::now();
        let (a_tx, a_rx) = oneshot::channel();
        let (b_tx, b_rx) = oneshot::channel();
        p.insert("a".into(), a_tx, t0);
        p.insert("b".into(), b_tx, t0 + Duration::from_millis(50));
        assert_eq!(p.next_deadline(), Some(t0 + Duration::from_millis(100)));
        assert!(p.resolve("b", Ok(Reply::Json(json!({"status": 200})))).is_none());
        assert_eq!(b_rx.await.unwrap(), Ok(Reply::Json(json!({"status": 200}))));
        let unknown = p.resolve("zzz", Ok(Reply::Json(json!(1))));
        assert_eq!(unknown, Some(Ok(Reply::Json(json!(1)))), "nobody waits on zzz");
        p.expire(t0 + Duration::from_millis(99));
        assert_eq!(p.len(), 1);
        p.expire(t0 + Duration::from_millis(100));
        assert_eq!(a_rx.await.unwrap(), Err(ClientError::Timeout(100)));
        assert_eq!(p.len(), 0);
    }

    #[tokio::test]
    async fn fail_all_reaches_every_waiter() {
        let mut p = Pending::new(Duration::from_secs(1));
        let (tx, rx) = oneshot::channel();
        p.insert("x".into(), tx, Instant::now());
        p.fail_all(&ClientError::Replaced);
        assert_eq!(rx.await.unwrap(), Err(ClientError::Replaced));
        assert_eq!(p.next_deadline(), None);
    }
}
