//! The data directory as the real binary leaves it: private modes under umask 022 (database, WAL,
//! token, record logs), a warning for an existing directory open to others, and one server per
//! directory.

mod proc_support;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Stdio;

use proc_support::{cli_login, failed, stdout, waweb, waweb_with_umask, Proc, Serve, WAIT};

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .permissions()
        .mode()
        & 0o777
}

#[tokio::test]
async fn every_file_of_the_data_and_record_dirs_is_private_under_umask_022() {
    let home = tempfile::tempdir().unwrap();
    let data = home.path().join("new/data");
    let record = home.path().join("new/record");
    let mut cmd = waweb_with_umask(home.path(), "022");
    cmd.args(["serve", "--listen", "127.0.0.1:0", "--demo", "--data-dir"]).arg(&data);
    cmd.arg("--record").arg(&record);
    let serve = Serve::spawn(Proc::spawn(cmd)).await;
    // A pairing writes the database (and so its WAL) and a record log.
    cli_login(home.path(), &serve, &data, "15550000001").await;

    assert_eq!(mode(&data), 0o700);
    let mut names: Vec<_> = std::fs::read_dir(&data)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "address",
            "admin-token",
            "lock",
            "media",
            "media-url-key",
            "waweb.db",
            "waweb.db-shm",
            "waweb.db-wal"
        ]
    );
    for name in &names {
        let expected = if name == "media" { 0o700 } else { 0o600 };
        assert_eq!(mode(&data.join(name)), expected, "{name}");
    }
    for dir in ["media/blobs", "media/tmp"] {
        assert_eq!(mode(&data.join(dir)), 0o700, "{dir}");
    }
    assert_eq!(mode(&record), 0o700);
    let logs: Vec<_> = std::fs::read_dir(&record).unwrap().map(|e| e.unwrap().path()).collect();
    assert!(!logs.is_empty(), "the login was recorded");
    for log in &logs {
        assert_eq!(mode(log), 0o600, "{}", log.display());
    }
}

#[tokio::test]
async fn an_existing_data_dir_open_to_others_is_reported_and_its_secrets_tightened() {
    let home = tempfile::tempdir().unwrap();
    let data = home.path().join("data");
    std::fs::create_dir(&data).unwrap();
    std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::write(data.join("admin-token"), "t0ken").unwrap();
    std::fs::set_permissions(data.join("admin-token"), std::fs::Permissions::from_mode(0o644))
        .unwrap();
    let log = home.path().join("stderr.log");
    let mut cmd = waweb(home.path());
    cmd.args(["serve", "--listen", "127.0.0.1:0", "--data-dir"]).arg(&data);
    let stderr = Stdio::from(std::fs::File::create(&log).unwrap());
    let serve = Serve::spawn(Proc::spawn_with_stderr(cmd, stderr)).await;
    let said = std::fs::read_to_string(&log).unwrap();
    assert!(said.contains("the data directory is open to other users"), "{said}");
    assert!(said.contains("mode=755"), "{said}");
    assert_eq!(mode(&data.join("admin-token")), 0o600);
    assert_eq!(mode(&data.join("waweb.db")), 0o600);
    // The directory itself is the operator's choice: reported, not changed.
    assert_eq!(mode(&data), 0o755);
    drop(serve);
}

#[tokio::test]
async fn a_second_server_on_the_same_data_dir_is_refused_until_the_first_is_gone() {
    let home = tempfile::tempdir().unwrap();
    let data = home.path().join("data");
    let mut first = Serve::start(home.path(), &data).await;

    let mut second = waweb(home.path());
    second.args(["serve", "--listen", "127.0.0.1:0", "--data-dir"]).arg(&data);
    let out = tokio::time::timeout(WAIT, second.output()).await.unwrap().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "the data directory {} is in use by another waweb server",
            data.display()
        )),
        "{stderr}"
    );
    assert!(out.stdout.is_empty(), "it never listened: {}", String::from_utf8_lossy(&out.stdout));

    // The lock dies with its holder, even killed with SIGKILL.
    first.proc.child.kill().await.unwrap();
    let third = Serve::start(home.path(), &data).await;
    let address = std::fs::read_to_string(data.join("address")).unwrap();
    assert_eq!(address, third.admin_url(), "the running server's address replaced the old one");
}

/// `waweb account ARGS --data-dir DATA`, run to the end.
async fn account(home: &Path, data: &Path, args: &[&str]) -> std::process::Output {
    let mut cmd = waweb(home);
    cmd.arg("account").args(args).arg("--data-dir").arg(data);
    tokio::time::timeout(WAIT, cmd.output()).await.unwrap().unwrap()
}

#[tokio::test]
async fn account_commands_on_a_running_server_take_effect_at_once() {
    let home = tempfile::tempdir().unwrap();
    let data = home.path().join("data");
    let serve = Serve::start(home.path(), &data).await;
    let bob = cli_login(home.path(), &serve, &data, "15550000002").await;
    let mut listen = waweb(home.path());
    listen.args(["listen", "--server", &serve.url(), "--session"]).arg(&bob);
    let mut listen = Proc::spawn(listen);
    listen.until(|l| l.starts_with("listening as").then_some(())).await;

    // Added through the running server: it can pair at once.
    let added = account(home.path(), &data, &["add", "15550009999", "--name", "Zed"]).await;
    assert_eq!(stdout(&added), "added 15550009999\n");
    cli_login(home.path(), &serve, &data, "15550009999").await;
    let again = account(home.path(), &data, &["add", "15550009999", "--name", "Zed"]).await;
    failed(&again, "account 15550009999 already exists");
    let listed = stdout(&account(home.path(), &data, &["list"]).await);
    assert!(listed.contains("15550009999\tZed\n"), "{listed}");

    // Removed through the running server: its live browser is logged out.
    let removed = account(home.path(), &data, &["remove", "15550000002"]).await;
    assert_eq!(stdout(&removed), "removed 15550000002\n");
    assert_eq!(listen.exit_code().await, Some(3));
    let gone = account(home.path(), &data, &["remove", "15550000002"]).await;
    failed(&gone, "no account 15550000002");
}

#[tokio::test]
async fn account_commands_reach_a_running_server_over_tls() {
    let home = tempfile::tempdir().unwrap();
    let data = home.path().join("data");
    let mut cmd = waweb(home.path());
    cmd.args(["serve", "--listen", "127.0.0.1:0", "--demo", "--tls-self-signed", "--data-dir"])
        .arg(&data);
    let mut serve = Proc::spawn(cmd);
    serve.until(|l| l.starts_with("waweb listening on wss://").then_some(())).await;
    assert!(std::fs::read_to_string(data.join("address")).unwrap().starts_with("https://"));

    // Through the server's HTTPS admin API, trusting its certificate from the data directory.
    let added = account(home.path(), &data, &["add", "15550009999", "--name", "Zed"]).await;
    assert_eq!(stdout(&added), "added 15550009999\n", "{}", String::from_utf8_lossy(&added.stderr));
    let listed = stdout(&account(home.path(), &data, &["list"]).await);
    assert!(listed.contains("15550009999\tZed\n"), "{listed}");
    let removed = account(home.path(), &data, &["remove", "15550009999"]).await;
    assert_eq!(stdout(&removed), "removed 15550009999\n");
}
