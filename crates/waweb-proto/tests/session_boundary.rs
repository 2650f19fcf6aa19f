//! What the sessions hand their shells, so that a shell never has to look inside a frame:
//! typed protocol errors, the moment `Conn` leaves, the plaintext of every encrypted frame,
//! and deadlines that follow the monotonic clock.

use waweb_proto::crypto::CryptoError;
use waweb_proto::frame::FrameError;
use waweb_proto::session::{
    ClientEvent, CloseReason, DisconnectReason, ProtocolError, ServerEvent,
};

#[path = "support/pairing.rs"]
mod pairing;
#[path = "support/wire.rs"]
mod wire;

use pairing::paired;

#[test]
fn a_forged_frame_is_reported_as_a_mac_mismatch_on_both_sides() {
    let (mut w, _) = paired(21);
    let mut frame = b"1.--9,\x10\x80".to_vec();
    frame.extend_from_slice(&[0u8; 64]);
    w.server.handle_binary(w.now, &frame);
    w.pump();
    let mac = FrameError::Crypto(CryptoError::FrameMac);
    let closed = CloseReason::Protocol(ProtocolError::UnopenableFrame(mac.clone()));
    assert!(w.take_server_events().contains(&ServerEvent::Closed(closed)));

    let (mut w, _) = paired(22);
    let mut frame = b"s-9,".to_vec();
    frame.extend_from_slice(&[0u8; 64]);
    w.client.handle_binary(w.now, &frame);
    w.pump();
    let why = DisconnectReason::Protocol(ProtocolError::BadFrame(mac));
    assert!(w.take_client_events().contains(&ClientEvent::Disconnected(why)));
}
