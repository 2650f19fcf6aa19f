//! The `media` workload: workers upload blobs of `--media-bytes` to the server's media host
//! (`POST /mms/document/<hash>` with the token `mediaConn` gave) and download each one back from
//! the URL the upload answered, checking its length. Every upload is a new blob (a counter in its
//! first bytes), so the server hashes and stores every one; what it costs is the server's SHA-256
//! and file writes (uploads) and file reads (downloads), over plain HTTP.

use std::time::{Duration, Instant};

use anyhow::Context;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64URL;
use base64::Engine;
use rand::RngCore;
use serde_json::Value;
use waweb_proto::json::query::JsonQuery;
use waweb_proto::session::ClientEvent;

use std::sync::Arc;

use tokio::task::JoinSet;

use super::client::{now, SimClient};
use super::config::{Args, Workload};
use super::load::{Op, Window};
use super::measure::measure;
use super::pool::{self, Numbering};
use super::report::WorkloadReport;

/// What every worker shares.
pub struct MediaShared {
    /// The measured window.
    pub window: Window,
    /// Uploads, first byte sent to the answer read.
    pub upload: std::sync::Arc<Op>,
    /// Downloads, request sent to the last byte read.
    pub download: std::sync::Arc<Op>,
    /// `http://host:port` of the media host.
    pub base: String,
    /// The upload token.
    pub auth: String,
    /// Size of each blob.
    pub bytes: usize,
}

/// Asks `["query","mediaConn"]` on a logged-in client: the upload token and the media host.
pub async fn media_conn(client: &mut SimClient) -> anyhow::Result<(String, String)> {
    let tag = client.session.send_json(now(), &JsonQuery::MediaConn.to_value())?;
    let value = client
        .expect(Duration::from_secs(30), |e| match e {
            ClientEvent::JsonResponse { tag: t, value } if t == tag => Some(value),
            _ => None,
        })
        .await?;
    let conn = &value["media_conn"];
    let auth = conn["auth"].as_str().context("mediaConn answered no auth")?;
    let host = conn["hosts"][0]["hostname"].as_str().context("mediaConn answered no host")?;
    Ok((auth.to_owned(), host.to_owned()))
}

/// One worker: upload, download, again, until the window ends.
pub async fn worker(
    http: reqwest::Client,
    shared: std::sync::Arc<MediaShared>,
    seed: u64,
) -> anyhow::Result<()> {
    let mut blob = vec![0u8; shared.bytes.max(16)];
    rand::thread_rng().fill_bytes(&mut blob);
    let mut n = seed << 32;
    while Instant::now() < shared.window.end {
        n += 1;
        blob[..8].copy_from_slice(&n.to_le_bytes());
        let url = match upload(&http, &shared, &blob).await {
            Ok(url) => url,
            Err(e) => {
                shared.upload.fail();
                tracing::debug!("upload failed: {e:#}");
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let t0 = Instant::now();
        match download(&http, &url).await {
            Ok(len) if len == blob.len() => {
                shared.download.complete(&shared.window, t0, Instant::now())
            }
            Ok(len) => {
                shared.download.fail();
                tracing::debug!("download of {len} bytes, {} expected", blob.len());
            }
            Err(e) => {
                shared.download.fail();
                tracing::debug!("download failed: {e:#}");
            }
        }
    }
    Ok(())
}

/// Uploads one blob; its download URL.
async fn upload(
    http: &reqwest::Client,
    shared: &MediaShared,
    blob: &[u8],
) -> anyhow::Result<String> {
    let hash = B64URL.encode(waweb_proto::crypto::media::sha256(blob));
    let url = format!("{}/mms/document/{hash}?auth={}&token={hash}", shared.base, shared.auth);
    let t0 = Instant::now();
    let response = http.post(url).body(blob.to_vec()).send().await?;
    let status = response.status();
    let answer: Value = serde_json::from_slice(&response.bytes().await?)?;
    anyhow::ensure!(status.is_success(), "upload answered {status}: {answer}");
    shared.upload.complete(&shared.window, t0, Instant::now());
    Ok(answer["url"].as_str().context("the upload answered no url")?.to_owned())
}

/// Downloads a blob whole; its length.
async fn download(http: &reqwest::Client, url: &str) -> anyhow::Result<usize> {
    let response = http.get(url).send().await?.error_for_status()?;
    Ok(response.bytes().await?.len())
}

/// The report's throughput note: MB/s (10^6 bytes) of each operation.
pub fn throughput_note(upload_per_s: f64, download_per_s: f64, bytes: usize) -> String {
    let mb = |per_s: f64| per_s * bytes as f64 / 1e6;
    format!(
        "throughput: upload {:.1} MB/s, download {:.1} MB/s ({bytes}-byte blobs, plain HTTP)",
        mb(upload_per_s),
        mb(download_per_s)
    )
}

/// `media`: one paired account's upload token, shared by `--clients` workers that each upload a
/// blob and download it back, over and over.
pub async fn run(args: &Args) -> anyhow::Result<WorkloadReport> {
    let mut target = super::run::open_target(args).await?;
    let (mut members, pairing) =
        pool::pair_all(&target, &Numbering::random(), 2, args.concurrency).await?;
    let first = members.first_mut().ok_or_else(|| anyhow::anyhow!("no client paired"))?;
    let (auth, host) = media_conn(&mut first.client).await?;
    let scheme = if target.url.starts_with("wss://") { "https" } else { "http" };
    let window = Window::starting_now(args.warmup, args.duration);
    let shared = Arc::new(MediaShared {
        window,
        upload: args.op("upload"),
        download: args.op("download"),
        base: format!("{scheme}://{host}"),
        auth,
        bytes: args.media_bytes,
    });
    let tls = waweb_client::tls_config(None)?;
    let http = reqwest::Client::builder().use_preconfigured_tls((*tls).clone()).build()?;
    let n = args.client_count();
    let mut tasks = JoinSet::new();
    for i in 0..n {
        tasks.spawn(worker(http.clone(), shared.clone(), i as u64));
    }
    let m =
        measure(args, Workload::Media, &target, window, Some(shared.upload.clone()), tasks).await?;
    for member in members {
        member.client.close().await;
    }
    target.kill().await;
    let mut r = m.report;
    r.mode = format!("closed loop, {n} workers, each uploading one blob then downloading it");
    let (up, down) = (shared.upload.report(&window), shared.download.report(&window));
    r.notes.push(throughput_note(up.per_second, down.per_second, args.media_bytes));
    r.ops.extend([up, down, pairing]);
    r.notes.extend(m.failure);
    Ok(r)
}

#[cfg(test)]
mod tests {
    use super::throughput_note;

    #[test]
    fn throughput_is_in_megabytes_per_second() {
        let note = throughput_note(10.0, 20.0, 1_000_000);
        assert_eq!(
            note,
            "throughput: upload 10.0 MB/s, download 20.0 MB/s (1000000-byte blobs, plain HTTP)"
        );
    }
}
