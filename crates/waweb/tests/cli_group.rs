//! `waweb group …` through the binary, against `waweb serve --demo`, with Alice and Bob logged in
//! through the CLI: create a group, show it, send to it and read it from the other side (with
//! the sender), change members, rename, describe, switch its settings, join by invite and leave
//! it, and the exit codes and messages of what cannot be done.

mod proc_support;

use proc_support::{failed, stdout, Demo, Proc};

const ALICE: &str = "15550000001";
const BOB: &str = "15550000002";
const CAROL: &str = "15550000003";
/// No account has this number.
const NOBODY: &str = "15550009999";

/// What this file adds to the shared fixture.
trait DemoExt {
    async fn create(&self, subject: &str, members: &[&str]) -> String;
}

impl DemoExt for Demo {
    /// `waweb group create SUBJECT MEMBERS…` as Alice: the new group's JID.
    async fn create(&self, subject: &str, members: &[&str]) -> String {
        let mut args = vec!["group", "create", subject];
        args.extend_from_slice(members);
        stdout(&self.run(&self.alice, &args).await).trim().to_owned()
    }
}

/// The `value` of the `key  value` line of `waweb group info`.
fn field<'a>(info: &'a str, key: &str) -> Option<&'a str> {
    info.lines().find_map(|l| l.strip_prefix(key)?.strip_prefix('\t'))
}

/// The `member  jid  role` lines of `waweb group info`, as `jid role`, sorted.
fn members(info: &str) -> Vec<String> {
    let mut m: Vec<_> = info
        .lines()
        .filter_map(|l| l.strip_prefix("member\t"))
        .map(|l| l.replace('\t', " "))
        .collect();
    m.sort();
    m
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_show_send_and_change_members() {
    let demo = Demo::start().await;
    let created = demo
        .run(&demo.alice, &["group", "create", "Climbing", BOB, &format!("{CAROL}@c.us"), NOBODY])
        .await;
    let gid = stdout(&created).trim().to_owned();
    assert!(gid.starts_with(&format!("{ALICE}-")) && gid.ends_with("@g.us"), "{gid}");
    let warned = String::from_utf8_lossy(&created.stderr);
    assert!(warned.contains(&format!("{NOBODY}@c.us was not added")), "{warned}");

    let info = stdout(&demo.run(&demo.bob, &["group", "info", &gid]).await);
    assert_eq!(field(&info, "subject"), Some("Climbing"));
    assert_eq!(field(&info, "owner"), Some(format!("{ALICE}@c.us").as_str()));
    assert_eq!((field(&info, "announce"), field(&info, "locked")), (Some("off"), Some("off")));
    let want = [
        format!("{ALICE}@c.us superadmin"),
        format!("{BOB}@c.us member"),
        format!("{CAROL}@c.us member"),
    ];
    assert_eq!(members(&info), want);
    let json = stdout(&demo.run(&demo.alice, &["group", "info", &gid, "--json"]).await);
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        (json["id"].as_str(), json["participants"].as_array().map(Vec::len)),
        (Some(gid.as_str()), Some(3))
    );

    // Bob listens while Alice sends to the group: the line names the group and the sender.
    let mut listen = Proc::spawn(demo.command(&demo.bob, &["listen"]));
    listen.until(|l| l.starts_with("listening as").then_some(())).await;
    let sent = stdout(&demo.run(&demo.alice, &["send", &gid, "rope check at 7"]).await);
    let id = sent.split('\t').next().unwrap().to_owned();
    assert!(sent.contains("\tserver\t"), "{sent}");
    let heard = listen.until(|l| l.contains("rope check at 7").then(|| l.to_owned())).await;
    assert!(heard.contains(&format!("] {gid} Alice ({ALICE}@c.us): rope check")), "{heard}");
    drop(listen);
    let history = stdout(&demo.run(&demo.bob, &["history", &gid]).await);
    let line = history.lines().find(|l| l.contains(&id)).unwrap_or_else(|| panic!("{history}"));
    assert!(line.ends_with(&format!("\t<\tAlice ({ALICE}@c.us)\trope check at 7")), "{line}");
    let created = format!("\t*\t-\t{ALICE}@c.us created the group Climbing");
    assert!(history.contains(&created), "the creation shows: {history}");

    // Members: only admins change them; each result is a line, and any refusal exits 1.
    let refused = demo.run(&demo.bob, &["group", "add", &gid, NOBODY]).await;
    failed(&refused, "not a member of this group, or not an admin");
    let added =
        failed(&demo.run(&demo.alice, &["group", "add", &gid, BOB, NOBODY]).await, "2 of 2");
    assert_eq!(
        added.lines().collect::<Vec<_>>(),
        [
            format!("{BOB}@c.us\talready a member"),
            format!("{NOBODY}@c.us\tnot found (no such account, or not a member)")
        ]
    );
    let promoted = stdout(&demo.run(&demo.alice, &["group", "promote", &gid, BOB]).await);
    assert_eq!(promoted.trim(), format!("{BOB}@c.us\tpromoted"));
    let removed = stdout(&demo.run(&demo.bob, &["group", "remove", &gid, CAROL]).await);
    assert_eq!(removed.trim(), format!("{CAROL}@c.us\tremoved"));
    let info = stdout(&demo.run(&demo.alice, &["group", "info", &gid]).await);
    assert_eq!(members(&info), [format!("{ALICE}@c.us superadmin"), format!("{BOB}@c.us admin")]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rename_describe_switch_and_leave() {
    let demo = Demo::start().await;
    let gid = demo.create("Trip", &[BOB]).await;

    let renamed = demo.run(&demo.bob, &["group", "subject", &gid, "Trip to the Alps"]).await;
    let said = stdout(&renamed);
    assert!(said.contains("renamed"), "{said}");
    let long = "x".repeat(26);
    failed(&demo.run(&demo.alice, &["group", "subject", &gid, &long]).await, "too long");
    stdout(&demo.run(&demo.alice, &["group", "describe", &gid, "Bring crampons"]).await);
    stdout(&demo.run(&demo.alice, &["group", "describe", &gid, "Bring a helmet"]).await);
    stdout(&demo.run(&demo.alice, &["group", "announce", &gid, "on"]).await);
    stdout(&demo.run(&demo.alice, &["group", "lock", &gid, "on"]).await);
    let info = stdout(&demo.run(&demo.bob, &["group", "info", &gid]).await);
    assert_eq!(field(&info, "subject"), Some("Trip to the Alps"));
    assert_eq!(field(&info, "description"), Some("Bring a helmet"));
    assert_eq!((field(&info, "announce"), field(&info, "locked")), (Some("on"), Some("on")));

    // Announce-only: Bob may no longer write, nor rename now that it is locked.
    failed(&demo.run(&demo.bob, &["send", &gid, "hello?"]).await, "status 401");
    failed(&demo.run(&demo.bob, &["group", "subject", &gid, "Mine"]).await, "not an admin");
    let usage = demo.run(&demo.alice, &["group", "lock", &gid, "maybe"]).await;
    assert_eq!(usage.status.code(), Some(2), "clap refuses the value");

    // Leaving: Bob is out, Alice stays alone.
    let left = demo.run(&demo.bob, &["group", "leave", &gid]).await;
    assert!(stdout(&left).contains("left"), "{left:?}");
    failed(&demo.run(&demo.bob, &["group", "info", &gid]).await, "not a member");
    let info = stdout(&demo.run(&demo.alice, &["group", "info", &gid]).await);
    assert_eq!(members(&info), [format!("{ALICE}@c.us superadmin")]);
    let history = stdout(&demo.run(&demo.alice, &["history", &gid]).await);
    assert!(history.contains(&format!("\t*\t-\t{BOB}@c.us left")), "{history}");

    failed(
        &demo.run(&demo.alice, &["group", "info", &format!("{BOB}@c.us")]).await,
        "not a group JID",
    );
    let missing = format!("{ALICE}-1@g.us");
    failed(&demo.run(&demo.alice, &["group", "leave", &missing]).await, "no such group");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bob_joins_by_the_invite_code_alice_prints_until_she_resets_it() {
    let demo = Demo::start().await;
    let gid = demo.create("Book club", &[]).await;
    failed(&demo.run(&demo.bob, &["group", "invite", &gid]).await, "not a member");
    let code = stdout(&demo.run(&demo.alice, &["group", "invite", &gid]).await).trim().to_owned();
    assert_eq!(code.len(), 22, "{code}");

    let joined = stdout(&demo.run(&demo.bob, &["group", "join", &code]).await);
    assert_eq!(joined.trim(), gid);
    failed(&demo.run(&demo.bob, &["group", "join", &code]).await, "a member already");
    let info = stdout(&demo.run(&demo.bob, &["group", "info", &gid]).await);
    assert_eq!(members(&info), [format!("{ALICE}@c.us superadmin"), format!("{BOB}@c.us member")]);

    // Bob, a member now, gives the group a picture; Alice finds its URL.
    let jpeg = demo.home.path().join("icon.jpg");
    std::fs::write(&jpeg, [0xff, 0xd8, 0xff, 0xe0, 7]).unwrap();
    let jpeg = jpeg.to_str().unwrap();
    let url = stdout(&demo.run(&demo.bob, &["picture", "set", jpeg, "--group", &gid]).await);
    let group_id = gid.strip_suffix("@g.us").unwrap();
    let base = format!("http://{}/pp/{group_id}/", demo.serve.addr);
    assert!(url.starts_with(&base), "{url}");
    let got = stdout(&demo.run(&demo.alice, &["picture", "get", &gid]).await);
    assert_eq!(got, url);

    let reset = stdout(&demo.run(&demo.alice, &["group", "invite", &gid, "--reset"]).await);
    assert_ne!(reset.trim(), code);
    failed(&demo.run(&demo.bob, &["group", "join", &code]).await, "no group has this invite");
}
