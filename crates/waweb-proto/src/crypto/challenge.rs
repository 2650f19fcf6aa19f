//! The login challenge (docs/PROTOCOL.md): when the server doubts a browser's tokens it sends
//! random bytes, and the browser proves it holds `macKey` by returning their HMAC.

use super::{mac, SessionKeys};

/// `HMAC-SHA256(macKey, challenge)`, sent back base64-encoded in `["admin","challenge",…]`.
pub fn answer(keys: &SessionKeys, challenge: &[u8]) -> [u8; 32] {
    mac::hmac_sha256(&keys.mac_key, &[challenge])
}

/// Whether `answer` is the right answer to `challenge`, compared in constant time.
pub fn verify(keys: &SessionKeys, challenge: &[u8], answer: &[u8]) -> bool {
    mac::tags_equal(&self::answer(keys, challenge), answer)
}
