//! Messages sent in a burst, without waiting for each answer, against the real server over
//! 127.0.0.1: the server works on them together, yet they must be stored, pushed and answered
//! exactly as if sent one by one, and a request sent after them must see them all.

mod real_support;

use futures_util::future::join_all;
use real_support::{c_us, key_of, next, RealServer, ALICE, BOB};
use waweb_client::{BatchKind, Event};

const BURST: usize = 60;

fn text(i: usize) -> String {
    format!("burst {i:02}")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_is_stored_pushed_and_answered_in_the_order_it_was_sent() {
    let dir = tempfile::tempdir().unwrap();
    let server = RealServer::ephemeral(dir.path().join("data")).await;
    let alice = server.pair(ALICE.0).await;
    let mut bob = server.pair(BOB.0).await;

    // Each send is handed to the connection when first polled, and `join_all` polls in order.
    let bob_jid = c_us(BOB.0);
    let texts: Vec<String> = (0..BURST).map(text).collect();
    let sends = texts.iter().map(|t| alice.client.send_text(&bob_jid, t));
    let receipts: Vec<_> = join_all(sends).await.into_iter().map(Result::unwrap).collect();
    let sent_ids: Vec<String> = receipts.iter().map(|r| r.id.clone()).collect();
    let times: Vec<u64> = receipts.iter().map(|r| r.t).collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]), "server times out of order: {times:?}");

    let mut pushed = Vec::new();
    while pushed.len() < BURST {
        let batch = next(&mut bob.events, |e| match e {
            Event::Messages { kind: BatchKind::Live, messages, .. } => Some(messages.clone()),
            _ => None,
        })
        .await;
        pushed.extend(batch.iter().map(|m| (key_of(m).2, m.text().map(str::to_owned))));
    }
    let expected: Vec<_> = sent_ids.iter().cloned().zip(texts.iter().cloned().map(Some)).collect();
    assert_eq!(pushed, expected, "pushed to the recipient in another order");

    // Both stored copies are numbered in the order sent.
    let ids = |page: Vec<waweb_client::WebMessageInfo>| -> Vec<String> {
        page.iter().map(|m| key_of(m).2).collect()
    };
    let mine = alice.client.history(&bob_jid, BURST as u32, None).await.unwrap();
    assert_eq!(ids(mine), sent_ids, "the sender's history");
    let theirs = bob.client.history(&c_us(ALICE.0), BURST as u32, None).await.unwrap();
    assert_eq!(ids(theirs), sent_ids, "the recipient's history");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_sent_after_a_burst_sees_every_message_of_it() {
    let dir = tempfile::tempdir().unwrap();
    let server = RealServer::ephemeral(dir.path().join("data")).await;
    let alice = server.pair(ALICE.0).await;
    let _bob = server.pair(BOB.0).await;

    let bob_jid = c_us(BOB.0);
    let texts: Vec<String> = (0..BURST).map(text).collect();
    let sends = join_all(texts.iter().map(|t| alice.client.send_text(&bob_jid, t)));
    // Polled after every send was handed over: the query leaves after the whole burst.
    let page = alice.client.history(&bob_jid, BURST as u32 + 10, None);
    let (receipts, page) = tokio::join!(sends, page);
    let sent_ids: Vec<String> = receipts.into_iter().map(|r| r.unwrap().id).collect();
    let page: Vec<String> = page.unwrap().iter().map(|m| key_of(m).2).collect();
    let missing: Vec<_> = sent_ids.iter().filter(|id| !page.contains(id)).collect();
    assert!(missing.is_empty(), "answered before these were stored: {missing:?}");
    // The demo seed's older messages come first.
    let newest = page.get(page.len().saturating_sub(BURST)..).unwrap_or_default();
    assert_eq!(newest, sent_ids, "the burst was stored out of order");
}
