//! Errors of capture parsing, key loading and frame decoding, one variant per distinct failure.

use crate::binary::DecodeError;
use crate::crypto::CryptoError;
use crate::frame::FrameError;

/// Why a file could not be read as a capture.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CaptureError {
    /// The file is not UTF-8 text; both formats are JSON.
    #[error(
        "not a capture: the file is not UTF-8 text (expected a HAR file or a waweb session log)"
    )]
    NotUtf8,
    /// Neither a HAR nor a session log.
    #[error("not a capture: {0} (expected a HAR file or a waweb session log)")]
    UnknownFormat(String),
    /// A session log of a version this decoder does not know.
    #[error("session log version {0} is not supported (this decoder reads version 1)")]
    UnsupportedVersion(u64),
    /// A line of a session log is not a valid record.
    #[error("session log line {line}: {reason}")]
    BadRecord {
        /// 1-based line number.
        line: usize,
        /// What is wrong with it.
        reason: String,
    },
    /// A HAR holds no websocket messages at all.
    #[error("the HAR file holds no WebSocket messages (export it while the socket is open, with content)")]
    NoWebSocket,
    /// A websocket message of a HAR is not valid.
    #[error("HAR entry {entry}, message {message}: {reason}")]
    BadHarMessage {
        /// 0-based index in `log.entries`.
        entry: usize,
        /// 0-based index in that entry's `_webSocketMessages`.
        message: usize,
        /// What is wrong with it.
        reason: String,
    },
}

/// Why session keys could not be obtained.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    /// A key is neither 64 hex digits nor base64 of 32 bytes.
    #[error("{what}: expected 32 bytes as base64 or 64 hex digits")]
    BadKey {
        /// Which key (`encKey`, `macKey`, `private key`).
        what: &'static str,
    },
    /// A session file is not JSON.
    #[error("session file is not JSON: {0}")]
    SessionNotJson(String),
    /// A session file lacks a key field.
    #[error("session file has no {0} field")]
    MissingField(&'static str),
    /// The capture has no server `Conn` frame carrying a `secret`.
    #[error("the capture holds no Conn frame with a secret (was the pairing captured?)")]
    NoConnSecret,
    /// The `secret` of a `Conn` frame is not base64.
    #[error("the Conn secret is not base64")]
    SecretNotBase64,
    /// The `secret` could not be opened with the given private key.
    #[error("cannot open the Conn secret with this private key: {0}")]
    Secret(CryptoError),
}

/// Why one frame could not be decoded; the frame is still reported, with this reason.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeFailure {
    /// A text frame that is not `tag,JSON` nor a keepalive.
    #[error("bad text frame: {0}")]
    Text(FrameError),
    /// A binary frame without a valid tag, or too short for its metric and flags.
    #[error("bad binary frame: {0}")]
    Layout(FrameError),
    /// An encrypted frame, and no keys to open it.
    #[error("no keys to open this frame (give --keys, --session or --private-key)")]
    NoKeys,
    /// No key opened the frame: wrong keys, or a tampered or corrupted frame.
    #[error("MAC mismatch with {tried} key set(s): wrong keys or corrupted frame")]
    WrongMac {
        /// How many key sets were tried.
        tried: usize,
    },
    /// The payload could not be opened for another reason (length, padding).
    #[error("cannot open: {0}")]
    Crypto(CryptoError),
    /// The frame opened but its content is not a valid WABinary node.
    #[error("bad node: {0}")]
    Node(DecodeError),
}
