//! The `Conn.secret`: 144 bytes `Ps ‖ H ‖ C` by which the phone hands the session keys to a
//! newly paired browser (docs/PROTOCOL.md).
//!
//! Both sides run X25519 between the browser's key pair and the phone's ephemeral one, expand
//! the shared secret with HKDF into an AES key, an HMAC key and an IV, and use them to protect
//! `encKey ‖ macKey`. The IV is derived rather than random, which is safe because every pairing
//! derives a fresh expansion.

use rand_core::{CryptoRng, RngCore};
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use super::{cbc, hkdf_sha256, mac, CryptoError, KeyPair, SessionKeys};

/// Length of a decoded `Conn.secret`.
pub const SECRET_LEN: usize = 144;

/// Length of `C`: `encKey ‖ macKey` plus one full block of PKCS#7 padding.
const CIPHERTEXT_LEN: usize = 80;

/// The three values HKDF derives from the X25519 shared secret.
#[derive(Zeroize, ZeroizeOnDrop)]
struct Expanded {
    aes_key: [u8; 32],
    hmac_key: [u8; 32],
    iv: [u8; 16],
}

impl Expanded {
    fn from_shared(shared: &[u8; 32]) -> Self {
        let mut okm = Zeroizing::new([0u8; 80]);
        hkdf_sha256(shared, b"", okm.as_mut_slice());
        let mut expanded = Expanded { aes_key: [0; 32], hmac_key: [0; 32], iv: [0; 16] };
        expanded.aes_key.copy_from_slice(&okm[..32]);
        expanded.hmac_key.copy_from_slice(&okm[32..64]);
        expanded.iv.copy_from_slice(&okm[64..]);
        expanded
    }
}

/// Builds a `Conn.secret` for the browser whose QR code showed `client_public`, with a fresh
/// ephemeral key pair drawn from `rng`. This is the phone's (our server's) side.
pub fn build_secret<R: RngCore + CryptoRng + ?Sized>(
    rng: &mut R,
    client_public: &[u8; 32],
    keys: &SessionKeys,
) -> [u8; SECRET_LEN] {
    let mut ephemeral = Zeroizing::new([0u8; 32]);
    rng.fill_bytes(ephemeral.as_mut_slice());
    build_secret_with_ephemeral(*ephemeral, client_public, keys)
}

/// [`build_secret`] with a given ephemeral private key: deterministic, for known-answer tests.
pub fn build_secret_with_ephemeral(
    ephemeral_private: [u8; 32],
    client_public: &[u8; 32],
    keys: &SessionKeys,
) -> [u8; SECRET_LEN] {
    let ephemeral = KeyPair::from_private_bytes(ephemeral_private);
    let shared = ephemeral.diffie_hellman(client_public);
    let expanded = Expanded::from_shared(shared.as_bytes());

    let mut plaintext = Zeroizing::new([0u8; 64]);
    plaintext[..32].copy_from_slice(&keys.enc_key);
    plaintext[32..].copy_from_slice(&keys.mac_key);
    let mut ciphertext = Vec::with_capacity(CIPHERTEXT_LEN);
    cbc::encrypt_append(&expanded.aes_key, &expanded.iv, plaintext.as_slice(), &mut ciphertext);

    let server_public = ephemeral.public_bytes();
    let tag = mac::hmac_sha256(&expanded.hmac_key, &[&server_public, &ciphertext]);

    let mut secret = [0u8; SECRET_LEN];
    secret[..32].copy_from_slice(&server_public);
    secret[32..64].copy_from_slice(&tag);
    secret[64..].copy_from_slice(&ciphertext);
    secret
}

/// Opens a decoded `Conn.secret` with the browser's key pair and returns the session keys.
///
/// The HMAC is checked (in constant time) before anything is decrypted.
pub fn open_secret(client: &KeyPair, secret: &[u8]) -> Result<SessionKeys, CryptoError> {
    if secret.len() != SECRET_LEN {
        return Err(CryptoError::SecretLength(secret.len()));
    }
    let (server_public, rest) =
        secret.split_first_chunk::<32>().ok_or(CryptoError::SecretLength(secret.len()))?;
    let (tag, ciphertext) =
        rest.split_first_chunk::<32>().ok_or(CryptoError::SecretLength(secret.len()))?;

    let shared = client.diffie_hellman(server_public);
    if !shared.was_contributory() {
        return Err(CryptoError::SecretWeakKey);
    }
    let expanded = Expanded::from_shared(shared.as_bytes());

    let computed = mac::hmac_sha256(&expanded.hmac_key, &[server_public, ciphertext]);
    if !mac::tags_equal(&computed, tag) {
        return Err(CryptoError::SecretMac);
    }

    let mut plaintext = Zeroizing::new(Vec::with_capacity(CIPHERTEXT_LEN));
    cbc::decrypt_append(&expanded.aes_key, &expanded.iv, ciphertext, &mut plaintext)?;
    match plaintext.split_first_chunk::<32>() {
        Some((enc_key, mac_key)) if plaintext.len() == 64 => {
            SessionKeys::from_slices(enc_key, mac_key)
        }
        _ => Err(CryptoError::SecretPlaintextLength(plaintext.len())),
    }
}
