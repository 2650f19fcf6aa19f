//! What every handler needs: the storage, the hub, the configuration, and who is asking.

use std::sync::Arc;

use crate::config::Config;
use crate::hub::{ConnectionId, Hub};
use crate::media::Media;

/// Server-wide state shared by every connection task. Cheap to clone.
#[derive(Debug)]
pub struct Shared<S> {
    /// Durable storage.
    pub store: Arc<S>,
    /// Live delivery between connections.
    pub hub: Hub,
    /// The configuration.
    pub config: Arc<Config>,
    /// Media hosting: upload tokens and blobs.
    pub media: Arc<Media>,
}

impl<S> Clone for Shared<S> {
    fn clone(&self) -> Self {
        Shared {
            store: self.store.clone(),
            hub: self.hub.clone(),
            config: self.config.clone(),
            media: self.media.clone(),
        }
    }
}

/// The logged-in web session a request comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Me {
    /// The account's phone number (digits only): the key of everything in storage.
    pub account: String,
    /// The account's JID as the JSON frames show it (`<digits>@c.us`).
    pub jid: String,
    /// The account's push name.
    pub pushname: String,
    /// The connection serving this session.
    pub connection: ConnectionId,
    /// The web client's id.
    pub client_id: String,
}

/// Milliseconds since the Unix epoch, from the system clock (the shells own the clock; the core
/// never reads it).
pub fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
        .unwrap_or(0)
}
