use waweb_proto::json::presence::Presence;

use super::*;

#[test]
fn every_bus_delivery_comes_back_as_sent() {
    let node = Node::new("action")
        .attr("add", "relay")
        .children(vec![Node::new("message").bytes(vec![1, 2, 3])]);
    let push = ServerPush::Presence(Presence {
        id: "1@c.us".into(),
        r#type: "available".into(),
        t: Some(9),
        participant: None,
        deny: None,
    });
    let except = Some(SessionRef { node: 7, connection: 3 });
    for delivery in [
        Delivery::Node(node.clone()),
        Delivery::Relayed { node, queued: DeliveryId(42) },
        Delivery::Json(push),
        Delivery::Replaced,
        Delivery::Kicked,
    ] {
        let e = Envelope::new("15550000001", except, Some("client".into()), delivery);
        assert_eq!(decode_envelope(&encode_envelope(&e).unwrap()).unwrap(), e);
    }
    let scan = Delivery::Scan { scan: 1, account: "1".into(), client_public: [0; 32] };
    assert!(encode_envelope(&Envelope::new("1", None, None, scan)).is_err());
}

#[test]
fn garbage_from_the_bus_is_an_error() {
    for bytes in [&b""[..], b"\xff\xff\xff\xff", b"\x01\x00\x00\x00\x00\x05\x05"] {
        assert!(decode_envelope(bytes).is_err());
        assert!(decode_presence(bytes).is_err());
    }
}

#[test]
fn subjects_cannot_be_widened_by_a_name() {
    assert_eq!(account_push("15550000001"), "waweb.acct.15550000001.push");
    assert_eq!(account_all("15550000001"), "waweb.acct.15550000001.*");
    for sneaky in ["1.2", "*", ">", "a b", ""] {
        let subject = account_push(sneaky);
        let tokenised = subject.trim_start_matches("waweb.acct.").trim_end_matches(".push");
        assert!(tokenised.bytes().all(|b| b.is_ascii_alphanumeric()), "{subject}");
    }
    assert_ne!(scan("1@ab+/="), scan("1@ab+/-"));
}

#[test]
fn a_bare_node_comes_back_too() {
    let relayed = Delivery::Relayed { node: Node::new("action"), queued: DeliveryId(9) };
    let e = Envelope::new("222", None, None, relayed);
    assert_eq!(decode_envelope(&encode_envelope(&e).unwrap()).unwrap(), e);
}
