//! `POST /mms/<type>/<b64url(fileEncSha256)>?auth=<token>&token=<b64url(fileEncSha256)>`: the
//! body is streamed to a staged blob while it is hashed and counted, and committed under its
//! hash only when the hash is the one in the path. Every refusal discards the staged bytes.

use std::sync::Arc;

use axum::body::Body;
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
use crate::http::status;

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
    if declared_length(&headers).is_some_and(|n| n > limit) {
        return status(StatusCode::PAYLOAD_TOO_LARGE, "larger than this media type allows");
    }
    let staged = match media.blobs.stage().await {
        Ok(s) => s,
        Err(e) => return storage_failure(&e),
    };
    match receive(staged, body, key, limit).await {
        Ok(size) => {
            tracing::debug!(%account, ?kind, size, "media uploaded");
            Json(json!({"url": media.url(&key), "direct_path": media.direct_path(&key)}))
                .into_response()
        }
        Err(r) => r,
    }
}

/// Streams the body into `staged`, then commits it under `key` if the hash and size check.
async fn receive(
    mut staged: Box<dyn StagedBlob>,
    body: Body,
    key: BlobKey,
    limit: u64,
) -> Result<u64, Response> {
    let mut hasher = Sha256::new();
    let mut size = 0u64;
    let mut stream = body.into_data_stream();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|e| {
            tracing::debug!(error = %e, "upload body ended early");
            status(StatusCode::BAD_REQUEST, "the body ended before its announced length")
        })?;
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
