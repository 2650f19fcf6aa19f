//! Binary frames: the B4 vectors byte for byte in both directions, the layout rules, and the
//! one-step seal/open helpers against tampering and arbitrary input.

#[allow(dead_code)]
#[path = "data/vectors.rs"]
mod vectors;

use proptest::prelude::*;
use rand_core::{CryptoRng, RngCore};
use vectors::{array, b1_keys, b4, bytes};
use waweb_proto::crypto::seal::seal;
use waweb_proto::crypto::{CryptoError, SessionKeys};
use waweb_proto::frame::binary::{
    build_client_frame, build_server_frame, open_client_frame, open_server_frame,
    parse_server_frame, seal_client_frame, seal_client_frame_with_iv, seal_server_frame,
    seal_server_frame_with_iv, ClientFrame, OpenedClientFrame,
};
use waweb_proto::frame::{Flags, FrameError, Metric};

/// An RNG that replays fixed bytes, so the helpers drawing IVs can be checked against B4.
struct Replay(Vec<u8>);

impl RngCore for Replay {
    fn next_u32(&mut self) -> u32 {
        rand_core::impls::next_u32_via_fill(self)
    }
    fn next_u64(&mut self) -> u64 {
        rand_core::impls::next_u64_via_fill(self)
    }
    fn fill_bytes(&mut self, dest: &mut [u8]) {
        let rest = self.0.split_off(dest.len());
        dest.copy_from_slice(&self.0);
        self.0 = rest;
    }
    fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), rand_core::Error> {
        self.fill_bytes(dest);
        Ok(())
    }
}

impl CryptoRng for Replay {}

#[test]
fn b4_server_frame_layout() {
    let sealed = seal(&b1_keys(), array(b4::SERVER_IV), &bytes(b4::SERVER_PLAINTEXT));
    assert_eq!(hex::encode(&sealed[..32]), b4::SERVER_HMAC);
    assert_eq!(hex::encode(&sealed[32..48]), b4::SERVER_IV);
    assert_eq!(hex::encode(&sealed[48..]), b4::SERVER_CIPHERTEXT);
    let frame = build_server_frame(b4::SERVER_TAG, &sealed);
    assert_eq!(hex::encode(&frame), b4::SERVER_FRAME);
    assert_eq!(parse_server_frame(&frame).unwrap(), (b4::SERVER_TAG, &sealed[..]));
}

#[test]
fn b4_server_frame_sealed_in_one_step() {
    let keys = b1_keys();
    let plaintext = bytes(b4::SERVER_PLAINTEXT);
    let with_iv =
        seal_server_frame_with_iv(&keys, array(b4::SERVER_IV), b4::SERVER_TAG, &plaintext);
    assert_eq!(hex::encode(with_iv), b4::SERVER_FRAME);
    let mut rng = Replay(bytes(b4::SERVER_IV));
    let with_rng = seal_server_frame(&keys, &mut rng, b4::SERVER_TAG, &plaintext);
    assert_eq!(hex::encode(with_rng), b4::SERVER_FRAME);
}

#[test]
fn b4_server_frame_opens() {
    let (tag, plaintext) = open_server_frame(&b1_keys(), &bytes(b4::SERVER_FRAME)).unwrap();
    assert_eq!(tag, b4::SERVER_TAG);
    assert_eq!(hex::encode(plaintext), b4::SERVER_PLAINTEXT);
}

#[test]
fn b4_client_frame_layout() {
    let sealed = seal(&b1_keys(), array(b4::CLIENT_IV), &bytes(b4::CLIENT_PLAINTEXT));
    assert_eq!(hex::encode(&sealed[..32]), b4::CLIENT_HMAC);
    assert_eq!(hex::encode(&sealed[48..]), b4::CLIENT_CIPHERTEXT);
    let flags = Flags(b4::CLIENT_FLAGS);
    let frame = build_client_frame(b4::CLIENT_TAG, b4::CLIENT_METRIC, flags, &sealed);
    assert_eq!(hex::encode(&frame), b4::CLIENT_FRAME);
    assert_eq!(
        ClientFrame::parse(&frame).unwrap(),
        ClientFrame { tag: b4::CLIENT_TAG, metric: 8, flags: Flags(0xa0), payload: &sealed }
    );
}

#[test]
fn b4_client_frame_sealed_in_one_step() {
    let keys = b1_keys();
    let plaintext = bytes(b4::CLIENT_PLAINTEXT);
    let (tag, metric) = (b4::CLIENT_TAG, Metric::Presence.as_u8());
    let flags = Flags::EXPECTS_ANSWER | Flags::AVAILABLE;
    let with_iv =
        seal_client_frame_with_iv(&keys, array(b4::CLIENT_IV), tag, metric, flags, &plaintext);
    assert_eq!(hex::encode(with_iv), b4::CLIENT_FRAME);
    let mut rng = Replay(bytes(b4::CLIENT_IV));
    let with_rng = seal_client_frame(&keys, &mut rng, tag, metric, flags, &plaintext);
    assert_eq!(hex::encode(with_rng), b4::CLIENT_FRAME);
}

#[test]
fn b4_client_frame_opens() {
    let opened = open_client_frame(&b1_keys(), &bytes(b4::CLIENT_FRAME)).unwrap();
    assert_eq!(
        opened,
        OpenedClientFrame {
            tag: b4::CLIENT_TAG.to_owned(),
            metric: 8,
            flags: Flags(0xa0),
            plaintext: bytes(b4::CLIENT_PLAINTEXT),
        }
    );
    assert_eq!(opened.known_metric(), Some(Metric::Presence));
    assert!(opened.flags.contains(Flags::EXPECTS_ANSWER | Flags::AVAILABLE));
}

#[test]
fn b4_frames_are_not_interchangeable() {
    // The two extra header bytes shift the payload off the block grid (82 − 48 = 34, 78 − 48 = 30).
    let keys = b1_keys();
    assert_eq!(
        open_server_frame(&keys, &bytes(b4::CLIENT_FRAME)),
        Err(FrameError::Crypto(CryptoError::FrameLength(34)))
    );
    assert_eq!(
        open_client_frame(&keys, &bytes(b4::SERVER_FRAME)),
        Err(FrameError::Crypto(CryptoError::FrameLength(30)))
    );
}

#[test]
fn every_payload_bit_flip_fails_the_mac() {
    let keys = b1_keys();
    for frame_hex in [b4::SERVER_FRAME, b4::CLIENT_FRAME] {
        let frame = bytes(frame_hex);
        let is_client = frame_hex == b4::CLIENT_FRAME;
        let tag_len = if is_client { b4::CLIENT_TAG.len() } else { b4::SERVER_TAG.len() };
        let payload_start = tag_len + 1 + if is_client { 2 } else { 0 };
        for bit in payload_start * 8..frame.len() * 8 {
            let mut tampered = frame.clone();
            tampered[bit / 8] ^= 1 << (bit % 8);
            let error = if is_client {
                open_client_frame(&keys, &tampered).unwrap_err()
            } else {
                open_server_frame(&keys, &tampered).unwrap_err()
            };
            assert_eq!(error, FrameError::Crypto(CryptoError::FrameMac), "bit {bit}");
        }
    }
}

#[test]
fn tag_metric_and_flags_are_not_authenticated() {
    // docs/PROTOCOL.md: the MAC covers iv ‖ ct only; a changed header still opens.
    let keys = b1_keys();
    let mut frame = bytes(b4::CLIENT_FRAME);
    let header = b4::CLIENT_TAG.len();
    frame[0] = b'2';
    frame[header + 1] = 16;
    frame[header + 2] = 0x80;
    let opened = open_client_frame(&keys, &frame).unwrap();
    assert_eq!(opened.tag, "2588844230.--1");
    assert_eq!((opened.metric, opened.flags), (16, Flags::REQUEST));
    assert_eq!(opened.plaintext, bytes(b4::CLIENT_PLAINTEXT));
}

#[test]
fn layout_errors() {
    let keys = b1_keys();
    assert_eq!(open_server_frame(&keys, b""), Err(FrameError::Empty));
    assert_eq!(open_server_frame(&keys, b"no comma here"), Err(FrameError::NoComma));
    assert_eq!(open_client_frame(&keys, b",\x08\x80"), Err(FrameError::EmptyTag));
    assert_eq!(open_client_frame(&keys, b"t\x00,\x08\x80"), Err(FrameError::InvalidTag));
    assert_eq!(open_client_frame(&keys, b"t,\x08"), Err(FrameError::TooShort));
    assert_eq!(
        open_client_frame(&keys, b"t,\x08\x80"),
        Err(FrameError::Crypto(CryptoError::FrameTooShort(0)))
    );
    assert_eq!(
        open_server_frame(&keys, &[b"t,".as_slice(), &[0; 63]].concat()),
        Err(FrameError::Crypto(CryptoError::FrameTooShort(63)))
    );
}

#[test]
fn comma_bytes_after_the_tag_are_payload() {
    // Metric 44 and flag bytes equal to ',' must not be mistaken for separators.
    let keys = b1_keys();
    let frame = seal_client_frame_with_iv(&keys, [b','; 16], "t", 44, Flags(b','), b",");
    let opened = open_client_frame(&keys, &frame).unwrap();
    assert_eq!((opened.tag.as_str(), opened.metric, opened.flags), ("t", 44, Flags(0x2c)));
    assert_eq!(opened.known_metric(), Some(Metric::AddOrRemoveLabels));
    assert_eq!(opened.plaintext, b",");
}

fn keys() -> impl Strategy<Value = SessionKeys> {
    (any::<[u8; 32]>(), any::<[u8; 32]>())
        .prop_map(|(enc_key, mac_key)| SessionKeys { enc_key, mac_key })
}

fn tag() -> impl Strategy<Value = String> {
    "[!-+\\--~]{1,24}"
}

proptest! {
    #[test]
    fn client_frame_round_trip(keys in keys(), iv in any::<[u8; 16]>(), tag in tag(),
                               metric in any::<u8>(), flags in any::<u8>(),
                               plaintext in prop::collection::vec(any::<u8>(), 0..600)) {
        let frame = seal_client_frame_with_iv(&keys, iv, &tag, metric, Flags(flags), &plaintext);
        let opened = open_client_frame(&keys, &frame).unwrap();
        prop_assert_eq!(opened, OpenedClientFrame { tag, metric, flags: Flags(flags), plaintext });
    }

    #[test]
    fn server_frame_round_trip(keys in keys(), iv in any::<[u8; 16]>(), tag in tag(),
                               plaintext in prop::collection::vec(any::<u8>(), 0..600)) {
        let frame = seal_server_frame_with_iv(&keys, iv, &tag, &plaintext);
        prop_assert_eq!(open_server_frame(&keys, &frame).unwrap(), (tag, plaintext));
    }

    #[test]
    fn opening_arbitrary_bytes_never_panics(keys in keys(),
                                            data in prop::collection::vec(any::<u8>(), 0..160)) {
        prop_assert!(open_client_frame(&keys, &data).is_err());
        prop_assert!(open_server_frame(&keys, &data).is_err());
    }

    #[test]
    fn opening_arbitrary_framed_bytes_never_panics(keys in keys(), tag in tag(),
                                                   body in prop::collection::vec(any::<u8>(), 0..160)) {
        let data = [tag.as_bytes(), b",", &body].concat();
        prop_assert!(open_client_frame(&keys, &data).is_err());
        prop_assert!(open_server_frame(&keys, &data).is_err());
    }
}
