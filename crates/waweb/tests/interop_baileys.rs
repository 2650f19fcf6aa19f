//! Interoperability: runs the Node suite in `interop/tests/` (unmodified Baileys 3.5.3, 3.2.4 and
//! 3.0.0 against `waweb serve`) with this build of the `waweb` binary, and fails if any scenario
//! fails. The media scenarios run over TLS: a first `waweb serve --tls-self-signed` makes the
//! certificate, which Node trusts through `NODE_EXTRA_CA_CERTS` (read only when Node starts, so
//! it must exist before), and the suite's TLS servers reuse that pair.
//!
//! The suite needs its npm dependencies: `npm ci --prefix interop`. Without them this test fails
//! (it never passes by skipping).

mod node_suite;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};

/// How many tests `interop/tests/` holds: fewer passing means some did not run.
const SCENARIOS: u32 = 28;

/// Starts `waweb serve --tls-self-signed` on `data` until it listens (so that it has made its
/// certificate and key there), then stops it.
fn make_self_signed(data: &Path) {
    let mut serve = Command::new(env!("CARGO_BIN_EXE_waweb"))
        .args(["serve", "--listen", "127.0.0.1:0", "--tls-self-signed", "--data-dir"])
        .arg(data)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("cannot start waweb serve");
    let stdout = serve.stdout.take().expect("piped stdout");
    let listening = BufReader::new(stdout)
        .lines()
        .map_while(Result::ok)
        .any(|l| l.starts_with("waweb listening on wss://"));
    // The certificate is on disk once it listens; a killed server releases its lock.
    let _ = serve.kill();
    let _ = serve.wait();
    assert!(listening, "waweb serve --tls-self-signed did not start");
    assert!(data.join("tls-cert.pem").is_file(), "the self-signed certificate was made");
}

#[test]
fn baileys_suite_passes_against_our_server() {
    let root = node_suite::workspace_root();
    for package in ["@adiwajshing/baileys", "baileys-3.2.4", "baileys-3.0.0"] {
        let manifest = root.join("interop/node_modules").join(package).join("package.json");
        assert!(
            manifest.is_file(),
            "interop/node_modules/{package} is missing: run `npm ci --prefix interop` first"
        );
    }
    let tls = tempfile::tempdir().expect("a temporary directory");
    make_self_signed(tls.path());
    let ca = tls.path().join("tls-cert.pem");
    let env = [("WAWEB_INTEROP_TLS_DIR", tls.path()), ("NODE_EXTRA_CA_CERTS", ca.as_path())];
    node_suite::run("Baileys interop suite", "interop/tests/", &env, SCENARIOS);
}
