//! Chat attributes set from the browser: `["chat",{"type":"archive"|"unarchive"|"mute"|"pin",
//! "jid",…},null]` (docs/PROTOCOL.md §8.5). They are stored and show in later chat lists.

use waweb_proto::binary::Node;

use super::common::{chat_key, ok, Failure, Handled};
use crate::context::{Me, Shared};
use crate::store::{ChatUpdate, Store};

/// A Unix-seconds attribute; absent means "off" (unmute, unpin).
fn seconds(child: &Node, key: &str) -> Result<u64, Failure> {
    child.get_attr(key).map_or(Ok(0), |v| v.parse().map_err(|_| Failure(400)))
}

/// The action `chat`.
pub(super) async fn action<S: Store>(shared: &Shared<S>, me: &Me, child: &Node) -> Handled {
    let jid = child.get_attr("jid").ok_or(Failure(400))?;
    let update = match child.get_attr("type") {
        Some("archive") => ChatUpdate::Archive(true),
        Some("unarchive") => ChatUpdate::Archive(false),
        Some("mute") => ChatUpdate::Mute(seconds(child, "mute")?),
        Some("pin") => ChatUpdate::Pin(seconds(child, "pin")?),
        Some("spam") => ChatUpdate::Spam(true),
        Some("delete" | "clear" | "star" | "unstar") => return Err(Failure(501)),
        _ => return Err(Failure(400)),
    };
    shared.store.update_chat(&me.account, &chat_key(jid), update).await?;
    ok()
}
