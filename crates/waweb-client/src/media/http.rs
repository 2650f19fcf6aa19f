//! The two HTTP requests of media: `POST` of a blob to the media host, `GET` of a blob by URL.
//! Both send the `Origin` of the official web client, as real clients do.

use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64URL;
use base64::Engine;
use futures_util::stream;
use reqwest::header::{CONTENT_LENGTH, CONTENT_TYPE, ORIGIN};
use serde::Deserialize;

use super::Progress;
use crate::error::ClientError;

/// Size of the pieces an upload is sent in (and progress reported at).
const UPLOAD_CHUNK: usize = 64 * 1024;
/// Largest blob downloaded when the message does not say how large the file is.
const DEFAULT_DOWNLOAD_LIMIT: u64 = 256 * 1024 * 1024;
const ORIGIN_VALUE: &str = "https://web.whatsapp.com";

/// The upload's answer.
#[derive(Debug, Deserialize)]
pub(super) struct Uploaded {
    pub url: String,
    #[serde(default)]
    pub direct_path: Option<String>,
}

/// `http(s)://<host>`: the media host `mediaConn` named (`https` when the websocket is `wss`,
/// as the web client would), or the websocket's own host when it named none.
pub(super) fn base_url(ws_url: &str, host: &str) -> String {
    let (scheme, rest) = match ws_url.split_once("://") {
        Some(("wss", rest)) | Some(("https", rest)) => ("https", rest),
        Some((_, rest)) => ("http", rest),
        None => ("http", ws_url),
    };
    let own_host = rest.split('/').next().unwrap_or_default();
    let host = if host.is_empty() { own_host } else { host };
    format!("{scheme}://{host}")
}

/// A transfer error, without its URL: an upload URL carries the account's media token.
fn transport(e: reqwest::Error) -> ClientError {
    ClientError::Media(format!("media transfer failed: {}", e.without_url()))
}

/// Uploads a blob; the answer's URL and path.
pub(super) async fn upload(
    http: &reqwest::Client,
    base: &str,
    kind: &str,
    auth: &str,
    blob: Vec<u8>,
    file_enc_sha256: &[u8; 32],
    progress: Option<Progress>,
) -> Result<Uploaded, ClientError> {
    let hash = B64URL.encode(file_enc_sha256);
    let url = format!("{base}/mms/{kind}/{hash}?auth={auth}&token={hash}");
    let total = blob.len() as u64;
    let blob = bytes::Bytes::from(blob);
    let pieces = (0..blob.len()).step_by(UPLOAD_CHUNK).map(move |start| {
        let end = (start + UPLOAD_CHUNK).min(blob.len());
        if let Some(p) = &progress {
            p(end as u64, total);
        }
        Ok::<_, std::io::Error>(blob.slice(start..end))
    });
    let response = http
        .post(&url)
        .header(ORIGIN, ORIGIN_VALUE)
        .header(CONTENT_TYPE, "application/octet-stream")
        .header(CONTENT_LENGTH, total)
        .body(reqwest::Body::wrap_stream(stream::iter(pieces)))
        .send()
        .await
        .map_err(transport)?;
    let status = response.status();
    if !status.is_success() {
        let why = response.text().await.unwrap_or_default();
        return Err(ClientError::Media(format!(
            "the media host refused the upload ({status}): {why}"
        )));
    }
    let body = response.bytes().await.map_err(transport)?;
    serde_json::from_slice::<Uploaded>(&body).map_err(|_| {
        let shown = String::from_utf8_lossy(&body[..body.len().min(200)]).into_owned();
        ClientError::UnexpectedAnswer(format!(
            "the media host's answer is not {{\"url\":…}}: {shown}"
        ))
    })
}

/// Downloads a blob of at most `limit` bytes (a default bound when unknown).
pub(super) async fn download(
    http: &reqwest::Client,
    url: &str,
    limit: Option<u64>,
    progress: Option<Progress>,
) -> Result<Vec<u8>, ClientError> {
    let limit = limit.unwrap_or(DEFAULT_DOWNLOAD_LIMIT);
    let mut response =
        http.get(url).header(ORIGIN, ORIGIN_VALUE).send().await.map_err(transport)?;
    let status = response.status();
    if !status.is_success() {
        // Not the URL: it is the capability to fetch the blob.
        return Err(ClientError::Media(format!("the media host answered {status} to a download")));
    }
    let total = response.content_length().unwrap_or(0);
    if total > limit {
        return Err(ClientError::MediaIntegrity(format!(
            "the blob is {total} bytes, larger than the message's file"
        )));
    }
    let mut blob = Vec::with_capacity(usize::try_from(total).unwrap_or(0));
    while let Some(chunk) = response.chunk().await.map_err(transport)? {
        if (blob.len() + chunk.len()) as u64 > limit {
            return Err(ClientError::MediaIntegrity(
                "the blob is larger than the message's file".into(),
            ));
        }
        blob.extend_from_slice(&chunk);
        if let Some(p) = &progress {
            p(blob.len() as u64, total);
        }
    }
    Ok(blob)
}

#[cfg(test)]
mod tests {
    use super::base_url;

    #[test]
    fn the_media_host_takes_the_websockets_scheme() {
        assert_eq!(base_url("ws://127.0.0.1:8080/ws", "127.0.0.1:8080"), "http://127.0.0.1:8080");
        assert_eq!(
            base_url("wss://chat.example.org/ws", "media.example.org"),
            "https://media.example.org"
        );
        assert_eq!(base_url("ws://10.0.0.1:9/ws", ""), "http://10.0.0.1:9");
    }
}
