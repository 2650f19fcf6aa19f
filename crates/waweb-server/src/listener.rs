//! The listening socket and the settings of the connections it accepts: [`bind`] is shared by
//! the server and the load generator's echo baseline; [`no_delay`] serves the baseline's
//! `axum::serve` (the server's own accept loop sets `TCP_NODELAY` itself, for the same reason).

use std::net::SocketAddr;

use axum::serve::{Listener, ListenerExt};
use tokio::net::{TcpListener, TcpSocket, TcpStream};

/// Connections the kernel may hold completed but not yet accepted (capped by `somaxconn`).
///
/// The default of 128 overflowed during reconnect and pairing storms of a few hundred clients:
/// the kernel then drops the handshake and the client only retries a second later.
const BACKLOG: u32 = 4096;

/// A listening socket on `addr` with a backlog sized for connection storms.
pub fn bind(addr: SocketAddr) -> std::io::Result<TcpListener> {
    let socket = if addr.is_ipv4() { TcpSocket::new_v4()? } else { TcpSocket::new_v6()? };
    // As std and tokio do on Unix: a restarted server can bind while old connections linger.
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    socket.listen(BACKLOG)
}

/// `listener`, with [`set_no_delay`] on every connection it accepts.
pub fn no_delay(listener: TcpListener) -> impl Listener<Io = TcpStream, Addr = SocketAddr> {
    listener.tap_io(set_no_delay)
}

/// Sets `TCP_NODELAY` on an accepted connection.
///
/// Every frame is a message someone waits for: without it, Nagle's algorithm held a small frame
/// until the peer's delayed ACK (~40 ms) whenever an earlier one was still unacknowledged, which
/// under load put 40 ms on most deliveries.
pub fn set_no_delay(tcp: &mut TcpStream) {
    if let Err(e) = tcp.set_nodelay(true) {
        tracing::debug!(error = %e, "cannot set TCP_NODELAY on a connection");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn accepted_connections_have_no_delay() {
        let listener = bind("127.0.0.1:0".parse().unwrap()).unwrap();
        let addr = listener.local_addr().unwrap();
        let plain = TcpStream::connect(addr).await.unwrap();
        // The kernel's default, which the server must not keep.
        assert!(!plain.nodelay().unwrap());
        let mut listener = no_delay(listener);
        let (accepted, peer) = listener.accept().await;
        assert_eq!(peer, plain.local_addr().unwrap());
        assert!(accepted.nodelay().unwrap());
    }

    #[tokio::test]
    async fn a_port_can_be_bound_again_once_closed() {
        let first = bind("127.0.0.1:0".parse().unwrap()).unwrap();
        let addr = first.local_addr().unwrap();
        let client = TcpStream::connect(addr).await.unwrap();
        let (server_side, _) = first.accept().await.unwrap();
        drop((first, server_side, client));
        // A connection the server closed lingers in TIME_WAIT; SO_REUSEADDR lets a restart bind.
        assert_eq!(bind(addr).unwrap().local_addr().unwrap(), addr);
    }
}
