//! How `waweb decode` shows a decoded frame: a text block for people, or one JSON object per
//! line for tools.

use std::io::{self, Write};

use serde_json::{json, Map, Value};
use waweb_proto::binary::display::to_json;
use waweb_proto::capture::redact::redact_secrets;
use waweb_proto::capture::summary::message_summary;
use waweb_proto::capture::{DecodedFrame, DecodedMessage, FrameKind, NodeSource, Payload};
use waweb_proto::frame::Metric;

use super::media::Outcome;
use crate::cli::client_common::utc_datetime;

/// JSON up to this many characters is printed on one line.
const COMPACT_JSON_CHARS: usize = 100;

/// Output options.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    /// One JSON object per line.
    pub json: bool,
    /// Do not hide secrets inside JSON frames.
    pub show_secrets: bool,
}

/// Writes one frame. `first_ms` is the time of the capture's first frame; `files` what
/// `--media-dir` did for its media messages, by message position.
pub fn write_frame(
    out: &mut impl Write,
    d: &DecodedFrame,
    first_ms: u64,
    style: Style,
    files: &[(usize, Outcome)],
) -> io::Result<()> {
    if style.json {
        let mut value = frame_json(d, style);
        if let (Value::Object(o), false) = (&mut value, files.is_empty()) {
            o.insert("media_files".into(), files.iter().map(file_json).collect());
        }
        let line = serde_json::to_string(&value).map_err(io::Error::other)?;
        writeln!(out, "{line}")
    } else {
        write_text(out, d, first_ms, style, files)
    }
}

fn file_json((position, outcome): &(usize, Outcome)) -> Value {
    let mut o = json!({"message": position});
    let extra = match outcome {
        Outcome::Written { path, bytes } => json!({"path": path, "bytes": bytes}),
        Outcome::Again { path } => json!({"path": path, "again": true}),
        Outcome::NotFound => json!({"error": "not found"}),
        Outcome::Refused(why) => json!({"error": why}),
    };
    if let (Value::Object(a), Value::Object(b)) = (&mut o, extra) {
        a.extend(b);
    }
    o
}

fn frame_json(d: &DecodedFrame, style: Style) -> Value {
    let f = &d.frame;
    let mut o = Map::new();
    o.insert("index".into(), f.index.into());
    o.insert("time_ms".into(), f.time_ms.into());
    o.insert("from".into(), f.dir.sender().into());
    o.insert("connection".into(), f.connection.into());
    let kind = match f.kind {
        FrameKind::Text(_) => "text",
        FrameKind::Binary(_) => "binary",
    };
    o.insert("kind".into(), kind.into());
    if let Some(tag) = d.tag() {
        o.insert("tag".into(), tag.into());
    }
    match &d.payload {
        Payload::Ping => drop(o.insert("type".into(), "ping".into())),
        Payload::Pong(ms) => {
            o.insert("type".into(), "pong".into());
            o.insert("pong_ms".into(), (*ms).into());
        }
        Payload::Json { json, .. } => {
            o.insert("type".into(), "json".into());
            o.insert("json".into(), shown_json(json.clone(), style).unwrap_or(Value::Null));
        }
        Payload::Node { header, node, messages, source, .. } => {
            o.insert("type".into(), "node".into());
            if let Some((metric, flags)) = header {
                o.insert("metric".into(), (*metric).into());
                let name = Metric::from_u8(*metric).map(Metric::name);
                o.insert("metric_name".into(), name.into());
                o.insert("flags".into(), flags.bits().into());
            }
            o.insert("node".into(), to_json(node));
            o.insert("messages".into(), messages.iter().map(message_json).collect());
            o.insert("node_source".into(), source_name(*source).into());
        }
        Payload::Failed { reason, .. } => {
            o.insert("type".into(), "error".into());
            o.insert("error".into(), reason.to_string().into());
            match &f.kind {
                FrameKind::Text(t) => o.insert("text".into(), t.clone().into()),
                FrameKind::Binary(b) => o.insert("hex".into(), hex(b).into()),
            };
        }
    }
    Value::Object(o)
}

fn shown_json(json: Option<Value>, style: Style) -> Option<Value> {
    let mut json = json?;
    if !style.show_secrets {
        redact_secrets(&mut json);
    }
    Some(json)
}

fn message_json(m: &DecodedMessage) -> Value {
    match &m.info {
        Ok(info) => message_summary(info),
        Err(e) => json!({"error": format!("not a WebMessageInfo: {e}")}),
    }
}

fn source_name(source: NodeSource) -> &'static str {
    match source {
        NodeSource::Wire => "wire",
        NodeSource::RecordedPlain => "recorded plaintext",
    }
}

fn write_text(
    out: &mut impl Write,
    d: &DecodedFrame,
    first_ms: u64,
    style: Style,
    files: &[(usize, Outcome)],
) -> io::Result<()> {
    let f = &d.frame;
    let offset = f.time_ms.saturating_sub(first_ms);
    write!(
        out,
        "#{} {} {} {} (+{}.{:03}s)",
        f.index,
        f.dir.arrow(),
        f.dir.sender(),
        utc(f.time_ms),
        offset / 1000,
        offset % 1000
    )?;
    if let Some(tag) = d.tag() {
        write!(out, " tag {tag}")?;
    }
    match &d.payload {
        Payload::Ping => writeln!(out, " keepalive ping")?,
        Payload::Pong(ms) => writeln!(out, " keepalive pong, server clock {}", utc(*ms))?,
        Payload::Json { json, .. } => match shown_json(json.clone(), style) {
            Some(v) => {
                writeln!(out, " json")?;
                indent(out, &readable(&v)?)?;
            }
            None => writeln!(out, " json (empty)")?,
        },
        Payload::Node { header, node, messages, source, .. } => {
            write!(out, " binary")?;
            if let Some((metric, flags)) = header {
                let name = Metric::from_u8(*metric).map_or("none", Metric::name);
                write!(out, " metric {name} ({metric}) flags {flags:?}")?;
            }
            if *source == NodeSource::RecordedPlain {
                write!(out, " [from the recorded plaintext]")?;
            }
            writeln!(out)?;
            indent(out, &node.to_string())?;
            for m in messages {
                writeln!(out, "  message {}:", m.position)?;
                indent(out, &indented(&readable(&message_json(m))?))?;
                for (_, outcome) in files.iter().filter(|(p, _)| *p == m.position) {
                    writeln!(out, "    media file: {outcome}")?;
                }
            }
        }
        Payload::Failed { reason, .. } => {
            writeln!(out, " NOT DECODED: {reason}")?;
            match &f.kind {
                FrameKind::Text(t) => indent(out, &format!("{t:?}"))?,
                FrameKind::Binary(b) => indent(out, &preview(b))?,
            }
        }
    }
    writeln!(out)
}

/// Short JSON on one line, longer JSON pretty-printed.
fn readable(v: &Value) -> io::Result<String> {
    let compact = v.to_string();
    if compact.chars().count() <= COMPACT_JSON_CHARS {
        return Ok(compact);
    }
    serde_json::to_string_pretty(v).map_err(io::Error::other)
}

fn indented(text: &str) -> String {
    text.lines().map(|line| format!("  {line}\n")).collect()
}

fn indent(out: &mut impl Write, text: &str) -> io::Result<()> {
    text.lines().try_for_each(|line| writeln!(out, "  {line}"))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// `[N bytes] ` and the first 48 bytes in hex.
fn preview(bytes: &[u8]) -> String {
    let shown = bytes.get(..48).unwrap_or(bytes);
    let more = if shown.len() < bytes.len() { "…" } else { "" };
    format!("[{} bytes] {}{more}", bytes.len(), hex(shown))
}

/// Milliseconds since the epoch as `YYYY-MM-DD HH:MM:SS.mmm` UTC (past year 9999: the number).
fn utc(ms: u64) -> String {
    let Some(t) = utc_datetime(i128::from(ms) * 1_000_000) else {
        return format!("{ms} ms");
    };
    let (y, m, d) = (t.year(), u8::from(t.month()), t.day());
    let (h, min, s) = (t.hour(), t.minute(), t.second());
    format!("{y:04}-{m:02}-{d:02} {h:02}:{min:02}:{s:02}.{:03}", t.millisecond())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utc_dates() {
        assert_eq!(utc(0), "1970-01-01 00:00:00.000");
        assert_eq!(utc(1_600_000_000_123), "2020-09-13 12:26:40.123");
        assert_eq!(utc(951_782_400_000), "2000-02-29 00:00:00.000");
    }
}
