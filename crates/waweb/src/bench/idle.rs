//! Idle sessions: paired clients that only keep their link alive (`?,,` every 20 s). The server's
//! resident memory divided by the number of sessions is the cost of one idle session.

use super::client::SimClient;
use std::time::Instant;
use waweb_proto::session::ClientEvent;

/// Keeps one client alive until `end`; returns it (still connected) so the caller decides when
/// the sessions go away. Fails if the server drops the session.
pub async fn keep_alive(mut c: SimClient, end: Instant) -> anyhow::Result<SimClient> {
    while Instant::now() < end {
        c.pump(Some(end)).await?;
        while let Some(e) = c.event() {
            if let ClientEvent::Disconnected(why) = e {
                anyhow::bail!("idle session dropped: {why:?}");
            }
        }
    }
    Ok(c)
}

/// KiB of server memory per session, from the resident sizes before pairing and at the end.
pub fn per_session_kib(before_kib: u64, after_kib: u64, sessions: usize) -> f64 {
    if sessions == 0 {
        return 0.0;
    }
    after_kib.saturating_sub(before_kib) as f64 / sessions as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_is_shared_out_per_session() {
        assert_eq!(per_session_kib(10_240, 30_240, 1_000), 20.0);
        assert_eq!(per_session_kib(10_240, 9_000, 10), 0.0, "memory returned to the OS");
        assert_eq!(per_session_kib(1, 2, 0), 0.0);
    }
}
