//! Reading captured traffic back as readable frames, without any I/O: the caller hands in the
//! bytes of a capture file and gets frames, keys and decoded payloads out.
//!
//! * [`detect_and_parse`] — recognises a capture and splits it into [`Frame`]s: the server's
//!   session log (`waweb serve --record`, see [`session_log`]) or a HAR file exported by a
//!   browser's developer tools (see [`har`]).
//! * [`keys`] — where session keys come from: an `encKey`/`macKey` pair, a saved client session
//!   file, `keys` records inside a session log, or the `Conn` secret opened with the client's
//!   private key.
//! * [`decode`] — [`Decoder`]: each frame to a [`DecodedFrame`] (JSON, keepalive, WABinary node
//!   with its `WebMessageInfo`s) or, when that fails, the frame with the reason. Nothing is
//!   dropped and no input makes it panic.
//! * [`summary`] — readable fields of a `WebMessageInfo`; [`redact`] — hiding secrets in JSON.
//!
//! ```
//! use waweb_proto::capture::{detect_and_parse, Decoder, Payload};
//!
//! let log = concat!(
//!     r#"{"format":"waweb-session-log","version":1,"connection":1,"started":5}"#, "\n",
//!     r#"{"t":6,"dir":"in","kind":"text","text":"1.--0,[\"admin\",\"test\"]"}"#, "\n",
//! );
//! let capture = detect_and_parse(log.as_bytes()).unwrap();
//! let decoded = Decoder::new(capture.keys.clone()).decode(&capture.frames[0]);
//! assert!(matches!(decoded.payload, Payload::Json { ref tag, .. } if tag == "1.--0"));
//! ```

pub mod decode;
pub mod error;
pub mod har;
pub mod keys;
pub mod redact;
pub mod session_log;
pub mod summary;

pub use decode::{DecodedFrame, DecodedMessage, Decoder, NodeSource, Payload};
pub use error::{CaptureError, DecodeFailure, KeyError};

use crate::crypto::SessionKeys;

/// Which way a frame went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    /// Client to server (`in` in a session log, `send` in a HAR).
    ClientToServer,
    /// Server to client (`out` in a session log, `receive` in a HAR).
    ServerToClient,
}

impl Direction {
    /// `"client"` or `"server"`: who sent the frame.
    pub fn sender(self) -> &'static str {
        match self {
            Direction::ClientToServer => "client",
            Direction::ServerToClient => "server",
        }
    }

    /// An arrow for text output: `->` from the client, `<-` from the server.
    pub fn arrow(self) -> &'static str {
        match self {
            Direction::ClientToServer => "->",
            Direction::ServerToClient => "<-",
        }
    }
}

/// The websocket message of one frame, as captured.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FrameKind {
    /// A text message.
    Text(String),
    /// A binary message, exactly as it went over the wire.
    Binary(Vec<u8>),
}

/// One captured websocket message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame {
    /// Position in the capture, from 0, across all connections.
    pub index: usize,
    /// When it was captured, milliseconds since the Unix epoch.
    pub time_ms: u64,
    /// Which way it went.
    pub dir: Direction,
    /// Its content.
    pub kind: FrameKind,
    /// Which connection of the capture it belongs to (the HAR entry, or the log's connection id).
    pub connection: u64,
    /// The node bytes before sealing or after opening, when the recorder had them (session logs
    /// only): used when no key opens the frame.
    pub plain: Option<Vec<u8>>,
}

/// What kind of file a capture was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CaptureFormat {
    /// A `waweb-session-log` (JSON lines).
    SessionLog {
        /// The format version from the header.
        version: u64,
        /// The server's connection number.
        connection: u64,
        /// When the connection started, milliseconds since the Unix epoch.
        started_ms: u64,
    },
    /// A HAR file.
    Har {
        /// How many of its entries carried websocket messages.
        websockets: usize,
    },
}

/// A parsed capture: its frames in order and the session keys it recorded, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Capture {
    /// The file's format.
    pub format: CaptureFormat,
    /// Every websocket message, in capture order.
    pub frames: Vec<Frame>,
    /// Session keys found inside the capture (session log `keys` records), deduplicated.
    pub keys: Vec<SessionKeys>,
}

/// Recognises the capture format of `bytes` and parses it.
///
/// A session log starts with a `{"format":"waweb-session-log",…}` line; a HAR is one JSON object
/// with `log.entries`. Anything else is [`CaptureError::UnknownFormat`].
pub fn detect_and_parse(bytes: &[u8]) -> Result<Capture, CaptureError> {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|_| CaptureError::NotUtf8)?;
    let start = text.trim_start();
    if session_log::looks_like(start) {
        return session_log::parse(text);
    }
    if start.starts_with('{') {
        let value: serde_json::Value = serde_json::from_str(start)
            .map_err(|e| CaptureError::UnknownFormat(format!("invalid JSON: {e}")))?;
        if har::looks_like(&value) {
            return har::parse(&value);
        }
        return Err(CaptureError::UnknownFormat(
            "a JSON object without log.entries (not a HAR) and not a session log header".into(),
        ));
    }
    Err(CaptureError::UnknownFormat("does not start with a JSON object".into()))
}
