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
