//! The server's handling of a decoded request: what a logged-in session's frames turn into
//! after decryption, given to the request dispatch (`handler::binary` for a node,
//! `handler::json` for a JSON query) of an authenticated session over a real SQLite store. The
//! first byte chooses: even, the rest is decoded as a WABinary node; odd, parsed as JSON. Any
//! input gets an answer (or none) and never panics.
#![no_main]
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use tokio::sync::mpsc::Receiver;
use tokio::sync::Mutex;
use waweb_proto::binary::decode;
use waweb_proto::json::query::JsonQuery;
use waweb_server::config::Config;
use waweb_server::context::{Me, Shared};
use waweb_server::handler;
use waweb_server::hub::{Delivery, Hub, Mailbox};
use waweb_server::media::Media;
use waweb_server::store::sqlite::SqliteStore;
use waweb_server::store::{Account, AccountStore};

struct Env {
    rt: tokio::runtime::Runtime,
    shared: Shared<SqliteStore>,
    me: Me,
    mailboxes: Mutex<Vec<Receiver<Delivery>>>,
    _dir: tempfile::TempDir,
}

const ACCOUNTS: [(&str, &str); 3] =
    [("15550000001", "Alice"), ("15550000002", "Bob"), ("15550000003", "Carol")];

/// One store for the whole run (in memory-backed `/dev/shm` when there is one, so that its
/// commits cost no disk flush), Alice logged in, Bob and Carol online.
fn env() -> &'static Env {
    static ENV: OnceLock<Env> = OnceLock::new();
    ENV.get_or_init(|| {
        let shm = std::path::Path::new("/dev/shm");
        let dir = if shm.is_dir() { tempfile::tempdir_in(shm) } else { tempfile::tempdir() }
            .expect("a temporary directory");
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("rt");
        let store = SqliteStore::open(dir.path().join("waweb.db")).expect("store");
        let config = Config::new(dir.path());
        let media = Media::open(&config).expect("media").into();
        let shared = Shared { store: store.into(), hub: Hub::new(), config: config.into(), media };
        let mut mailboxes = Vec::new();
        rt.block_on(async {
            for (i, (phone, name)) in ACCOUNTS.iter().enumerate() {
                shared.store.create_account(Account::new(*phone, *name, 1_000)).await.expect("account");
                // Drained after every input, so a small mailbox never fills.
                let (mailbox, rx) = Mailbox::new(1024);
                shared.hub.register(phone, i as u64 + 1, &format!("client-{i}"), mailbox).await;
                mailboxes.push(rx);
            }
        });
        let me = Me {
            account: ACCOUNTS[0].0.into(),
            jid: format!("{}@c.us", ACCOUNTS[0].0),
            pushname: ACCOUNTS[0].1.into(),
            connection: 1,
            client_id: "client-0".into(),
        };
        Env { rt, shared, me, mailboxes: Mutex::new(mailboxes), _dir: dir }
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else { return };
    let env = env();
    env.rt.block_on(async {
        if selector % 2 == 0 {
            if let Ok(node) = decode(rest) {
                let _ = handler::binary(&env.shared, &env.me, "t1", node).await;
            }
        } else if let Ok(value) = serde_json::from_slice(rest) {
            if let Ok(query) = JsonQuery::from_value(&value) {
                let _ = handler::json(&env.shared, &env.me, "t1", query).await;
            }
        }
        // Pushes are dropped as they come, so that a long run holds no backlog.
        for mailbox in env.mailboxes.lock().await.iter_mut() {
            while mailbox.try_recv().is_ok() {}
        }
    });
});
