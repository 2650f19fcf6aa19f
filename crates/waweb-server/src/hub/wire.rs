//! How what crosses the NATS bus is encoded: postcard (serde, compact varints, a documented
//! stable format, no schema step) around the protocol's own encodings — a node in the WABinary
//! format it is sent in anyway, a JSON push as its JSON text. Decoding never panics: a
//! malformed message from the bus is an error, logged and dropped by the caller.
//!
//! Also the subjects, derived from the account (or QR ref) so that a node subscribes to the
//! deliveries of the accounts it serves and receives nothing else.

use serde::{Deserialize, Serialize};
use waweb_proto::binary::{self, Node};
use waweb_proto::json::push::ServerPush;

use super::bus::{Envelope, PresenceChange, SessionRef};
use super::Delivery;
use crate::store::DeliveryId;

/// A message from the bus that cannot be read, or a value that cannot be sent on it.
#[derive(Debug, thiserror::Error)]
#[error("bus message: {0}")]
pub struct WireError(String);

fn err(e: impl std::fmt::Display) -> WireError {
    WireError(e.to_string())
}

/// What a session gets, as sent.
#[derive(Serialize, Deserialize)]
enum Body {
    Node(Vec<u8>),
    Relayed { node: Vec<u8>, queued: i64 },
    Json(String),
    Replaced,
    Kicked,
}

#[derive(Serialize, Deserialize)]
struct WireEnvelope {
    id: u128,
    account: String,
    except: Option<SessionRef>,
    client: Option<String>,
    body: Body,
}

#[derive(Serialize, Deserialize)]
struct WirePresence {
    id: u128,
    account: String,
    available: bool,
    t: u64,
    push: String,
    hidden_from: Vec<String>,
}

fn node_bytes(node: &Node) -> Result<Vec<u8>, WireError> {
    binary::try_encode(node).map_err(err)
}

fn json_text(push: &ServerPush) -> Result<String, WireError> {
    serde_json::to_string(&push.to_value()).map_err(err)
}

fn json_push(text: &str) -> Result<ServerPush, WireError> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(err)?;
    ServerPush::from_value(&value).map_err(err)
}

/// Encodes an envelope; a scan is refused (it travels as a request, see [`super::ScanRequest`]).
pub fn encode_envelope(e: &Envelope) -> Result<Vec<u8>, WireError> {
    let body = match &e.delivery {
        Delivery::Node(node) => Body::Node(node_bytes(node)?),
        Delivery::Relayed { node, queued } => {
            Body::Relayed { node: node_bytes(node)?, queued: queued.0 }
        }
        Delivery::Json(push) => Body::Json(json_text(push)?),
        Delivery::Replaced => Body::Replaced,
        Delivery::Kicked => Body::Kicked,
        Delivery::Scan { .. } => return Err(WireError("a scan is not an envelope".into())),
    };
    let wire = WireEnvelope {
        id: e.id,
        account: e.account.clone(),
        except: e.except,
        client: e.client.clone(),
        body,
    };
    postcard::to_allocvec(&wire).map_err(err)
}

/// Decodes an envelope.
pub fn decode_envelope(bytes: &[u8]) -> Result<Envelope, WireError> {
    let wire: WireEnvelope = postcard::from_bytes(bytes).map_err(err)?;
    let delivery = match wire.body {
        Body::Node(node) => Delivery::Node(binary::decode(&node).map_err(err)?),
        Body::Relayed { node, queued } => Delivery::Relayed {
            node: binary::decode(&node).map_err(err)?,
            queued: DeliveryId(queued),
        },
        Body::Json(text) => Delivery::Json(json_push(&text)?),
        Body::Replaced => Delivery::Replaced,
        Body::Kicked => Delivery::Kicked,
    };
    Ok(Envelope {
        id: wire.id,
        account: wire.account,
        except: wire.except,
        client: wire.client,
        delivery,
    })
}

/// Encodes a presence change under the id `id` (for the receivers' dedupe).
pub fn encode_presence(id: u128, c: &PresenceChange) -> Result<Vec<u8>, WireError> {
    let wire = WirePresence {
        id,
        account: c.account.clone(),
        available: c.available,
        t: c.t,
        push: json_text(&c.push)?,
        hidden_from: c.hidden_from.clone(),
    };
    postcard::to_allocvec(&wire).map_err(err)
}

/// Decodes a presence change and its id.
pub fn decode_presence(bytes: &[u8]) -> Result<(u128, PresenceChange), WireError> {
    let w: WirePresence = postcard::from_bytes(bytes).map_err(err)?;
    let push = json_push(&w.push)?;
    let change = PresenceChange {
        account: w.account,
        available: w.available,
        t: w.t,
        push,
        hidden_from: w.hidden_from,
    };
    Ok((w.id, change))
}

/// Any other serde value on the bus (scan requests and answers, pairing lists).
pub fn encode<T: Serialize>(value: &T) -> Result<Vec<u8>, WireError> {
    postcard::to_allocvec(value).map_err(err)
}

/// See [`encode`].
pub fn decode<'a, T: Deserialize<'a>>(bytes: &'a [u8]) -> Result<T, WireError> {
    postcard::from_bytes(bytes).map_err(err)
}

// ----- subjects ----------------------------------------------------------------------------

/// Every subject of the bus starts with this.
const ROOT: &str = "waweb";

/// A subject token for any text: itself when it is plain (phone numbers are digits), else its
/// hex form, so that `.`, `*`, `>` or spaces in a name can never change what a subject matches.
fn token(text: &str) -> String {
    let plain = !text.is_empty()
        && text.len() <= 64
        && text.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if plain {
        text.to_owned()
    } else {
        format!("x{}", hex::encode(text.as_bytes()))
    }
}

/// The deliveries for `account`'s sessions.
pub fn account_push(account: &str) -> String {
    format!("{ROOT}.acct.{}.push", token(account))
}

/// The question "which pairings of `account` are live?".
pub fn account_who(account: &str) -> String {
    format!("{ROOT}.acct.{}.who", token(account))
}

/// Both of the above: what a node serving `account` subscribes to.
pub fn account_all(account: &str) -> String {
    format!("{ROOT}.acct.{}.*", token(account))
}

/// Scans of the QR whose ref is `r#ref`.
pub fn scan(r#ref: &str) -> String {
    format!("{ROOT}.scan.{}", token(r#ref))
}

/// Presence changes, for every node.
pub const PRESENCE: &str = "waweb.presence";

#[cfg(test)]
#[path = "wire_tests.rs"]
mod tests;
