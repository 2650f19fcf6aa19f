//! A `nats-server` of the test's own on a free loopback port (so it can be stopped and started
//! again), and hubs connected to it.
#![allow(dead_code)]

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::mpsc::Receiver;
use waweb_server::hub::{Delivery, Hub, Mailbox, NatsBus, Registry};

/// The server binary: `WAWEB_TEST_NATS_SERVER`, else where Debian's `nats-server` package
/// installs it.
fn nats_server() -> String {
    std::env::var("WAWEB_TEST_NATS_SERVER").unwrap_or_else(|_| "/usr/sbin/nats-server".into())
}

/// A running `nats-server`, stopped when dropped.
pub struct Nats {
    pub port: u16,
    child: Option<Child>,
}

impl Nats {
    /// Starts one on a free port and waits until it accepts connections.
    pub fn start() -> Nats {
        let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let mut nats = Nats { port, child: None };
        nats.restart();
        nats
    }

    /// The URL clients connect to.
    pub fn url(&self) -> String {
        format!("nats://127.0.0.1:{}", self.port)
    }

    /// Kills the server (SIGKILL: no goodbye to its clients).
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Starts the server (again) on the same port.
    pub fn restart(&mut self) {
        self.kill();
        let binary = nats_server();
        let child = Command::new(&binary)
            .args(["-a", "127.0.0.1", "-p", &self.port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {binary} (apt-get install nats-server): {e}"));
        self.child = Some(child);
        for _ in 0..200 {
            if std::net::TcpStream::connect(("127.0.0.1", self.port)).is_ok() {
                return;
            }
            std::thread::sleep(Duration::from_millis(25));
        }
        panic!("nats-server did not listen on port {} within 5 s", self.port);
    }
}

impl Drop for Nats {
    fn drop(&mut self) {
        self.kill();
    }
}

/// A node: its hub and its bus (to publish raw envelopes in tests).
pub struct Node {
    pub hub: Hub,
    pub bus: Arc<NatsBus>,
}

/// A hub on the NATS server at `url`.
pub async fn node(url: &str) -> Node {
    let registry = Arc::new(Registry::new(rand_node()));
    let bus = Arc::new(NatsBus::connect(url, registry.clone()).await.unwrap());
    Node { hub: Hub::over(registry, bus.clone()), bus }
}

fn rand_node() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// A logged-in session of `account` on connection `id` of `node`, once deliveries reach it.
pub async fn session(node: &Node, account: &str, id: u64, client: &str) -> Receiver<Delivery> {
    let (mailbox, rx) = Mailbox::new(1024);
    node.hub.register(account, id, client, mailbox).await;
    rx
}

/// The next delivery, failing the test if none comes in 10 s.
pub async fn next(rx: &mut Receiver<Delivery>) -> Delivery {
    tokio::time::timeout(Duration::from_secs(10), rx.recv())
        .await
        .expect("no delivery within 10 s")
        .expect("mailbox closed")
}
