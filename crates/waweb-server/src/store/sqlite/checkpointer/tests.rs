//! The checkpoint policy, and the log length the writer reports, against a real database file.

use std::path::PathBuf;

use super::*;

#[test]
fn copies_at_the_rewind_point_or_once_a_while() {
    let (rewind, soon, late) = (1000, Duration::from_millis(300), COPY_EVERY);
    assert_eq!(step(999, rewind, false, soon), Step::Wait);
    assert_eq!(step(999, rewind, false, late), Step::Copy);
    assert_eq!(step(0, rewind, false, late), Step::Wait, "nothing was ever written");
    assert_eq!(step(1000, rewind, false, soon), Step::CatchUp);
    assert_eq!(step(5000, rewind, true, late), Step::Wait, "the writer has the rest to copy");
}

/// A writer connection (as the store sets it up) on a fresh database with a table `t`, and the
/// state it shares with a checkpointer.
struct Fixture {
    _dir: tempfile::TempDir,
    path: PathBuf,
    conn: Connection,
    shared: Shared,
}

impl Fixture {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.db");
        let conn = connection::open_writer(&path).unwrap();
        conn.execute_batch("CREATE TABLE t (v BLOB)").unwrap();
        watch_log(&conn);
        Fixture { _dir: dir, path, conn, shared: Shared::default() }
    }

    /// Commits `rows` rows of 3 KB, one transaction each, then publishes the log's length and
    /// returns it.
    fn commit(&self, rows: usize) -> i64 {
        for _ in 0..rows {
            self.conn.execute("INSERT INTO t (v) VALUES (zeroblob(3000))", []).unwrap();
        }
        self.shared.note_commit();
        self.shared.log_frames()
    }
}

#[test]
fn the_writer_publishes_the_log_length_after_each_commit() {
    let f = Fixture::new();
    let seen = f.commit(20);
    assert!(seen > 20, "{seen} frames for 20 rows of 3 KB");
    // Another connection's checkpoint reports the same length.
    assert_eq!(Some(seen), passive(&Connection::open(&f.path).unwrap()));
}

#[test]
fn after_the_rest_is_copied_the_next_commit_rewinds_the_log() {
    let f = Fixture::new();
    let long = f.commit(50);
    f.shared.copy_rest(&f.conn);
    assert_eq!(f.shared.log_frames(), 0, "every frame is copied");
    let short = f.commit(1);
    assert!(short < long / 10, "the log did not rewind: {short} frames after {long}");
    let rows: i64 = Connection::open(&f.path)
        .unwrap()
        .query_row("SELECT count(*) FROM t", [], |r| r.get(0))
        .unwrap();
    assert_eq!(rows, 51);
}
