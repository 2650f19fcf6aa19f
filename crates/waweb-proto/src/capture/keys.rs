//! Where the session keys of a capture come from.
//!
//! * [`parse_key`] / [`keys_from_pair`] — an `encKey` and a `macKey` given as base64 (standard
//!   or URL-safe, padded or not) or as 64 hex digits.
//! * [`keys_from_session_file`] — a saved client session: a JSON object with the two keys in
//!   base64, named `enc_key`/`mac_key` (the file `waweb-client` writes) or `encKey`/`macKey`.
//! * `keys` records inside a session log: [`Capture::keys`](super::Capture::keys).
//! * [`derive_from_capture`] — the `secret` of the server's `Conn` frame, opened with the
//!   client's Curve25519 private key exactly as the client does when it pairs.

use base64::engine::general_purpose::{STANDARD_NO_PAD, URL_SAFE_NO_PAD};
use base64::Engine;
use serde_json::Value;
use zeroize::Zeroizing;

use super::{Capture, Direction, FrameKind, KeyError};
use crate::crypto::secret::open_secret;
use crate::crypto::{KeyPair, SessionKeys};
use crate::frame::TextFrame;

/// Reads a 32-byte key written as 64 hex digits or as base64. `what` names it in errors.
pub fn parse_key(text: &str, what: &'static str) -> Result<Zeroizing<[u8; 32]>, KeyError> {
    let text = text.trim();
    let bytes = if text.len() == 64 && text.bytes().all(|b| b.is_ascii_hexdigit()) {
        hex::decode(text).ok()
    } else {
        let unpadded = text.trim_end_matches('=');
        STANDARD_NO_PAD.decode(unpadded).or_else(|_| URL_SAFE_NO_PAD.decode(unpadded)).ok()
    };
    let bytes = Zeroizing::new(bytes.ok_or(KeyError::BadKey { what })?);
    let mut key = Zeroizing::new([0u8; 32]);
    if bytes.len() != key.len() {
        return Err(KeyError::BadKey { what });
    }
    key.copy_from_slice(&bytes);
    Ok(key)
}

/// Session keys from an `encKey` and a `macKey` (base64 or hex each).
pub fn keys_from_pair(enc_key: &str, mac_key: &str) -> Result<SessionKeys, KeyError> {
    let enc = parse_key(enc_key, "encKey")?;
    let mac = parse_key(mac_key, "macKey")?;
    Ok(SessionKeys { enc_key: *enc, mac_key: *mac })
}

/// Session keys from the contents of a saved client session file.
pub fn keys_from_session_file(bytes: &[u8]) -> Result<SessionKeys, KeyError> {
    let value: Value =
        serde_json::from_slice(bytes).map_err(|e| KeyError::SessionNotJson(e.to_string()))?;
    let field = |names: [&str; 2], what: &'static str| {
        names
            .iter()
            .find_map(|n| value.get(*n).and_then(Value::as_str))
            .ok_or(KeyError::MissingField(what))
    };
    keys_from_pair(field(["encKey", "enc_key"], "encKey")?, field(["macKey", "mac_key"], "macKey")?)
}

/// Opens the `secret` of every server `Conn` frame of the capture with the client's private key
/// (base64 or hex, 32 bytes) and returns the distinct keys found.
///
/// Fails when the capture has no such frame, or when no secret opens with this key (the error of
/// the last attempt is returned).
pub fn derive_from_capture(
    capture: &Capture,
    private_key: &str,
) -> Result<Vec<SessionKeys>, KeyError> {
    let private = parse_key(private_key, "private key")?;
    let pair = KeyPair::from_private_bytes(*private);
    let mut found = Vec::new();
    let mut last_error = KeyError::NoConnSecret;
    for secret in conn_secrets(capture) {
        let opened = base64::engine::general_purpose::STANDARD
            .decode(secret.as_bytes())
            .map_err(|_| KeyError::SecretNotBase64)
            .and_then(|bytes| open_secret(&pair, &bytes).map_err(KeyError::Secret));
        match opened {
            Ok(keys) if !found.contains(&keys) => found.push(keys),
            Ok(_) => {}
            Err(e) => last_error = e,
        }
    }
    if found.is_empty() {
        Err(last_error)
    } else {
        Ok(found)
    }
}

/// The `secret` strings of the server's `["Conn",{…,"secret":…}]` text frames.
fn conn_secrets(capture: &Capture) -> impl Iterator<Item = String> + '_ {
    capture.frames.iter().filter_map(|frame| match (&frame.kind, frame.dir) {
        (FrameKind::Text(text), Direction::ServerToClient) => {
            let parsed = TextFrame::parse(text).ok()?;
            let payload = parsed.payload()?;
            if payload.get(0).and_then(Value::as_str) != Some("Conn") {
                return None;
            }
            payload.get(1)?.get("secret")?.as_str().map(str::to_owned)
        }
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_and_every_base64_flavour() {
        let key = [0xfbu8; 32];
        let forms = [
            hex::encode(key),
            base64::engine::general_purpose::STANDARD.encode(key),
            STANDARD_NO_PAD.encode(key),
            base64::engine::general_purpose::URL_SAFE.encode(key),
        ];
        for form in forms {
            assert_eq!(*parse_key(&form, "k").unwrap(), key, "{form}");
        }
    }

    #[test]
    fn wrong_lengths_and_garbage_are_rejected() {
        for bad in ["", "zz", &hex::encode([1u8; 31]), &hex::encode([1u8; 33]), "####"] {
            assert_eq!(parse_key(bad, "encKey"), Err(KeyError::BadKey { what: "encKey" }), "{bad}");
        }
    }

    #[test]
    fn session_file_field_names() {
        let enc = base64::engine::general_purpose::STANDARD.encode([1u8; 32]);
        let mac = base64::engine::general_purpose::STANDARD.encode([2u8; 32]);
        let file =
            format!(r#"{{"clientId":"x","encKey":"{enc}","macKey":"{mac}","wid":"1@c.us"}}"#);
        let keys = keys_from_session_file(file.as_bytes()).unwrap();
        assert_eq!((keys.enc_key, keys.mac_key), ([1; 32], [2; 32]));
        let snake = format!(r#"{{"enc_key":"{enc}","mac_key":"{mac}"}}"#);
        assert_eq!(keys_from_session_file(snake.as_bytes()).unwrap(), keys);
        assert_eq!(
            keys_from_session_file(br#"{"encKey":"AA"}"#),
            Err(KeyError::MissingField("macKey"))
        );
        assert!(matches!(keys_from_session_file(b"nope"), Err(KeyError::SessionNotJson(_))));
    }
}
