//! A conversation through the `waweb` binary: `waweb serve --demo` as a child, Alice and Bob
//! paired with `waweb login --print-qr` + `waweb phone scan`, Bob listening with
//! `waweb listen --json` while Alice runs `waweb send`, then Alice listening while Bob (the
//! library, since one live session per account means a CLI command would replace Bob's listener)
//! reads the message and Alice's listener prints the read ack.

mod proc_support;

use proc_support::{cli_login, waweb, Proc, Serve, WAIT};
use serde_json::Value;
use waweb_client::{session_file, BatchKind, Client, Event};

const ALICE: &str = "15550000001";
const BOB: &str = "15550000002";

/// A `listen --json` line as JSON (non-JSON lines are a failure).
fn json(line: &str) -> Value {
    serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"))
}

async fn listen(home: &std::path::Path, serve: &Serve, session: &std::path::Path) -> Proc {
    let mut cmd = waweb(home);
    cmd.args(["listen", "--json", "--server", &serve.url(), "--session"]).arg(session);
    let mut proc = Proc::spawn(cmd);
    let ready = json(&proc.line().await);
    assert_eq!(ready["event"], "ready", "{ready}");
    proc
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn send_listen_and_read_between_two_cli_accounts() {
    let home = tempfile::tempdir().unwrap();
    let data = home.path().join("data");
    let serve = Serve::start(home.path(), &data).await;
    let alice_session = cli_login(home.path(), &serve, &data, ALICE).await;
    let bob_session = cli_login(home.path(), &serve, &data, BOB).await;

    let mut bob_listen = listen(home.path(), &serve, &bob_session).await;
    let mut send = waweb(home.path());
    send.args(["send", "--server", &serve.url(), "--session"]).arg(&alice_session).args([
        &format!("{BOB}@c.us"),
        "hi bob",
        "--wait",
        "delivered",
    ]);
    let out = tokio::time::timeout(WAIT, send.output()).await.unwrap().unwrap();
    assert!(out.status.success(), "send failed: {}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    let [server_line, delivered_line] = lines.as_slice() else { panic!("two acks: {stdout:?}") };
    let fields: Vec<&str> = server_line.split('\t').collect();
    let [id, "server", time] = fields.as_slice() else { panic!("id, server, time: {stdout:?}") };
    let delivered: Vec<&str> = delivered_line.split('\t').collect();
    assert_eq!(delivered[..2], [*id, "delivered"], "{stdout:?}");
    assert!(id.starts_with("3EB0") && id.len() == 20, "{id}");
    assert_eq!(time.len(), "YYYY-MM-DD HH:MM".len(), "{time}");

    let got = bob_listen
        .until(|l| {
            let v = json(l);
            (v["event"] == "message" && v["id"] == *id).then_some(v)
        })
        .await;
    assert_eq!(got["kind"], "live");
    assert_eq!(got["text"], "hi bob");
    assert_eq!(got["from_me"], false);
    assert_eq!(got["push_name"], "Alice");
    assert!(got["chat"].as_str().unwrap().starts_with(ALICE), "{got}");
    drop(bob_listen);

    let mut alice_listen = listen(home.path(), &serve, &alice_session).await;
    let creds = session_file::load(&bob_session).unwrap().expect("Bob's saved session");
    let (bob, mut events) = Client::connect(&serve.url(), Some(creds)).await.unwrap();
    tokio::time::timeout(WAIT, events.wait_ready()).await.unwrap().unwrap();
    let synced = tokio::time::timeout(WAIT, async {
        while let Some(e) = events.recv().await {
            if let Event::Messages { kind: BatchKind::Last, messages, .. } = e {
                return messages;
            }
        }
        panic!("no sync");
    })
    .await
    .unwrap();
    let ids: Vec<_> = synced.iter().filter_map(|m| m.key.clone()?.id).collect();
    assert!(ids.iter().any(|i| i == id), "Bob's sync has the message: {ids:?}");
    bob.read(&format!("{ALICE}@c.us"), id).await.unwrap();

    let ack = alice_listen
        .until(|l| {
            let v = json(l);
            (v["event"] == "ack" && v["id"] == *id).then_some(v)
        })
        .await;
    assert_eq!(ack["ack"], "read", "{ack}");
    assert!(ack["to"].as_str().unwrap().starts_with(BOB), "{ack}");
    bob.close();
}
