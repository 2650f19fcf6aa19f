//! `waweb serve --record DIR`: a per-connection log of every frame, both directions, as it went
//! over the wire and (for binary frames) as it was before sealing, with the session keys.
//!
//! The log stores secrets (the session keys, the tokens inside `Conn`): it is off by default and
//! meant for a developer's own test accounts. `waweb decode` reads it back.
//!
//! Format: one file per connection, `session-<started_ms>-<connection>.jsonl`, UTF-8 JSON lines.
//! The first line is a header, the others are records:
//!
//! ```text
//! {"format":"waweb-session-log","version":1,"connection":7,"started":1700000000000}
//! {"t":1700000000001,"dir":"in","kind":"text","text":"1700000000.--0,[\"admin\",\"init\",…]"}
//! {"t":1700000000002,"kind":"keys","encKey":"<base64>","macKey":"<base64>"}
//! {"t":1700000000003,"dir":"out","kind":"binary","wire":"<base64>","plain":"<base64>"}
//! ```
//!
//! `wire` is the websocket message exactly as sent or received; `plain` (optional) is the node's
//! WABinary bytes before sealing or after opening, when the server had them.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use serde_json::{json, Value};
use waweb_proto::crypto::SessionKeys;

/// The direction of a frame, seen from the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dir {
    /// Client to server.
    In,
    /// Server to client.
    Out,
}

impl Dir {
    fn as_str(self) -> &'static str {
        match self {
            Dir::In => "in",
            Dir::Out => "out",
        }
    }
}

/// Where session logs go. Cheap to share; one per server.
#[derive(Debug, Clone)]
pub struct Recorder {
    dir: PathBuf,
}

impl Recorder {
    /// Creates `dir` if needed, `0700`: the logs hold session keys.
    pub fn open(dir: impl AsRef<Path>) -> io::Result<Self> {
        crate::datadir::create_private_dir(dir.as_ref())?;
        Ok(Recorder { dir: dir.as_ref().to_path_buf() })
    }

    /// Starts the log of one connection and writes its header.
    pub fn session(&self, connection: u64, started_ms: u64) -> io::Result<SessionRecorder> {
        let path = self.dir.join(format!("session-{started_ms}-{connection}.jsonl"));
        // `0600` whatever the umask: the log holds the session keys.
        let file = crate::datadir::create_private(&path, true)?;
        let log = SessionRecorder { path, out: Mutex::new(BufWriter::new(file)) };
        log.line(&json!({
            "format": "waweb-session-log",
            "version": 1,
            "connection": connection,
            "started": started_ms,
        }));
        Ok(log)
    }
}

/// The log of one connection. Write errors are logged once and otherwise ignored: recording must
/// never take a session down.
#[derive(Debug)]
pub struct SessionRecorder {
    path: PathBuf,
    out: Mutex<BufWriter<File>>,
}

impl SessionRecorder {
    /// The file this session is written to.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Records a text frame.
    pub fn text(&self, now_ms: u64, dir: Dir, text: &str) {
        self.line(&json!({"t": now_ms, "dir": dir.as_str(), "kind": "text", "text": text}));
    }

    /// Records a binary frame: the wire bytes and, when known, the plain node bytes.
    pub fn binary(&self, now_ms: u64, dir: Dir, wire: &[u8], plain: Option<&[u8]>) {
        let mut v =
            json!({"t": now_ms, "dir": dir.as_str(), "kind": "binary", "wire": B64.encode(wire)});
        if let (Some(p), Some(obj)) = (plain, v.as_object_mut()) {
            obj.insert("plain".into(), Value::String(B64.encode(p)));
        }
        self.line(&v);
    }

    /// Records the session keys, as soon as the session has them.
    pub fn keys(&self, now_ms: u64, keys: &SessionKeys) {
        self.line(&json!({
            "t": now_ms,
            "kind": "keys",
            "encKey": B64.encode(keys.enc_key),
            "macKey": B64.encode(keys.mac_key),
        }));
    }

    fn line(&self, v: &Value) {
        let Ok(mut out) = self.out.lock() else { return };
        let written = serde_json::to_writer(&mut *out, v)
            .map_err(io::Error::from)
            .and_then(|()| out.write_all(b"\n"))
            .and_then(|()| out.flush());
        if let Err(e) = written {
            tracing::warn!(path = %self.path.display(), error = %e, "session log write failed");
        }
    }
}
