//! The logout token of the HTTP logout (docs/PROTOCOL.md):
//! `POST …/logout?t=<browserToken>&m=<b64(logout token)>` ends a pairing without a websocket.

use super::{mac, SessionKeys};

/// `HMAC-SHA256(macKey, encKey)`; sent base64-encoded as the `m` parameter.
pub fn logout_token(keys: &SessionKeys) -> [u8; 32] {
    mac::hmac_sha256(&keys.mac_key, &[&keys.enc_key])
}
