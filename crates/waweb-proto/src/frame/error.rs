//! Errors of frame parsing and opening, one variant per distinct failure.

use crate::crypto::CryptoError;

/// Why a websocket payload was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FrameError {
    /// The frame is empty.
    #[error("empty frame")]
    Empty,
    /// The frame has no `,` separating a tag from the payload.
    #[error("frame has no comma after the tag")]
    NoComma,
    /// The tag before the first comma is empty.
    #[error("empty tag")]
    EmptyTag,
    /// The tag contains a byte outside printable ASCII.
    #[error("tag contains a byte outside printable ASCII")]
    InvalidTag,
    /// The text payload after the tag is not valid JSON.
    #[error("invalid JSON payload: {0}")]
    InvalidJson(String),
    /// A keepalive frame other than exactly `?,,` or `!` followed by a millisecond count.
    #[error("malformed keepalive frame")]
    InvalidKeepalive,
    /// A client binary frame ends before its metric and flag bytes.
    #[error("binary frame ends before the metric and flag bytes")]
    TooShort,
    /// The encrypted payload was rejected.
    #[error(transparent)]
    Crypto(#[from] CryptoError),
}
