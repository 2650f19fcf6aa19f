//! The baseline: a bare websocket echo server on the server's stack (tokio + axum), driven by the
//! bench's own client transport. Whatever the echo reaches is the ceiling of this machine for
//! one-message-in, one-message-out over loopback; protocol results read as a fraction of it.

use super::load::{Op, Pacer, Window};
use super::transport::{self, Ws};
use axum::extract::ws::{Message as AxMessage, WebSocket, WebSocketUpgrade};
use axum::response::Response;
use axum::routing::get;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;
use tokio_tungstenite::tungstenite::Message;

/// The line the echo server prints once it listens (the spawner waits for it).
pub const LISTENING: &str = "echo listening on ws://";

/// Serves the echo on `addr` until the process is killed; prints [`LISTENING`] with the address.
pub async fn serve(addr: SocketAddr) -> anyhow::Result<()> {
    let listener = waweb_server::listener::bind(addr)?;
    println!("{LISTENING}{}/ws", listener.local_addr()?);
    axum::serve(waweb_server::listener::no_delay(listener), router()).await?;
    Ok(())
}

/// The echo's one route.
fn router() -> axum::Router {
    axum::Router::new().route("/ws", get(upgrade))
}

async fn upgrade(ws: WebSocketUpgrade) -> Response {
    ws.on_upgrade(echo)
}

/// Sends every data message back as it came.
async fn echo(mut socket: WebSocket) {
    while let Some(Ok(m)) = socket.recv().await {
        let back = match m {
            AxMessage::Binary(_) | AxMessage::Text(_) => m,
            AxMessage::Close(_) => return,
            _ => continue,
        };
        if socket.send(back).await.is_err() {
            return;
        }
    }
}

/// What the echo clients share.
pub struct EchoShared {
    /// The run's time line.
    pub window: Window,
    /// Round trips (send → echo received).
    pub rtt: Arc<Op>,
    /// Closed-loop window per client.
    pub in_flight: usize,
    /// Open-loop rate per client.
    pub per_client_rate: Option<f64>,
    /// Frame size.
    pub bytes: usize,
}

/// One echo client: sends stamped binary frames, records each round trip.
pub async fn client(url: String, shared: Arc<EchoShared>, phase: f64) -> anyhow::Result<()> {
    let mut ws = transport::connect(&url).await?;
    let w = shared.window;
    let mut pacer = Pacer::new(shared.in_flight, shared.per_client_rate, Instant::now(), phase);
    let mut in_flight = 0usize;
    loop {
        let now = Instant::now();
        if now >= w.end {
            break;
        }
        let mut sent = false;
        while let Some(at) = pacer.due(now, in_flight) {
            transport::feed(&mut ws, Message::binary(frame(w.stamp(at), shared.bytes))).await?;
            in_flight += 1;
            sent = true;
        }
        if sent {
            transport::flush(&mut ws).await?;
        }
        let wake = pacer.wakeup().map_or(w.end, |t| t.min(w.end));
        tokio::select! {
            m = transport::next_data(&mut ws) => {
                let done = Instant::now();
                match m? {
                    Some(m) => {
                        in_flight = in_flight.saturating_sub(1);
                        match stamp_of(&m.into_data()) {
                            Some(ns) => shared.rtt.complete(&w, w.unstamp(ns), done),
                            None => shared.rtt.fail(),
                        }
                    }
                    None => anyhow::bail!("the echo server closed the connection"),
                }
            }
            _ = tokio::time::sleep_until(wake.into()) => {}
        }
    }
    close(ws).await;
    Ok(())
}

async fn close(mut ws: Ws) {
    let _ = ws.close(None).await;
}

/// A frame of `len` bytes (at least 8) starting with the little-endian stamp.
pub fn frame(stamp: u64, len: usize) -> Vec<u8> {
    let mut f = vec![0x5a; len.max(8)];
    f[..8].copy_from_slice(&stamp.to_le_bytes());
    f
}

/// The stamp at the start of an echoed frame.
pub fn stamp_of(frame: &[u8]) -> Option<u64> {
    let head: [u8; 8] = frame.get(..8)?.try_into().ok()?;
    Some(u64::from_le_bytes(head))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn frames_carry_their_stamp() {
        let f = frame(0x0102_0304_0506_0708, 64);
        assert_eq!(f.len(), 64);
        assert_eq!(stamp_of(&f), Some(0x0102_0304_0506_0708));
        assert_eq!(frame(1, 2).len(), 8, "never shorter than the stamp");
        assert_eq!(stamp_of(&[1, 2, 3]), None);
    }

    /// An echo server on an ephemeral port, as `bench --serve-echo` runs it.
    async fn echo_server() -> SocketAddr {
        let listener = waweb_server::listener::bind("127.0.0.1:0".parse().unwrap()).unwrap();
        let addr = listener.local_addr().unwrap();
        let served = axum::serve(waweb_server::listener::no_delay(listener), router());
        tokio::spawn(async move { served.await });
        addr
    }

    #[tokio::test]
    async fn echo_clients_measure_round_trips() {
        let addr = echo_server().await;
        let shared = Arc::new(EchoShared {
            window: Window::starting_now(Duration::from_millis(100), Duration::from_millis(300)),
            rtt: Arc::new(Op::new("rtt")),
            in_flight: 2,
            per_client_rate: None,
            bytes: 100,
        });
        let url = format!("ws://{addr}/ws");
        let (a, b) = tokio::join!(
            client(url.clone(), shared.clone(), 0.0),
            client(url, shared.clone(), 0.5)
        );
        a.unwrap();
        b.unwrap();
        let r = shared.rtt.report(&shared.window);
        assert!(r.count > 100, "only {} round trips in 300 ms", r.count);
        assert_eq!(r.errors, 0);
        let lat = r.latency.unwrap();
        assert!(lat.p50_us > 0.0 && lat.p50_us < 100_000.0, "{lat:?}");
    }

    #[tokio::test]
    async fn open_loop_sends_at_the_target_rate() {
        let addr = echo_server().await;
        let shared = Arc::new(EchoShared {
            window: Window::starting_now(Duration::from_millis(200), Duration::from_millis(1000)),
            rtt: Arc::new(Op::new("rtt")),
            in_flight: 1,
            per_client_rate: Some(200.0),
            bytes: 64,
        });
        client(format!("ws://{addr}/ws"), shared.clone(), 0.0).await.unwrap();
        let r = shared.rtt.report(&shared.window);
        assert!((150..=210).contains(&r.count), "{} echoes in 1 s at 200/s", r.count);
    }
}
