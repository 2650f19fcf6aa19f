//! The relay and group workloads: every client sends text messages to its peer (or its group)
//! and receives its peer's (or the other members').
//!
//! Each text starts with the send time (hex nanoseconds since the run's origin), so the recipient
//! measures the delivery latency (send → push received) without any shared table; the sender
//! measures the ack latency (send → `{"status":200}`, which the server sends after the store).

use super::client::{now, now_ms, Pending, SimClient};
use super::load::{Op, Pacer, Window};
use std::sync::Arc;
use std::time::Instant;
use waweb_proto::action::batch::{message_payloads, BatchKind, MessageBatch};
use waweb_proto::binary::jid::person_store_jid;
use waweb_proto::binary::Node;
use waweb_proto::message::{text_message, WebMessageInfo};
use waweb_proto::session::ClientEvent;

/// What the relay clients share.
pub struct RelayShared {
    /// The run's time line.
    pub window: Window,
    /// Send → server ack.
    pub ack: Arc<Op>,
    /// Send → recipient receives the push.
    pub delivery: Arc<Op>,
    /// Closed-loop window per client.
    pub in_flight: usize,
    /// Open-loop rate per client.
    pub per_client_rate: Option<f64>,
    /// Text length.
    pub bytes: usize,
}

/// What one client saw, for the durability check.
#[derive(Debug, Default)]
pub struct Sent {
    /// Ids the server acknowledged with 200, a sample (every 64th and the last).
    pub acked_sample: Vec<String>,
    /// How many were acknowledged in total.
    pub acked: u64,
}

/// Runs one client until the end of the window. `to` is the JID it writes to: its peer's, or
/// its group's.
pub async fn client(
    mut c: SimClient,
    me: usize,
    to: String,
    shared: Arc<RelayShared>,
    phase: f64,
) -> anyhow::Result<(SimClient, Sent)> {
    let w = shared.window;
    let pacer = Pacer::new(shared.in_flight, shared.per_client_rate, Instant::now(), phase);
    let mut sent = Sent::default();
    let mut last_acked = None;
    let mut seq = 0u64;
    let send = |c: &mut SimClient, at: Instant| -> anyhow::Result<String> {
        let id = format!("BENCH{me:X}S{seq:X}");
        seq += 1;
        let text = body(w.stamp(at), shared.bytes);
        let msg = text_message(&to, true, &id, &text, now_ms() / 1000);
        c.session.relay(now(), &msg)?;
        Ok(id)
    };
    let handle = |e: ClientEvent, pending: &mut Pending, done: Instant| -> anyhow::Result<()> {
        match e {
            ClientEvent::JsonResponse { tag, value } => {
                let Some(at) = pending.remove(&tag) else { return Ok(()) };
                if value.get("status").and_then(|s| s.as_u64()) == Some(200) {
                    shared.ack.complete(&w, at, done);
                    sent.acked += 1;
                    if sent.acked % 64 == 0 {
                        sent.acked_sample.push(tag.clone());
                    }
                    last_acked = Some(tag);
                } else {
                    shared.ack.fail();
                }
            }
            ClientEvent::RequestTimedOut { tag } if pending.remove(&tag).is_some() => {
                shared.ack.fail();
            }
            ClientEvent::Node { node, .. } => {
                for stamp in delivered_stamps(&node) {
                    shared.delivery.complete(&w, w.unstamp(stamp), done);
                }
            }
            ClientEvent::Disconnected(why) => anyhow::bail!("disconnected: {why:?}"),
            _ => {}
        }
        Ok(())
    };
    c.run_paced(w.end, pacer, send, handle).await?;
    sent.acked_sample.extend(last_acked);
    Ok((c, sent))
}

/// Sends `count` messages to `to_phone` (16 in flight) and waits until the server acked them all.
pub async fn seed(
    mut c: SimClient,
    me: usize,
    to_phone: &str,
    count: usize,
) -> anyhow::Result<SimClient> {
    let to = person_store_jid(to_phone);
    let deadline = Instant::now() + std::time::Duration::from_secs(120);
    let mut pending = std::collections::HashSet::new();
    let (mut sent, mut acked) = (0, 0);
    while acked < count {
        while sent < count && pending.len() < 16 {
            let id = format!("SEED{me:X}S{sent:X}");
            let msg =
                text_message(&to, true, &id, &format!("seed message {sent}"), now_ms() / 1000);
            pending.insert(c.session.relay(now(), &msg)?);
            sent += 1;
        }
        c.flush().await?;
        while let Some(e) = c.event() {
            if let ClientEvent::JsonResponse { tag, value } = e {
                if pending.remove(&tag) {
                    let status = value.get("status").and_then(|s| s.as_u64());
                    anyhow::ensure!(status == Some(200), "seed message refused: {value}");
                    acked += 1;
                }
            }
        }
        anyhow::ensure!(Instant::now() < deadline, "seeding took longer than 2 minutes");
        if acked < count {
            c.wait(Some(deadline)).await?;
        }
    }
    Ok(c)
}

/// A text of `len` bytes (at least 16) starting with the stamp in hex.
pub fn body(stamp: u64, len: usize) -> String {
    let mut s = format!("{stamp:016x}");
    s.extend(std::iter::repeat_n('.', len.saturating_sub(16)));
    s
}

/// The stamps of the messages an `action add=relay` push delivers (none for other nodes).
pub fn delivered_stamps(node: &Node) -> Vec<u64> {
    let Ok((BatchKind::Live, _)) = MessageBatch::head_of(node) else {
        return Vec::new();
    };
    message_payloads(node)
        .filter_map(|b| <WebMessageInfo as prost::Message>::decode(b).ok())
        .filter(|m| m.key.as_ref().and_then(|k| k.from_me) != Some(true))
        .filter_map(|m| m.message?.conversation)
        .filter_map(|t| u64::from_str_radix(t.get(..16)?, 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn push(messages: Vec<WebMessageInfo>) -> Node {
        let bytes = messages.iter().map(prost::Message::encode_to_vec).collect();
        MessageBatch::new(BatchKind::Live, bytes).into_node()
    }

    #[test]
    fn bodies_have_the_requested_length_and_carry_the_stamp() {
        let b = body(0xabc, 64);
        assert_eq!(b.len(), 64);
        assert!(b.starts_with("0000000000000abc..."));
        assert_eq!(body(1, 4).len(), 16);
    }

    #[test]
    fn relay_pushes_give_their_stamps() {
        let incoming = text_message("1@s.whatsapp.net", false, "X1", &body(12345, 40), 1);
        let other = text_message("1@s.whatsapp.net", false, "X2", "not a stamp", 1);
        assert_eq!(delivered_stamps(&push(vec![incoming.clone(), other])), vec![12345]);
        let mine = text_message("1@s.whatsapp.net", true, "X3", &body(7, 40), 1);
        assert!(delivered_stamps(&push(vec![mine])).is_empty(), "own messages are not deliveries");
        let last = Node::new("action")
            .attr("add", "last")
            .children(push(vec![incoming]).child_nodes().to_vec());
        assert!(delivered_stamps(&last).is_empty(), "sync batches are not live deliveries");
    }
}
