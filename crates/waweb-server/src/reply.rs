//! The body of the HTTP endpoints' plain answers and errors: `{"status":<code>,"message":…}`
//! with the same HTTP status, so a client reads the outcome the same way from every route.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

/// `{"status":<code>,"message":…}` with that HTTP status.
pub(crate) fn status(code: StatusCode, message: &str) -> Response {
    (code, Json(json!({"status": code.as_u16(), "message": message}))).into_response()
}
