//! Interoperability: runs the Node suite in `interop/tests/` (unmodified Baileys 3.5.3, 3.2.4 and
//! 3.0.0 against `waweb serve`) with this build of the `waweb` binary, and fails if any scenario
//! fails.
//!
//! The suite needs its npm dependencies: `npm ci --prefix interop`. Without them this test fails
//! (it never passes by skipping).

use std::path::{Path, PathBuf};
use std::process::Command;

/// How many tests `interop/tests/` holds: fewer passing means some did not run.
const SCENARIOS: u32 = 19;

/// The workspace root: two levels above this crate.
fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .expect("the crate lives in <root>/crates/waweb")
        .to_path_buf()
}

#[test]
fn baileys_suite_passes_against_our_server() {
    let root = workspace_root();
    for package in ["@adiwajshing/baileys", "baileys-3.2.4", "baileys-3.0.0"] {
        let manifest = root.join("interop/node_modules").join(package).join("package.json");
        assert!(
            manifest.is_file(),
            "interop/node_modules/{package} is missing: run `npm ci --prefix interop` first"
        );
    }

    let output = Command::new("node")
        .args(["--test", "--test-reporter=spec", "--test-concurrency=1", "interop/tests/"])
        .current_dir(&root)
        .env("WAWEB_BIN", env!("CARGO_BIN_EXE_waweb"))
        .output()
        .unwrap_or_else(|e| panic!("cannot run `node` (Node.js 18 or later is needed): {e}"));

    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    println!("{stdout}");
    eprintln!("{stderr}");
    assert!(output.status.success(), "the Baileys interop suite failed ({})", output.status);
    assert_eq!(summary(&stdout, "fail"), Some(0), "the runner reports no failure");
    let passed = summary(&stdout, "pass").unwrap_or(0);
    assert!(passed >= SCENARIOS, "every scenario ran and passed (passed: {passed})");
}

/// A count from the spec reporter's closing summary (`ℹ pass 6`).
fn summary(report: &str, what: &str) -> Option<u32> {
    let prefix = format!("ℹ {what} ");
    report.lines().find_map(|l| l.strip_prefix(prefix.as_str())?.trim().parse().ok())
}
