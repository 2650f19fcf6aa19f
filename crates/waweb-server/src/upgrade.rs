//! `GET /ws`: the websocket handshake (RFC 6455 §4.2), then the connection task.
//!
//! Done here rather than by the web framework so that the socket under the websocket layer is
//! a [`FrameGuard`] (frame limits checked from headers, small until login) and so that the
//! connection keeps the slot it was accepted with (see [`crate::accept`]).

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::Response;
use hyper_util::rt::TokioIo;
use tokio_tungstenite::tungstenite::handshake::derive_accept_key;
use tokio_tungstenite::tungstenite::protocol::{Role, WebSocketConfig};
use tokio_tungstenite::WebSocketStream;

use crate::accept::ConnectionSlot;
use crate::app::App;
use crate::connection;
use crate::frame_guard::{FrameGuard, FrameLimit};
use crate::reply::status;
use crate::store::Store;

/// The websocket read buffer, allocated and touched in full at every connection. Protocol
/// frames are small; a bigger message just takes several reads. (A 128 KiB buffer made an
/// idle session cost ~145 KiB of resident memory.)
const READ_BUFFER: usize = 8 * 1024;

/// The frame (and message) limit of a connection that has not logged in: `admin init`,
/// `admin login` and a challenge answer are a few hundred bytes.
pub(crate) const LOGIN_FRAME_LIMIT: usize = 16 * 1024;

/// Answers the handshake with `101 Switching Protocols` and starts the connection task once
/// the HTTP layer hands the socket over. Any `Origin` and `Host` are accepted, and no extension
/// (permessage-deflate) is ever granted.
pub(crate) async fn websocket<S: Store>(
    State(app): State<Arc<App<S>>>,
    mut request: Request,
) -> Response {
    let key = match handshake_key(request.headers()) {
        Ok(key) => key,
        Err(why) => return status(StatusCode::BAD_REQUEST, why),
    };
    if request.extensions().get::<hyper::upgrade::OnUpgrade>().is_none() {
        return status(StatusCode::UPGRADE_REQUIRED, "this connection cannot be upgraded");
    }
    let slot = request.extensions().get::<ConnectionSlot>().and_then(ConnectionSlot::take);
    let upgrading = hyper::upgrade::on(&mut request);
    tokio::spawn(async move {
        let upgraded = match upgrading.await {
            Ok(u) => u,
            Err(e) => return tracing::debug!(error = %e, "websocket upgrade failed"),
        };
        let max = app.shared.config.max_frame_bytes;
        let limit = FrameLimit::new(LOGIN_FRAME_LIMIT.min(max));
        let io = FrameGuard::new(TokioIo::new(upgraded), limit.clone());
        let config = WebSocketConfig::default()
            .read_buffer_size(READ_BUFFER)
            .max_message_size(Some(max))
            .max_frame_size(Some(max));
        let socket = WebSocketStream::from_raw_socket(io, Role::Server, Some(config)).await;
        connection::serve(app, socket, limit).await;
        drop(slot);
    });
    let accept = derive_accept_key(key.as_bytes());
    Response::builder()
        .status(StatusCode::SWITCHING_PROTOCOLS)
        .header(header::CONNECTION, "upgrade")
        .header(header::UPGRADE, "websocket")
        .header(header::SEC_WEBSOCKET_ACCEPT, accept)
        .body(Body::empty())
        .unwrap_or_else(|_| status(StatusCode::INTERNAL_SERVER_ERROR, "bad upgrade answer"))
}

/// The `Sec-WebSocket-Key` of a valid websocket handshake, or what is wrong with it.
fn handshake_key(headers: &HeaderMap) -> Result<String, &'static str> {
    let has_token = |name: header::HeaderName, token: &str| {
        headers
            .get_all(name)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .any(|v| v.split(',').any(|t| t.trim().eq_ignore_ascii_case(token)))
    };
    if !has_token(header::CONNECTION, "upgrade") {
        return Err("Connection header did not include 'upgrade'");
    }
    if !has_token(header::UPGRADE, "websocket") {
        return Err("Upgrade header did not include 'websocket'");
    }
    if headers.get(header::SEC_WEBSOCKET_VERSION).is_none_or(|v| v.as_bytes() != b"13") {
        return Err("Sec-WebSocket-Version header did not include '13'");
    }
    match headers.get(header::SEC_WEBSOCKET_KEY).map(|v| v.to_str()) {
        Some(Ok(key)) if !key.trim().is_empty() => Ok(key.trim().to_owned()),
        _ => Err("Sec-WebSocket-Key header missing or invalid"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn a_browser_handshake_is_accepted_and_broken_ones_say_why() {
        let good = [
            ("connection", "keep-alive, Upgrade"),
            ("upgrade", "websocket"),
            ("sec-websocket-version", "13"),
            ("sec-websocket-key", "dGhlIHNhbXBsZSBub25jZQ=="),
        ];
        assert_eq!(handshake_key(&headers(&good)).unwrap(), "dGhlIHNhbXBsZSBub25jZQ==");
        assert_eq!(
            derive_accept_key(b"dGhlIHNhbXBsZSBub25jZQ=="),
            "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=" // RFC 6455 §1.3
        );
        let without = |skip: &str| {
            let kept: Vec<_> = good.iter().copied().filter(|(k, _)| *k != skip).collect();
            handshake_key(&headers(&kept)).unwrap_err()
        };
        assert!(without("connection").starts_with("Connection"));
        assert!(without("upgrade").starts_with("Upgrade"));
        assert!(without("sec-websocket-version").starts_with("Sec-WebSocket-Version"));
        assert!(without("sec-websocket-key").starts_with("Sec-WebSocket-Key"));
    }
}
