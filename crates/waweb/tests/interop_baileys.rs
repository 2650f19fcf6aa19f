//! Interoperability: runs the Node suite in `interop/tests/` (unmodified Baileys 3.5.3, 3.2.4 and
//! 3.0.0 against `waweb serve`) with this build of the `waweb` binary, and fails if any scenario
//! fails.
//!
//! The suite needs its npm dependencies: `npm ci --prefix interop`. Without them this test fails
//! (it never passes by skipping).

mod node_suite;

/// How many tests `interop/tests/` holds: fewer passing means some did not run.
const SCENARIOS: u32 = 19;

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
    node_suite::run("Baileys interop suite", "interop/tests/", &[], SCENARIOS);
}
