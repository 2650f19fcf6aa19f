//! The background tasks of the NATS bus: the publisher, the presence follower, one task per
//! watched account and one per QR shown, and the round trip that confirms a subscription.

use std::sync::{Arc, Mutex};

use async_nats::{Client, Message, Request, RequestErrorKind};
use futures_util::StreamExt;
use tokio::sync::{mpsc, watch};
use tokio::task::JoinHandle;

use super::super::bus::{fresh_id, scan_here, ScanError, ScanRequest, SCAN_TIMEOUT};
use super::super::dedupe::Dedupe;
use super::super::{wire, Registry};
use super::WATCH_READY;

/// A task stopped when its handle is dropped.
#[derive(Debug)]
pub(super) struct Task(pub(super) JoinHandle<()>);

impl Drop for Task {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// What the tasks of the bus share (none of them holds the [`NatsBus`] itself).
#[derive(Clone)]
pub(super) struct Link {
    pub(super) client: Client,
    pub(super) registry: Arc<Registry>,
    pub(super) dedupe: Arc<Mutex<Dedupe>>,
}

impl Link {
    /// Whether `id` was not handed on yet.
    fn first(&self, id: u128) -> bool {
        self.dedupe.lock().unwrap_or_else(|p| p.into_inner()).first(id)
    }

    async fn reply(&self, to: Option<async_nats::Subject>, payload: Vec<u8>) {
        let Some(to) = to else { return };
        if let Err(e) = self.client.publish(to, payload.into()).await {
            tracing::warn!(error = %e, "NATS bus: cannot answer a request");
        }
    }
}

/// Waits until the NATS server has processed everything this client sent before (its
/// subscriptions included): a request to a subject nobody serves comes back "no responders"
/// only after that. (`flush` only empties the client's own buffer.)
pub(super) async fn round_trip(client: &Client) -> Result<(), String> {
    let subject = format!("waweb.sync.{}", fresh_id());
    let ask = Request::new().timeout(Some(WATCH_READY));
    match client.send_request(subject, ask).await {
        Err(e) if e.kind() == RequestErrorKind::NoResponders => Ok(()),
        Err(e) => Err(e.to_string()),
        Ok(_) => Ok(()),
    }
}

pub(super) async fn publish_queued(
    client: Client,
    mut queued: mpsc::Receiver<(String, bytes::Bytes)>,
) {
    while let Some((subject, payload)) = queued.recv().await {
        if let Err(e) = client.publish(subject, payload).await {
            tracing::warn!(error = %e, "NATS bus: publish failed, a live push is lost");
        }
    }
}

pub(super) async fn follow_presence(link: Link, mut sub: async_nats::Subscriber) {
    while let Some(msg) = sub.next().await {
        match wire::decode_presence(&msg.payload) {
            Ok((id, change)) if link.first(id) => link.registry.apply_presence(&change),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "NATS bus: unreadable presence change dropped"),
        }
    }
}

/// Serves one account while this node has sessions of it: deliveries and "who" questions.
pub(super) async fn serve_account(link: Link, account: String, ready: watch::Sender<bool>) {
    let mut sub = match link.client.subscribe(wire::account_all(&account)).await {
        Ok(sub) => sub,
        Err(e) => return tracing::warn!(error = %e, "NATS bus: cannot subscribe for an account"),
    };
    // Once the server has the subscription, deliveries published from now on reach us.
    if let Err(e) = round_trip(&link.client).await {
        tracing::warn!(error = %e, "NATS bus: subscription not confirmed");
    }
    let _ = ready.send(true);
    while let Some(msg) = sub.next().await {
        on_account_message(&link, &account, msg).await;
    }
}

async fn on_account_message(link: &Link, account: &str, msg: Message) {
    if msg.subject.as_str() == wire::account_who(account) {
        let ids = link.registry.client_ids(account);
        return match wire::encode(&ids) {
            Ok(payload) => link.reply(msg.reply, payload).await,
            Err(e) => tracing::warn!(error = %e, "NATS bus: cannot encode an answer"),
        };
    }
    match wire::decode_envelope(&msg.payload) {
        Ok(e) if e.account == account && link.first(e.id) => {
            link.registry.dispatch(&e);
        }
        Ok(_) => {}
        Err(e) => tracing::warn!(error = %e, "NATS bus: unreadable delivery dropped"),
    }
}

/// Answers the scans of one QR while a connection of this node shows it.
pub(super) async fn serve_scans(link: Link, r#ref: String) {
    let mut sub = match link.client.subscribe(wire::scan(&r#ref)).await {
        Ok(sub) => sub,
        Err(e) => return tracing::warn!(error = %e, "NATS bus: cannot subscribe for a QR"),
    };
    while let Some(msg) = sub.next().await {
        // On its own task: the pairing forgets the ref, which ends this one.
        let (link, r#ref) = (link.clone(), r#ref.clone());
        tokio::spawn(async move {
            let outcome = match wire::decode::<ScanRequest>(&msg.payload) {
                Ok(request) if request.r#ref == r#ref => {
                    scan_here(link.registry.clone(), request, SCAN_TIMEOUT).await
                }
                _ => Err(ScanError::Failed("unreadable scan request".into())),
            };
            match wire::encode(&outcome) {
                Ok(payload) => link.reply(msg.reply, payload).await,
                Err(e) => tracing::warn!(error = %e, "NATS bus: cannot encode a scan answer"),
            }
        });
    }
}
