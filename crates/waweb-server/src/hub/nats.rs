//! The NATS bus (`waweb serve --bus nats://…`): several server nodes share live delivery.
//!
//! Subjects (see [`wire`]): a node subscribes to `waweb.acct.<account>.*` for each account it
//! has a live session of, and only those, so each node receives the deliveries of its own
//! sessions and nothing else (a wildcard over every account would send every push of the
//! cluster to every node, and each node would throw most of it away). Publishing a delivery is
//! one `PUB waweb.acct.<account>.push`; asking "which pairings of this account are live?" is a
//! request on `….who`. A QR ref shown on a node is subscribed as `waweb.scan.<ref>` while it is
//! shown: a scan made through any node's admin API is a request there, answered by the node
//! that holds the browser (no node holds it: NATS answers "no responders" at once, a 404).
//! Presence changes go to `waweb.presence`, which every node follows: each needs all of them
//! (for `lastseen` and new subscriptions), and they come at human pace.
//!
//! async-nats reconnects by itself, without limit, and subscribes again to every subject it
//! had; this module only logs connection events at warn. While NATS is away, publishes wait in
//! a bounded queue (past it they are dropped with a warning: a relayed message stays queued in
//! the store for the next sync).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_nats::{ConnectOptions, Event, Request, RequestErrorKind};
use futures_util::future::BoxFuture;
use futures_util::FutureExt;
use tokio::sync::{mpsc, watch};

use super::bus::{fresh_id, Bus, BusError, Envelope, PresenceChange};
use super::bus::{ScanError, ScanRequest, SCAN_TIMEOUT};
use super::dedupe::Dedupe;
use super::{wire, Registry};

mod tasks;

use tasks::{follow_presence, publish_queued, round_trip, serve_account, serve_scans, Link, Task};

/// How many publishes may wait for NATS (about as many as a few seconds of a busy node).
const OUTBOX: usize = 65_536;
/// How many envelope ids a node remembers to drop a second copy (16 bytes each, twice).
const DEDUPE_WINDOW: usize = 65_536;
/// How long a login waits for its account's subscription to be in place.
const WATCH_READY: Duration = Duration::from_secs(5);
/// How long the question "which pairings are live?" may take.
const WHO_TIMEOUT: Duration = Duration::from_secs(2);
/// How much longer a remote scan may take than the node holding the browser waits for it.
const SCAN_MARGIN: Duration = Duration::from_secs(2);

/// Deliveries over a NATS server (see the module documentation).
pub struct NatsBus {
    link: Link,
    outbox: mpsc::Sender<(String, bytes::Bytes)>,
    accounts: Mutex<HashMap<String, (Task, watch::Receiver<bool>)>>,
    refs: Mutex<HashMap<String, Task>>,
    _background: [Task; 2],
}

impl std::fmt::Debug for NatsBus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NatsBus").field("node", &self.link.registry.node()).finish_non_exhaustive()
    }
}

/// `url` without its user and password, for messages and logs.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            format!("{}***{}", &url[..scheme + 3], &url[at..])
        }
        _ => url.to_owned(),
    }
}

impl NatsBus {
    /// Connects to the NATS server at `url` for the node whose connections `registry` holds.
    pub async fn connect(url: &str, registry: Arc<Registry>) -> Result<NatsBus, BusError> {
        let failed = |why: String| BusError::Connect { url: redact_url(url), why };
        let client = ConnectOptions::new()
            .name(format!("waweb-{:016x}", registry.node()))
            .connection_timeout(Duration::from_secs(5))
            .event_callback(|event| async move {
                match event {
                    Event::Disconnected => tracing::warn!(
                        "NATS bus: disconnected; reconnecting (relayed messages stay queued)"
                    ),
                    other => tracing::warn!(event = %other, "NATS bus"),
                }
            })
            .connect(url)
            .await
            .map_err(|e| failed(e.to_string()))?;
        let presence = client.subscribe(wire::PRESENCE).await.map_err(|e| failed(e.to_string()))?;
        round_trip(&client).await.map_err(failed)?;
        let dedupe = Arc::new(Mutex::new(Dedupe::new(DEDUPE_WINDOW)));
        let link = Link { client, registry, dedupe };
        let (outbox, queued) = mpsc::channel(OUTBOX);
        let background = [
            Task(tokio::spawn(publish_queued(link.client.clone(), queued))),
            Task(tokio::spawn(follow_presence(link.clone(), presence))),
        ];
        Ok(NatsBus {
            link,
            outbox,
            accounts: Mutex::default(),
            refs: Mutex::default(),
            _background: background,
        })
    }

    fn send(&self, subject: String, payload: Vec<u8>) {
        if self.outbox.try_send((subject, payload.into())).is_err() {
            tracing::warn!("NATS bus: publish queue full, a live push is dropped");
        }
    }
}

impl Bus for NatsBus {
    fn node(&self) -> u64 {
        self.link.registry.node()
    }

    fn is_single_node(&self) -> bool {
        false
    }

    fn publish(&self, envelope: Envelope) {
        match wire::encode_envelope(&envelope) {
            Ok(payload) => self.send(wire::account_push(&envelope.account), payload),
            Err(e) => tracing::warn!(error = %e, "NATS bus: cannot encode a delivery"),
        }
    }

    fn announce_presence(&self, change: PresenceChange) {
        match wire::encode_presence(fresh_id(), &change) {
            Ok(payload) => self.send(wire::PRESENCE.to_owned(), payload),
            Err(e) => tracing::warn!(error = %e, "NATS bus: cannot encode a presence change"),
        }
    }

    fn watch_account(&self, account: &str) -> BoxFuture<'static, ()> {
        let mut accounts = self.accounts.lock().unwrap_or_else(|p| p.into_inner());
        let mut ready = match accounts.get(account) {
            Some((task, ready)) if !task.0.is_finished() => ready.clone(),
            _ => {
                let (tx, rx) = watch::channel(false);
                let link = self.link.clone();
                let task = Task(tokio::spawn(serve_account(link, account.to_owned(), tx)));
                accounts.insert(account.to_owned(), (task, rx.clone()));
                rx
            }
        };
        async move {
            let confirmed = tokio::time::timeout(WATCH_READY, ready.wait_for(|r| *r)).await;
            if !matches!(confirmed, Ok(Ok(_))) {
                tracing::warn!("NATS bus: an account's subscription is not confirmed yet");
            }
        }
        .boxed()
    }

    fn unwatch_account(&self, account: &str) {
        let mut accounts = self.accounts.lock().unwrap_or_else(|p| p.into_inner());
        // Checked under this lock: a session registered meanwhile keeps the subscription.
        if !self.link.registry.has_sessions(account) {
            accounts.remove(account);
        }
    }

    fn watch_ref(&self, r#ref: &str) {
        let mut refs = self.refs.lock().unwrap_or_else(|p| p.into_inner());
        refs.entry(r#ref.to_owned()).or_insert_with(|| {
            Task(tokio::spawn(serve_scans(self.link.clone(), r#ref.to_owned())))
        });
    }

    fn unwatch_ref(&self, r#ref: &str) {
        self.refs.lock().unwrap_or_else(|p| p.into_inner()).remove(r#ref);
    }

    fn scan(&self, request: ScanRequest) -> BoxFuture<'static, Result<(), ScanError>> {
        let client = self.link.client.clone();
        async move {
            let payload = wire::encode(&request).map_err(|e| ScanError::Bus(e.to_string()))?;
            let ask =
                Request::new().payload(payload.into()).timeout(Some(SCAN_TIMEOUT + SCAN_MARGIN));
            match client.send_request(wire::scan(&request.r#ref), ask).await {
                Ok(answer) => wire::decode::<Result<(), ScanError>>(&answer.payload)
                    .unwrap_or_else(|e| Err(ScanError::Bus(e.to_string()))),
                Err(e) => Err(match e.kind() {
                    RequestErrorKind::NoResponders => ScanError::NotFound(
                        "no connection shows this QR (unknown or expired)".into(),
                    ),
                    RequestErrorKind::TimedOut => ScanError::TimedOut,
                    RequestErrorKind::Other => ScanError::Bus(e.to_string()),
                }),
            }
        }
        .boxed()
    }

    fn pairings_online(&self, account: &str) -> BoxFuture<'static, Result<Vec<String>, BusError>> {
        let (client, subject) = (self.link.client.clone(), wire::account_who(account));
        async move {
            let ask = Request::new().timeout(Some(WHO_TIMEOUT));
            match client.send_request(subject, ask).await {
                Ok(answer) => {
                    wire::decode(&answer.payload).map_err(|e| BusError::Request(e.to_string()))
                }
                Err(e) if e.kind() == RequestErrorKind::NoResponders => Ok(Vec::new()),
                Err(e) => Err(BusError::Request(e.to_string())),
            }
        }
        .boxed()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn urls_lose_their_credentials_in_messages() {
        assert_eq!(super::redact_url("nats://user:pw@host:4222"), "nats://***@host:4222");
        assert_eq!(super::redact_url("nats://host:4222"), "nats://host:4222");
    }
}
