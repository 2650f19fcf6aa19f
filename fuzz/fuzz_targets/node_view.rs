//! Differential: the borrowed node view decodes any bytes exactly as the owned decoder does
//! (the same node or the same error), and re-encodes a decoded node exactly as the owned
//! encoder does; a node it found compact is its own encoding.
#![no_main]
use libfuzzer_sys::fuzz_target;
use waweb_proto::binary::view::{decode_view, encode_view};
use waweb_proto::binary::{decode, try_encode};

fuzz_target!(|data: &[u8]| {
    match (decode(data), decode_view(data)) {
        (Ok(node), Ok(tree)) => {
            assert_eq!(tree.to_node(), node);
            let want = try_encode(&node);
            assert_eq!(encode_view(tree.root()), want);
            if tree.root().is_compact() {
                assert_eq!(want.ok().as_deref(), Some(data));
            }
        }
        (Err(owned), Err(view)) => assert_eq!(owned, view),
        (owned, view) => panic!("decode {owned:?} but decode_view {view:?}"),
    }
});
