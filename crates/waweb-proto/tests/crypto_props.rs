//! Property tests of the cryptography: every seal opens, every secret built with random keys
//! opens to those keys, and arbitrary bytes never make an opener panic.

use proptest::prelude::*;
use rand::rngs::StdRng;
use rand::SeedableRng;
use waweb_proto::crypto::media::{MediaKeys, MediaType};
use waweb_proto::crypto::seal::{open, open_into, seal, seal_into, seal_with_rng, sealed_len};
use waweb_proto::crypto::{secret, CryptoError, KeyPair, SessionKeys};

fn keys() -> impl Strategy<Value = SessionKeys> {
    (any::<[u8; 32]>(), any::<[u8; 32]>())
        .prop_map(|(enc_key, mac_key)| SessionKeys { enc_key, mac_key })
}

fn media_type() -> impl Strategy<Value = MediaType> {
    prop::sample::select(MediaType::ALL.to_vec())
}

proptest! {
    #[test]
    fn seal_then_open(keys in keys(), iv in any::<[u8; 16]>(),
                      plaintext in prop::collection::vec(any::<u8>(), 0..2048)) {
        let sealed = seal(&keys, iv, &plaintext);
        prop_assert_eq!(sealed.len(), sealed_len(plaintext.len()));
        prop_assert_eq!(&sealed[32..48], &iv[..]);
        prop_assert_eq!(open(&keys, &sealed).unwrap(), plaintext);
    }

    #[test]
    fn seal_into_and_open_into_append(keys in keys(), seed in any::<u64>(),
                                      prefix in prop::collection::vec(any::<u8>(), 0..8),
                                      plaintext in prop::collection::vec(any::<u8>(), 0..300)) {
        let mut rng = StdRng::seed_from_u64(seed);
        let sealed = seal_with_rng(&keys, &mut rng, &plaintext);
        let mut buffer = prefix.clone();
        seal_into(&keys, sealed[32..48].try_into().unwrap(), &plaintext, &mut buffer);
        prop_assert_eq!(&buffer[..prefix.len()], &prefix[..]);
        prop_assert_eq!(&buffer[prefix.len()..], &sealed[..]);
        let mut opened = prefix.clone();
        open_into(&keys, &sealed, &mut opened).unwrap();
        prop_assert_eq!(&opened[prefix.len()..], &plaintext[..]);
    }

    #[test]
    fn open_arbitrary_bytes_is_an_error(keys in keys(),
                                        data in prop::collection::vec(any::<u8>(), 0..200)) {
        // A random 32-byte MAC matches with probability 2^-256.
        let result = open(&keys, &data);
        prop_assert!(matches!(
            result,
            Err(CryptoError::FrameTooShort(_) | CryptoError::FrameLength(_) | CryptoError::FrameMac)
        ));
    }

    #[test]
    fn build_secret_then_open(seed in any::<u64>()) {
        let mut rng = StdRng::seed_from_u64(seed);
        let keys = SessionKeys::generate(&mut rng);
        let client = KeyPair::generate(&mut rng);
        let sealed = secret::build_secret(&mut rng, &client.public_bytes(), &keys);
        prop_assert_eq!(secret::open_secret(&client, &sealed).unwrap(), keys);
    }

    #[test]
    fn open_secret_arbitrary_bytes_never_panics(private in any::<[u8; 32]>(),
                                                data in prop::collection::vec(any::<u8>(), 0..200)) {
        let client = KeyPair::from_private_bytes(private);
        prop_assert!(secret::open_secret(&client, &data).is_err());
    }

    #[test]
    fn media_round_trip(media_key in any::<[u8; 32]>(), media_type in media_type(),
                        plaintext in prop::collection::vec(any::<u8>(), 0..500)) {
        let keys = MediaKeys::expand(&media_key, media_type);
        let blob = keys.encrypt(&plaintext);
        prop_assert_eq!(blob.len() % 16, 10);
        prop_assert_eq!(keys.decrypt(&blob).unwrap(), plaintext);
    }

    #[test]
    fn session_keys_from_slices(enc in prop::collection::vec(any::<u8>(), 0..40),
                                mac in prop::collection::vec(any::<u8>(), 0..40)) {
        match SessionKeys::from_slices(&enc, &mac) {
            Ok(keys) => {
                prop_assert_eq!(&keys.enc_key[..], &enc[..]);
                prop_assert_eq!(&keys.mac_key[..], &mac[..]);
            }
            Err(CryptoError::KeyLength { expected: 32, actual }) => {
                prop_assert!(enc.len() != 32 || mac.len() != 32);
                prop_assert!(actual == enc.len() || actual == mac.len());
            }
            Err(other) => prop_assert!(false, "unexpected {other:?}"),
        }
    }
}
