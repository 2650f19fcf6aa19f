//! Small helpers for the array-shaped messages (`["admin","init",…]`): positional access with a
//! typed error, secret redaction for `Debug`, and infallible serialization.

use std::fmt;

use serde::Serialize;
use serde_json::Value;

use super::JsonError;

/// The elements of an array payload.
pub(crate) fn array(v: &Value) -> Result<&[Value], JsonError> {
    v.as_array().map(Vec::as_slice).ok_or(JsonError::NotAnArray)
}

/// Element `i`, which must exist.
pub(crate) fn at<'a>(
    a: &'a [Value],
    i: usize,
    field: &'static str,
) -> Result<&'a Value, JsonError> {
    a.get(i).ok_or(JsonError::MissingField(field))
}

/// Element `i` as a string.
pub(crate) fn str_at<'a>(
    a: &'a [Value],
    i: usize,
    field: &'static str,
) -> Result<&'a str, JsonError> {
    at(a, i, field)?.as_str().ok_or(JsonError::WrongType { field, expected: "a string" })
}

/// Element `i` as an owned string.
pub(crate) fn string_at(a: &[Value], i: usize, field: &'static str) -> Result<String, JsonError> {
    str_at(a, i, field).map(str::to_owned)
}

/// Element `i` as a boolean.
pub(crate) fn bool_at(a: &[Value], i: usize, field: &'static str) -> Result<bool, JsonError> {
    at(a, i, field)?.as_bool().ok_or(JsonError::WrongType { field, expected: "a boolean" })
}

/// The leading command word of an array payload, e.g. `"admin"` or `"Conn"`.
pub(crate) fn head(v: &Value) -> Result<(&str, &[Value]), JsonError> {
    let a = array(v)?;
    let name = str_at(a, 0, "command")?;
    Ok((name, a))
}

/// Converts a model to a JSON value.
///
/// Every model in this module serializes to JSON without error (string keys only, no custom
/// serializer that fails), so the `Null` fallback is unreachable; it exists to avoid a panic path.
pub(crate) fn to_value<T: Serialize>(t: &T) -> Value {
    serde_json::to_value(t).unwrap_or(Value::Null)
}

/// Parses a model from a JSON value, mapping serde's error.
pub(crate) fn from_value<T: serde::de::DeserializeOwned>(v: &Value) -> Result<T, JsonError> {
    T::deserialize(v).map_err(JsonError::from)
}

/// Stands in for a secret in `Debug` output.
pub(crate) struct Redacted;

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// `Some(<redacted>)` / `None`: keeps whether a secret is present, hides its value.
pub(crate) fn redact_opt<T>(o: &Option<T>) -> Option<Redacted> {
    o.as_ref().map(|_| Redacted)
}

/// Implements `Serialize`/`Deserialize` through the type's `to_value`/`from_value`, for models
/// whose wire shape is a positional array rather than a plain struct.
macro_rules! serde_via_value {
    ($ty:ty) => {
        impl serde::Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                self.to_value().serialize(s)
            }
        }

        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let v = serde_json::Value::deserialize(d)?;
                Self::from_value(&v).map_err(serde::de::Error::custom)
            }
        }
    };
}
pub(crate) use serde_via_value;
