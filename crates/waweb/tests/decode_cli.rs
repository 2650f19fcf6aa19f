//! `waweb decode` on captures made by a real in-memory pairing and exchange, recorded through
//! the server's own recorder and written as a Chromium HAR.

#[path = "../../waweb-proto/tests/capture_support/mod.rs"]
mod capture_support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use capture_support::{exchange, har, Exchange};
use serde_json::Value;
use waweb_proto::binary::display::to_json;
use waweb_server::record::{Dir, Recorder};

fn waweb(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_waweb"))
        .args(args)
        .env_remove("WAWEB_PRIVATE_KEY")
        .output()
        .expect("the waweb binary runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

/// Records the exchange with the server's recorder, as `waweb serve --record` does.
fn record(x: &Exchange, dir: &Path) -> PathBuf {
    let recorder = Recorder::open(dir).unwrap();
    let session = recorder.session(3, capture_support::T0).unwrap();
    let mut keys_written = false;
    for f in &x.frames {
        let d = if f.from_client { Dir::In } else { Dir::Out };
        if let Some(text) = &f.text {
            session.text(f.t, d, text);
        }
        if let Some(wire) = &f.binary {
            if !keys_written {
                session.keys(f.t, &x.keys);
                keys_written = true;
            }
            session.binary(f.t, d, wire, None);
        }
    }
    session.path().to_path_buf()
}

fn json_lines(o: &Output) -> Vec<Value> {
    stdout(o).lines().map(|l| serde_json::from_str(l).expect("one JSON object per line")).collect()
}

#[test]
fn session_log_prints_every_frame_decoded() {
    let x = exchange(30);
    let tmp = tempfile::tempdir().unwrap();
    let log = record(&x, tmp.path());
    let out = waweb(&["decode", log.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = stdout(&out);
    assert_eq!(text.matches("\n#").count() + 1, x.frames.len(), "one block per frame");
    let query_line = format!(
        "tag {} binary metric QUERY_CONTACTS (6) flags Flags(0x80: EXPECTS_ANSWER)",
        x.query_tag
    );
    assert!(text.contains(&query_line), "{text}");
    assert!(text.contains("  <query type=\"contacts\" epoch=\"1\"/>"));
    assert!(text.contains("    <user jid=\"33698765432@c.us\" notify=\"Bob\"/>"));
    assert!(text.contains("\"text\": \"hello\""));
    assert!(text.contains("\"text\": \"hi Alice ☺\""));
    assert!(text.contains("keepalive ping"));
    assert!(!text.contains("NOT DECODED"), "{text}");
    assert!(text.contains("\"secret\": \"<redacted"), "the Conn secret is hidden");
    assert!(!text.contains("\"ct-1\""), "tokens are hidden");
}

#[test]
fn json_output_parses_line_by_line_and_matches_what_was_sent() {
    let x = exchange(31);
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("capture.har");
    std::fs::write(&path, har(&x)).unwrap();
    let keys = format!("{}:{}", B64.encode(x.keys.enc_key), B64.encode(x.keys.mac_key));
    let out = waweb(&["decode", path.to_str().unwrap(), "--keys", &keys, "--json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let lines = json_lines(&out);
    assert_eq!(lines.len(), x.frames.len());
    for (i, (line, sent)) in lines.iter().zip(&x.frames).enumerate() {
        assert_eq!(line["index"], i);
        assert_eq!(line["time_ms"], sent.t);
        assert_eq!(line["from"], if sent.from_client { "client" } else { "server" });
        assert_ne!(line["type"], "error", "{line}");
    }
    let query = lines.iter().find(|l| l["tag"] == x.query_tag.as_str()).unwrap();
    assert_eq!(
        (&query["metric"], &query["metric_name"], &query["flags"]),
        (&6.into(), &"QUERY_CONTACTS".into(), &0x80.into())
    );
    assert_eq!(query["node"], to_json(&x.query));
    let answer = lines.iter().filter(|l| l["tag"] == x.query_tag.as_str()).nth(1).unwrap();
    assert_eq!(answer["node"], to_json(&x.answer));
    let relay = lines.iter().find(|l| l["tag"] == x.relay_tag.as_str()).unwrap();
    assert_eq!(relay["messages"][0]["text"], "hello");
    assert_eq!(relay["messages"][0]["id"], "3EB0A1B2C3D4");
    assert_eq!(relay["messages"][0]["status"], "Pending");
    let push = lines.iter().find(|l| l["tag"] == x.push_tag.as_str()).unwrap();
    assert_eq!(push["node"], to_json(&x.push));
    assert_eq!(push["messages"][0]["text"], "hi Alice ☺");
    assert_eq!(push["messages"][0]["fromMe"], false);
    let conn = lines.iter().find(|l| l["json"][0] == "Conn").unwrap();
    assert_eq!(conn["json"][1]["wid"], "33612345678@c.us");
}

#[test]
fn session_file_and_private_key_open_a_har() {
    let x = exchange(32);
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("capture.har");
    std::fs::write(&path, har(&x)).unwrap();
    let session = tmp.path().join("session.json");
    let file = serde_json::json!({"clientId": "id", "serverToken": "st-1", "clientToken": "ct-1",
        "encKey": B64.encode(x.keys.enc_key), "macKey": B64.encode(x.keys.mac_key),
        "wid": "33612345678@c.us"});
    std::fs::write(&session, file.to_string()).unwrap();
    let private = B64.encode(x.client_private);
    let runs = [
        vec!["--session", session.to_str().unwrap()],
        vec!["--keys", session.to_str().unwrap()],
        vec!["--private-key", private.as_str()],
    ];
    for extra in runs {
        let mut args = vec!["decode", path.to_str().unwrap(), "--json"];
        args.extend(extra.iter().copied());
        let out = waweb(&args);
        assert!(out.status.success(), "{extra:?}: {}", String::from_utf8_lossy(&out.stderr));
        let lines = json_lines(&out);
        assert_eq!(lines.iter().filter(|l| l["type"] == "node").count(), 4, "{extra:?}");
        assert!(lines.iter().all(|l| l["type"] != "error"), "{extra:?}");
    }
    let out = waweb(&["decode", path.to_str().unwrap(), "--json"]);
    let lines = json_lines(&out);
    let errors: Vec<_> = lines.iter().filter(|l| l["type"] == "error").collect();
    assert_eq!(errors.len(), 4, "binary frames without keys are reported, not dropped");
    assert!(errors[0]["error"].as_str().unwrap().starts_with("no keys"));
    assert!(String::from_utf8_lossy(&out.stderr).contains("4 could not be decoded"));
}

#[test]
fn a_corrupted_frame_is_reported_and_the_rest_decodes() {
    let mut x = exchange(33);
    let first_binary = x.frames.iter_mut().find_map(|f| f.binary.as_mut()).unwrap();
    let last = first_binary.len() - 1;
    first_binary[last] ^= 0x40;
    let tmp = tempfile::tempdir().unwrap();
    let log = record(&x, tmp.path());
    let out = waweb(&["decode", log.to_str().unwrap()]);
    assert!(out.status.success());
    let text = stdout(&out);
    assert_eq!(text.matches("NOT DECODED: MAC mismatch").count(), 1, "{text}");
    assert!(
        text.contains("<user jid=\"33698765432@c.us\" notify=\"Bob\"/>"),
        "later frames decode"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("1 could not be decoded"));
}

#[test]
fn usage_and_format_errors_have_their_exit_codes() {
    let tmp = tempfile::tempdir().unwrap();
    let junk = tmp.path().join("notes.txt");
    std::fs::write(&junk, "just some notes\n").unwrap();
    let out = waweb(&["decode", junk.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("not a capture") && err.contains("HAR"), "{err}");

    let missing = tmp.path().join("missing.har");
    assert_eq!(waweb(&["decode", missing.to_str().unwrap()]).status.code(), Some(1));

    let x = exchange(34);
    let path = tmp.path().join("capture.har");
    std::fs::write(&path, har(&x)).unwrap();
    let out = waweb(&["decode", path.to_str().unwrap(), "--keys", "not-a-key"]);
    assert_eq!(out.status.code(), Some(2));
    let out = waweb(&["decode", path.to_str().unwrap(), "--keys", "AAAA:BBBB"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("encKey"));
    let out = waweb(&["decode", path.to_str().unwrap(), "--private-key", "00ff"]);
    assert_eq!(out.status.code(), Some(2));
    let out = waweb(&["decode", path.to_str().unwrap(), "--private-key", &B64.encode([5u8; 32])]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot open the Conn secret"));

    let help = waweb(&["decode", "--help"]);
    assert!(help.status.success());
    for flag in ["--keys", "--enc-key", "--mac-key", "--session", "--private-key", "--json"] {
        assert!(stdout(&help).contains(flag), "{flag}");
    }
}
