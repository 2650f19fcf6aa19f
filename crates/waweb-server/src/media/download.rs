//! `GET /mms/d/<b64url(hash)>/<tag>.enc`: streams a blob, whole or one `Range: bytes=` range,
//! with its length and caching headers. A wrong tag is answered like a missing blob, so URLs
//! cannot be guessed from a hash.

use std::io::SeekFrom;
use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64URL;
use base64::Engine;
use subtle::ConstantTimeEq;
use tokio::io::{AsyncReadExt, AsyncSeekExt};

use super::blob::BlobRead;
use super::{path, Media};
use crate::reply::status;

/// Size of the reads that feed the response body.
const READ_CHUNK: usize = 64 * 1024;

/// The download route.
pub(super) async fn download(
    State(media): State<Arc<Media>>,
    Path((hash, tag)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    let missing = || status(StatusCode::NOT_FOUND, "no such media");
    let Some(key) = path::blob_key(&hash) else {
        return missing();
    };
    let given = tag.strip_suffix(".enc").and_then(|t| B64URL.decode(t).ok()).unwrap_or_default();
    if !bool::from(media.url_tag(&key).as_slice().ct_eq(&given)) {
        return missing();
    }
    let blob = match media.blobs.open(key).await {
        Ok(Some(b)) => b,
        Ok(None) => return missing(),
        Err(e) => {
            tracing::error!(error = %e, "cannot open a media blob");
            return status(StatusCode::INTERNAL_SERVER_ERROR, "media storage failed");
        }
    };
    let etag = format!("\"{hash}\"", hash = B64URL.encode(key.0));
    let range = match headers.get(header::RANGE).and_then(|v| v.to_str().ok()) {
        None => None,
        Some(spec) => match parse_range(spec, blob.size) {
            Ok(r) => r,
            Err(()) => return unsatisfiable(blob.size),
        },
    };
    let (code, start, len) = match range {
        Some((start, end)) => (StatusCode::PARTIAL_CONTENT, start, end - start + 1),
        None => (StatusCode::OK, 0, blob.size),
    };
    let mut reader = blob.reader;
    if let Err(e) = reader.seek(SeekFrom::Start(start)).await {
        tracing::error!(error = %e, "cannot read a media blob");
        return status(StatusCode::INTERNAL_SERVER_ERROR, "media storage failed");
    }
    let mut response = Response::new(stream(reader, len));
    *response.status_mut() = code;
    let h = response.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/octet-stream"));
    h.insert(header::CONTENT_LENGTH, HeaderValue::from(len));
    h.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    // The URL names the content: it never changes.
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=31536000, immutable"),
    );
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    if let Ok(v) = HeaderValue::from_str(&etag) {
        h.insert(header::ETAG, v);
    }
    if code == StatusCode::PARTIAL_CONTENT {
        let value = format!("bytes {start}-{}/{}", start + len - 1, blob.size);
        if let Ok(v) = HeaderValue::from_str(&value) {
            h.insert(header::CONTENT_RANGE, v);
        }
    }
    response
}

/// `416` with the blob's size.
fn unsatisfiable(size: u64) -> Response {
    let mut r = status(StatusCode::RANGE_NOT_SATISFIABLE, "range not satisfiable");
    if let Ok(v) = HeaderValue::from_str(&format!("bytes */{size}")) {
        r.headers_mut().insert(header::CONTENT_RANGE, v);
    }
    r
}

/// One `bytes=` range of a blob of `size` bytes as inclusive `(first, last)`. `Ok(None)`: serve
/// the whole blob (several ranges, or another unit, which a server may ignore); `Err`: the range
/// lies outside the blob.
pub(super) fn parse_range(spec: &str, size: u64) -> Result<Option<(u64, u64)>, ()> {
    let Some(set) = spec.trim().strip_prefix("bytes=") else {
        return Ok(None);
    };
    if set.contains(',') {
        return Ok(None);
    }
    let (first, last) = set.trim().split_once('-').ok_or(())?;
    let number = |s: &str| s.trim().parse::<u64>().map_err(|_| ());
    let (start, end) = match (first.trim().is_empty(), last.trim().is_empty()) {
        // `bytes=-n`: the last n bytes.
        (true, false) => {
            let n = number(last)?;
            if n == 0 || size == 0 {
                return Err(());
            }
            (size.saturating_sub(n), size - 1)
        }
        (false, true) => (number(first)?, size.saturating_sub(1)),
        (false, false) => {
            let (a, b) = (number(first)?, number(last)?);
            if b < a {
                return Err(());
            }
            (a, b.min(size.saturating_sub(1)))
        }
        (true, true) => return Err(()),
    };
    if start >= size {
        return Err(());
    }
    Ok(Some((start, end)))
}

/// `len` bytes of `reader` (already at the first one), as a response body read in chunks.
fn stream(reader: Box<dyn BlobRead>, len: u64) -> Body {
    let chunks = futures_util::stream::try_unfold((reader, len), |(mut reader, left)| async move {
        if left == 0 {
            return Ok(None);
        }
        let mut buf = vec![0u8; usize::try_from(left).map_or(READ_CHUNK, |l| l.min(READ_CHUNK))];
        let n = reader.read(&mut buf).await?;
        if n == 0 {
            // The file is shorter than when it was opened: end the body early rather than lie.
            return Err(std::io::Error::from(std::io::ErrorKind::UnexpectedEof));
        }
        buf.truncate(n);
        Ok::<_, std::io::Error>(Some((Bytes::from(buf), (reader, left - n as u64))))
    });
    Body::from_stream(chunks)
}
