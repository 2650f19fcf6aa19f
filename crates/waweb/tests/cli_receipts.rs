//! `waweb receipts …` through the binary, against `waweb serve --demo`: Alice sends to a group of
//! Alice, Bob and Carol, Bob (the library, on his CLI session) reads it, and `waweb receipts`
//! lists the deliveries to Bob and Carol and Bob's read, as lines and as JSON; and the exit code
//! and message for a message that is not Alice's.

mod proc_support;

use std::process::Output;

use proc_support::{failed, stdout, Demo, WAIT};
use waweb_client::{session_file, Client};

const BOB: &str = "15550000002";
const CAROL: &str = "15550000003";

/// What this file adds to the shared fixture.
trait DemoExt {
    async fn alice(&self, args: &[&str]) -> Output;
    async fn bob_client(&self) -> Client;
}

impl DemoExt for Demo {
    /// Runs `waweb ARGS` as Alice.
    async fn alice(&self, args: &[&str]) -> Output {
        self.run(&self.alice, args).await
    }

    /// Bob's saved session, restored through the library.
    async fn bob_client(&self) -> Client {
        let creds = session_file::load(&self.bob).unwrap().expect("Bob's saved session");
        let (bob, mut events) = Client::connect(&self.serve.url(), Some(creds)).await.unwrap();
        tokio::time::timeout(WAIT, events.wait_ready()).await.unwrap().unwrap();
        bob
    }
}

/// The `level  jid` of each line, sorted; asserts each ends with a `YYYY-MM-DD HH:MM` time.
fn receipts(listing: &str) -> Vec<String> {
    let mut seen: Vec<String> = listing
        .lines()
        .map(|l| {
            let fields: Vec<&str> = l.split('\t').collect();
            let [level, jid, time] = fields.as_slice() else { panic!("level, jid, time: {l:?}") };
            assert_eq!(time.len(), "YYYY-MM-DD HH:MM".len(), "{l:?}");
            format!("{level} {jid}")
        })
        .collect();
    seen.sort();
    seen
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn receipts_of_a_group_message_before_and_after_a_member_reads_it() {
    let demo = Demo::start().await;
    let created = demo.alice(&["group", "create", "Climbing", BOB, CAROL]).await;
    let gid = stdout(&created).trim().to_owned();
    let sent = stdout(&demo.alice(&["send", &gid, "rope check at 7"]).await);
    let id = sent.split('\t').next().unwrap().to_owned();

    let before = stdout(&demo.alice(&["receipts", &gid, &id]).await);
    assert_eq!(
        receipts(&before),
        [format!("delivered {BOB}@c.us"), format!("delivered {CAROL}@c.us")],
        "every member but Alice has it"
    );

    let bob = demo.bob_client().await;
    bob.read(&gid, &id).await.unwrap();
    let after = stdout(&demo.alice(&["receipts", &gid, &id]).await);
    assert_eq!(
        receipts(&after),
        [
            format!("delivered {BOB}@c.us"),
            format!("delivered {CAROL}@c.us"),
            format!("read {BOB}@c.us")
        ]
    );
    assert!(after.lines().last().unwrap().starts_with("read\t"), "levels in order: {after}");

    let json = stdout(&demo.alice(&["receipts", &gid, &id, "--json"]).await);
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        (json["jid"].as_str(), json["id"].as_str()),
        (Some(gid.as_str()), Some(id.as_str()))
    );
    let read = json["read"].as_array().unwrap();
    assert_eq!(read.len(), 1, "{json}");
    assert_eq!(read[0]["jid"], format!("{BOB}@c.us"));
    assert!(read[0]["t"].as_u64().is_some_and(|t| t > 1_600_000_000), "{json}");
    assert_eq!(json["delivered"].as_array().map(Vec::len), Some(2), "{json}");
    assert_eq!(json["played"], serde_json::json!([]), "{json}");

    // Bob's message is not Alice's to ask about; nor is an id nobody sent (a bare number is a
    // contact).
    let reply = bob.send_text(&gid, "on my way").await.unwrap();
    bob.close();
    for (chat, message) in [(gid.as_str(), reply.id.as_str()), (BOB, "3EB0000000000000DEAD")] {
        let refused = demo.alice(&["receipts", chat, message]).await;
        let printed = failed(&refused, "not one of your messages");
        assert!(printed.is_empty(), "{printed}");
    }
}
