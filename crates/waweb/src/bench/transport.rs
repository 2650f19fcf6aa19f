//! The bench's websocket client transport: a TCP connection with `TCP_NODELAY` and small buffers,
//! upgraded with tokio-tungstenite. Both the protocol clients and the echo clients use it, so the
//! echo baseline measures the same client stack.

use anyhow::Context;
use futures_util::{SinkExt, StreamExt};
use std::time::Duration;
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::WebSocketStream;

/// A client websocket.
pub type Ws = WebSocketStream<TcpStream>;

/// How long a connection attempt (TCP + upgrade) may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(30);

/// Small buffers: 10,000 idle clients must not cost gigabytes in the load generator.
fn config() -> WebSocketConfig {
    WebSocketConfig::default().read_buffer_size(4096)
}

/// Opens a websocket to `url` (`ws://HOST:PORT/PATH`).
pub async fn connect(url: &str) -> anyhow::Result<Ws> {
    let host = url
        .strip_prefix("ws://")
        .and_then(|rest| rest.split('/').next())
        .with_context(|| format!("not a ws:// url: {url}"))?;
    let attempt = async {
        let tcp =
            TcpStream::connect(host).await.with_context(|| format!("connecting to {host}"))?;
        tcp.set_nodelay(true)?;
        let (ws, _) = tokio_tungstenite::client_async_with_config(url, tcp, Some(config()))
            .await
            .with_context(|| format!("websocket upgrade at {url}"))?;
        anyhow::Ok(ws)
    };
    tokio::time::timeout(CONNECT_TIMEOUT, attempt)
        .await
        .with_context(|| format!("connecting to {url} timed out"))?
}

/// Queues a message without flushing (callers flush once per batch).
pub async fn feed(ws: &mut Ws, message: Message) -> anyhow::Result<()> {
    ws.feed(message).await.context("websocket send")
}

/// Sends everything queued.
pub async fn flush(ws: &mut Ws) -> anyhow::Result<()> {
    ws.flush().await.context("websocket flush")
}

/// The next data message; `None` when the connection closed. Pings and pongs are skipped
/// (tungstenite answers pings by itself).
pub async fn next_data(ws: &mut Ws) -> anyhow::Result<Option<Message>> {
    loop {
        match ws.next().await {
            None => return Ok(None),
            Some(Err(e)) => return Err(anyhow::Error::new(e).context("websocket receive")),
            Some(Ok(Message::Close(_))) => return Ok(None),
            Some(Ok(m @ (Message::Text(_) | Message::Binary(_)))) => return Ok(Some(m)),
            Some(Ok(_)) => {}
        }
    }
}
