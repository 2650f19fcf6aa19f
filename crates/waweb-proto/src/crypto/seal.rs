//! Sealing and opening the payload of an encrypted binary frame (docs/PROTOCOL.md):
//! `HMAC-SHA256(macKey, iv ‖ ct) ‖ iv ‖ ct` with `ct = AES-256-CBC(encKey, iv, PKCS7(pt))`.
//!
//! The MAC covers the IV and ciphertext only, never the frame's tag, metric or flag bytes. It is
//! checked in constant time before anything is decrypted. The `_into` variants append to a
//! caller's buffer so a whole websocket message can be built in one allocation.

use hmac::Mac;
use rand_core::{CryptoRng, RngCore};

use super::{cbc, mac, CryptoError, SessionKeys};

/// Length of the HMAC at the front of a payload.
pub const MAC_LEN: usize = 32;
/// Length of the IV that follows the MAC.
pub const IV_LEN: usize = 16;
/// Smallest valid payload: MAC, IV and one ciphertext block.
pub const MIN_PAYLOAD_LEN: usize = MAC_LEN + IV_LEN + 16;

/// Length of the sealed payload for a plaintext of `plaintext_len` bytes.
pub const fn sealed_len(plaintext_len: usize) -> usize {
    MAC_LEN + IV_LEN + cbc::padded_len(plaintext_len)
}

/// Seals `plaintext` with the given IV into a new `mac ‖ iv ‖ ct` buffer.
pub fn seal(keys: &SessionKeys, iv: [u8; 16], plaintext: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(sealed_len(plaintext.len()));
    seal_into(keys, iv, plaintext, &mut out);
    out
}

/// Seals `plaintext` with a fresh random IV drawn from `rng`.
pub fn seal_with_rng<R: RngCore + CryptoRng + ?Sized>(
    keys: &SessionKeys,
    rng: &mut R,
    plaintext: &[u8],
) -> Vec<u8> {
    seal(keys, random_iv(rng), plaintext)
}

/// Draws a fresh IV.
pub fn random_iv<R: RngCore + CryptoRng + ?Sized>(rng: &mut R) -> [u8; 16] {
    let mut iv = [0u8; IV_LEN];
    rng.fill_bytes(&mut iv);
    iv
}

/// Appends `mac ‖ iv ‖ ct` to `out`, encrypting in place inside `out`.
pub fn seal_into(keys: &SessionKeys, iv: [u8; 16], plaintext: &[u8], out: &mut Vec<u8>) {
    let start = out.len();
    out.reserve(sealed_len(plaintext.len()));
    // Placeholder for the MAC, which covers the bytes written after it.
    out.extend_from_slice(&[0; MAC_LEN]);
    out.extend_from_slice(&iv);
    cbc::encrypt_append(&keys.enc_key, &iv, plaintext, out);
    let (tag_slot, authenticated) = out[start..].split_at_mut(MAC_LEN);
    let mut hmac = mac::keyed(&keys.mac_key);
    hmac.update(authenticated);
    tag_slot.copy_from_slice(&hmac.finalize().into_bytes());
}

/// Opens a `mac ‖ iv ‖ ct` payload and returns the plaintext.
pub fn open(keys: &SessionKeys, payload: &[u8]) -> Result<Vec<u8>, CryptoError> {
    let mut out = Vec::with_capacity(payload.len().saturating_sub(MAC_LEN + IV_LEN));
    open_into(keys, payload, &mut out)?;
    Ok(out)
}

/// Opens a `mac ‖ iv ‖ ct` payload and appends the plaintext to `out`.
///
/// Checks, in order: length (≥ 64, ciphertext a multiple of 16), MAC (constant time), padding.
/// On error `out` is left as it was.
pub fn open_into(keys: &SessionKeys, payload: &[u8], out: &mut Vec<u8>) -> Result<(), CryptoError> {
    if payload.len() < MIN_PAYLOAD_LEN {
        return Err(CryptoError::FrameTooShort(payload.len()));
    }
    let too_short = || CryptoError::FrameTooShort(payload.len());
    let (tag, authenticated) = payload.split_first_chunk::<MAC_LEN>().ok_or_else(too_short)?;
    let (iv, ciphertext) = authenticated.split_first_chunk::<IV_LEN>().ok_or_else(too_short)?;
    if ciphertext.len() % cbc::BLOCK != 0 {
        return Err(CryptoError::FrameLength(ciphertext.len()));
    }
    let mut hmac = mac::keyed(&keys.mac_key);
    hmac.update(authenticated);
    if !mac::tags_equal(&hmac.finalize().into_bytes(), tag) {
        return Err(CryptoError::FrameMac);
    }
    cbc::decrypt_append(&keys.enc_key, iv, ciphertext, out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys() -> SessionKeys {
        SessionKeys { enc_key: [1; 32], mac_key: [2; 32] }
    }

    #[test]
    fn sealed_len_matches_output() {
        for len in [0, 1, 15, 16, 17, 1000] {
            assert_eq!(seal(&keys(), [0; 16], &vec![0; len]).len(), sealed_len(len));
        }
        assert_eq!(sealed_len(0), MIN_PAYLOAD_LEN);
    }

    #[test]
    fn seal_into_appends() {
        let mut out = b"tag,".to_vec();
        seal_into(&keys(), [5; 16], b"hello", &mut out);
        assert_eq!(&out[..4], b"tag,");
        assert_eq!(&out[4..], &seal(&keys(), [5; 16], b"hello")[..]);
    }

    #[test]
    fn open_into_keeps_buffer_on_error() {
        let mut sealed = seal(&keys(), [5; 16], b"hello");
        sealed[0] ^= 1;
        let mut out = b"keep".to_vec();
        assert_eq!(open_into(&keys(), &sealed, &mut out), Err(CryptoError::FrameMac));
        assert_eq!(out, b"keep");
    }
}
