//! Relays of one connection run together, each in its turn: whatever order their futures are
//! polled in, they are stored and pushed in the order the turns were handed out (the order the
//! client sent them).

mod handlers_support;

use futures_util::future::join_all;
use handlers_support::*;
use waweb_server::handler::{self, TurnChain};
use waweb_server::store::{Direction, MessageStore};

/// Enough for one task to use up tokio's cooperative budget while it polls them: a store that
/// let a write skip its place in line once the budget is spent fails this test.
const RELAYS: usize = 200;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn relays_polled_newest_first_are_stored_and_pushed_in_turn_order() {
    let env = Env::with_accounts().await;
    let (alice, _alice_rx) = env.connect(A, 1);
    let (_bob, mut bob_rx) = env.connect(B, 2);
    let sent: Vec<String> = (0..RELAYS).map(|i| format!("TURN{i:03}")).collect();
    let mut chain = TurnChain::default();
    let mut turns: Vec<_> = sent.iter().map(|_| chain.next_turn()).collect();
    // `join_all` polls in the order given: the last turn first.
    let relays = turns.iter_mut().zip(&sent).rev().map(|(turn, id)| {
        handler::binary_in_turn(&env.shared, &alice, id, relay(B, id, "hi"), turn)
    });
    for reply in join_all(relays).await {
        assert_eq!(json_of(reply)["status"], 200);
    }

    let pushed: Vec<String> = node_pushes(&drain(&mut bob_rx)).iter().flat_map(ids).collect();
    assert_eq!(pushed, sent, "pushed out of turn");
    for (account, peer) in [(A, B), (B, A)] {
        let chat = jid(peer);
        let page =
            env.store().history(account, &chat, None, Direction::Before, RELAYS as u32).await;
        let stored: Vec<String> = page.unwrap().into_iter().map(|m| m.id).collect();
        assert_eq!(stored, sent, "{account}'s copies numbered out of turn");
    }
}
