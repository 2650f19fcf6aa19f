//! `waweb decode --media-dir`: a recorded session in which Alice sends Bob a picture decodes to
//! the very file, from the server's own blob folder; a blob changed by one byte, or a folder
//! without it, writes nothing.

mod proc_support;

use std::path::{Path, PathBuf};

use proc_support::{cli_login, waweb, Proc, Serve, WAIT};

/// Runs `waweb decode LOG --media-dir BLOBS --media-out OUT`.
async fn decode(home: &Path, log: &Path, blobs: &Path, out: &Path) -> std::process::Output {
    let mut cmd = waweb(home);
    cmd.arg("decode").arg(log).arg("--media-dir").arg(blobs).arg("--media-out").arg(out);
    tokio::time::timeout(WAIT, cmd.output()).await.unwrap().unwrap()
}

/// Every session log the recorder wrote.
fn logs(dir: &Path) -> Vec<PathBuf> {
    let mut logs: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
        .collect();
    logs.sort();
    logs
}

/// Every file under `dir`, recursively.
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            found.extend(files_under(&path));
        } else {
            found.push(path);
        }
    }
    found
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_recorded_picture_decodes_to_the_file_and_a_changed_blob_is_refused() {
    let home = tempfile::tempdir().unwrap();
    let (data, rec) = (home.path().join("data"), home.path().join("rec"));
    let mut cmd = waweb(home.path());
    cmd.args(["serve", "--listen", "127.0.0.1:0", "--demo", "--data-dir"]).arg(&data);
    cmd.arg("--record").arg(&rec);
    let serve = Serve::spawn(Proc::spawn(cmd)).await;
    let alice = cli_login(home.path(), &serve, &data, "15550000001").await;

    let picture: Vec<u8> = b"\x89PNG not really, but any bytes go".repeat(300);
    let file = home.path().join("pic.png");
    std::fs::write(&file, &picture).unwrap();
    let mut send = waweb(home.path());
    send.args(["send", "15550000002@c.us", "--mimetype", "image/png", "--image"]).arg(&file);
    send.args(["--server", &serve.url(), "--session"]).arg(&alice);
    let sent = tokio::time::timeout(WAIT, send.output()).await.unwrap().unwrap();
    assert!(sent.status.success(), "{}", String::from_utf8_lossy(&sent.stderr));
    let id = String::from_utf8(sent.stdout).unwrap().split('\t').next().unwrap().to_owned();

    // The sending connection's log shows the relayed message: its file comes out.
    let blobs = data.join("media").join("blobs");
    let out = home.path().join("out");
    std::fs::create_dir(&out).unwrap();
    let mut shown = String::new();
    for log in logs(&rec) {
        let o = decode(home.path(), &log, &blobs, &out).await;
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        shown.push_str(&String::from_utf8_lossy(&o.stdout));
    }
    let written = out.join(format!("{id}.png"));
    assert!(shown.contains(&format!("media file: wrote {}", written.display())), "{shown}");
    assert_eq!(std::fs::read(&written).unwrap(), picture, "the very file");

    // The same blob with one byte changed: the hash check refuses it, nothing is written.
    let stored = files_under(&blobs);
    assert_eq!(stored.len(), 1, "one blob: {stored:?}");
    let mut bad = std::fs::read(&stored[0]).unwrap();
    bad[3] ^= 1;
    let (bad_dir, bad_out) = (home.path().join("bad"), home.path().join("bad-out"));
    std::fs::create_dir(&bad_dir).unwrap();
    std::fs::create_dir(&bad_out).unwrap();
    std::fs::write(bad_dir.join(stored[0].file_name().unwrap()), &bad).unwrap();
    let mut refused = String::new();
    let mut failures = 0;
    for log in logs(&rec) {
        let o = decode(home.path(), &log, &bad_dir, &bad_out).await;
        if !o.status.success() {
            failures += 1;
            assert_eq!(o.status.code(), Some(1));
        }
        refused.push_str(&String::from_utf8_lossy(&o.stdout));
    }
    assert!(failures > 0, "a refused file fails the run");
    assert!(refused.contains("media file: REFUSED, nothing written:"), "{refused}");
    assert!(refused.contains("fileEncSha256") || refused.contains("hash"), "{refused}");
    assert_eq!(std::fs::read_dir(&bad_out).unwrap().count(), 0, "nothing written");

    // A folder without the blob: shown as such, not an error.
    let empty = home.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    let o = decode(home.path(), &logs(&rec)[0], &empty, &bad_out).await;
    assert!(o.status.success());
}
