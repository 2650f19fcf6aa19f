//! A simulated web client: the sans-IO [`ClientSession`] driven directly over one websocket.
//!
//! Much lighter than the full client library (no background task, no channels), so thousands fit
//! in one process. Workloads call [`SimClient::pump`] to send what the session queued and wait for
//! the next input, then drain [`SimClient::event`].

use super::load::Pacer;
use super::transport::{self, Ws};
use anyhow::Context;
use rand::rngs::StdRng;
use rand::SeedableRng;
use std::collections::HashMap;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::Message;
use waweb_proto::session::{ClientConfig, ClientEvent, ClientSession, Credentials, Transmit};

/// Milliseconds since the Unix epoch: the wall clock, for message timestamps and tags.
pub fn now_ms() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis() as u64)
}

/// The monotonic clock the sessions count their deadlines on.
pub fn now() -> Instant {
    Instant::now()
}

/// One simulated client connection.
pub struct SimClient {
    ws: Ws,
    /// The protocol state; workloads issue commands on it directly.
    pub session: ClientSession<StdRng>,
    closed: bool,
}

impl SimClient {
    /// Connects and starts the session: pairing when `credentials` is `None`, restore otherwise.
    pub async fn connect(url: &str, credentials: Option<Credentials>) -> anyhow::Result<Self> {
        let ws = transport::connect(url).await?;
        let now = now();
        let config = ClientConfig { request_timeout_ms: 60_000, ..ClientConfig::default() };
        let session =
            ClientSession::new(config, StdRng::from_entropy(), credentials, now, now_ms());
        let mut client = SimClient { ws, session, closed: false };
        client.session.start(now);
        client.flush().await?;
        Ok(client)
    }

    /// Sends everything the session has queued, in one flush.
    pub async fn flush(&mut self) -> anyhow::Result<()> {
        let now = now();
        let mut any = false;
        while let Some(t) = self.session.poll_transmit(now) {
            let message = match t {
                Transmit::Text(s) => Message::text(s),
                Transmit::Binary(b) => Message::binary(b),
                Transmit::Close(reason) => {
                    self.closed = true;
                    let code = CloseCode::from(reason.code());
                    Message::Close(Some(CloseFrame { code, reason: reason.text().into() }))
                }
            };
            transport::feed(&mut self.ws, message).await?;
            any = true;
        }
        if any {
            transport::flush(&mut self.ws).await?;
        }
        Ok(())
    }

    /// Waits for one websocket message (fed to the session) or the session's next timer, or
    /// `until`, whichever comes first. Cancel-safe: nothing is lost if the future is dropped.
    pub async fn wait(&mut self, until: Option<Instant>) -> anyhow::Result<()> {
        let deadline = self.timer_deadline();
        let deadline = match until {
            Some(u) => deadline.min(u),
            None => deadline,
        };
        tokio::select! {
            m = transport::next_data(&mut self.ws) => {
                let now = now();
                match m? {
                    Some(Message::Text(t)) => self.session.handle_text(now, t.as_str()),
                    Some(Message::Binary(b)) => self.session.handle_binary(now, &b),
                    Some(_) => {}
                    None => anyhow::bail!("the server closed the connection"),
                }
            }
            _ = tokio::time::sleep_until(deadline.into()) => self.session.handle_timeout(now()),
        }
        Ok(())
    }

    /// Flushes, then waits for input (see [`wait`](Self::wait)).
    pub async fn pump(&mut self, until: Option<Instant>) -> anyhow::Result<()> {
        self.flush().await?;
        self.wait(until).await
    }

    /// The next event the session produced, if any.
    pub fn event(&mut self) -> Option<ClientEvent> {
        self.session.poll_event()
    }

    /// Pumps until `pick` accepts an event, or `timeout` passes. Other events are dropped.
    pub async fn expect<T>(
        &mut self,
        timeout: Duration,
        mut pick: impl FnMut(ClientEvent) -> Option<T>,
    ) -> anyhow::Result<T> {
        let end = Instant::now() + timeout;
        loop {
            while let Some(e) = self.event() {
                if let ClientEvent::Disconnected(why) = &e {
                    anyhow::bail!("session ended: {why:?}");
                }
                if let Some(t) = pick(e) {
                    return Ok(t);
                }
            }
            anyhow::ensure!(Instant::now() < end, "no answer within {timeout:?}");
            self.pump(Some(end)).await?;
        }
    }

    /// Runs a paced workload until `end`: sends what `pacer` lets go (`send` gets the time it was
    /// due and returns the request's tag), then hands each event to `on_event` with the requests
    /// in flight and the time it was seen.
    pub async fn run_paced(
        &mut self,
        end: Instant,
        mut pacer: Pacer,
        mut send: impl FnMut(&mut Self, Instant) -> anyhow::Result<String>,
        mut on_event: impl FnMut(ClientEvent, &mut Pending, Instant) -> anyhow::Result<()>,
    ) -> anyhow::Result<()> {
        let mut pending = Pending::new();
        loop {
            let now = Instant::now();
            if now >= end {
                return Ok(());
            }
            while let Some(at) = pacer.due(now, pending.len()) {
                let tag = send(self, at)?;
                pending.insert(tag, at);
            }
            self.flush().await?;
            while let Some(e) = self.event() {
                on_event(e, &mut pending, Instant::now())?;
            }
            let wake = pacer.wakeup().map_or(end, |t| t.min(end));
            self.wait(Some(wake)).await?;
        }
    }

    /// Closes the websocket politely (best effort: the bench does not care about errors here).
    pub async fn close(mut self) {
        if !self.closed {
            let _ = self.ws.close(None).await;
        }
    }

    /// When the session's next timer fires, as an `Instant`.
    fn timer_deadline(&self) -> Instant {
        self.session.poll_timeout().unwrap_or_else(|| now() + Duration::from_secs(60))
    }
}

/// Requests in flight: tag → when the pacer let it go.
pub type Pending = HashMap<String, Instant>;

/// Waits for the `LoggedIn` event of a session; returns its credentials.
pub async fn logged_in(client: &mut SimClient, timeout: Duration) -> anyhow::Result<Credentials> {
    client
        .expect(timeout, |e| match e {
            ClientEvent::LoggedIn { credentials, .. } => Some(credentials),
            _ => None,
        })
        .await
        .context("waiting for the login")
}
