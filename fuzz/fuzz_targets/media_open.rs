//! Any bytes given to the media blob opener give a file or a typed error, under every media
//! type, with and without the hashes. The input is also given a correct MAC, so that fuzzing
//! reaches the decryption and padding checks behind it; what opens must hash to `fileSha256`.
#![no_main]
use libfuzzer_sys::fuzz_target;
use waweb_proto::crypto::media::{self, MediaKeys, MediaType, MEDIA_MAC_LEN};

const MEDIA_KEY: [u8; 32] = [7; 32];

fuzz_target!(|data: &[u8]| {
    for kind in MediaType::ALL {
        let hash = media::sha256(data);
        let _ = media::open_checked(&MEDIA_KEY, kind, data, None, None);
        let _ = media::open_checked(&MEDIA_KEY, kind, data, Some(&hash), Some(&[0; 32]));
        // Re-sign the input as ciphertext: only the CBC and padding checks remain.
        let keys = MediaKeys::expand(&MEDIA_KEY, kind);
        let mut blob = data.to_vec();
        let tag = hmac_tag(&keys, &blob);
        blob.extend_from_slice(&tag);
        let blob_hash = media::sha256(&blob);
        if let Ok(file) = media::open_checked(&MEDIA_KEY, kind, &blob, Some(&blob_hash), None) {
            // Whatever opens re-encrypts to the same blob.
            assert_eq!(keys.encrypt(&file), blob);
        }
    }
});

/// The truncated MAC the blob format uses, computed outside the crate.
fn hmac_tag(keys: &MediaKeys, enc: &[u8]) -> [u8; MEDIA_MAC_LEN] {
    use hmac::{Hmac, Mac};
    let mut tag = [0u8; MEDIA_MAC_LEN];
    if let Ok(mut mac) = Hmac::<sha2::Sha256>::new_from_slice(&keys.mac_key) {
        mac.update(&keys.iv);
        mac.update(enc);
        tag.copy_from_slice(&mac.finalize().into_bytes()[..MEDIA_MAC_LEN]);
    }
    tag
}
