//! Any text given to the frame parser gives a frame or a typed error; a parsed tagged frame's JSON
//! goes through the typed message models without a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;
use waweb_proto::frame::TextFrame;
use waweb_proto::json::push::ServerPush;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(frame) = TextFrame::parse(text) {
        if let Some(payload) = frame.payload() {
            let _ = ServerPush::from_value(payload);
        }
    }
});
