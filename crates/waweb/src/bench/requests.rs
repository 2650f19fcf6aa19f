//! The request/answer workloads (`history`, `presence`): each client sends requests paced by a
//! [`Pacer`] and records the latency from send to answer, matched by tag.

use super::client::{now, Pending, SimClient};
use super::load::{Op, Pacer, Window};
use super::stats::Counter;
use std::sync::Arc;
use std::time::Instant;
use waweb_proto::action::presence::{ChatState, PresenceAction};
use waweb_proto::action::ActionRequest;
use waweb_proto::binary::Node;
use waweb_proto::frame::{Flags, Metric};
use waweb_proto::json::push::ServerPush;
use waweb_proto::query::history::HistoryQuery;
use waweb_proto::session::ClientEvent;

/// What the clients of one request workload share.
pub struct RequestShared {
    /// The run's time line.
    pub window: Window,
    /// Send → answer.
    pub answered: Arc<Op>,
    /// Items in the answers (messages in history pages) or pushes received (presence).
    pub items: Counter,
    /// Closed-loop window per client.
    pub in_flight: usize,
    /// Open-loop rate per client.
    pub per_client_rate: Option<f64>,
}

/// Builds the `seq`-th request of a client: its node, metric and flags.
pub type MakeRequest = Box<dyn FnMut(u64, String) -> (Node, Metric, Flags) + Send>;

/// Runs one client until the end of the window; `make` gets the sequence number and an epoch.
pub async fn client(
    mut c: SimClient,
    shared: Arc<RequestShared>,
    mut make: MakeRequest,
    phase: f64,
) -> anyhow::Result<SimClient> {
    let mut seq = 0u64;
    let pacer = Pacer::new(shared.in_flight, shared.per_client_rate, Instant::now(), phase);
    let send = |c: &mut SimClient, _at: Instant| -> anyhow::Result<String> {
        let epoch = c.session.next_epoch();
        let (node, metric, flags) = make(seq, epoch);
        seq += 1;
        Ok(c.session.send_node(now(), &node, metric, flags)?)
    };
    let handle =
        |e: ClientEvent, pending: &mut Pending, done: Instant| on_event(e, pending, &shared, done);
    c.run_paced(shared.window.end, pacer, send, handle).await?;
    Ok(c)
}

fn on_event(
    e: ClientEvent,
    pending: &mut Pending,
    shared: &RequestShared,
    done: Instant,
) -> anyhow::Result<()> {
    let w = &shared.window;
    match e {
        ClientEvent::Response { tag, node } => {
            if let Some(at) = pending.remove(&tag) {
                shared.answered.complete(w, at, done);
                if w.counts(done) {
                    shared.items.add(node.child_nodes().len() as u64);
                }
            }
        }
        ClientEvent::JsonResponse { tag, value } => {
            if let Some(at) = pending.remove(&tag) {
                match value.get("status").and_then(|s| s.as_u64()) {
                    Some(200) => shared.answered.complete(w, at, done),
                    _ => shared.answered.fail(),
                }
            }
        }
        ClientEvent::RequestTimedOut { tag } if pending.remove(&tag).is_some() => {
            shared.answered.fail();
        }
        ClientEvent::Push(ServerPush::Presence(_)) if w.counts(done) => shared.items.add(1),
        ClientEvent::Disconnected(why) => anyhow::bail!("disconnected: {why:?}"),
        _ => {}
    }
    Ok(())
}

/// `query message kind=before` for the latest `count` messages of the chat with `jid`
/// ([`HistoryQuery`]), with the session's `epoch`.
pub fn history_query(jid: &str, count: u32, epoch: String) -> Node {
    HistoryQuery::latest(jid, count).to_node().attr("epoch", epoch)
}

/// `action set presence` with a chat state towards `jid` (`composing` on even `seq`, `paused`
/// on odd).
pub fn chat_state(jid: &str, seq: u64, epoch: String) -> Node {
    let state = if seq % 2 == 0 { ChatState::Composing } else { ChatState::Paused };
    let presence = PresenceAction::ChatState { state, to: jid.to_owned() };
    ActionRequest::set(presence.to_node()).with_epoch(epoch).into_node()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_nodes_match_the_protocol() {
        let q = history_query("1@c.us", 50, "7".into());
        assert_eq!(q.description, "query");
        let attrs: Vec<(&str, &str)> =
            q.attrs.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        assert_eq!(
            attrs,
            [
                ("type", "message"),
                ("kind", "before"),
                ("jid", "1@c.us"),
                ("count", "50"),
                ("epoch", "7")
            ]
        );
        let p = chat_state("2@c.us", 3, "1".into());
        assert_eq!(p.get_attr("type"), Some("set"));
        let child = &p.child_nodes()[0];
        assert_eq!(
            (child.get_attr("type"), child.get_attr("to")),
            (Some("paused"), Some("2@c.us"))
        );
        assert_eq!(
            chat_state("2@c.us", 4, "1".into()).child_nodes()[0].get_attr("type"),
            Some("composing")
        );
    }
}
