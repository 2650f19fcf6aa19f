//! Secrets never reach the logs: a server and client run at `RUST_LOG=trace` through a pairing, a
//! restore with its challenge, a message and a logout, and neither log holds the session's keys,
//! tokens or the admin token, in any of the encodings they travel in.

mod proc_support;

use std::process::Stdio;

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use proc_support::{cli_login, waweb, Proc, Serve, WAIT};

/// Every form in which `secret` (base64 in the session file) could leak.
fn spellings(secret: &str) -> Vec<String> {
    let mut forms = vec![secret.to_string()];
    if let Ok(bytes) = B64.decode(secret) {
        forms.push(hex::encode(&bytes));
        forms.push(format!("{bytes:?}"));
    }
    forms
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn trace_logs_hold_no_keys_or_tokens() {
    let home = tempfile::tempdir().unwrap();
    let data = home.path().join("data");
    let server_log = home.path().join("server.log");
    let mut cmd = waweb(home.path());
    cmd.env("RUST_LOG", "trace")
        .args(["serve", "--listen", "127.0.0.1:0", "--demo", "--data-dir"])
        .arg(&data);
    let file = std::fs::File::create(&server_log).unwrap();
    let mut proc = Proc::spawn_with_stderr(cmd, Stdio::from(file));
    let addr = proc
        .until(|l| {
            l.strip_prefix("waweb listening on ws://")
                .map(|a| a.trim_end_matches("/ws").to_string())
        })
        .await;
    let serve = Serve { proc, addr };

    let session = cli_login(home.path(), &serve, &data, "15550000001").await;
    let saved: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&session).unwrap()).unwrap();

    // A restore (challenged login), a relay and a logout, with the client tracing too.
    let mut client_logs = String::new();
    for args in [vec!["send", "15550000002@c.us", "psst"], vec!["logout"]] {
        let mut cmd = waweb(home.path());
        cmd.env("RUST_LOG", "trace").args(&args).args(["--server", &serve.url(), "--session"]);
        let out = tokio::time::timeout(WAIT, cmd.arg(&session).output()).await.unwrap().unwrap();
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        client_logs.push_str(&String::from_utf8_lossy(&out.stderr));
    }
    drop(serve);
    let server_logs = std::fs::read_to_string(&server_log).unwrap();
    assert!(server_logs.contains("paired a new browser"), "the server did log at trace level");

    let admin_token = std::fs::read_to_string(data.join("admin-token")).unwrap();
    let mut secrets = vec![admin_token.trim().to_string()];
    for field in ["client_token", "server_token", "enc_key", "mac_key"] {
        secrets.extend(spellings(saved[field].as_str().unwrap()));
    }
    for secret in secrets {
        assert!(!server_logs.contains(&secret), "the server log holds a secret");
        assert!(!client_logs.contains(&secret), "the client log holds a secret");
    }
}
