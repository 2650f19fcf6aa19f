//! HAR files as browsers' developer tools export them ("Save all as HAR with content").
//!
//! Chromium (and Firefox) put the messages of a websocket connection in the entry's
//! `_webSocketMessages` array:
//!
//! ```text
//! {"log":{"entries":[{"request":{"url":"wss://…/ws"},…,
//!   "_webSocketMessages":[
//!     {"type":"send","time":1700000000.123,"opcode":1,"data":"1700000000.--0,[\"admin\",…]"},
//!     {"type":"receive","time":1700000000.2,"opcode":2,"data":"<base64>"}]}]}}
//! ```
//!
//! `type` is `send` (client → server) or `receive`; `time` is seconds since the Unix epoch (a
//! float); `opcode` 1 is text with `data` as is, 2 is binary with `data` in base64. Entries
//! without websocket messages are skipped; each entry that has some is one connection.

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use serde_json::Value;

use super::{Capture, CaptureError, CaptureFormat, Direction, Frame, FrameKind};

/// Whether `value` has the shape of a HAR (`log.entries` is an array).
pub fn looks_like(value: &Value) -> bool {
    value.pointer("/log/entries").is_some_and(Value::is_array)
}

/// Parses a HAR document already read as JSON.
pub fn parse(value: &Value) -> Result<Capture, CaptureError> {
    let entries = value.pointer("/log/entries").and_then(Value::as_array);
    let mut frames = Vec::new();
    let mut websockets = 0;
    for (entry_index, entry) in entries.into_iter().flatten().enumerate() {
        let Some(messages) = entry.get("_webSocketMessages").and_then(Value::as_array) else {
            continue;
        };
        websockets += 1;
        for (message_index, message) in messages.iter().enumerate() {
            let frame =
                parse_message(message, frames.len(), entry_index as u64).map_err(|reason| {
                    CaptureError::BadHarMessage {
                        entry: entry_index,
                        message: message_index,
                        reason,
                    }
                })?;
            frames.push(frame);
        }
    }
    if frames.is_empty() {
        return Err(CaptureError::NoWebSocket);
    }
    Ok(Capture { format: CaptureFormat::Har { websockets }, frames, keys: Vec::new() })
}

fn parse_message(message: &Value, index: usize, connection: u64) -> Result<Frame, String> {
    let dir = match message.get("type").and_then(Value::as_str) {
        Some("send") => Direction::ClientToServer,
        Some("receive") => Direction::ServerToClient,
        other => return Err(format!("\"type\" must be \"send\" or \"receive\", got {other:?}")),
    };
    let seconds = message.get("time").and_then(Value::as_f64).ok_or("no numeric \"time\"")?;
    let data = message.get("data").and_then(Value::as_str).ok_or("no \"data\" string")?;
    let kind = match message.get("opcode").and_then(Value::as_u64) {
        Some(1) => FrameKind::Text(data.to_owned()),
        Some(2) => FrameKind::Binary(
            B64.decode(data.as_bytes()).map_err(|e| format!("binary data is not base64: {e}"))?,
        ),
        other => return Err(format!("opcode must be 1 (text) or 2 (binary), got {other:?}")),
    };
    Ok(Frame { index, time_ms: seconds_to_ms(seconds)?, dir, kind, connection, plain: None })
}

/// Seconds as a float to whole milliseconds, rounding to the nearest.
fn seconds_to_ms(seconds: f64) -> Result<u64, String> {
    let ms = (seconds * 1000.0).round();
    // u64::MAX as f64 rounds up, so compare strictly below it.
    if ms.is_finite() && ms >= 0.0 && ms < u64::MAX as f64 {
        Ok(ms as u64)
    } else {
        Err(format!("\"time\" {seconds} is not a valid timestamp"))
    }
}
