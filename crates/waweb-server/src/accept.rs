//! The accept loop: every TCP connection, from `accept` until its HTTP exchange ends or its
//! websocket closes, within three bounds.
//!
//! * **A cap on connections** (`max_connections`): each accepted socket takes a slot and keeps
//!   it through its websocket session; with none free, a new socket is closed at once (logged
//!   once per episode), so established sessions keep working.
//! * **A handshake timeout**: a socket must finish its TLS handshake (when the server speaks
//!   TLS, see [`crate::tls`]) and send each HTTP request head (the websocket upgrade first of
//!   all) within `handshake_timeout`, or it is closed; idle keep-alive sockets too.
//! * **The file limit**: when `accept` fails for lack of descriptors the loop waits (doubling
//!   up to a second) instead of spinning, and accepts again once sockets close.

use std::io;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Body;
use axum::Router;
use hyper::body::Incoming;
use hyper::Request;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{watch, OwnedSemaphorePermit, Semaphore};
use tokio_rustls::TlsAcceptor;
use tower_service::Service;

/// The first pause after a failed `accept`; doubled while it keeps failing.
const BACKOFF_MIN: Duration = Duration::from_millis(10);
/// The longest pause after a failed `accept`.
const BACKOFF_MAX: Duration = Duration::from_secs(1);

/// The slot an accepted connection holds; the websocket handler takes it over at upgrade
/// (inserted in every request's extensions).
#[derive(Clone, Debug)]
pub(crate) struct ConnectionSlot(Arc<Mutex<Option<OwnedSemaphorePermit>>>);

impl ConnectionSlot {
    /// Takes the slot out (the upgraded connection keeps it until it closes).
    pub(crate) fn take(&self) -> Option<OwnedSemaphorePermit> {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).take()
    }
}

/// The bounds of the accept loop.
#[derive(Debug, Clone)]
pub(crate) struct Bounds {
    /// The connection slots.
    pub slots: Arc<Semaphore>,
    /// The cap (the slots' total).
    pub max_connections: usize,
    /// How long a request head may take.
    pub handshake_timeout: Duration,
}

/// Accepts connections and serves `router` on them (over TLS with `tls`) until `stopping` turns
/// `true`.
pub(crate) async fn run(
    listener: TcpListener,
    tls: Option<TlsAcceptor>,
    router: Router,
    bounds: Bounds,
    mut stopping: watch::Receiver<bool>,
) {
    let mut backoff = BACKOFF_MIN;
    let mut refusing = false;
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            _ = stopping.wait_for(|s| *s) => return,
        };
        let tcp = match accepted {
            Ok((tcp, _)) => tcp,
            Err(e) if is_connection_error(&e) => continue,
            Err(e) => {
                tracing::warn!(error = %e, pause_ms = backoff.as_millis(), "cannot accept");
                tokio::time::sleep(backoff).await;
                backoff = (backoff * 2).min(BACKOFF_MAX);
                continue;
            }
        };
        backoff = BACKOFF_MIN;
        let Ok(permit) = bounds.slots.clone().try_acquire_owned() else {
            if !refusing {
                tracing::warn!(
                    max_connections = bounds.max_connections,
                    "connection limit reached: closing new connections until some end"
                );
                refusing = true;
            }
            drop(tcp);
            continue;
        };
        if refusing {
            tracing::info!("below the connection limit again: accepting");
            refusing = false;
        }
        let task = serve_connection(
            tcp,
            tls.clone(),
            router.clone(),
            permit,
            bounds.handshake_timeout,
            stopping.clone(),
        );
        tokio::spawn(task);
    }
}

/// Serves one accepted socket, after its TLS handshake when the server speaks TLS. The slot
/// (`permit`) is held throughout, so handshakes in progress count against the cap too.
async fn serve_connection(
    mut tcp: TcpStream,
    tls: Option<TlsAcceptor>,
    router: Router,
    permit: OwnedSemaphorePermit,
    handshake_timeout: Duration,
    stopping: watch::Receiver<bool>,
) {
    crate::listener::set_no_delay(&mut tcp);
    let Some(acceptor) = tls else {
        return serve_http(tcp, router, permit, handshake_timeout, stopping).await;
    };
    match tokio::time::timeout(handshake_timeout, acceptor.accept(tcp)).await {
        Ok(Ok(tls)) => serve_http(tls, router, permit, handshake_timeout, stopping).await,
        Ok(Err(e)) => tracing::debug!(error = %e, "TLS handshake failed"),
        Err(_) => tracing::debug!("TLS handshake timed out"),
    }
}

/// Serves HTTP/1.1 on one connection (upgrades included) until it closes or is upgraded.
async fn serve_http<I>(
    io: I,
    router: Router,
    permit: OwnedSemaphorePermit,
    handshake_timeout: Duration,
    mut stopping: watch::Receiver<bool>,
) where
    I: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let slot = ConnectionSlot(Arc::new(Mutex::new(Some(permit))));
    let service = hyper::service::service_fn(move |mut request: Request<Incoming>| {
        request.extensions_mut().insert(slot.clone());
        router.clone().call(request.map(Body::new))
    });
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new()).header_read_timeout(handshake_timeout);
    let conn = http.serve_connection(TokioIo::new(io), service).with_upgrades();
    tokio::pin!(conn);
    let mut shutting_down = false;
    loop {
        tokio::select! {
            done = conn.as_mut() => {
                if let Err(e) = done {
                    tracing::debug!(error = %e, "HTTP connection ended");
                }
                return;
            }
            _ = stopping.wait_for(|s| *s), if !shutting_down => {
                shutting_down = true;
                conn.as_mut().graceful_shutdown();
            }
        }
    }
}

/// Errors of one connection that the peer caused (it reset before `accept` returned).
fn is_connection_error(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::ConnectionRefused
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
    )
}
