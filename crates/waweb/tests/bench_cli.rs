//! `waweb bench` end to end: the binary spawns a real server (itself, `serve`) on 127.0.0.1 port 0,
//! pairs clients through the admin API, runs a short workload and reports JSON. The figures are
//! not checked against targets (that depends on the machine), only for consistency.

use serde_json::Value;
use std::process::Command;

fn bench(args: &[&str]) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_waweb"))
        .args(["bench", "--json", "--quiet", "--duration", "1s", "--warmup", "300ms"])
        .args(args)
        .env_remove("WAWEB_ADMIN_TOKEN")
        .env("RUST_LOG", "warn")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "bench failed: {}\n{stdout}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {stdout}"))
}

fn op<'a>(workload: &'a Value, name: &str) -> &'a Value {
    workload["ops"].as_array().unwrap().iter().find(|o| o["name"] == name).unwrap()
}

#[test]
fn relay_delivers_what_it_acks_and_acked_messages_survive_a_kill() {
    let report = bench(&["--workload", "relay", "--clients", "4"]);
    let w = &report["workloads"][0];
    assert_eq!(w["workload"], "relay");
    assert_eq!(w["clients"], 4);
    let (ack, delivery) = (op(w, "ack"), op(w, "delivery"));
    let acked = ack["count"].as_u64().unwrap();
    let delivered = delivery["count"].as_u64().unwrap();
    assert!(acked > 10, "only {acked} acks in 1 s");
    assert_eq!(ack["errors"], 0);
    // Messages in flight at the window's edges may land on either side of it.
    assert!(delivered.abs_diff(acked) <= 4 * 4 * 2, "{acked} acked, {delivered} delivered");
    assert!(ack["latency"]["p50_us"].as_f64().unwrap() > 0.0);
    assert_eq!(op(w, "pairing")["count"], 4);
    assert!(w["server"]["peak_rss_mib"].as_f64().unwrap() > 1.0, "server memory is measured");
    let notes: Vec<&str> =
        w["notes"].as_array().unwrap().iter().filter_map(Value::as_str).collect();
    assert!(
        notes.iter().any(|n| n.starts_with("durability: server killed with SIGKILL")
            && n.contains("are in its database")),
        "{notes:?}"
    );
}

#[test]
fn group_messages_reach_every_other_member_and_survive_a_kill() {
    // Two groups of 3: each message reaches the 2 other members.
    let report = bench(&["--workload", "group", "--clients", "6", "--group-size", "3"]);
    let w = &report["workloads"][0];
    assert_eq!(w["workload"], "group");
    let (ack, delivery) = (op(w, "ack"), op(w, "delivery"));
    let acked = ack["count"].as_u64().unwrap();
    let delivered = delivery["count"].as_u64().unwrap();
    assert!(acked > 10, "only {acked} acks in 1 s");
    assert_eq!(ack["errors"], 0);
    // Messages in flight at the window's edges may land on either side of it.
    assert!(delivered.abs_diff(2 * acked) <= 6 * 4 * 2 * 2, "{acked} acked, {delivered} delivered");
    let notes: Vec<&str> =
        w["notes"].as_array().unwrap().iter().filter_map(Value::as_str).collect();
    assert!(notes.iter().any(|n| n.contains("are in its database")), "{notes:?}");
}

#[test]
fn half_peak_runs_the_peak_then_open_loop_at_half_of_it() {
    let report = bench(&["--workload", "relay", "--clients", "4", "--half-peak"]);
    let runs = report["workloads"].as_array().unwrap();
    assert_eq!(runs.len(), 2, "{report}");
    assert!(runs[0]["mode"].as_str().unwrap().starts_with("closed loop"), "{}", runs[0]["mode"]);
    let peak = op(&runs[0], "ack")["per_second"].as_f64().unwrap();
    let mode = runs[1]["mode"].as_str().unwrap();
    let target: f64 = mode
        .strip_prefix("open loop, ")
        .and_then(|m| m.strip_suffix(" ops/s target"))
        .and_then(|r| r.parse().ok())
        .unwrap_or_else(|| panic!("not an open-loop mode: {mode}"));
    assert!((target - peak / 2.0).abs() <= 0.5, "target {target} for a peak of {peak}");
    assert_eq!(op(&runs[1], "ack")["errors"], 0);
    let notes = runs[1]["notes"].to_string();
    assert!(notes.contains("open loop at half the closed-loop peak"), "{notes}");

    for unpaced in ["storm", "all"] {
        let out = Command::new(env!("CARGO_BIN_EXE_waweb"))
            .args(["bench", "--workload", unpaced, "--half-peak", "--quiet"])
            .output()
            .unwrap();
        assert!(!out.status.success(), "{unpaced} ran with --half-peak");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("--half-peak needs a workload with an open-loop rate"), "{err}");
    }
}

#[test]
fn storm_completes_handshakes_and_echo_round_trips() {
    let report = bench(&["--workload", "storm", "--clients", "4", "--concurrency", "2"]);
    let storm = op(&report["workloads"][0], "handshake");
    assert!(storm["count"].as_u64().unwrap() >= 2, "{storm}");
    assert_eq!(storm["errors"], 0);
    let report = bench(&["--workload", "echo", "--clients", "2"]);
    let rtt = op(&report["workloads"][0], "round trip");
    assert!(rtt["count"].as_u64().unwrap() > 100, "{rtt}");
}

#[test]
fn pair_completes_qr_pairings_with_existing_accounts() {
    let report = bench(&["--workload", "pair", "--clients", "4", "--concurrency", "2"]);
    let w = &report["workloads"][0];
    assert_eq!(w["workload"], "pair");
    let pairing = op(w, "pairing");
    // Each pairing waits for the QR, a scan over HTTP and the `Conn`: a handful per second at least.
    assert!(pairing["count"].as_u64().unwrap() >= 4, "{pairing}");
    assert_eq!(pairing["errors"], 0);
    assert_eq!(w["ops"].as_array().unwrap().len(), 1, "no pool set-up op: {w}");
}

#[test]
fn media_uploads_and_downloads_blobs_and_reports_throughput() {
    let report = bench(&["--workload", "media", "--clients", "2", "--media-bytes", "65536"]);
    let w = &report["workloads"][0];
    assert_eq!(w["workload"], "media");
    let (upload, download) = (op(w, "upload"), op(w, "download"));
    assert!(upload["count"].as_u64().unwrap() >= 1, "{upload}");
    assert!(download["count"].as_u64().unwrap() >= 1, "{download}");
    assert_eq!((&upload["errors"], &download["errors"]), (&Value::from(0), &Value::from(0)));
    let notes = w["notes"].as_array().unwrap();
    assert!(
        notes.iter().any(|n| n.as_str().unwrap().starts_with("throughput: upload ")),
        "{notes:?}"
    );
}
