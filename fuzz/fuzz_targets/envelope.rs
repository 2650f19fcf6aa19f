//! Any bytes given as a relayed `WebMessageInfo` to the envelope edits the server makes
//! (`waweb_proto::message::envelope`) are refused or patched, never a panic; a patched copy is
//! well-formed protobuf, decodes whenever the input did, and carries the envelope the server
//! set.
#![no_main]
use libfuzzer_sys::fuzz_target;
use waweb_proto::message::{self, envelope, WebMessageInfoStatus};

const SENDER: &str = "15550000001@s.whatsapp.net";
const GROUP: &str = "15550000001-1700000000@g.us";

fuzz_target!(|data: &[u8]| {
    let decodes = message::decode(data).is_ok();
    let fields = envelope::split(data);
    let served = envelope::served(data, true, WebMessageInfoStatus::Read, true);
    if fields.is_none() {
        assert_eq!(served, data);
    }
    let copies = [
        envelope::sender_copy(data, SENDER, "ID", 7, WebMessageInfoStatus::ServerAck),
        envelope::recipient_copy(data, SENDER, "ID", 7, "Ann"),
        envelope::group_copy(data, GROUP, SENDER, "ID", 7, "Ann"),
    ];
    for copy in copies {
        assert_eq!(copy.is_some(), fields.is_some());
        let Some(copy) = copy else { continue };
        assert!(envelope::split(&copy).is_some());
        let Ok(back) = message::decode(&copy) else {
            assert!(!decodes, "a decodable message stays decodable");
            continue;
        };
        assert_eq!(back.message_timestamp, Some(7));
        let key = back.key.unwrap_or_default();
        assert_eq!(key.id.as_deref(), Some("ID"));
    }
});
