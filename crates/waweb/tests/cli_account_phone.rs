//! `waweb account add` checks the phone number before it touches anything: a number that is not
//! E.164 (7 to 15 digits, country code first, no leading 0) is refused with the rule, whether or
//! not a server runs on the data directory.

mod proc_support;

use std::path::Path;

use proc_support::{stdout, waweb, Serve, WAIT};

async fn account(home: &Path, data: &Path, args: &[&str]) -> std::process::Output {
    let mut cmd = waweb(home);
    cmd.arg("account").args(args).arg("--data-dir").arg(data);
    tokio::time::timeout(WAIT, cmd.output()).await.unwrap().unwrap()
}

/// Asserts a usage error (exit code 2) that names the number, says why, and states the rule.
fn refused(out: &std::process::Output, phone: &str, why: &str) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains(&format!("invalid phone {phone:?}: {why}")), "{stderr}");
    assert!(stderr.contains("7 to 15 digits, country code first"), "{stderr}");
    assert!(out.stdout.is_empty());
}

const BAD: [(&str, &str); 5] = [
    ("1", "too short"),
    ("12", "too short"),
    ("0612345678", "it starts with 0"),
    ("+33612345678", "only digits"),
    ("1234567890123456", "too long"),
];

#[tokio::test]
async fn add_refuses_numbers_that_are_not_e164_without_creating_the_database() {
    let home = tempfile::tempdir().unwrap();
    let data = home.path().join("data");
    for (phone, why) in BAD {
        refused(&account(home.path(), &data, &["add", phone, "--name", "X"]).await, phone, why);
    }
    assert!(!data.exists(), "a refused number created the data directory");
    let added = account(home.path(), &data, &["add", "15550009999", "--name", "Zed"]).await;
    assert_eq!(stdout(&added), "added 15550009999\n");
    assert_eq!(stdout(&account(home.path(), &data, &["list"]).await), "15550009999\tZed\n");
}

#[tokio::test]
async fn add_refuses_them_before_asking_a_running_server() {
    let home = tempfile::tempdir().unwrap();
    let data = home.path().join("data");
    let _serve = Serve::start(home.path(), &data).await;
    let before = stdout(&account(home.path(), &data, &["list"]).await);
    for (phone, why) in BAD {
        refused(&account(home.path(), &data, &["add", phone, "--name", "X"]).await, phone, why);
    }
    assert_eq!(stdout(&account(home.path(), &data, &["list"]).await), before);
}
