//! Shared by the multi-node tests: a fresh PostgreSQL database per test, a NATS server of the
//! test's own (so that it can be restarted), a TCP proxy in front of PostgreSQL (so that it can
//! be cut), and `waweb serve` nodes as child processes on that database and bus.
//!
//! PostgreSQL is the machine's (`WAWEB_TEST_POSTGRES`, default
//! `postgres://postgres@127.0.0.1:5432/test`); each test creates a database of its own and drops
//! it at the end. NATS is a `nats-server` child on a free port (`WAWEB_TEST_NATS_SERVER`, default
//! `nats-server` on the `PATH`, else `/usr/sbin/nats-server`).

#![allow(dead_code)]

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::net::{TcpListener, TcpStream};
use tokio::process::{Child, Command};
use tokio::task::JoinHandle;
use waweb_client::{Client, ClientOptions, Credentials, Event, EventStream};

use crate::proc_support::{phone_scan, waweb, Proc, Serve, WAIT};

/// The PostgreSQL server the tests use.
pub fn postgres_admin_url() -> String {
    std::env::var("WAWEB_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into())
}

/// A database of one test, dropped with it.
pub struct Database {
    /// Its name.
    pub name: String,
    admin: tokio_postgres::Client,
}

impl Database {
    /// Creates an empty database; panics with what to do when PostgreSQL cannot be reached.
    pub async fn create() -> Database {
        static SEQ: AtomicU64 = AtomicU64::new(0);
        let url = postgres_admin_url();
        let (admin, conn) =
            tokio_postgres::connect(&url, tokio_postgres::NoTls).await.unwrap_or_else(|e| {
                panic!(
                    "PostgreSQL at {url} is not reachable ({e}): start it, or point \
                     WAWEB_TEST_POSTGRES at a server where this user may create databases"
                )
            });
        tokio::spawn(conn);
        drop_orphans(&admin).await;
        let name =
            format!("waweb_cluster_{}_{}", std::process::id(), SEQ.fetch_add(1, Ordering::Relaxed));
        admin.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await.unwrap();
        admin.batch_execute(&format!("CREATE DATABASE {name}")).await.unwrap();
        Database { name, admin }
    }

    /// The URL of this database on `host:port` (the server itself, or a proxy in front of it).
    pub fn url_via(&self, addr: &str) -> String {
        format!("postgres://postgres@{addr}/{}", self.name)
    }

    /// The URL of this database on the server itself.
    pub fn url(&self) -> String {
        self.url_via(&postgres_addr())
    }

    /// Drops the database (its nodes must be stopped first, or they are disconnected).
    pub async fn drop_now(self) {
        let sql = format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name);
        if let Err(e) = self.admin.batch_execute(&sql).await {
            eprintln!("cannot drop test database {}: {e}", self.name);
        }
    }
}

/// Drops the databases of test processes that are gone (a test that panicked cannot drop its
/// own: there is no async drop).
async fn drop_orphans(admin: &tokio_postgres::Client) {
    let sql = "SELECT datname FROM pg_database WHERE datname LIKE 'waweb_cluster_%'";
    let Ok(rows) = admin.query(sql, &[]).await else { return };
    for row in rows {
        let name: String = row.get(0);
        let pid = name.trim_start_matches("waweb_cluster_").split('_').next().unwrap_or("");
        let alive = !pid.is_empty() && Path::new("/proc").join(pid).exists();
        if !alive {
            let _ =
                admin.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await;
        }
    }
}

/// `host:port` of the PostgreSQL server of [`postgres_admin_url`].
pub fn postgres_addr() -> String {
    let url = postgres_admin_url();
    let rest = url.split_once("://").map_or(url.as_str(), |(_, r)| r);
    let authority = rest.split('/').next().unwrap_or(rest);
    authority.rsplit_once('@').map_or(authority, |(_, host)| host).to_owned()
}

/// A TCP proxy to `target` that the test can cut (every connection dropped, new ones refused)
/// and restore: PostgreSQL becoming unreachable and coming back, as the nodes see it.
pub struct Proxy {
    /// Where the nodes connect.
    pub addr: SocketAddr,
    open: Arc<AtomicBool>,
    links: Arc<Mutex<Vec<JoinHandle<()>>>>,
    accept: JoinHandle<()>,
}

impl Proxy {
    /// Starts a proxy on a free port of 127.0.0.1.
    pub async fn start(target: String) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let open = Arc::new(AtomicBool::new(true));
        let links: Arc<Mutex<Vec<JoinHandle<()>>>> = Arc::default();
        let (o, l) = (open.clone(), links.clone());
        let accept = tokio::spawn(async move {
            while let Ok((mut inbound, _)) = listener.accept().await {
                if !o.load(Ordering::SeqCst) {
                    continue; // dropped: the connection is refused after the handshake
                }
                let target = target.clone();
                let link = tokio::spawn(async move {
                    if let Ok(mut outbound) = TcpStream::connect(&target).await {
                        let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                    }
                });
                l.lock().unwrap().push(link);
            }
        });
        Proxy { addr, open, links, accept }
    }

    /// Cuts every connection and refuses new ones.
    pub fn cut(&self) {
        self.open.store(false, Ordering::SeqCst);
        for link in self.links.lock().unwrap().drain(..) {
            link.abort();
        }
    }

    /// Accepts connections again.
    pub fn restore(&self) {
        self.open.store(true, Ordering::SeqCst);
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.accept.abort();
        self.cut();
    }
}

/// A `nats-server` child of the test, on a port it keeps across restarts.
pub struct Nats {
    /// `nats://127.0.0.1:PORT`.
    pub url: String,
    port: u16,
    child: Option<Child>,
}

impl Nats {
    /// Starts a NATS server on a free port.
    pub async fn start() -> Nats {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let mut nats = Nats { url: format!("nats://127.0.0.1:{port}"), port, child: None };
        nats.run().await;
        nats
    }

    fn binary() -> String {
        if let Ok(path) = std::env::var("WAWEB_TEST_NATS_SERVER") {
            return path;
        }
        let on_path = std::process::Command::new("nats-server")
            .arg("--version")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok();
        if on_path {
            "nats-server".into()
        } else {
            "/usr/sbin/nats-server".into()
        }
    }

    async fn run(&mut self) {
        let child = Command::new(Nats::binary())
            .args(["-a", "127.0.0.1", "-p", &self.port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .unwrap_or_else(|e| {
                panic!("cannot start nats-server ({e}): install it (Debian: nats-server)")
            });
        self.child = Some(child);
        let addr = format!("127.0.0.1:{}", self.port);
        let up = async {
            while TcpStream::connect(&addr).await.is_err() {
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        };
        tokio::time::timeout(WAIT, up).await.expect("nats-server did not start");
    }

    /// Kills the server (SIGKILL) and waits until it is gone.
    pub async fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            child.kill().await.unwrap();
        }
    }

    /// Starts it again on the same port.
    pub async fn restart(&mut self) {
        self.stop().await;
        self.run().await;
    }
}

/// One `waweb serve` node of the cluster.
pub struct Node {
    /// The child and its address.
    pub serve: Serve,
    /// Its data directory (admin token, certificates; the messages are in PostgreSQL).
    pub data: PathBuf,
}

impl Node {
    /// Starts a node on `store` and `bus`, with its own data directory under `home`.
    pub async fn start(home: &Path, name: &str, store: &str, bus: &str) -> Node {
        let data = home.join(name);
        let mut cmd = waweb(home);
        cmd.args(["serve", "--listen", "127.0.0.1:0", "--store", store, "--bus", bus])
            .arg("--data-dir")
            .arg(&data);
        let log = std::fs::File::create(home.join(format!("{name}.log"))).unwrap();
        let serve = Serve::spawn(Proc::spawn_with_stderr(cmd, Stdio::from(log))).await;
        Node { serve, data }
    }

    /// The websocket URL.
    pub fn url(&self) -> String {
        self.serve.url()
    }

    /// `kill -9`.
    pub async fn kill(&mut self) {
        self.serve.proc.child.kill().await.unwrap();
    }
}

/// Creates an account through a node's admin API (`waweb account add`).
pub async fn add_account(home: &Path, node: &Node, phone: &str, name: &str) {
    let mut cmd = waweb(home);
    cmd.args(["account", "add", phone, "--name", name, "--data-dir"]).arg(&node.data);
    let out = tokio::time::timeout(WAIT, cmd.output()).await.unwrap().unwrap();
    assert!(out.status.success(), "account add: {}", String::from_utf8_lossy(&out.stderr));
}

/// Waits for the next event that `pick` accepts.
pub async fn next_event<T>(
    events: &mut EventStream,
    mut pick: impl FnMut(Event) -> Option<T>,
) -> T {
    tokio::time::timeout(WAIT, async {
        loop {
            let e = events.recv().await.expect("the event stream ended");
            if let Some(t) = pick(e) {
                return t;
            }
        }
    })
    .await
    .expect("the expected event did not come")
}

/// Pairs a library client on `on` (its browser) through the admin API of `scan_via` (its
/// phone): the scan crosses nodes when they differ.
pub async fn pair(
    home: &Path,
    on: &Node,
    scan_via: &Node,
    phone: &str,
    options: ClientOptions,
) -> (Client, EventStream) {
    let (client, mut events) = Client::connect_with(&on.url(), None, options).await.unwrap();
    let qr = next_event(&mut events, |e| match e {
        Event::Qr { code, .. } => Some(code),
        _ => None,
    })
    .await;
    phone_scan(home, &scan_via.serve, &scan_via.data, &qr, phone).await;
    tokio::time::timeout(WAIT, events.wait_ready()).await.unwrap().unwrap();
    (client, events)
}

/// Restores saved credentials on `on`.
pub async fn restore(
    on: &Node,
    creds: Credentials,
    options: ClientOptions,
) -> (Client, EventStream) {
    let (client, mut events) = Client::connect_with(&on.url(), Some(creds), options).await.unwrap();
    tokio::time::timeout(WAIT, events.wait_ready()).await.unwrap().unwrap();
    (client, events)
}
