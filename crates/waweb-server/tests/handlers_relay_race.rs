//! At-least-once delivery when the recipient's session goes away while relays are in flight:
//! every relay is queued, and only what the recipient's connection took (and acknowledges once
//! written) leaves the queue, so a message is pushed live or waits for the next sync.

mod handlers_support;

use std::collections::BTreeSet;
use std::time::Duration;

use handlers_support::*;
use waweb_server::handler;
use waweb_server::store::SessionStore;

const RELAYS: usize = 300;

/// How many times the scenario may run before a run must have split the messages between the
/// live session and the queue (it depends on scheduling; one run almost always does).
const ATTEMPTS: usize = 5;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_message_is_pushed_live_or_queued_when_the_recipient_leaves_mid_stream() {
    for attempt in 1..=ATTEMPTS {
        let (pushed, queued) = relay_while_the_recipient_leaves().await;
        if pushed > 0 && queued > 0 {
            return;
        }
        eprintln!("attempt {attempt}: {pushed} pushed, {queued} queued; the race was missed");
    }
    panic!("in {ATTEMPTS} runs the recipient never left with relays still in flight");
}

/// One run: checks that every message is pushed or queued, never both; returns how many were
/// pushed and how many queued.
async fn relay_while_the_recipient_leaves() -> (usize, usize) {
    let env = Env::with_accounts().await;
    let (alice, _alice_rx) = env.connect(A, 1);
    let (_bob, mut bob_rx) = env.connect(B, 2);
    let relays: Vec<_> = (0..RELAYS)
        .map(|i| {
            let (shared, alice) = (env.shared.clone(), alice.clone());
            tokio::spawn(async move {
                let id = format!("RACE{i:04}");
                let reply = handler::binary(&shared, &alice, &id, relay(B, &id, "hi")).await;
                assert_eq!(json_of(reply)["status"], 200, "{id}");
                id
            })
        })
        .collect();
    // Bob's connection closes once some messages reached it, with relays still in flight.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while bob_rx.len() < RELAYS / 10 {
        assert!(tokio::time::Instant::now() < deadline, "no live push arrived");
        tokio::task::yield_now().await;
    }
    // Closing (not dropping) keeps what was already pushed readable, and fails later pushes.
    bob_rx.close();
    let mut sent = BTreeSet::new();
    for r in relays {
        sent.insert(r.await.unwrap());
    }

    let taken = drain(&mut bob_rx);
    env.ack_written(B, &taken).await;
    let pushed: BTreeSet<String> = node_pushes(&taken)
        .iter()
        .flat_map(infos)
        .filter_map(|info| info.key.and_then(|k| k.id))
        .collect();
    let queue = env.store().pending_for(B, 10 * RELAYS as u32).await.unwrap();
    let queued: BTreeSet<String> = queue.into_iter().map(|p| p.message.id).collect();
    let missing: Vec<_> =
        sent.iter().filter(|id| !pushed.contains(*id) && !queued.contains(*id)).collect();
    assert!(missing.is_empty(), "neither pushed nor queued: {missing:?}");
    // A message that reached the live session is not queued as well (no double delivery).
    let both: Vec<_> = pushed.intersection(&queued).collect();
    assert!(both.is_empty(), "pushed and queued: {both:?}");
    (pushed.len(), queued.len())
}
