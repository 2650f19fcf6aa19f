//! `POST /mms/<type>/<b64url(fileEncSha256)>?auth=<token>&token=<b64url(fileEncSha256)>`: the
//! body is streamed to a staged blob while it is hashed and counted, and committed under its
//! hash only when the hash is the one in the path. Every refusal discards the staged bytes.
//!
//! The body is the blob itself (`mediaConn` clients), or, with `Content-Type:
//! multipart/form-data`, a form whose `file` field is the blob (the `encr_upload` clients, which
//! also send the hash as a `hash` field; the path's hash is the one checked).

use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use futures_util::StreamExt;
use serde::Deserialize;
use serde_json::json;
use sha2::{Digest, Sha256};

use super::blob::{BlobKey, StagedBlob};
use super::{path, Media};
use crate::context::now_ms;
use crate::reply::status;

/// What a form may add around the blob (boundaries, part headers, the `hash` field).
const FORM_OVERHEAD: u64 = 16 * 1024;

/// Where the blob's bytes come from: the body, or the `file` field of a form.
enum Source {
    Raw(axum::body::BodyDataStream),
    Form(Box<Form>),
}

/// A form being read, and its `file` field once reached.
struct Form {
    form: multer::Multipart<'static>,
    file: Option<multer::Field<'static>>,
}

impl Source {
    /// A form when the body says it is one (with a boundary), else the raw body; what is wrong
    /// with a form that has no boundary.
    fn of(headers: &HeaderMap, body: Body, limit: u64) -> Result<Source, &'static str> {
        let form_type = headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .filter(|t| t.trim_start().to_ascii_lowercase().starts_with("multipart/form-data"));
        let Some(content_type) = form_type else {
            return Ok(Source::Raw(body.into_data_stream()));
        };
        let boundary = multer::parse_boundary(content_type)
            .map_err(|_| "a multipart/form-data body needs its boundary")?;
        let whole = limit.saturating_add(FORM_OVERHEAD);
        let constraints = multer::Constraints::new()
            .size_limit(multer::SizeLimit::new().whole_stream(whole).per_field(limit));
        let form =
            multer::Multipart::with_constraints(body.into_data_stream(), boundary, constraints);
        Ok(Source::Form(Box::new(Form { form, file: None })))
    }

    /// The next bytes of the blob; `None` at its end.
    async fn next(&mut self) -> Result<Option<Bytes>, Response> {
        let early = |e: &dyn std::fmt::Display| {
            tracing::debug!(error = %e, "upload body ended early or is malformed");
            status(StatusCode::BAD_REQUEST, "the body ended early or is not a well-formed form")
        };
        match self {
            Source::Raw(stream) => stream.next().await.transpose().map_err(|e| early(&e)),
            Source::Form(f) => loop {
                let Form { form, file } = &mut **f;
                if let Some(field) = file {
                    return field.chunk().await.map_err(|e| too_large_or(&e, early(&e)));
                }
                match form.next_field().await.map_err(|e| too_large_or(&e, early(&e)))? {
                    Some(f) if f.name() == Some("file") => *file = Some(f),
                    Some(_) => {}
                    None => return Err(status(StatusCode::BAD_REQUEST, "the form has no file")),
                }
            },
        }
    }
}

/// `413` for a form over its size limits, else `other`.
fn too_large_or(e: &multer::Error, other: Response) -> Response {
    match e {
        multer::Error::StreamSizeExceeded { .. } | multer::Error::FieldSizeExceeded { .. } => {
            status(StatusCode::PAYLOAD_TOO_LARGE, "larger than this media type allows")
        }
        _ => other,
    }
}

#[derive(Deserialize)]
pub(super) struct UploadParams {
    auth: String,
    /// The hash again, as real clients send it; checked when present.
    token: Option<String>,
}

/// The upload route.
pub(super) async fn upload(
    State(media): State<Arc<Media>>,
    Path((kind, hash)): Path<(String, String)>,
    params: Result<Query<UploadParams>, QueryRejection>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let Some(kind) = path::media_type(&kind) else {
        return status(StatusCode::NOT_FOUND, "unknown media type");
    };
    let Some(key) = path::blob_key(&hash) else {
        return status(StatusCode::BAD_REQUEST, "the path does not end in a base64url SHA-256");
    };
    let Ok(Query(params)) = params else {
        return status(StatusCode::UNAUTHORIZED, "the auth parameter is required");
    };
    let Some(account) = media.tokens.check(&params.auth, now_ms()) else {
        return status(StatusCode::UNAUTHORIZED, "unknown or expired media auth");
    };
    if params.token.as_deref().is_some_and(|t| path::blob_key(t) != Some(key)) {
        return status(StatusCode::BAD_REQUEST, "the token is not the hash in the path");
    }
    let limit = media.max_blob_bytes(kind);
    if declared_length(&headers).is_some_and(|n| n > limit.saturating_add(FORM_OVERHEAD)) {
        return status(StatusCode::PAYLOAD_TOO_LARGE, "larger than this media type allows");
    }
    let source = match Source::of(&headers, body, limit) {
        Ok(s) => s,
        Err(why) => return status(StatusCode::BAD_REQUEST, why),
    };
    let staged = match media.blobs.stage().await {
        Ok(s) => s,
        Err(e) => return storage_failure(&e),
    };
    match receive(staged, source, key, limit).await {
        Ok(size) => {
            tracing::debug!(%account, ?kind, size, "media uploaded");
            Json(json!({"url": media.url(&key), "direct_path": media.direct_path(&key)}))
                .into_response()
        }
        Err(r) => r,
    }
}

/// Streams the blob into `staged`, then commits it under `key` if the hash and size check.
async fn receive(
    mut staged: Box<dyn StagedBlob>,
    mut source: Source,
    key: BlobKey,
    limit: u64,
) -> Result<u64, Response> {
    let mut hasher = Sha256::new();
    let mut size = 0u64;
    while let Some(chunk) = source.next().await? {
        size = size.saturating_add(chunk.len() as u64);
        if size > limit {
            return Err(status(
                StatusCode::PAYLOAD_TOO_LARGE,
                "larger than this media type allows",
            ));
        }
        hasher.update(&chunk);
        staged.write(&chunk).await.map_err(|e| storage_failure(&e))?;
    }
    if <[u8; 32]>::from(hasher.finalize()) != key.0 {
        return Err(status(
            StatusCode::BAD_REQUEST,
            "the body's SHA-256 is not the one in the path",
        ));
    }
    staged.commit(key).await.map_err(|e| storage_failure(&e))?;
    Ok(size)
}

fn declared_length(headers: &HeaderMap) -> Option<u64> {
    headers.get(header::CONTENT_LENGTH)?.to_str().ok()?.parse().ok()
}

fn storage_failure(e: &std::io::Error) -> Response {
    tracing::error!(error = %e, "media storage failed");
    status(StatusCode::INTERNAL_SERVER_ERROR, "media storage failed")
}
