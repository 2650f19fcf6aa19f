//! Any bytes given to the WABinary decoder give a node or a typed error, never a panic; a decoded
//! node re-encodes, and the re-encoding decodes to the same node.
#![no_main]
use libfuzzer_sys::fuzz_target;
use waweb_proto::binary::{decode, try_encode};

fuzz_target!(|data: &[u8]| {
    if let Ok(node) = decode(data) {
        if let Ok(bytes) = try_encode(&node) {
            assert_eq!(decode(&bytes).ok(), Some(node));
        }
    }
});
