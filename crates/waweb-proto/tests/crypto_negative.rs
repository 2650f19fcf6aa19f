//! Negative tests (vector B7 of docs/PROTOCOL.md): every tampered, truncated or malformed input is rejected
//! with the error variant that names what is wrong.

#[allow(dead_code)]
#[path = "data/vectors.rs"]
mod vectors;

use ::cbc::cipher::block_padding::{NoPadding, Pkcs7};
use ::cbc::cipher::{BlockEncryptMut, KeyIvInit};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use vectors::{array, b1, b1_client, b1_keys, b6, bytes};
use waweb_proto::crypto::media::{self, MediaType};
use waweb_proto::crypto::seal::{open, seal};
use waweb_proto::crypto::{hkdf_sha256, secret, CryptoError, KeyPair, SessionKeys};

type Aes256CbcEnc = ::cbc::Encryptor<aes::Aes256>;

fn hmac_sha256(key: &[u8], parts: &[&[u8]]) -> Vec<u8> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).unwrap();
    for part in parts {
        mac.update(part);
    }
    mac.finalize().into_bytes().to_vec()
}

fn flip(data: &[u8], bit: usize) -> Vec<u8> {
    let mut flipped = data.to_vec();
    flipped[bit / 8] ^= 1 << (bit % 8);
    flipped
}

/// A secret for the B1 client with a valid HMAC around an arbitrary 80-byte ciphertext, built
/// from the server's side of the key agreement.
fn forge_secret(encrypt: impl FnOnce(&[u8; 32], &[u8; 16]) -> Vec<u8>) -> Vec<u8> {
    let server = x25519_dalek::StaticSecret::from(array::<32>(b1::SERVER_PRIVATE));
    let shared =
        server.diffie_hellman(&x25519_dalek::PublicKey::from(array::<32>(b1::CLIENT_PUBLIC)));
    let mut expanded = [0u8; 80];
    hkdf_sha256(shared.as_bytes(), b"", &mut expanded);
    let ciphertext =
        encrypt(&expanded[..32].try_into().unwrap(), &expanded[64..].try_into().unwrap());
    assert_eq!(ciphertext.len(), 80);
    let server_public = bytes(b1::SERVER_PUBLIC);
    let tag = hmac_sha256(&expanded[32..64], &[&server_public, &ciphertext]);
    [server_public, tag, ciphertext].concat()
}

#[test]
fn forged_secret_with_the_right_plaintext_opens() {
    // Guards the two tests below: the forging itself matches the real construction.
    let keys = [b1::ENC_KEY, b1::MAC_KEY].concat();
    let forged = forge_secret(|key, iv| {
        Aes256CbcEnc::new(key.into(), iv.into()).encrypt_padded_vec_mut::<Pkcs7>(&bytes(&keys))
    });
    assert_eq!(hex::encode(&forged), b1::SECRET);
}

#[test]
fn secret_every_bit_flip_fails_the_mac() {
    let secret = bytes(b1::SECRET);
    let client = b1_client();
    for bit in 0..secret.len() * 8 {
        assert_eq!(
            secret::open_secret(&client, &flip(&secret, bit)),
            Err(CryptoError::SecretMac),
            "bit {bit}"
        );
    }
}

#[test]
fn secret_wrong_length() {
    let secret = bytes(b1::SECRET);
    let client = b1_client();
    for len in [0, 32, 143] {
        assert_eq!(
            secret::open_secret(&client, &secret[..len]),
            Err(CryptoError::SecretLength(len))
        );
    }
    let longer = [&secret[..], &[0]].concat();
    assert_eq!(secret::open_secret(&client, &longer), Err(CryptoError::SecretLength(145)));
}

#[test]
fn secret_for_another_client_fails_the_mac() {
    let other = KeyPair::from_private_bytes([0x42; 32]);
    assert_eq!(secret::open_secret(&other, &bytes(b1::SECRET)), Err(CryptoError::SecretMac));
}

#[test]
fn secret_with_low_order_server_key() {
    let mut secret = bytes(b1::SECRET);
    for low_order in [[0u8; 32], {
        let mut one = [0u8; 32];
        one[0] = 1;
        one
    }] {
        secret[..32].copy_from_slice(&low_order);
        assert_eq!(secret::open_secret(&b1_client(), &secret), Err(CryptoError::SecretWeakKey));
    }
}

#[test]
fn secret_with_valid_mac_and_bad_padding() {
    let forged = forge_secret(|key, iv| {
        let mut block = [0x33u8; 80];
        block[79] = 0;
        Aes256CbcEnc::new(key.into(), iv.into()).encrypt_padded_vec_mut::<NoPadding>(&block)
    });
    assert_eq!(secret::open_secret(&b1_client(), &forged), Err(CryptoError::Padding));
}

#[test]
fn secret_with_valid_mac_and_wrong_plaintext_length() {
    let forged = forge_secret(|key, iv| {
        Aes256CbcEnc::new(key.into(), iv.into()).encrypt_padded_vec_mut::<Pkcs7>(&[7; 72])
    });
    assert_eq!(
        secret::open_secret(&b1_client(), &forged),
        Err(CryptoError::SecretPlaintextLength(72))
    );
}

#[test]
fn sealed_every_bit_flip_fails_the_mac() {
    let keys = b1_keys();
    for plaintext in [&b"short"[..], &[0xab; 40][..]] {
        let sealed = seal(&keys, [9; 16], plaintext);
        assert_eq!(open(&keys, &sealed).unwrap(), plaintext);
        for bit in 0..sealed.len() * 8 {
            assert_eq!(open(&keys, &flip(&sealed, bit)), Err(CryptoError::FrameMac), "bit {bit}");
        }
    }
}

#[test]
fn sealed_with_other_mac_key_fails_the_mac() {
    let sealed = seal(&b1_keys(), [9; 16], b"hello");
    let other = SessionKeys { enc_key: b1_keys().enc_key, mac_key: [0; 32] };
    assert_eq!(open(&other, &sealed), Err(CryptoError::FrameMac));
}

#[test]
fn sealed_length_errors() {
    let keys = b1_keys();
    let sealed = seal(&keys, [9; 16], &[1; 40]);
    assert_eq!(sealed.len(), 96);
    for len in [0, 1, 47, 48, 63] {
        assert_eq!(open(&keys, &sealed[..len]), Err(CryptoError::FrameTooShort(len)));
    }
    for len in [65, 79, 81, 95] {
        assert_eq!(open(&keys, &sealed[..len]), Err(CryptoError::FrameLength(len - 48)));
    }
    // Block-aligned truncation keeps a well-formed length, so the MAC catches it.
    assert_eq!(open(&keys, &sealed[..80]), Err(CryptoError::FrameMac));
}

/// `mac ‖ iv ‖ c1` where `c1` is the first ciphertext block of `block`, so that the payload
/// decrypts to exactly `block`, whatever its last bytes, under a valid MAC.
fn payload_decrypting_to(keys: &SessionKeys, block: [u8; 16]) -> Vec<u8> {
    let iv = [0x5c; 16];
    let sealed = seal(keys, iv, &block);
    let c1 = &sealed[48..64];
    let tag = hmac_sha256(&keys.mac_key, &[&iv, c1]);
    [&tag[..], &iv, c1].concat()
}

#[test]
fn sealed_with_valid_mac_and_bad_padding() {
    let keys = b1_keys();
    let mut valid = [0x41; 16];
    valid[15] = 1;
    assert_eq!(open(&keys, &payload_decrypting_to(&keys, valid)).unwrap(), &valid[..15]);

    let mut zero = [0x41; 16];
    zero[15] = 0;
    let mut too_long = [0x11; 16];
    too_long[15] = 17;
    let mut inconsistent = [0x41; 16];
    inconsistent[15] = 3;
    inconsistent[14] = 3;
    for block in [zero, too_long, inconsistent, [0xff; 16]] {
        assert_eq!(
            open(&keys, &payload_decrypting_to(&keys, block)),
            Err(CryptoError::Padding),
            "{block:02x?}"
        );
    }
}

#[test]
fn media_every_bit_flip_fails_the_mac() {
    let blob = bytes(b6::BLOB);
    let media_key = bytes(b6::MEDIA_KEY);
    for bit in 0..blob.len() * 8 {
        assert_eq!(
            media::decrypt(&media_key, MediaType::Image, &flip(&blob, bit)),
            Err(CryptoError::MediaMac),
            "bit {bit}"
        );
    }
}

#[test]
fn media_under_the_wrong_type_fails_the_mac() {
    let (key, blob) = (bytes(b6::MEDIA_KEY), bytes(b6::BLOB));
    for media_type in [MediaType::Video, MediaType::Audio, MediaType::Document] {
        assert_eq!(media::decrypt(&key, media_type, &blob), Err(CryptoError::MediaMac));
    }
}

#[test]
fn media_length_errors() {
    let (key, blob) = (bytes(b6::MEDIA_KEY), bytes(b6::BLOB));
    for len in [0, 10, 25] {
        assert_eq!(
            media::decrypt(&key, MediaType::Image, &blob[..len]),
            Err(CryptoError::MediaTooShort(len))
        );
    }
    let longer = [&blob[..], &[0; 5]].concat();
    assert_eq!(media::decrypt(&key, MediaType::Image, &longer), Err(CryptoError::MediaLength(21)));
}
