//! Known-answer tests for the WABinary codec: the published Baileys vectors (vector A2 of docs/PROTOCOL.md) and
//! the derived raw / official / compact encodings (vector B3 of docs/PROTOCOL.md).

use waweb_proto::binary::{decode, encode, Content, Node};

fn unhex(s: &str) -> Vec<u8> {
    hex::decode(s).unwrap()
}

/// A real, decrypted history batch of four messages (Baileys `Tests.Binary.ts`).
const A2_1: &str = "f806092f5a0a10f804f80234fc6c0a350a1b39313735323938373131313740732e77686174736170702e6e657410011a143345423030393637354537454433374141424632122b0a292a7069616e6f20726f6f6d2074696d696e6773206172653a2a0a20363a3030414d2d31323a3030414d18b3faa7f3052003f80234fc4c0a410a1b39313735323938373131313740732e77686174736170702e6e657410001a20304643454335333330463634393239433645394132434646443242433845414418bdfaa7f305c00101f80234fc930a350a1b39313735323938373131313740732e77686174736170702e6e657410011a14334542303033433742353339414644303937353312520a50536f727279206672656e2c204920636f756c646e277420756e6465727374616e6420274c69627261272e2054797065202768656c702720746f206b6e6f77207768617420616c6c20492063616e20646f18c1faa7f3052003f80234fc540a410a1b39313735323938373131313740732e77686174736170702e6e657410001a20413132333042384436423041314437393345433241453245413043313638443812090a076c69627261727918c2faa7f305";

#[test]
fn a2_1_history_batch() {
    let bytes = unhex(A2_1);
    let node = decode(&bytes).unwrap();
    assert_eq!(node.description, "action");
    assert_eq!(node.attrs, [("last".into(), "true".into()), ("add".into(), "before".into())]);
    let messages = node.child_nodes();
    let ids = [
        "3EB009675E7ED37AABF2",
        "0FCEC5330F64929C6E9A2CFFD2BC8EAD",
        "3EB003C7B539AFD09753",
        "A1230B8D6B0A1D793EC2AE2EA0C168D8",
    ];
    let sizes = [108, 76, 147, 84];
    assert_eq!(messages.len(), 4);
    for ((msg, id), size) in messages.iter().zip(ids).zip(sizes) {
        assert_eq!(msg.description, "message");
        assert!(msg.attrs.is_empty());
        let wmi = msg.content_bytes().unwrap();
        assert_eq!(wmi.len(), size);
        // Field 1 (key), then the remote JID as the protobuf spells it, then the id.
        assert_eq!(wmi[0], 0x0a);
        let text = String::from_utf8_lossy(wmi);
        assert!(text.contains("917529871117@s.whatsapp.net"), "{text}");
        assert!(text.contains(id), "{id}");
    }
    // Every string here is a token and every content is under 256 bytes, so the compact form is
    // the same as Baileys' raw one.
    assert_eq!(encode(&node), bytes);
    assert_eq!(decode(&encode(&node)).unwrap(), node);
}

#[test]
fn a2_2_picture_with_jid_attribute() {
    let raw = unhex("f8063f2dfafc0831323334353637385027fc0431323334f801f80228fc0701020304050607");
    let expected = Node::new("picture")
        .attr("jid", "12345678@c.us")
        .attr("id", "1234")
        .children(vec![Node::new("image").bytes(vec![1, 2, 3, 4, 5, 6, 7])]);
    let node = decode(&raw).unwrap();
    assert_eq!(node, expected);
    let compact = unhex("f8063f2dfaff04123456785027ff021234f801f80228fc0701020304050607");
    assert_eq!(encode(&node), compact);
    assert_eq!(decode(&compact).unwrap(), expected);
}

/// Checks one B3 vector: every byte form decodes to `node`, and we encode the compact form.
fn check_b3(node: Node, forms: &[&str], compact: &str) {
    for form in forms.iter().chain([&compact]) {
        assert_eq!(decode(&unhex(form)).unwrap(), node, "decoding {form}");
    }
    assert_eq!(hex::encode(encode(&node)), compact);
}

#[test]
fn b3_1_battery_push() {
    let node = Node::new("action").children(vec![Node::new("battery")
        .attr("value", "21")
        .attr("live", "true")
        .attr("powersave", "false")]);
    check_b3(node, &["f80209f801f8070f60fc023231315a6920"], "f80209f801f8070f60ff0121315a6920");
}

#[test]
fn b3_2_contacts_query() {
    let node = Node::new("query").attr("type", "contacts").attr("epoch", "1");
    check_b3(node, &["f805445b176bfc0131"], "f805445b176bff811f");
}

#[test]
fn b3_3_presence_available() {
    let node = Node::new("action")
        .attr("type", "set")
        .attr("epoch", "1")
        .children(vec![Node::new("presence").attr("type", "available")]);
    check_b3(node, &["f806095b526bfc0131f801f803415b0e"], "f806095b526bff811ff801f803415b0e");
}

#[test]
fn b3_4_chat_list_response() {
    let node = Node::new("response").attr("type", "chat").children(vec![Node::new("chat")
        .attr("jid", "33612345678@c.us")
        .attr("count", "0")
        .attr("t", "1584197869")
        .attr("mute", "0")
        .attr("modify_tag", "111421")
        .attr("spam", "false")]);
    check_b3(
        node,
        &[
            "f8044d5b13f801f80d132dfafc0b33333631323334353637385018fc013057fc0a3135383431393738363963fc013072fc063131313432317120",
            "f8044d5b13f801f80d132dfaff8633612345678f5018fc013057fc0a3135383431393738363963fc013072fc063131313432317120",
        ],
        "f8044d5b13f801f80d132dfaff8633612345678f5018ff810f57ff05158419786963ff810f72ff031114217120",
    );
}

#[test]
fn b3_5_frequent_contacts() {
    let node = Node::new("action").children(vec![Node::new("contacts")
        .attr("type", "frequent")
        .children(vec![
            Node::new("message").attr("jid", "33612345678@c.us"),
            Node::new("image").attr("jid", "33698765432@c.us"),
            Node::new("video").attr("jid", "33612345678-1509911919@g.us"),
        ])]);
    check_b3(
        node,
        &["f80209f801f804175b8bf803f803342dfafc0b333336313233343536373850f803282dfafc0b333336393837363534333250f803ae2dfafc1633333631323334353637382d3135303939313139313923"],
        "f80209f801f804175b8bf803f803342dfaff8633612345678f50f803282dfaff8633698765432f50f803ae2dfaff0b33612345678a150991191923",
    );
}

#[test]
fn b3_6_history_query() {
    let node = Node::new("query")
        .attr("type", "message")
        .attr("kind", "before")
        .attr("jid", "33612345678@c.us")
        .attr("count", "50")
        .attr("index", "DFF75B2EBD3AB12CC22E8AF692699B3B")
        .attr("owner", "false")
        .attr("epoch", "5");
    check_b3(
        node,
        &[
            "f80f445b342e102dfafc0b33333631323334353637385018fc0235302afc2044464637354232454244334142313243433232453841463639323639394233423c206bfc0135",
            "f80f445b342e102dfaff8633612345678f5018fc0235302afc2044464637354232454244334142313243433232453841463639323639394233423c206bfc0135",
        ],
        "f80f445b342e102dfaff8633612345678f5018ff01502afb10dff75b2ebd3ab12cc22e8af692699b3b3c206bff815f",
    );
}

#[test]
fn b5_3_relay_node_from_baileys() {
    let bytes = unhex("f806096bfc01335b4bf801f80234fc410a2c0a1a333336313233343536373840732e77686174736170702e6e657410011a0c334542304131423243334434120932070a0568656c6c6f18c6adcff5052001");
    let node = decode(&bytes).unwrap();
    assert_eq!(node.attrs, [("epoch".into(), "3".into()), ("type".into(), "relay".into())]);
    let message = &node.child_nodes()[0];
    assert_eq!(message.description, "message");
    assert_eq!(message.content_bytes().unwrap().len(), 0x41);
    assert_eq!(decode(&encode(&node)).unwrap(), node);
}

#[test]
fn status_broadcast_jid_uses_two_tokens() {
    let node = Node::new("message").attr("jid", "status@broadcast");
    assert_eq!(encode(&node), [0xf8, 0x03, 0x34, 0x2d, 0xfa, 0x54, 0x12]);
    assert_eq!(decode(&encode(&node)).unwrap(), node);
}

#[test]
fn the_user_server_token_reads_as_c_us_everywhere() {
    // Token 80 as description, key, value, JID server and string content.
    let bytes = [0xf8, 0x04, 0x50, 0x50, 0x50, 0x50];
    let node = decode(&bytes).unwrap();
    assert_eq!(node, Node::new("c.us").attr("c.us", "c.us").bytes("c.us"));
    // Baileys writes `c.us` as `s.whatsapp.net` in raw form too; it stays a raw string.
    let raw = decode(&hex::decode("f8030928fc0e732e77686174736170702e6e6574").unwrap()).unwrap();
    assert_eq!(raw.get_attr("image"), Some("s.whatsapp.net"));
    // Both spellings encode to the token.
    assert_eq!(encode(&raw), [0xf8, 0x03, 0x09, 0x28, 0x50]);
    assert_eq!(encode(&Node::new("action").attr("image", "c.us")), [0xf8, 0x03, 0x09, 0x28, 0x50]);
    let jid = Node::new("action").attr("jid", "1@s.whatsapp.net");
    assert_eq!(decode(&encode(&jid)).unwrap().get_attr("jid"), Some("1@c.us"));
}

#[test]
fn jid_pair_with_null_user_reads_as_the_server() {
    let node = decode(&[0xf8, 0x03, 0x09, 0x2d, 0xfa, 0x00, 0x50]).unwrap();
    assert_eq!(node.get_attr("jid"), Some("c.us"));
    let node = decode(&[0xf8, 0x03, 0x09, 0x2d, 0xfa, 0x00, 0x23]).unwrap();
    assert_eq!(node.get_attr("jid"), Some("g.us"));
}

/// A 15-byte user and an empty server fill the one-word JID path exactly (found by fuzzing: the
/// decoder's shift overflowed and a debug build panicked).
#[test]
fn jid_pair_whose_user_and_separator_fill_sixteen_bytes() {
    let mut bytes = vec![0xf8, 0x03, 0x09, 0x2d, 0xfa, 0xfc, 0x0f];
    bytes.extend_from_slice(b"123456789012345");
    bytes.extend_from_slice(&[0xfc, 0x00]);
    let node = decode(&bytes).unwrap();
    assert_eq!(node.get_attr("jid"), Some("123456789012345@"));
}

#[test]
fn string_content_is_kept_as_utf8_bytes() {
    // 2016 frequent-contacts form: the number as nibble-packed string content.
    let node = decode(&[0xf8, 0x02, 0x34, 0xff, 0x82, 0x39, 0x1f]).unwrap();
    assert_eq!(node, Node::new("message").bytes("391"));
    let node = decode(&[0xf8, 0x02, 0x34, 0x5a]).unwrap();
    assert_eq!(node.content, Content::Bytes(b"true".to_vec()));
    let node = decode(&[0xf8, 0x02, 0x34, 0xfa, 0xff, 0x81, 0x1f, 0x50]).unwrap();
    assert_eq!(node.content, Content::Bytes(b"1@c.us".to_vec()));
    let node = decode(&[0xf8, 0x02, 0x34, 0x00]).unwrap();
    assert_eq!(node.content, Content::Nodes(vec![]));
}

#[test]
fn packed_strings_decode_with_odd_flag_and_padding() {
    let value = |bytes: &[u8]| {
        let mut input = vec![0xf8, 0x03, 0x09, 0x0a];
        input.extend_from_slice(bytes);
        decode(&input).unwrap().get_attr("add").unwrap().to_owned()
    };
    assert_eq!(value(&[0xff, 0x81, 0x1f]), "1");
    assert_eq!(value(&[0xff, 0x02, 0xab, 0x12]), "-.12");
    assert_eq!(value(&[0xff, 0x80]), "");
    assert_eq!(value(&[0xff, 0x01, 0x1f]), "1\0");
    assert_eq!(value(&[0xfb, 0x81, 0xaf]), "A");
    assert_eq!(value(&[0xfb, 0x02, 0x0f, 0xe9]), "0FE9");
    // BINARY_20 ignores the high nibble of its first length byte.
    assert_eq!(value(&[0xfd, 0xf0, 0x00, 0x01, b'x']), "x");
}

#[test]
fn null_attribute_values_are_omitted() {
    let node = decode(&[0xf8, 0x05, 0x09, 0x0a, 0x00, 0x2f, 0x5a]).unwrap();
    assert_eq!(node, Node::new("action").attr("last", "true"));
}
