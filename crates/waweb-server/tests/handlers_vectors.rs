//! The handlers' nodes against the byte examples of docs/PROTOCOL.md §7.5, §8.3 and §8.7.

use waweb_proto::binary::{encode, Node};
use waweb_proto::message::envelope;
use waweb_server::handler::lists;
use waweb_server::store::{Chat, Contact};

fn hex(s: &str) -> Vec<u8> {
    hex::decode(s).unwrap()
}

#[test]
fn chat_list_item_matches_the_documented_bytes() {
    let chat =
        Chat { unread: 1, modify_tag: 1, ..Chat::new("33698765432@s.whatsapp.net", 1588844100) };
    let node = lists::chat_list_node(&[chat]);
    assert_eq!(
        encode(&node),
        hex("f8044d5b13f801f80b132dfaff8633698765432f5018ff811f57ff05158884410072ff811f7120")
    );
    let duplicate = waweb_proto::query::chats::ChatList::Duplicate.to_node();
    assert_eq!(encode(&duplicate), hex("f8054d5b131d5a"));
}

#[test]
fn contact_item_matches_the_documented_bytes() {
    let contact = Contact {
        jid: "33698765432@s.whatsapp.net".into(),
        name: Some("Bob Martin".into()),
        notify: Some("Bob".into()),
        short: Some("Bob".into()),
    };
    let node = lists::contact_list_node(&[contact]);
    assert_eq!(
        encode(&node),
        hex("f8044d5b17f801f8095f2dfaff8633698765432f503afc03426f6238fc0a426f62204d617274696e67fc03426f62")
    );
    let duplicate = waweb_proto::query::contacts::ContactList::Duplicate.to_node();
    assert_eq!(encode(&duplicate), hex("f8054d5b171d5a"));
}

#[test]
fn relayed_message_becomes_the_documented_add_relay_push() {
    // B5.2: what Albert (33612345678) relays to Bob.
    let sent = hex(
        "0a2c0a1a333336393837363534333240732e77686174736170702e6e657410011a0c33454230413142324333443412\
         0932070a0568656c6c6f18c6adcff5052001",
    );
    let received = envelope::recipient_copy(
        &sent,
        "33612345678@s.whatsapp.net",
        "3EB0A1B2C3D4",
        1588900010,
        "Albert",
    )
    .unwrap();
    let push = Node::new("action")
        .attr("add", "relay")
        .children(vec![Node::new("message").bytes(received)]);
    assert_eq!(
        encode(&push),
        hex(
            "f804090a4bf801f80234fc480a2c0a1a333336313233343536373840732e77686174736170702e6e65741000\
             1a0c334542304131423243334434120932070a0568656c6c6f18aae1d2f5059a0106416c62657274"
        )
    );
}
