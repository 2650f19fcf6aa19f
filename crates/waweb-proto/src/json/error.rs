//! The one error type of the JSON layer.
//!
//! Every parser in [`crate::json`] returns [`JsonError`]; each variant names one distinct way a
//! frame can be malformed so that callers (and tests) can tell them apart.

use thiserror::Error;

/// Why a JSON value could not be read as (or built into) a typed protocol message.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum JsonError {
    /// The payload must be a JSON array (`["admin", …]`, `["Conn", {…}]`) but is not.
    #[error("expected a JSON array")]
    NotAnArray,
    /// The payload must be a JSON object (`{"status":200,…}`) but is not.
    #[error("expected a JSON object")]
    NotAnObject,
    /// The command or sub-command word is not one this crate knows.
    #[error("unknown command {0:?}")]
    UnknownCommand(String),
    /// A positional element or object member is absent.
    #[error("missing field `{0}`")]
    MissingField(&'static str),
    /// An element is present but of the wrong JSON type.
    #[error("field `{field}` should be {expected}")]
    WrongType {
        /// Name of the element (positional elements get a descriptive name).
        field: &'static str,
        /// What was expected, e.g. `"a string"`.
        expected: &'static str,
    },
    /// An element has the right type but a value outside what the protocol allows.
    #[error("field `{field}` has an unsupported value {value}")]
    InvalidValue {
        /// Name of the element.
        field: &'static str,
        /// The offending value, as JSON text.
        value: String,
    },
    /// serde rejected an object body (wrong member types, missing required members).
    #[error("malformed JSON object: {0}")]
    Serde(String),
}

impl From<serde_json::Error> for JsonError {
    fn from(e: serde_json::Error) -> Self {
        JsonError::Serde(e.to_string())
    }
}
