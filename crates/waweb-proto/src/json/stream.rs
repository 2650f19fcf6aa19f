//! `["Stream",kind,…]`: stream state notices. The server sends
//! `["Stream","update",false,"<curr>"]` after login (no update needed, current version); the
//! official client also knows `asleep`, `killsw`, `update_desktop` and
//! `desktop_manual_download`.

use serde_json::Value;

use super::fields::{head, serde_via_value};
use super::JsonError;

/// A `Stream` push: the sub-command word and its positional arguments, kept as they came.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stream {
    /// `"update"`, `"asleep"`, …
    pub kind: String,
    /// The elements after the kind, e.g. `[false, "2.2017.6"]` for `update`.
    pub args: Vec<Value>,
}

impl Stream {
    /// `["Stream","update",needs_update,version]`.
    pub fn update(needs_update: bool, version: impl Into<String>) -> Self {
        Stream {
            kind: "update".to_owned(),
            args: vec![Value::Bool(needs_update), Value::String(version.into())],
        }
    }

    /// For `update`: the version string (its last argument).
    pub fn version(&self) -> Option<&str> {
        self.args.last().and_then(Value::as_str)
    }

    /// Reads the whole `["Stream", kind, …]` array.
    pub fn from_value(v: &Value) -> Result<Self, JsonError> {
        let (name, a) = head(v)?;
        if name != "Stream" {
            return Err(JsonError::UnknownCommand(name.to_owned()));
        }
        Self::from_elements(a)
    }

    /// Builds the whole `["Stream", kind, …]` array.
    pub fn to_value(&self) -> Value {
        let mut items = vec![Value::from("Stream"), Value::from(self.kind.as_str())];
        items.extend(self.args.iter().cloned());
        Value::Array(items)
    }

    pub(crate) fn from_elements(a: &[Value]) -> Result<Self, JsonError> {
        let kind = super::fields::string_at(a, 1, "stream kind")?;
        Ok(Stream { kind, args: a.get(2..).unwrap_or_default().to_vec() })
    }
}

serde_via_value!(Stream);
