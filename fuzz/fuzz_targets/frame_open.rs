//! Any bytes given to the binary frame openers (both directions) give a plaintext or a typed
//! error. The input is also re-signed with the right MAC and opened, so that fuzzing reaches the
//! decryption and padding checks behind the MAC, and whatever opens goes through the node decoder.
#![no_main]
use hmac::{Hmac, Mac};
use libfuzzer_sys::fuzz_target;
use sha2::Sha256;
use waweb_proto::binary::decode;
use waweb_proto::crypto::{seal::open, SessionKeys};
use waweb_proto::frame::binary::{open_client_frame, open_server_frame};

const MAC_KEY: [u8; 32] = [2; 32];

fuzz_target!(|data: &[u8]| {
    let keys = SessionKeys { enc_key: [1; 32], mac_key: MAC_KEY };
    if let Ok((_, plain)) = open_server_frame(&keys, data) {
        let _ = decode(&plain);
    }
    if let Ok(opened) = open_client_frame(&keys, data) {
        let _ = decode(&opened.plaintext);
    }
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(&MAC_KEY) else { return };
    mac.update(data);
    let mut payload = mac.finalize().into_bytes().to_vec();
    payload.extend_from_slice(data);
    if let Ok(plain) = open(&keys, &payload) {
        let _ = decode(&plain);
    }
});
