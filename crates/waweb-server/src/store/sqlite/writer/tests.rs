//! The writer thread against a real database file and a stand-in disk it can hold.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rusqlite::Connection;
use tokio::sync::mpsc;

use super::super::syncer::tests::Disk;
use super::super::syncer::Syncer;
use super::*;

/// A job inserting `value` into table `t` (which has a `CHECK (v >= 0)`), recording its answer.
struct Insert {
    value: i64,
    answers: Arc<Mutex<Vec<(i64, bool)>>>,
    committed: bool,
}

impl Job for Insert {
    fn run(&mut self, conn: &Connection) -> bool {
        conn.execute("INSERT INTO t (v) VALUES (?1)", [self.value]).is_ok()
    }
    fn committed(&mut self) {
        self.committed = true;
    }
    fn answer(self: Box<Self>, outcome: &StoreResult<()>) {
        // A job that failed alone was rolled back to its savepoint: it must count as failed.
        let ok = outcome.is_ok() && self.committed && self.value >= 0;
        self.answers.lock().unwrap().push((self.value, ok));
    }
}

/// A writer on a fresh file database, with a syncer that syncs `disk` if there is one.
struct Harness {
    _dir: tempfile::TempDir,
    reader: Connection,
    queue: mpsc::Sender<Request>,
    thread: Option<JoinHandle<()>>,
    answers: Arc<Mutex<Vec<(i64, bool)>>>,
}

impl Harness {
    fn new(disk: Option<Disk>) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("w.db");
        let conn = Connection::open(&path).unwrap();
        conn.pragma_update(None, "journal_mode", "WAL").unwrap();
        conn.execute_batch("CREATE TABLE t (v INTEGER NOT NULL CHECK (v >= 0))").unwrap();
        let reader = Connection::open(&path).unwrap();
        let (queue, jobs) = mpsc::channel(64);
        let syncer = disk.map(|disk| Syncer::start(disk, waker(&queue)).unwrap());
        let helpers = Helpers { checkpointer: None, syncer };
        let thread = spawn(conn, jobs, helpers).unwrap();
        let answers = Arc::default();
        Self { _dir: dir, reader, queue, thread: Some(thread), answers }
    }

    fn send(&self, value: i64) {
        let job = Box::new(Insert { value, answers: Arc::clone(&self.answers), committed: false });
        self.queue.blocking_send(Request::Job { job, ends_batch: false }).unwrap();
    }

    /// The committed values, as another connection sees them.
    fn visible(&self) -> Vec<i64> {
        let mut stmt = self.reader.prepare("SELECT v FROM t ORDER BY rowid").unwrap();
        stmt.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect()
    }

    fn wait_for_answers(&self, n: usize) -> Vec<(i64, bool)> {
        let deadline = Instant::now() + Duration::from_secs(10);
        while self.answers.lock().unwrap().len() < n {
            assert!(Instant::now() < deadline, "answers: {:?}", self.answers.lock().unwrap());
            std::thread::sleep(Duration::from_millis(1));
        }
        self.answers.lock().unwrap().clone()
    }

    fn wait_until_visible(&self, n: usize) {
        let deadline = Instant::now() + Duration::from_secs(10);
        while self.visible().len() < n {
            assert!(Instant::now() < deadline, "visible: {:?}", self.visible());
            std::thread::sleep(Duration::from_millis(1));
        }
    }

    fn stop(mut self) {
        let Harness { queue, thread, .. } = &mut self;
        drop(std::mem::replace(queue, mpsc::channel(1).0));
        thread.take().unwrap().join().unwrap();
    }
}

#[test]
fn jobs_arriving_during_a_sync_share_the_next_commit() {
    let gate = Arc::new(Mutex::new(()));
    let disk = Disk { gate: Some(Arc::clone(&gate)), ..Disk::default() };
    let held = gate.lock().unwrap();
    let w = Harness::new(Some(disk.clone()));
    w.send(0);
    // Committed at once (the syncer was idle), then held by the disk.
    w.wait_until_visible(1);
    for v in 1..=10 {
        w.send(v);
    }
    std::thread::sleep(Duration::from_millis(100));
    assert_eq!(w.visible(), [0], "a job was committed while the syncer was busy");
    assert!(w.answers.lock().unwrap().is_empty(), "answered before the sync");
    drop(held);
    let answers = w.wait_for_answers(11);
    assert_eq!(answers, (0..=10).map(|v| (v, true)).collect::<Vec<_>>());
    assert_eq!(w.visible(), (0..=10).collect::<Vec<_>>());
    // One sync for the first job, one for the ten that waited together.
    assert_eq!(disk.syncs.load(std::sync::atomic::Ordering::SeqCst), 2);
    w.stop();
}

#[test]
fn a_failing_job_in_an_open_batch_fails_alone() {
    let gate = Arc::new(Mutex::new(()));
    let disk = Disk { gate: Some(Arc::clone(&gate)), ..Disk::default() };
    let held = gate.lock().unwrap();
    let w = Harness::new(Some(disk));
    w.send(0);
    w.wait_until_visible(1);
    // While the disk holds the first sync: two good jobs, a bad one, then two more.
    for v in [1, 2, -3, 4, 5] {
        w.send(v);
    }
    std::thread::sleep(Duration::from_millis(50));
    drop(held);
    let answers = w.wait_for_answers(6);
    assert_eq!(answers, [(0, true), (1, true), (2, true), (-3, false), (4, true), (5, true)]);
    assert_eq!(w.visible(), [0, 1, 2, 4, 5]);
    w.stop();
}

#[test]
fn without_a_syncer_every_drained_queue_commits() {
    let w = Harness::new(None);
    for value in 0..3 {
        w.send(value);
        w.wait_for_answers(value as usize + 1);
        assert_eq!(w.visible(), (0..=value).collect::<Vec<_>>(), "answered before its commit");
    }
    w.stop();
}
