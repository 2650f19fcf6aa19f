//! The real client against the real server: who got and read one of our messages
//! (`Client::message_info`), one-to-one and in a group, next to the acks the author is pushed
//! meanwhile (per member in a group, then once all have read).

mod real_support;

use std::time::Duration;

use real_support::{c_us, drain, next, now_s, phone_of, RealServer, ALICE, BOB, CAROL};
use waweb_client::{Ack, ClientError, Event, EventStream, MessageInfo, Receipt};

/// The phone of each receipt, sorted.
fn who(receipts: &[Receipt]) -> Vec<&str> {
    let mut phones: Vec<&str> = receipts.iter().map(|r| phone_of(&r.jid)).collect();
    phones.sort_unstable();
    phones
}

/// Asserts every receipt is `@c.us` and timed within `[from, now]`.
fn timed_within(info: &MessageInfo, from: u64) {
    let until = now_s();
    for r in info.delivered.iter().chain(&info.read).chain(&info.played) {
        assert!(r.jid.ends_with("@c.us"), "{r:?}");
        assert!((from..=until).contains(&r.t), "{r:?} not within {from}..={until}");
    }
}

/// The next read ack of message `id`: its `participant`.
async fn read_ack(events: &mut EventStream, id: &str) -> Option<String> {
    next(events, |e| match e {
        Event::Ack { id: acked, ack: Ack::Read, participant, .. } if acked == id => {
            Some(participant.clone())
        }
        _ => None,
    })
    .await
}

#[tokio::test]
async fn one_to_one_delivery_and_read_by_the_peer() {
    let dir = tempfile::tempdir().unwrap();
    let server = RealServer::ephemeral(dir.path().join("data")).await;
    let mut alice = server.pair(ALICE.0).await;
    let bob = server.pair(BOB.0).await;
    let start = now_s();

    let sent = alice.client.send_text(&c_us(BOB.0), "did you get this?").await.unwrap();
    next(&mut alice.events, |e| match e {
        Event::Ack { id, ack: Ack::Delivered, .. } if *id == sent.id => Some(()),
        _ => None,
    })
    .await;
    let info = alice.client.message_info(&c_us(BOB.0), &sent.id).await.unwrap();
    assert_eq!(who(&info.delivered), [BOB.0], "{info:?}");
    assert!(info.read.is_empty() && info.played.is_empty(), "{info:?}");
    timed_within(&info, start);

    bob.client.read(&c_us(ALICE.0), &sent.id).await.unwrap();
    assert_eq!(read_ack(&mut alice.events, &sent.id).await, None, "no participant one-to-one");
    // The `@s.whatsapp.net` spelling names the same chat.
    let wa_net = format!("{}@s.whatsapp.net", BOB.0);
    let info = alice.client.message_info(&wa_net, &sent.id).await.unwrap();
    assert_eq!((who(&info.delivered), who(&info.read)), (vec![BOB.0], vec![BOB.0]), "{info:?}");
    assert!(info.played.is_empty(), "{info:?}");
    assert!(info.read[0].t >= info.delivered[0].t, "{info:?}");
    timed_within(&info, start);

    // Only the author's own messages: Bob's copy is not his, an unknown id is nobody's.
    let theirs = bob.client.message_info(&c_us(ALICE.0), &sent.id).await;
    assert_eq!(theirs, Err(ClientError::Status(404)));
    let unknown = alice.client.message_info(&c_us(BOB.0), "3EB0000000000000DEAD").await;
    assert_eq!(unknown, Err(ClientError::Status(404)));
    let empty = alice.client.message_info(&c_us(BOB.0), "").await;
    assert!(matches!(empty, Err(ClientError::InvalidArgument(_))), "{empty:?}");
}

#[tokio::test]
async fn group_deliveries_to_every_member_and_reads_one_by_one() {
    let dir = tempfile::tempdir().unwrap();
    let server = RealServer::ephemeral(dir.path().join("data")).await;
    let mut alice = server.pair(ALICE.0).await;
    let bob = server.pair(BOB.0).await;
    let carol = server.pair(CAROL.0).await;
    let gid = alice.client.create_group("Climbing", &[c_us(BOB.0), c_us(CAROL.0)]).await.unwrap();
    let gid = gid.gid;
    let start = now_s();

    let sent = alice.client.send_text(&gid, "rope check at 7").await.unwrap();
    let info = alice.client.message_info(&gid, &sent.id).await.unwrap();
    assert_eq!(who(&info.delivered), [BOB.0, CAROL.0], "every member but the author: {info:?}");
    assert!(info.read.is_empty() && info.played.is_empty(), "{info:?}");
    timed_within(&info, start);

    // Bob reads: Alice hears it from Bob alone, and the message is not read by all yet.
    bob.client.read(&gid, &sent.id).await.unwrap();
    let by = read_ack(&mut alice.events, &sent.id).await;
    assert_eq!(by.as_deref().map(phone_of), Some(BOB.0), "the member is named");
    let early = drain(&mut alice.events, Duration::from_millis(300)).await;
    let all_read = |e: &Event| matches!(e, Event::Ack { id, ack: Ack::Read, participant: None, .. } if *id == sent.id);
    assert!(!early.iter().any(all_read), "read by all before Carol read: {early:?}");
    let info = alice.client.message_info(&gid, &sent.id).await.unwrap();
    assert_eq!((who(&info.delivered), who(&info.read)), (vec![BOB.0, CAROL.0], vec![BOB.0]));
    timed_within(&info, start);

    // Carol reads: her own ack, then the one for everybody.
    carol.client.read(&gid, &sent.id).await.unwrap();
    let by = read_ack(&mut alice.events, &sent.id).await;
    assert_eq!(by.as_deref().map(phone_of), Some(CAROL.0));
    assert_eq!(read_ack(&mut alice.events, &sent.id).await, None, "read by every member");
    let info = alice.client.message_info(&gid, &sent.id).await.unwrap();
    assert_eq!(who(&info.read), [BOB.0, CAROL.0], "{info:?}");
    timed_within(&info, start);

    // A member's message is theirs: Alice cannot ask about Bob's, nor Bob about Alice's.
    let reply = bob.client.send_text(&gid, "on my way").await.unwrap();
    assert_eq!(alice.client.message_info(&gid, &reply.id).await, Err(ClientError::Status(404)));
    assert_eq!(bob.client.message_info(&gid, &sent.id).await, Err(ClientError::Status(404)));
    let info = bob.client.message_info(&gid, &reply.id).await.unwrap();
    assert_eq!(who(&info.delivered), [ALICE.0, CAROL.0], "{info:?}");
    assert!(info.read.is_empty(), "{info:?}");
}
