//! The addresses of the service: one server, or several nodes of a cluster.
//!
//! Several `waweb serve` nodes sharing their storage serve any account from any node, so a
//! client that loses its node can restore its session on another one. The client keeps the
//! list it was given and the one it is connected to; when it must connect, it tries them in
//! turn, starting with the one after the node it lost (a dead node is not tried first again).

use std::sync::Arc;

use crate::driver::{open, Ws};
use crate::error::ClientError;

/// The addresses to try and the one in use.
#[derive(Debug, Clone)]
pub(crate) struct Servers {
    urls: Vec<String>,
    current: usize,
}

impl Servers {
    /// `first`, then `others`, in that order.
    pub(crate) fn new(first: &str, others: &[String]) -> Self {
        let mut urls = vec![first.to_owned()];
        urls.extend(others.iter().filter(|u| u.as_str() != first).cloned());
        Servers { urls, current: 0 }
    }

    /// The address of the current (or last) connection.
    pub(crate) fn current(&self) -> &str {
        &self.urls[self.current]
    }

    /// Opens a socket to the first address that answers, trying each once from `start`
    /// positions after the current one; the one that answered becomes current. The error is the
    /// last address's.
    pub(crate) async fn open(
        &mut self,
        start: usize,
        tls: &Arc<rustls::ClientConfig>,
    ) -> Result<Ws, ClientError> {
        let n = self.urls.len();
        let mut last = None;
        for k in 0..n {
            let i = (self.current + start + k) % n;
            match open(&self.urls[i], tls).await {
                Ok(ws) => {
                    self.current = i;
                    return Ok(ws);
                }
                Err(e) => {
                    tracing::debug!(url = %self.urls[i], error = %e, "server unreachable");
                    last = Some(e);
                }
            }
        }
        Err(last.unwrap_or_else(|| ClientError::InvalidArgument("no server address".into())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_address_leads_and_repeats_are_dropped() {
        let others = ["ws://b/ws".to_owned(), "ws://a/ws".to_owned(), "ws://c/ws".to_owned()];
        let s = Servers::new("ws://a/ws", &others);
        assert_eq!(s.urls, ["ws://a/ws", "ws://b/ws", "ws://c/ws"]);
        assert_eq!(s.current(), "ws://a/ws");
    }

    #[tokio::test]
    async fn opening_skips_unreachable_addresses_and_reports_the_last_error() {
        let tls = crate::tls::config(None).unwrap();
        // Two ports nothing listens on (bound then closed).
        let dead = |_| {
            let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            format!("ws://{}/ws", l.local_addr().unwrap())
        };
        let (a, b): (String, String) = (dead(0), dead(1));
        let mut s = Servers::new(&a, std::slice::from_ref(&b));
        match s.open(0, &tls).await {
            Err(ClientError::Unreachable { url, .. }) => assert_eq!(url, b, "the last one tried"),
            other => panic!("expected Unreachable, got {other:?}"),
        }
        assert_eq!(s.current(), a, "nothing answered: the current address stays");
    }
}
