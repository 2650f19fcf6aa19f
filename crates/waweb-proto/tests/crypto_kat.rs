//! Known-answer tests: A1 (HKDF), B1 (pairing secret), B2 (challenge, logout token), B6 (media).

#[allow(dead_code)]
#[path = "data/vectors.rs"]
mod vectors;

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use hkdf::Hkdf;
use sha2::Sha256;
use vectors::{a1_expand, a1_full, array, b1, b1_client, b1_keys, b2, b6, bytes};
use waweb_proto::crypto::media::{self, MediaKeys, MediaType};
use waweb_proto::crypto::{challenge, hkdf_sha256, logout_token, secret, KeyPair};

#[test]
fn a1_expand_only() {
    // A1.1 skips the extract step: the input is used directly as the PRK.
    let hk = Hkdf::<Sha256>::from_prk(&bytes(a1_expand::PRK)).unwrap();
    let mut okm = [0u8; 80];
    hk.expand(b"", &mut okm).unwrap();
    assert_eq!(hex::encode(okm), a1_expand::OKM);
}

#[test]
fn a1_full_hkdf_with_zero_salt() {
    let mut okm = [0u8; 112];
    hkdf_sha256(a1_full::IKM.as_bytes(), a1_full::INFO.as_bytes(), &mut okm);
    assert_eq!(hex::encode(okm), a1_full::OKM);
    assert_eq!(STANDARD.encode(okm), a1_full::OKM_B64);
}

#[test]
fn a1_full_equals_media_expansion() {
    let keys = MediaKeys::expand(a1_full::IKM.as_bytes(), MediaType::Image);
    let okm = bytes(a1_full::OKM);
    assert_eq!(keys.iv[..], okm[..16]);
    assert_eq!(keys.cipher_key[..], okm[16..48]);
    assert_eq!(keys.mac_key[..], okm[48..80]);
    assert_eq!(keys.ref_key[..], okm[80..]);
}

#[test]
fn b1_public_keys_from_private_keys() {
    let client = b1_client();
    assert_eq!(hex::encode(client.public_bytes()), b1::CLIENT_PUBLIC);
    assert_eq!(STANDARD.encode(client.public_bytes()), b1::CLIENT_PUBLIC_B64);
    let server = KeyPair::from_private_bytes(array(b1::SERVER_PRIVATE));
    assert_eq!(hex::encode(server.public_bytes()), b1::SERVER_PUBLIC);
}

#[test]
fn b1_shared_secret_and_expansion() {
    // The intermediate values, recomputed from the primitives the secret module builds on.
    let client = x25519_dalek::StaticSecret::from(array::<32>(b1::CLIENT_PRIVATE));
    let server_public = x25519_dalek::PublicKey::from(array::<32>(b1::SERVER_PUBLIC));
    let shared = client.diffie_hellman(&server_public);
    assert_eq!(hex::encode(shared.as_bytes()), b1::SHARED);
    let mut expanded = [0u8; 80];
    hkdf_sha256(shared.as_bytes(), b"", &mut expanded);
    assert_eq!(hex::encode(expanded), b1::EXPANDED);
}

#[test]
fn b1_secret_bytes_are_exact() {
    let secret = secret::build_secret_with_ephemeral(
        array(b1::SERVER_PRIVATE),
        &array(b1::CLIENT_PUBLIC),
        &b1_keys(),
    );
    assert_eq!(hex::encode(&secret[..32]), b1::SERVER_PUBLIC);
    assert_eq!(hex::encode(&secret[32..64]), b1::HMAC);
    assert_eq!(hex::encode(&secret[64..]), b1::CIPHERTEXT);
    assert_eq!(hex::encode(secret), b1::SECRET);
    assert_eq!(STANDARD.encode(secret), b1::SECRET_B64);
}

#[test]
fn b1_open_secret_recovers_the_keys() {
    let secret = STANDARD.decode(b1::SECRET_B64).unwrap();
    let keys = secret::open_secret(&b1_client(), &secret).unwrap();
    assert_eq!(hex::encode(keys.enc_key), b1::ENC_KEY);
    assert_eq!(hex::encode(keys.mac_key), b1::MAC_KEY);
}

#[test]
fn b2_challenge_answer() {
    let challenge_bytes = STANDARD.decode(b2::CHALLENGE_B64).unwrap();
    assert_eq!(challenge_bytes, (0xd0..=0xef).collect::<Vec<u8>>());
    let answer = challenge::answer(&b1_keys(), &challenge_bytes);
    assert_eq!(STANDARD.encode(answer), b2::ANSWER_B64);
    assert!(challenge::verify(&b1_keys(), &challenge_bytes, &answer));
}

#[test]
fn b2_challenge_verify_rejects_wrong_answers() {
    let challenge_bytes = STANDARD.decode(b2::CHALLENGE_B64).unwrap();
    let answer = STANDARD.decode(b2::ANSWER_B64).unwrap();
    for bit in 0..answer.len() * 8 {
        let mut wrong = answer.clone();
        wrong[bit / 8] ^= 1 << (bit % 8);
        assert!(!challenge::verify(&b1_keys(), &challenge_bytes, &wrong), "bit {bit}");
    }
    assert!(!challenge::verify(&b1_keys(), &challenge_bytes, &answer[..31]));
    assert!(!challenge::verify(&b1_keys(), &challenge_bytes, &[]));
    assert!(!challenge::verify(&b1_keys(), &challenge_bytes[1..], &answer));
}

#[test]
fn b2_logout_token() {
    assert_eq!(STANDARD.encode(logout_token(&b1_keys())), b2::LOGOUT_TOKEN_B64);
}

#[test]
fn b6_all_four_expansions() {
    let media_key = bytes(b6::MEDIA_KEY);
    for (media_type, expected) in [
        (MediaType::Image, b6::IMAGE),
        (MediaType::Video, b6::VIDEO),
        (MediaType::Audio, b6::AUDIO),
        (MediaType::Document, b6::DOCUMENT),
    ] {
        let keys = MediaKeys::expand(&media_key, media_type);
        let joined = [&keys.iv[..], &keys.cipher_key, &keys.mac_key, &keys.ref_key].concat();
        assert_eq!(hex::encode(joined), expected, "{media_type:?}");
    }
}

#[test]
fn b6_info_strings() {
    let infos: Vec<_> = MediaType::ALL.iter().map(|t| t.info()).collect();
    assert_eq!(
        infos,
        [
            "WhatsApp Image Keys",
            "WhatsApp Video Keys",
            "WhatsApp Audio Keys",
            "WhatsApp Document Keys"
        ]
    );
}

#[test]
fn b6_image_blob_and_hashes() {
    let encrypted = media::encrypt(&bytes(b6::MEDIA_KEY), MediaType::Image, b6::FILE.as_bytes());
    assert_eq!(hex::encode(&encrypted.blob[..16]), b6::ENC);
    assert_eq!(hex::encode(&encrypted.blob[16..]), b6::MAC10);
    assert_eq!(hex::encode(&encrypted.blob), b6::BLOB);
    assert_eq!(hex::encode(encrypted.file_sha256), b6::FILE_SHA256);
    assert_eq!(hex::encode(encrypted.file_enc_sha256), b6::FILE_ENC_SHA256);
    assert_eq!(URL_SAFE_NO_PAD.encode(encrypted.file_enc_sha256), b6::FILE_ENC_SHA256_B64URL);
}

#[test]
fn b6_image_blob_decrypts() {
    let plaintext = media::decrypt(&bytes(b6::MEDIA_KEY), MediaType::Image, &bytes(b6::BLOB));
    assert_eq!(plaintext.unwrap(), b6::FILE.as_bytes());
}
