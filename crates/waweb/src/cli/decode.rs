//! `waweb decode CAPTURE`: prints every frame of a captured connection in order, decrypted and
//! decoded — JSON pretty-printed, WABinary nodes as a tree, `WebMessageInfo`s as fields.
//!
//! The capture is a HAR file exported by a browser or a session log written by
//! `waweb serve --record`. Keys, tried in this order on every binary frame: `--keys`,
//! `--enc-key`/`--mac-key`, `--session`, the log's own `keys` records, and the keys opened from
//! the capture's `Conn` secret with `--private-key`. Frames that do not decode are printed with
//! the reason. Secrets inside JSON frames are hidden unless `--show-secrets` is given. With
//! `--media-dir`, the files of the media messages shown are decrypted from their blobs.

mod media;
mod render;

use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use waweb_proto::capture::keys::{derive_from_capture, keys_from_pair, keys_from_session_file};
use waweb_proto::capture::{detect_and_parse, Capture, DecodedFrame, Decoder, KeyError, Payload};
use waweb_proto::crypto::SessionKeys;

use super::exit::{Exit, FAILURE};

/// Bad usage (the code clap itself uses): a key argument that cannot be read.
const USAGE: u8 = 2;
/// Below this many frames decoding is instant and no progress bar is shown.
const PROGRESS_THRESHOLD: usize = 2_000;

/// Its arguments.
#[derive(Debug, clap::Args)]
#[command(after_help = "Exit codes: 0 decoded (frames that fail are printed with the reason), \
1 the capture cannot be read or is not a HAR / session log, or --media-dir refused a file \
(a blob or message that failed a check), 2 bad arguments.")]
pub struct Args {
    /// The capture: a HAR file, or a session log written by `waweb serve --record DIR`.
    pub capture: PathBuf,
    /// Session keys as `ENCKEY:MACKEY` (base64 or hex each), or the path of a saved session file.
    #[arg(long, value_name = "ENC:MAC|FILE")]
    pub keys: Option<String>,
    /// The `encKey` (base64 or hex).
    #[arg(long, value_name = "KEY", requires = "mac_key")]
    pub enc_key: Option<String>,
    /// The `macKey` (base64 or hex).
    #[arg(long, value_name = "KEY", requires = "enc_key")]
    pub mac_key: Option<String>,
    /// A saved client session file (JSON with `encKey` and `macKey`).
    #[arg(long, value_name = "FILE")]
    pub session: Option<PathBuf>,
    /// The client's Curve25519 private key (base64 or hex): opens the capture's `Conn` secret.
    #[arg(long, value_name = "KEY", env = "WAWEB_PRIVATE_KEY", hide_env_values = true)]
    pub private_key: Option<String>,
    /// One JSON object per frame and per line, instead of text.
    #[arg(long)]
    pub json: bool,
    /// Show the secret, tokens and keys inside JSON frames instead of hiding them.
    #[arg(long)]
    pub show_secrets: bool,
    /// Decrypt the files of the media messages shown: their blobs are looked up in DIR by
    /// `fileEncSha256` (`<hex>`, `<hh>/<hex>` as in a server's `<data dir>/media/blobs`, or
    /// `<base64url>`) or by their URL's file name, and written only if the blob's hash, its MAC
    /// and the file's hash all check.
    #[arg(long, value_name = "DIR", env = "WAWEB_DECODE_MEDIA_DIR")]
    pub media_dir: Option<PathBuf>,
    /// Where `--media-dir` writes the files, as `<message id>.<ext>` (never over an existing
    /// file).
    #[arg(
        long,
        value_name = "DIR",
        default_value = ".",
        requires = "media_dir",
        env = "WAWEB_DECODE_MEDIA_OUT"
    )]
    pub media_out: PathBuf,
}

/// Runs it.
pub async fn run(args: Args) -> anyhow::Result<ExitCode> {
    let bytes = std::fs::read(&args.capture)
        .with_context(|| format!("cannot read {}", args.capture.display()))?;
    let capture = detect_and_parse(&bytes)
        .map_err(|e| Exit::new(FAILURE, format!("{}: {e}", args.capture.display())))?;
    let keys = collect_keys(&args, &capture)?;
    let decoded = decode_with_progress(&Decoder::new(keys), &capture);
    let failed = decoded.iter().filter(|d| matches!(d.payload, Payload::Failed { .. })).count();
    let style = render::Style { json: args.json, show_secrets: args.show_secrets };
    let mut extractor = match &args.media_dir {
        Some(dir) => Some(media_extractor(dir, &args.media_out)?),
        None => None,
    };
    match print(&decoded, style, extractor.as_mut()) {
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => {
            return Err(e).context("cannot write to standard output")
        }
        _ => {}
    }
    if failed > 0 {
        eprintln!(
            "{} frames, {failed} could not be decoded (see the reasons above)",
            decoded.len()
        );
    }
    if let Some(e) = extractor {
        let [written, missing, refused] = e.counts;
        eprintln!(
            "media: {written} files written, {missing} blobs not in the media directory, \
             {refused} refused"
        );
        if refused > 0 {
            return Err(Exit::new(
                FAILURE,
                "some media files were refused (see the reasons above)",
            ));
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Checks both directories before anything is decoded.
fn media_extractor(dir: &Path, out: &Path) -> anyhow::Result<media::Extractor> {
    for (flag, path) in [("--media-dir", dir), ("--media-out", out)] {
        if !path.is_dir() {
            let why = format!("{flag} {}: not a directory", path.display());
            return Err(Exit::new(USAGE, why));
        }
    }
    Ok(media::Extractor::new(media::MediaDirs { blobs: dir.to_owned(), out: out.to_owned() }))
}

/// Every candidate key set, explicit ones first, without duplicates.
fn collect_keys(args: &Args, capture: &Capture) -> anyhow::Result<Vec<SessionKeys>> {
    let usage = |what: String| Exit::new(USAGE, what);
    let mut keys = Vec::new();
    if let Some(spec) = &args.keys {
        keys.push(keys_argument(spec)?);
    }
    if let (Some(enc), Some(mac)) = (&args.enc_key, &args.mac_key) {
        keys.push(
            keys_from_pair(enc, mac).map_err(|e| usage(format!("--enc-key/--mac-key: {e}")))?,
        );
    }
    if let Some(path) = &args.session {
        keys.push(session_file(path)?);
    }
    keys.extend(capture.keys.iter().cloned());
    if let Some(private) = &args.private_key {
        let derived = derive_from_capture(capture, private).map_err(|e| {
            let code = if matches!(e, KeyError::BadKey { .. }) { USAGE } else { FAILURE };
            Exit::new(code, format!("--private-key: {e}"))
        })?;
        keys.extend(derived);
    }
    let mut unique: Vec<SessionKeys> = Vec::with_capacity(keys.len());
    for k in keys {
        if !unique.contains(&k) {
            unique.push(k);
        }
    }
    Ok(unique)
}

/// `--keys`: an existing file is a session file; otherwise `ENC:MAC`.
fn keys_argument(spec: &str) -> anyhow::Result<SessionKeys> {
    let path = Path::new(spec);
    if path.is_file() {
        return session_file(path);
    }
    let Some((enc, mac)) = spec.split_once(':') else {
        let why = "--keys: expected ENCKEY:MACKEY or the path of an existing session file";
        return Err(Exit::new(USAGE, why));
    };
    keys_from_pair(enc, mac).map_err(|e| Exit::new(USAGE, format!("--keys: {e}")))
}

fn session_file(path: &Path) -> anyhow::Result<SessionKeys> {
    let bytes = std::fs::read(path)
        .with_context(|| format!("cannot read the session file {}", path.display()))?;
    keys_from_session_file(&bytes).map_err(|e| Exit::new(USAGE, format!("{}: {e}", path.display())))
}

fn decode_with_progress(decoder: &Decoder, capture: &Capture) -> Vec<DecodedFrame> {
    let total = capture.frames.len();
    let bar = if total >= PROGRESS_THRESHOLD && io::stderr().is_terminal() {
        let style = ProgressStyle::with_template("decoding {bar:40} {pos}/{len} frames {eta}")
            .unwrap_or_else(|_| ProgressStyle::default_bar());
        ProgressBar::new(total as u64).with_style(style)
    } else {
        ProgressBar::hidden()
    };
    let decoded = capture
        .frames
        .iter()
        .map(|frame| {
            bar.inc(1);
            decoder.decode(frame)
        })
        .collect();
    bar.finish_and_clear();
    decoded
}

fn print(
    decoded: &[DecodedFrame],
    style: render::Style,
    mut extractor: Option<&mut media::Extractor>,
) -> io::Result<()> {
    let mut out = BufWriter::new(io::stdout().lock());
    let first_ms = decoded.first().map_or(0, |d| d.frame.time_ms);
    for frame in decoded {
        let files = match (&mut extractor, &frame.payload) {
            (Some(e), Payload::Node { messages, .. }) => messages
                .iter()
                .filter_map(|m| Some((m.position, e.extract(m.info.as_ref().ok()?)?)))
                .collect(),
            _ => Vec::new(),
        };
        render::write_frame(&mut out, frame, first_ms, style, &files)?;
    }
    out.flush()
}
