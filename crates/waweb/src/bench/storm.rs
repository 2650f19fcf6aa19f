//! The connect/restore storm: workers reconnect paired accounts over and over, each time a full
//! restore (init, login with the current tokens, `Conn` with rotated ones), then close. Measures
//! complete handshakes per second.

use super::client::{logged_in, SimClient};
use super::load::{Op, Window};
use std::sync::Arc;
use std::time::{Duration, Instant};
use waweb_proto::session::Credentials;

/// One worker: cycles through its own accounts (never two logins of one account at once).
pub async fn worker(
    url: String,
    mut accounts: Vec<Credentials>,
    window: Window,
    handshake: Arc<Op>,
) -> anyhow::Result<()> {
    anyhow::ensure!(!accounts.is_empty(), "a storm worker needs accounts");
    let mut next = 0;
    while Instant::now() < window.end {
        let slot = next % accounts.len();
        next += 1;
        let t0 = Instant::now();
        match restore(&url, accounts[slot].clone()).await {
            Ok(rotated) => {
                handshake.complete(&window, t0, Instant::now());
                accounts[slot] = rotated;
            }
            Err(e) => {
                handshake.fail();
                tracing::debug!("restore failed: {e:#}");
                // Give a struggling server a moment rather than hammering it in a tight loop.
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }
    }
    Ok(())
}

/// Connects with `credentials`, waits for the login, closes; returns the rotated credentials.
async fn restore(url: &str, credentials: Credentials) -> anyhow::Result<Credentials> {
    let mut c = SimClient::connect(url, Some(credentials)).await?;
    let rotated = logged_in(&mut c, Duration::from_secs(30)).await?;
    c.close().await;
    Ok(rotated)
}

/// Deals `accounts` to `workers` workers round-robin (fewer workers when there are fewer
/// accounts).
pub fn deal(accounts: Vec<Credentials>, workers: usize) -> Vec<Vec<Credentials>> {
    let n = workers.clamp(1, accounts.len().max(1));
    let mut hands: Vec<Vec<Credentials>> = (0..n).map(|_| Vec::new()).collect();
    for (i, a) in accounts.into_iter().enumerate() {
        if let Some(h) = hands.get_mut(i % n) {
            h.push(a);
        }
    }
    hands.retain(|h| !h.is_empty());
    hands
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use waweb_proto::crypto::SessionKeys;

    fn creds(i: usize) -> Credentials {
        Credentials {
            client_id: format!("c{i}"),
            client_token: "ct".into(),
            server_token: "st".into(),
            keys: SessionKeys::generate(&mut rand::rngs::StdRng::seed_from_u64(i as u64)),
            wid: format!("{i}@c.us"),
        }
    }

    #[test]
    fn accounts_are_dealt_without_sharing() {
        let hands = deal((0..5).map(creds).collect(), 2);
        let ids: Vec<Vec<&str>> =
            hands.iter().map(|h| h.iter().map(|c| c.client_id.as_str()).collect()).collect();
        assert_eq!(ids, vec![vec!["c0", "c2", "c4"], vec!["c1", "c3"]]);
        assert_eq!(deal((0..2).map(creds).collect(), 8).len(), 2, "no empty workers");
        assert!(deal(Vec::new(), 3).is_empty());
    }
}
