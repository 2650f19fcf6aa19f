//! Session keys from the client's private key and the captured `Conn` secret, from a saved
//! client session file, and from an explicit pair.

mod capture_support;

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use capture_support::{exchange, har, session_log};
use waweb_proto::capture::keys::{derive_from_capture, keys_from_pair, keys_from_session_file};
use waweb_proto::capture::{detect_and_parse, Decoder, KeyError, Payload};
use waweb_proto::crypto::CryptoError;

fn failures(decoder: &Decoder, capture: &waweb_proto::capture::Capture) -> usize {
    decoder
        .decode_all(capture)
        .iter()
        .filter(|d| matches!(d.payload, Payload::Failed { .. }))
        .count()
}

#[test]
fn private_key_and_conn_secret_give_the_session_keys() {
    let x = exchange(20);
    let capture = detect_and_parse(har(&x).as_bytes()).unwrap();
    for form in [B64.encode(x.client_private), hex::encode(x.client_private)] {
        let keys = derive_from_capture(&capture, &form).unwrap();
        assert_eq!(keys, vec![x.keys.clone()]);
    }
    let keys = derive_from_capture(&capture, &B64.encode(x.client_private)).unwrap();
    let decoder = Decoder::new(keys);
    assert_eq!(failures(&decoder, &capture), 0);
    assert_eq!(failures(&Decoder::new(vec![]), &capture), 4, "the binary frames need keys");
}

#[test]
fn the_wrong_private_key_is_refused_by_the_secret_mac() {
    let x = exchange(21);
    let capture = detect_and_parse(har(&x).as_bytes()).unwrap();
    assert_eq!(
        derive_from_capture(&capture, &B64.encode([9u8; 32])),
        Err(KeyError::Secret(CryptoError::SecretMac))
    );
    assert_eq!(
        derive_from_capture(&capture, "short"),
        Err(KeyError::BadKey { what: "private key" })
    );
}

#[test]
fn a_capture_without_the_pairing_has_no_secret() {
    let x = exchange(22);
    let log = session_log(&x);
    let without_conn: String =
        log.lines().filter(|l| !l.contains("Conn")).map(|l| format!("{l}\n")).collect();
    assert_ne!(without_conn, log, "the Conn frame was there");
    let capture = detect_and_parse(without_conn.as_bytes()).unwrap();
    assert_eq!(
        derive_from_capture(&capture, &B64.encode(x.client_private)),
        Err(KeyError::NoConnSecret)
    );
}

#[test]
fn client_session_file_and_explicit_pair_decode_the_capture() {
    let x = exchange(23);
    let capture = detect_and_parse(har(&x).as_bytes()).unwrap();
    let session = serde_json::json!({
        "clientId": "abc", "serverToken": "st-1", "clientToken": "ct-1",
        "encKey": B64.encode(x.keys.enc_key), "macKey": B64.encode(x.keys.mac_key),
        "wid": "33612345678@c.us",
    });
    let from_file = keys_from_session_file(session.to_string().as_bytes()).unwrap();
    assert_eq!(from_file, x.keys);
    assert_eq!(failures(&Decoder::new(vec![from_file]), &capture), 0);
    let client_file = serde_json::json!({
        "version": 1, "client_id": "abc", "client_token": "ct-1", "server_token": "st-1",
        "enc_key": B64.encode(x.keys.enc_key), "mac_key": B64.encode(x.keys.mac_key),
        "wid": "33612345678@c.us",
    });
    assert_eq!(keys_from_session_file(client_file.to_string().as_bytes()).unwrap(), x.keys);
    let pair = keys_from_pair(&hex::encode(x.keys.enc_key), &B64.encode(x.keys.mac_key)).unwrap();
    assert_eq!(pair, x.keys);
}
