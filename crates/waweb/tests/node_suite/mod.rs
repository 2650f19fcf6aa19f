//! Runs a Node test suite (`node --test` with the spec reporter) against this build of the
//! `waweb` binary, for the tests that hold third-party clients and the web page to our server.
//! A suite passes only if node exits 0, reports no failure and no skipped test, and at least
//! the expected number of tests passed (fewer means some did not run).

use std::path::{Path, PathBuf};
use std::process::Command;

/// The workspace root: two levels above this crate.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .expect("the crate lives in <root>/crates/waweb")
        .to_path_buf()
}

/// Runs the tests in `dir` (relative to the workspace root) with `env` added, and checks the
/// outcome as the module docs say; `what` names the suite in failures.
pub fn run(what: &str, dir: &str, env: &[(&str, &Path)], expected: u32) {
    let mut node = Command::new("node");
    node.args(["--test", "--test-reporter=spec", "--test-concurrency=1", dir])
        .current_dir(workspace_root())
        .env("WAWEB_BIN", env!("CARGO_BIN_EXE_waweb"));
    for (name, value) in env {
        node.env(name, value);
    }
    let output = node
        .output()
        .unwrap_or_else(|e| panic!("cannot run `node` (Node.js 20 or later is needed): {e}"));
    let stdout = String::from_utf8_lossy(&output.stdout);
    println!("{stdout}");
    eprintln!("{}", String::from_utf8_lossy(&output.stderr));
    assert!(output.status.success(), "the {what} failed ({})", output.status);
    assert_eq!(summary(&stdout, "fail"), Some(0), "the runner reports no failure");
    assert_eq!(summary(&stdout, "skipped"), Some(0), "nothing was skipped");
    let passed = summary(&stdout, "pass").unwrap_or(0);
    assert!(passed >= expected, "every test ran and passed (passed: {passed} of {expected})");
}

/// A count from the spec reporter's closing summary (`ℹ pass 6`).
fn summary(report: &str, what: &str) -> Option<u32> {
    let prefix = format!("ℹ {what} ");
    report.lines().find_map(|l| l.strip_prefix(prefix.as_str())?.trim().parse().ok())
}
