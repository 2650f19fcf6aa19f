//! `waweb serve` as a child process: prints its real address, seeds demo accounts, answers the
//! admin API, works with `waweb account` and `waweb phone scan`, and exits 0 on SIGTERM.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_waweb");

fn temp_dir() -> PathBuf {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap();
    let dir =
        std::env::temp_dir().join(format!("waweb-cli-{}-{}", std::process::id(), nanos.as_nanos()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn get(addr: &str, path: &str) -> String {
    let mut s = TcpStream::connect(addr).unwrap();
    write!(s, "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    out
}

#[test]
fn serve_runs_as_a_process_and_stops_on_sigterm() {
    let dir = temp_dir();
    let data = dir.join("data");
    let mut child = Command::new(BIN)
        .args(["serve", "--listen", "127.0.0.1:0", "--demo", "--data-dir"])
        .arg(&data)
        .env_remove("WAWEB_ADMIN_TOKEN")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut addr = None;
    let mut demo_accounts = 0;
    for line in lines.by_ref() {
        let line = line.unwrap();
        if let Some(rest) = line.strip_prefix("waweb listening on ws://") {
            addr = Some(rest.trim_end_matches("/ws").to_string());
            break;
        }
        demo_accounts += usize::from(line.starts_with("account "));
    }
    let addr = addr.expect("the listening line");
    assert!(!addr.ends_with(":0"), "the real port is printed: {addr}");
    assert!(demo_accounts >= 1, "demo accounts are listed");

    let health = get(&addr, "/admin/health");
    assert!(health.starts_with("HTTP/1.1 200"), "{health}");
    assert!(health.contains("\"connections\":0"), "{health}");
    assert!(get(&addr, "/admin/accounts").starts_with("HTTP/1.1 401"));

    let list =
        Command::new(BIN).args(["account", "list", "--data-dir"]).arg(&data).output().unwrap();
    assert!(list.status.success());
    assert_eq!(String::from_utf8_lossy(&list.stdout).lines().count(), demo_accounts);

    let key = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
    let scan = Command::new(BIN)
        .args(["phone", "scan", &format!("1@gone,{key},cid"), "--account", "1"])
        .args(["--admin-url", &format!("http://{addr}"), "--data-dir"])
        .arg(&data)
        .env_remove("WAWEB_ADMIN_TOKEN")
        .output()
        .unwrap();
    assert_eq!(scan.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&scan.stderr).contains("cannot pair"));

    let killed = Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    assert!(killed.success());
    let deadline = Instant::now() + Duration::from_secs(15);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "the server did not stop on SIGTERM");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "{status:?}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn phone_scan_reports_an_unreachable_server_with_exit_code_4() {
    let out = Command::new(BIN)
        .args(["phone", "scan", "a,b,c", "--account", "1", "--admin-token", "t"])
        .args(["--admin-url", "http://127.0.0.1:1"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4));
}
