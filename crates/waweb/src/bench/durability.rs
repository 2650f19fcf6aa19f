//! After the relay run the spawned server is killed with SIGKILL, then its database is opened
//! directly: every acknowledged message the clients sampled must be there. An ack sent before the
//! commit was durable would show up as a missing message.

use std::path::Path;
use waweb_proto::binary::jid;
use waweb_server::store::sqlite::SqliteStore;
use waweb_server::store::{MessageKey, MessageStore, Store};

/// Messages to look up: the sender's phone, the chat's JID (the peer's or the group's, as the
/// sender wrote it), the message id.
pub type Sampled = (String, String, String);

/// How many of `sampled` are missing from the database in `data_dir` (the server must be dead).
pub async fn missing(data_dir: &Path, sampled: &[Sampled]) -> anyhow::Result<usize> {
    let store = SqliteStore::open(data_dir.join("waweb.db"))?;
    let mut missing = 0;
    for (from, to, id) in sampled {
        if !stored(&store, from, to, id).await? {
            missing += 1;
        }
    }
    store.close().await?;
    Ok(missing)
}

/// Whether the sender's copy of a message exists. The store spells a user's JID
/// `…@s.whatsapp.net` and a group's as it is.
async fn stored(store: &SqliteStore, from: &str, to: &str, id: &str) -> anyhow::Result<bool> {
    let key = MessageKey { chat_jid: jid::to_whatsapp_net(to), id: id.to_string(), from_me: true };
    Ok(store.find_message(from, key).await?.is_some())
}
