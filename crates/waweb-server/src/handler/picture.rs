//! The `picture` action (docs/PROTOCOL.md §8.5, §8.10): which picture it changes (the
//! account's own, in `profile.rs`, or a group's, in `group.rs`), and how a picture is stored:
//! a JPEG under a new tag and an unguessable secret.

use rand::RngCore;
use serde_json::json;
use waweb_proto::action::profile::{PictureAction, PictureChange};
use waweb_proto::binary::jid::is_group;
use waweb_proto::binary::Node;

use super::common::{Failure, Handled};
use super::Reply;
use crate::context::{now_ms, Me, Shared};
use crate::store::{Picture, PictureKey, Store};

/// `["picture",{"id","jid","type":"set"|"delete"},…]`: a group's picture is the group's
/// business, any other the account's own.
pub(super) async fn action<S: Store>(shared: &Shared<S>, me: &Me, child: &Node) -> Handled {
    let picture = PictureAction::from_node(child).map_err(|_| Failure(400))?;
    if is_group(&picture.jid) {
        super::group::picture(shared, me, picture).await
    } else {
        super::profile::picture(shared, me, picture).await
    }
}

/// Sets or deletes the picture of `owner` (a phone number or a group's JID) as the `picture`
/// action asks: the answer, and the tag to push (`"removed"` for a deletion).
pub(super) async fn change_picture<S: Store>(
    shared: &Shared<S>,
    owner: &str,
    change: PictureChange,
) -> Result<(Reply, String), Failure> {
    let store = shared.store.as_ref();
    match change {
        PictureChange::Set { image, preview } => {
            let (image, preview) = (jpeg(image)?, jpeg(preview)?);
            let secret = picture_secret();
            let picture =
                Picture { tag: now_ms().to_string(), secret: secret.clone(), image, preview };
            let tag = store.set_picture(owner, picture).await?;
            let url = shared.config.picture_url(owner, &PictureKey { tag: tag.clone(), secret });
            Ok((Reply::Json(json!({ "status": 200, "eurl": url, "tag": tag })), tag))
        }
        PictureChange::Delete => {
            store.remove_picture(owner).await?;
            Ok((super::common::status(200), "removed".to_owned()))
        }
        PictureChange::Other(_) => Err(Failure(400)),
    }
}

/// A new picture's secret: 128 bits from the operating system's generator, in hex. The picture
/// URL needs no token, so only this keeps a picture from those its owner did not give the URL
/// (a blocked user, say), who could otherwise try every upload time.
fn picture_secret() -> String {
    let mut raw = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut raw);
    hex::encode(raw)
}

/// A picture's bytes, which must be a JPEG (it is served as one).
fn jpeg(bytes: Option<Vec<u8>>) -> Result<Vec<u8>, Failure> {
    bytes.filter(|b| b.starts_with(&[0xff, 0xd8, 0xff])).ok_or(Failure(400))
}
