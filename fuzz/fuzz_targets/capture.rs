//! Any bytes given to the capture reader (HAR or session log, detected) give a capture or a typed
//! error; every frame of a parsed capture decodes to a frame or a reason, never a panic. The
//! same bytes are also tried as a client session file.
#![no_main]
use libfuzzer_sys::fuzz_target;
use waweb_proto::capture::keys::keys_from_session_file;
use waweb_proto::capture::{detect_and_parse, Decoder};
use waweb_proto::crypto::SessionKeys;

fuzz_target!(|data: &[u8]| {
    let _ = keys_from_session_file(data);
    if let Ok(capture) = detect_and_parse(data) {
        let mut keys = capture.keys.clone();
        keys.push(SessionKeys { enc_key: [1; 32], mac_key: [2; 32] });
        let _ = Decoder::new(keys).decode_all(&capture);
    }
});
