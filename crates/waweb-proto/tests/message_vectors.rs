//! WebMessageInfo known-answer vectors: the protocol test vectors B5 (built here, exact bytes
//! both ways), A3 (go-whatsapp's message), A2 (a real history batch from Baileys' tests), and bad
//! input.

use waweb_proto::message::{
    self, ImageMessage, Message, MessageKey, ProtoMessage, WebMessageInfo, WebMessageInfoStatus,
    WebMessageInfoStubType,
};

const B5_1: &str = "0a2c0a1a333336313233343536373840732e77686174736170702e6e657410011a0c33454230413142324333443412060a047465737418c6adcff5052001";
const B5_2: &str = "0a2c0a1a333336313233343536373840732e77686174736170702e6e657410011a0c334542304131423243334434120932070a0568656c6c6f18c6adcff5052001";
const A3_GO: &str = "0a420a1c3439313738363934333533362d3133373539373932313840672e757310011a20343833383646313441314433353831303146344236393544454245424341383312100a0e546573746e61636872696368742e189cc99fd9052000";

/// The four WebMessageInfo payloads of the A2 history batch (the `message` nodes' contents).
const A2: [&str; 4] = [
    "0a350a1b39313735323938373131313740732e77686174736170702e6e657410011a143345423030393637354537454433374141424632122b0a292a7069616e6f20726f6f6d2074696d696e6773206172653a2a0a20363a3030414d2d31323a3030414d18b3faa7f3052003",
    "0a410a1b39313735323938373131313740732e77686174736170702e6e657410001a20304643454335333330463634393239433645394132434646443242433845414418bdfaa7f305c00101",
    "0a350a1b39313735323938373131313740732e77686174736170702e6e657410011a14334542303033433742353339414644303937353312520a50536f727279206672656e2c204920636f756c646e277420756e6465727374616e6420274c69627261272e2054797065202768656c702720746f206b6e6f77207768617420616c6c20492063616e20646f18c1faa7f3052003",
    "0a410a1b39313735323938373131313740732e77686174736170702e6e657410001a20413132333042384436423041314437393345433241453245413043313638443812090a076c69627261727918c2faa7f305",
];

fn bytes(h: &str) -> Vec<u8> {
    hex::decode(h).unwrap()
}

/// Decodes, checks that re-encoding gives the same bytes, returns the message.
fn decode_exact(h: &str) -> WebMessageInfo {
    let info = message::decode(&bytes(h)).unwrap();
    assert_eq!(hex::encode(info.encode_to_vec()), h);
    info
}

fn key(info: &WebMessageInfo) -> &MessageKey {
    info.key.as_ref().unwrap()
}

#[test]
fn b5_1_conversation_both_ways() {
    let built = message::text_message(
        "33612345678@s.whatsapp.net",
        true,
        "3EB0A1B2C3D4",
        "test",
        1588844230,
    );
    assert_eq!(hex::encode(message::encode(&built)), B5_1);
    let info = decode_exact(B5_1);
    assert_eq!(info, built);
    assert_eq!(key(&info).remote_jid(), "33612345678@s.whatsapp.net");
    assert!(key(&info).from_me());
    assert_eq!(key(&info).id(), "3EB0A1B2C3D4");
    assert_eq!(info.message.as_ref().unwrap().conversation.as_deref(), Some("test"));
    assert_eq!(info.text(), Some("test"));
    assert_eq!(info.message_timestamp, Some(1588844230));
    assert_eq!(info.status(), WebMessageInfoStatus::Pending);
}

#[test]
fn b5_2_extended_text_both_ways() {
    let built = message::extended_text_message(
        "33612345678@s.whatsapp.net",
        true,
        "3EB0A1B2C3D4",
        "hello",
        1588844230,
    );
    assert_eq!(hex::encode(built.encode_to_vec()), B5_2);
    let info = decode_exact(B5_2);
    assert_eq!(info, built);
    let content = info.message.as_ref().unwrap();
    assert_eq!(content.conversation, None);
    assert_eq!(content.extended_text_message.as_ref().unwrap().text.as_deref(), Some("hello"));
    assert_eq!(info.text(), Some("hello"));
}

#[test]
fn a3_go_whatsapp_message() {
    let info = decode_exact(A3_GO);
    assert_eq!(key(&info).remote_jid(), "491786943536-1375979218@g.us");
    assert!(key(&info).from_me());
    assert_eq!(key(&info).id(), "48386F14A1D358101F4B695DEBEBCA83");
    assert_eq!(info.text(), Some("Testnachricht."));
    assert_eq!(info.message_timestamp, Some(1529341084));
    // Status ERROR is written explicitly (`20 00`), not left out.
    assert_eq!(info.status, Some(WebMessageInfoStatus::Error as i32));
}

#[test]
fn a2_real_history_batch() {
    let infos: Vec<WebMessageInfo> = A2.iter().map(|h| decode_exact(h)).collect();
    for info in &infos {
        assert_eq!(key(info).remote_jid(), "917529871117@s.whatsapp.net");
    }

    assert_eq!(key(&infos[0]).id(), "3EB009675E7ED37AABF2");
    assert!(key(&infos[0]).from_me());
    assert_eq!(infos[0].text(), Some("*piano room timings are:*\n 6:00AM-12:00AM"));
    assert_eq!(infos[0].message_timestamp, Some(1584004403));
    assert_eq!(infos[0].status(), WebMessageInfoStatus::DeliveryAck);

    assert_eq!(key(&infos[1]).id(), "0FCEC5330F64929C6E9A2CFFD2BC8EAD");
    assert!(!key(&infos[1]).from_me());
    assert_eq!(infos[1].message, None);
    assert_eq!(infos[1].message_stub_type(), WebMessageInfoStubType::Revoke);
    assert_eq!(infos[1].message_timestamp, Some(1584004413));

    assert_eq!(key(&infos[2]).id(), "3EB003C7B539AFD09753");
    assert_eq!(infos[2].message_timestamp, Some(1584004417));
    assert!(infos[2].text().unwrap().starts_with("Sorry fren"));

    assert_eq!(key(&infos[3]).id(), "A1230B8D6B0A1D793EC2AE2EA0C168D8");
    assert_eq!(infos[3].text(), Some("library"));
    assert_eq!(infos[3].message_timestamp, Some(1584004418));
    assert_eq!(infos[3].status, None);
}

#[test]
fn received_text_has_no_status() {
    let info = message::text_message("33612345678@s.whatsapp.net", false, "X", "hi", 1);
    assert_eq!(info.status, None);
    assert_eq!(message::decode(&info.encode_to_vec()).unwrap(), info);
}

#[test]
fn garbage_is_an_error_not_a_panic() {
    let cases: [&[u8]; 7] = [
        &[0x0a],                   // key: length missing
        &[0x0a, 0x05, 0x0a],       // key: length beyond the input
        &[0xff; 12],               // varint longer than 10 bytes
        &[0x0b],                   // deprecated group wire type
        &[0x07],                   // wire type 7 does not exist
        &[0x00, 0x01],             // field number 0
        &[0x12, 0x02, 0x0a, 0x05], // nested message truncated
    ];
    for bad in cases {
        assert!(message::decode(bad).is_err(), "{bad:02x?}");
    }
    // Every truncation of a valid message is rejected or decodes to something, never panics.
    let full = bytes(B5_2);
    for n in 0..full.len() {
        let _ = message::decode(&full[..n]);
    }
    // Nesting is fine up to prost's recursion limit, an error (not a stack overflow) beyond it.
    assert!(Message::decode(nested_ephemeral(40).as_slice()).is_ok());
    assert!(Message::decode(nested_ephemeral(200).as_slice()).is_err());
}

/// `depth` `Message{ephemeralMessage(40){message(1)}}` wrappers around an empty message.
fn nested_ephemeral(depth: usize) -> Vec<u8> {
    let mut m = Vec::new();
    for _ in 0..depth {
        let wrapper = [vec![0x0a], encode_len(m.len()), m].concat();
        m = [vec![0xc2, 0x02], encode_len(wrapper.len()), wrapper].concat();
    }
    m
}

fn encode_len(mut n: usize) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let byte = (n & 0x7f) as u8;
        n >>= 7;
        if n == 0 {
            out.push(byte);
            return out;
        }
        out.push(byte | 0x80);
    }
}

#[test]
fn debug_redacts_media_keys() {
    let image = ImageMessage {
        url: Some("https://mmg.example/x".into()),
        media_key: Some(vec![0xAB; 32]),
        ..Default::default()
    };
    let text = format!("{image:?}");
    assert!(text.contains("<redacted 32 bytes>"), "{text}");
    assert!(!text.contains("171"), "{text}");
    assert!(text.contains("mmg.example"));
}

#[test]
fn text_looks_through_wrappers() {
    let inner = Message { conversation: Some("once".into()), ..Default::default() };
    let wrapped = Message {
        view_once_message: Some(Box::new(message::FutureProofMessage {
            message: Some(Box::new(inner)),
        })),
        ..Default::default()
    };
    let info = WebMessageInfo { message: Some(wrapped), ..Default::default() };
    let back = message::decode(&info.encode_to_vec()).unwrap();
    assert_eq!(back.text(), Some("once"));
    assert_eq!(WebMessageInfo::default().text(), None);
}

#[test]
fn seed_message_content_example() {
    // The seed shows this history entry as decoded JSON: key{remoteJid, fromMe False,
    // id '3EB0118290995EC1ACD8'}, message{conversation 'test'},
    // messageTimestamp '389294857064076995', status 'ERROR'.
    let mut info = message::text_message(
        "33698765432@s.whatsapp.net",
        false,
        "3EB0118290995EC1ACD8",
        "test",
        389294857064076995,
    );
    info.set_status(WebMessageInfoStatus::Error);
    let back = message::decode(&info.encode_to_vec()).unwrap();
    assert_eq!(back, info);
    assert_eq!(key(&back).id(), "3EB0118290995EC1ACD8");
    assert!(!key(&back).from_me());
    assert_eq!(back.text(), Some("test"));
    assert_eq!(back.message_timestamp, Some(389294857064076995));
    assert_eq!(back.status, Some(0));
}
