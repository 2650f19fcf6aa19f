//! The server's session log (`waweb serve --record DIR`): UTF-8 JSON lines, a header then one
//! record per line.
//!
//! ```text
//! {"format":"waweb-session-log","version":1,"connection":7,"started":1700000000000}
//! {"t":1700000000001,"dir":"in","kind":"text","text":"1700000000.--0,[\"admin\",\"init\",…]"}
//! {"t":1700000000002,"kind":"keys","encKey":"<base64>","macKey":"<base64>"}
//! {"t":1700000000003,"dir":"out","kind":"binary","wire":"<base64>","plain":"<base64>"}
//! ```
//!
//! `dir` is seen from the server: `in` is client → server. `wire` is the websocket message as
//! sent or received; `plain` (optional) the node bytes before sealing or after opening. `keys`
//! records are collected into [`Capture::keys`]. Blank lines are ignored; any other line that is
//! not a valid record is an error naming the line.

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use serde_json::{Map, Value};

use super::{Capture, CaptureError, CaptureFormat, Direction, Frame, FrameKind};
use crate::crypto::SessionKeys;

/// The `format` value of the header line.
pub const FORMAT: &str = "waweb-session-log";
/// The only version this decoder reads.
pub const VERSION: u64 = 1;

/// Whether `text` starts with a session log header line.
pub fn looks_like(text: &str) -> bool {
    let first = text.lines().next().unwrap_or_default();
    serde_json::from_str::<Value>(first)
        .ok()
        .is_some_and(|v| v.get("format").and_then(Value::as_str) == Some(FORMAT))
}

/// Parses a whole session log.
pub fn parse(text: &str) -> Result<Capture, CaptureError> {
    let mut lines = text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty());
    let Some((_, header)) = lines.next() else {
        return Err(CaptureError::UnknownFormat("empty file".into()));
    };
    let (version, connection, started_ms) = parse_header(header)?;
    let mut capture = Capture {
        format: CaptureFormat::SessionLog { version, connection, started_ms },
        frames: Vec::new(),
        keys: Vec::new(),
    };
    for (number, line) in lines {
        let bad = |reason: String| CaptureError::BadRecord { line: number + 1, reason };
        let record: Map<String, Value> =
            serde_json::from_str(line).map_err(|e| bad(format!("invalid JSON: {e}")))?;
        match record.get("kind").and_then(Value::as_str) {
            Some("keys") => {
                let keys = parse_keys(&record).map_err(bad)?;
                if !capture.keys.contains(&keys) {
                    capture.keys.push(keys);
                }
            }
            Some(kind) => {
                let index = capture.frames.len();
                let frame = parse_frame(&record, kind, index, connection).map_err(bad)?;
                capture.frames.push(frame);
            }
            None => return Err(bad("no \"kind\"".into())),
        }
    }
    Ok(capture)
}

fn parse_header(line: &str) -> Result<(u64, u64, u64), CaptureError> {
    let bad = |reason: &str| CaptureError::BadRecord { line: 1, reason: reason.into() };
    let header: Map<String, Value> =
        serde_json::from_str(line).map_err(|_| bad("the header is not a JSON object"))?;
    let version = header.get("version").and_then(Value::as_u64).ok_or_else(|| bad("no version"))?;
    if version != VERSION {
        return Err(CaptureError::UnsupportedVersion(version));
    }
    let connection = header.get("connection").and_then(Value::as_u64).unwrap_or(0);
    let started = header.get("started").and_then(Value::as_u64).unwrap_or(0);
    Ok((version, connection, started))
}

fn parse_frame(
    record: &Map<String, Value>,
    kind: &str,
    index: usize,
    connection: u64,
) -> Result<Frame, String> {
    let time_ms = record.get("t").and_then(Value::as_u64).ok_or("no numeric \"t\"")?;
    let dir = match record.get("dir").and_then(Value::as_str) {
        Some("in") => Direction::ClientToServer,
        Some("out") => Direction::ServerToClient,
        other => return Err(format!("\"dir\" must be \"in\" or \"out\", got {other:?}")),
    };
    let (kind, plain) = match kind {
        "text" => {
            let text = record.get("text").and_then(Value::as_str).ok_or("no \"text\" string")?;
            (FrameKind::Text(text.to_owned()), None)
        }
        "binary" => {
            let wire = base64_field(record, "wire")?.ok_or("no \"wire\" field")?;
            (FrameKind::Binary(wire), base64_field(record, "plain")?)
        }
        other => return Err(format!("unknown record kind {other:?}")),
    };
    Ok(Frame { index, time_ms, dir, kind, connection, plain })
}

fn base64_field(record: &Map<String, Value>, name: &str) -> Result<Option<Vec<u8>>, String> {
    match record.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => {
            B64.decode(s.as_bytes()).map(Some).map_err(|e| format!("\"{name}\" is not base64: {e}"))
        }
        Some(_) => Err(format!("\"{name}\" must be a base64 string")),
    }
}

fn parse_keys(record: &Map<String, Value>) -> Result<SessionKeys, String> {
    let enc = base64_field(record, "encKey")?.ok_or("keys record without \"encKey\"")?;
    let mac = base64_field(record, "macKey")?.ok_or("keys record without \"macKey\"")?;
    SessionKeys::from_slices(&enc, &mac).map_err(|e| format!("keys record: {e}"))
}
