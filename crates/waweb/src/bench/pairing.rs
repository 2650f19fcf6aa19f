//! The QR pairing storm: workers pair new browsers with existing accounts over and over, each
//! time a complete first pairing (connect, init, QR, the phone's scan through the admin API,
//! `Conn` with the encrypted secret, keys derived on the client), then close. Measures complete
//! pairings per second; the accounts are created before the window and not counted.

use super::admin::Admin;
use super::load::{Op, Window};
use super::pool;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// One worker: pairs a new browser with each of its own accounts in turn (never two pairings
/// of one account at once).
pub async fn worker(
    url: String,
    admin: Admin,
    phones: Vec<String>,
    window: Window,
    pairing: Arc<Op>,
) -> anyhow::Result<()> {
    anyhow::ensure!(!phones.is_empty(), "a pairing worker needs accounts");
    for phone in phones.iter().cycle() {
        if Instant::now() >= window.end {
            break;
        }
        let t0 = Instant::now();
        match pool::pair_one(&url, &admin, phone.clone()).await {
            Ok(member) => {
                pairing.complete(&window, t0, Instant::now());
                member.client.close().await;
            }
            Err(e) => {
                pairing.fail();
                tracing::debug!("pairing failed: {e:#}");
                // Give a struggling server a moment rather than hammering it in a tight loop.
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }
    }
    Ok(())
}
