//! Text frames (docs/PROTOCOL.md): `tag,JSON`, `tag,` (empty payload), the client's
//! keepalive `?,,` and the server's answer `!<milliseconds since the epoch>`.
//!
//! Parsing splits at the first comma and skips one more comma right after it, because the
//! official client writes its queued requests as `tag,,JSON`. Writing always uses a single
//! comma, since the official client's parser fails on `tag,,JSON` from the server.

use std::fmt;
use std::str::FromStr;

use serde_json::Value;

use super::{validate_tag, FrameError};

/// The exact client keepalive frame.
const PING: &str = "?,,";

/// One text websocket message.
#[derive(Debug, Clone, PartialEq)]
pub enum TextFrame {
    /// The client keepalive `?,,`.
    Ping,
    /// The server's keepalive answer `!<ms>`: its clock in milliseconds since the Unix epoch.
    Pong(u64),
    /// A tagged frame. `payload` is `None` for the empty `tag,` acknowledgement.
    ///
    /// The tag `?` is reserved for the keepalive: parsing rejects `?,` followed by anything but
    /// a single `,`.
    Tagged {
        /// The tag: non-empty printable ASCII without a comma.
        tag: String,
        /// The JSON after the comma, if any.
        payload: Option<Value>,
    },
}

impl TextFrame {
    /// A `tag,JSON` frame.
    pub fn tagged(tag: impl Into<String>, payload: Value) -> Self {
        TextFrame::Tagged { tag: tag.into(), payload: Some(payload) }
    }

    /// An empty `tag,` frame.
    pub fn empty(tag: impl Into<String>) -> Self {
        TextFrame::Tagged { tag: tag.into(), payload: None }
    }

    /// The tag of a tagged frame.
    pub fn tag(&self) -> Option<&str> {
        match self {
            TextFrame::Tagged { tag, .. } => Some(tag),
            TextFrame::Ping | TextFrame::Pong(_) => None,
        }
    }

    /// The JSON payload of a tagged frame, if it has one.
    pub fn payload(&self) -> Option<&Value> {
        match self {
            TextFrame::Tagged { payload, .. } => payload.as_ref(),
            TextFrame::Ping | TextFrame::Pong(_) => None,
        }
    }

    /// Parses one text websocket message.
    pub fn parse(text: &str) -> Result<Self, FrameError> {
        if text == PING {
            return Ok(TextFrame::Ping);
        }
        if text.is_empty() {
            return Err(FrameError::Empty);
        }
        let Some((tag, rest)) = text.split_once(',') else {
            return match text.strip_prefix('!') {
                Some(millis) => parse_pong(millis),
                None => Err(FrameError::NoComma),
            };
        };
        if tag == "?" {
            return Err(FrameError::InvalidKeepalive);
        }
        validate_tag(tag)?;
        let json = rest.strip_prefix(',').unwrap_or(rest);
        let payload = if json.is_empty() {
            None
        } else {
            Some(serde_json::from_str(json).map_err(|e| FrameError::InvalidJson(e.to_string()))?)
        };
        Ok(TextFrame::Tagged { tag: tag.to_owned(), payload })
    }
}

/// The digits after `!`: ASCII digits only (no sign, no fraction), fitting a `u64`.
fn parse_pong(millis: &str) -> Result<TextFrame, FrameError> {
    if millis.is_empty() || !millis.bytes().all(|b| b.is_ascii_digit()) {
        return Err(FrameError::InvalidKeepalive);
    }
    millis.parse().map(TextFrame::Pong).map_err(|_| FrameError::InvalidKeepalive)
}

impl FromStr for TextFrame {
    type Err = FrameError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        TextFrame::parse(s)
    }
}

impl fmt::Display for TextFrame {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TextFrame::Ping => f.write_str(PING),
            TextFrame::Pong(millis) => write!(f, "!{millis}"),
            TextFrame::Tagged { tag, payload: None } => write!(f, "{tag},"),
            TextFrame::Tagged { tag, payload: Some(json) } => write!(f, "{tag},{json}"),
        }
    }
}
