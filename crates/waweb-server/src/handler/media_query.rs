//! `["query",{"type":"media","index":id,"owner":"true"|"false","jid":chat},null]`: a new URL for
//! a media message's blob (docs/PROTOCOL.md §10.3). Baileys 3.5.3 asks it (`updateMediaMessage`)
//! when a download answers `404`, and copies every attribute of the answer into the message.
//!
//! The real phone re-uploaded its copy of the file. This server plays the phone but never holds
//! a file or a media key, only the blob: it answers the blob's current URL (under the current
//! public URL and URL key) while the blob is kept, and `404` once it has been removed. The
//! wire shapes are in [`waweb_proto::query::media`].

use waweb_proto::binary::jid::to_whatsapp_net;
use waweb_proto::binary::Node;
use waweb_proto::query::media::{MediaQuery, MediaResponse};

use super::common::{Failure, Handled};
use super::Reply;
use crate::context::{Me, Shared};
use crate::media::sweep::referenced_blob;
use crate::store::{MessageKey, Store};

/// Answers one `media` query.
pub(super) async fn answer<S: Store>(shared: &Shared<S>, me: &Me, node: &Node) -> Handled {
    let q = MediaQuery::from_node(node).map_err(|_| Failure(400))?;
    let key = MessageKey { chat_jid: to_whatsapp_net(&q.jid), id: q.id, from_me: q.from_me };
    let message = shared.store.find_message(&me.account, key).await?.ok_or(Failure(404))?;
    // A message that names no blob is no media message.
    let blob = referenced_blob(&message.info).ok_or(Failure(400))?;
    match shared.media.blobs.open(blob).await {
        Ok(Some(_)) => {}
        Ok(None) => return Err(Failure(404)),
        Err(e) => {
            tracing::error!(error = %e, "cannot open a media blob");
            return Err(Failure(500));
        }
    }
    let media = &shared.media;
    let response = MediaResponse { url: media.url(&blob), direct_path: media.direct_path(&blob) };
    Ok(Reply::Node(response.to_node()))
}
