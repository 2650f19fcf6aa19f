//! The real client against the real server: groups. Creating one, its metadata and roles,
//! messages to and from it, adding, removing, promoting and demoting members, what a removed
//! member may still do, the subject, the description, the settings, invite links, the group's
//! picture and leaving — each checked from the other members' side too.

mod real_support;

use real_support::{c_us, next, phone_of, RealServer, ALICE, BOB, CAROL};
use waweb_client::{ClientError, Event, EventStream, GroupMetadata, GroupSetting, WebMessageInfo};
use waweb_proto::message::WebMessageInfoStubType as Stub;

/// A demo-range number with no account.
const NOBODY: &str = "15550009999";

/// The next live message of the chat `gid` that `pick` accepts.
async fn group_message(
    events: &mut EventStream,
    gid: &str,
    mut pick: impl FnMut(&WebMessageInfo) -> bool,
) -> WebMessageInfo {
    next(events, |e| match e {
        Event::Messages { messages, .. } => messages
            .iter()
            .find(|m| {
                let chat = m.key.as_ref().and_then(|k| k.remote_jid.as_deref());
                chat == Some(gid) && pick(m)
            })
            .cloned(),
        _ => None,
    })
    .await
}

/// The next system message of kind `stub` in `gid`.
async fn notice(events: &mut EventStream, gid: &str, stub: Stub) -> WebMessageInfo {
    group_message(events, gid, |m| m.message_stub_type == Some(stub as i32)).await
}

/// `(phone, is_admin, is_super_admin)` of each member, sorted.
fn roles(meta: &GroupMetadata) -> Vec<(&str, bool, bool)> {
    let mut roles: Vec<_> =
        meta.participants.iter().map(|p| (phone_of(&p.id), p.is_admin, p.is_super_admin)).collect();
    roles.sort();
    roles
}

fn codes(results: &[(String, u16)]) -> Vec<(&str, u16)> {
    results.iter().map(|(jid, code)| (phone_of(jid), *code)).collect()
}

#[tokio::test]
async fn create_message_and_change_members() {
    let dir = tempfile::tempdir().unwrap();
    let server = RealServer::ephemeral(dir.path().join("data")).await;
    let mut alice = server.pair(ALICE.0).await;
    let mut bob = server.pair(BOB.0).await;
    let mut carol = server.pair(CAROL.0).await;

    let asked = [c_us(BOB.0), c_us(CAROL.0), c_us(NOBODY)];
    let created = alice.client.create_group("Climbing", &asked).await.unwrap();
    let gid = created.gid.clone();
    assert!(gid.starts_with(&format!("{}-", ALICE.0)) && gid.ends_with("@g.us"), "{gid}");
    assert_eq!(codes(&created.results), [(BOB.0, 200), (CAROL.0, 200), (NOBODY, 404)]);
    let made = notice(&mut bob.events, &gid, Stub::GroupCreate).await;
    assert_eq!(made.message_stub_parameters, ["Climbing"]);

    let meta = bob.client.group_metadata(&gid).await.unwrap();
    assert_eq!((meta.id.as_str(), meta.subject.as_deref()), (gid.as_str(), Some("Climbing")));
    assert_eq!(meta.owner.as_deref().map(phone_of), Some(ALICE.0));
    let want = [(ALICE.0, true, true), (BOB.0, false, false), (CAROL.0, false, false)];
    assert_eq!(roles(&meta), want);

    // A message to the group reaches every other member with its sender; the sender's ack
    // names the group.
    let sent = alice.client.send_text(&gid, "rope check at 7").await.unwrap();
    for events in [&mut bob.events, &mut carol.events] {
        let got = group_message(events, &gid, |m| m.text().is_some()).await;
        let key = got.key.clone().unwrap();
        assert_eq!(
            (key.id.as_deref(), got.text()),
            (Some(sent.id.as_str()), Some("rope check at 7"))
        );
        assert_eq!(key.from_me, Some(false));
        assert_eq!(key.participant.as_deref().map(phone_of), Some(ALICE.0));
        assert_eq!(got.push_name.as_deref(), Some(ALICE.1));
    }
    let to = next(&mut alice.events, |e| match e {
        Event::Ack { id, to, .. } if *id == sent.id => Some(to.clone()),
        _ => None,
    })
    .await;
    assert_eq!(to, gid);
    let reply = bob.client.send_text(&gid, "on my way").await.unwrap();
    let got = group_message(&mut alice.events, &gid, |m| m.text().is_some()).await;
    assert_eq!(got.key.unwrap().id, Some(reply.id));
    let history = carol.client.history(&gid, 10, None).await.unwrap();
    let texts: Vec<_> = history.iter().filter_map(WebMessageInfo::text).collect();
    assert_eq!(texts, ["rope check at 7", "on my way"]);

    // Roles: only admins change members; the creator cannot be demoted.
    let bob_jid = [c_us(BOB.0)];
    assert_eq!(bob.client.add_to_group(&gid, &[c_us(NOBODY)]).await, Err(ClientError::Status(401)));
    assert_eq!(
        codes(&alice.client.promote_in_group(&gid, &bob_jid).await.unwrap()),
        [(BOB.0, 200)]
    );
    let promoted = notice(&mut carol.events, &gid, Stub::GroupParticipantPromote).await;
    assert_eq!(promoted.message_stub_parameters, bob_jid);
    let demoted = bob.client.demote_in_group(&gid, &[c_us(ALICE.0)]).await.unwrap();
    assert_eq!(codes(&demoted), [(ALICE.0, 403)]);
    let meta = carol.client.group_metadata(&gid).await.unwrap();
    assert!(roles(&meta).contains(&(BOB.0, true, false)), "{meta:?}");
    assert_eq!(codes(&alice.client.demote_in_group(&gid, &bob_jid).await.unwrap()), [(BOB.0, 200)]);
    let meta = alice.client.group_metadata(&gid).await.unwrap();
    assert!(roles(&meta).contains(&(BOB.0, false, false)), "{meta:?}");

    // Adding: already there, no such account. Removing: a member, and one who is not.
    let added = alice.client.add_to_group(&gid, &[c_us(BOB.0), c_us(NOBODY)]).await.unwrap();
    assert_eq!(codes(&added), [(BOB.0, 409), (NOBODY, 404)]);
    let removed = alice.client.remove_from_group(&gid, &[c_us(CAROL.0)]).await.unwrap();
    assert_eq!(codes(&removed), [(CAROL.0, 200)]);
    let told = notice(&mut carol.events, &gid, Stub::GroupParticipantRemove).await;
    assert_eq!(
        told.message_stub_parameters.iter().map(|p| phone_of(p)).collect::<Vec<_>>(),
        [CAROL.0]
    );
    let again = alice.client.remove_from_group(&gid, &[c_us(CAROL.0)]).await.unwrap();
    assert_eq!(codes(&again), [(CAROL.0, 404)]);

    // A removed member may no longer write or read the metadata.
    assert_eq!(carol.client.send_text(&gid, "wait").await, Err(ClientError::Status(401)));
    assert_eq!(carol.client.group_metadata(&gid).await, Err(ClientError::Status(401)));
    let meta = bob.client.group_metadata(&gid).await.unwrap();
    assert_eq!(roles(&meta).len(), 2, "{meta:?}");
    let back = alice.client.add_to_group(&gid, &[c_us(CAROL.0)]).await.unwrap();
    assert_eq!(codes(&back), [(CAROL.0, 200)]);
    carol.client.send_text(&gid, "back").await.unwrap();

    // Arguments the client refuses before asking.
    let none: &[&str] = &[];
    assert!(matches!(
        alice.client.add_to_group(&gid, none).await,
        Err(ClientError::InvalidArgument(_))
    ));
    let not_a_group = alice.client.group_metadata(&c_us(BOB.0)).await;
    assert!(matches!(not_a_group, Err(ClientError::InvalidArgument(_))), "{not_a_group:?}");
    let missing = alice.client.group_metadata(&format!("{}-1@g.us", ALICE.0)).await;
    assert_eq!(missing, Err(ClientError::Status(404)));
}

#[tokio::test]
async fn subject_description_settings_and_leaving() {
    let dir = tempfile::tempdir().unwrap();
    let server = RealServer::ephemeral(dir.path().join("data")).await;
    let alice = server.pair(ALICE.0).await;
    let mut bob = server.pair(BOB.0).await;
    let carol = server.pair(CAROL.0).await;
    let gid = alice.client.create_group("Trip", &[c_us(BOB.0), c_us(CAROL.0)]).await.unwrap().gid;

    // Anyone renames an unlocked group; the members are told by a system message and a push.
    bob.client.set_group_subject(&gid, "Trip to the Alps").await.unwrap();
    let meta = alice.client.group_metadata(&gid).await.unwrap();
    assert_eq!(meta.subject.as_deref(), Some("Trip to the Alps"));
    assert_eq!(meta.subject_owner.as_deref().map(phone_of), Some(BOB.0));
    let renamed = notice(&mut bob.events, &gid, Stub::GroupChangeSubject).await;
    assert_eq!(renamed.message_stub_parameters, ["Trip to the Alps"]);
    let long = "x".repeat(26);
    assert_eq!(alice.client.set_group_subject(&gid, &long).await, Err(ClientError::Status(406)));

    // The description: the second change names the first as `prev`.
    alice.client.set_group_description(&gid, "Bring crampons").await.unwrap();
    let first = carol.client.group_metadata(&gid).await.unwrap();
    assert_eq!(first.desc.as_deref(), Some("Bring crampons"));
    carol.client.set_group_description(&gid, "Bring crampons and a helmet").await.unwrap();
    let second = alice.client.group_metadata(&gid).await.unwrap();
    assert_eq!(second.desc.as_deref(), Some("Bring crampons and a helmet"));
    assert_eq!(second.desc_owner.as_deref().map(phone_of), Some(CAROL.0));
    assert_ne!(second.desc_id, first.desc_id);

    // Settings: locked keeps the subject to admins, announce-only keeps the messages to them.
    for setting in [GroupSetting::AnnounceOnly, GroupSetting::Locked] {
        assert!(!setting.is_on(&second));
        let refused = bob.client.set_group_setting(&gid, setting, true).await;
        assert_eq!(refused, Err(ClientError::Status(401)));
        alice.client.set_group_setting(&gid, setting, true).await.unwrap();
    }
    let meta = bob.client.group_metadata(&gid).await.unwrap();
    assert!(GroupSetting::AnnounceOnly.is_on(&meta) && GroupSetting::Locked.is_on(&meta));
    assert_eq!(bob.client.set_group_subject(&gid, "Mine").await, Err(ClientError::Status(401)));
    assert_eq!(bob.client.send_text(&gid, "hello?").await, Err(ClientError::Status(401)));
    alice.client.send_text(&gid, "admins only for now").await.unwrap();
    alice.client.set_group_setting(&gid, GroupSetting::AnnounceOnly, false).await.unwrap();
    bob.client.send_text(&gid, "hello!").await.unwrap();

    // Leaving: the others see it in the metadata; the last admin leaving makes the
    // longest-standing member one.
    bob.client.leave_group(&gid).await.unwrap();
    let left = notice(&mut bob.events, &gid, Stub::GroupParticipantLeave).await;
    assert_eq!(left.message_stub_parameters, [c_us(BOB.0)]);
    assert_eq!(bob.client.group_metadata(&gid).await, Err(ClientError::Status(401)));
    assert_eq!(bob.client.leave_group(&gid).await, Err(ClientError::Status(401)));
    let meta = carol.client.group_metadata(&gid).await.unwrap();
    assert_eq!(roles(&meta), [(ALICE.0, true, true), (CAROL.0, false, false)]);
    alice.client.leave_group(&gid).await.unwrap();
    let meta = carol.client.group_metadata(&gid).await.unwrap();
    assert_eq!(roles(&meta), [(CAROL.0, true, false)]);
    carol.client.set_group_subject(&gid, "Carol's trip").await.unwrap();
    let meta = carol.client.group_metadata(&gid).await.unwrap();
    assert_eq!(meta.subject.as_deref(), Some("Carol's trip"));
}

#[tokio::test]
async fn joining_by_invite_link_and_the_groups_picture() {
    let dir = tempfile::tempdir().unwrap();
    let server = RealServer::ephemeral(dir.path().join("data")).await;
    let mut alice = server.pair(ALICE.0).await;
    let bob = server.pair(BOB.0).await;
    let carol = server.pair(CAROL.0).await;
    let gid = alice.client.create_group("Book club", &[c_us(BOB.0)]).await.unwrap().gid;

    assert_eq!(bob.client.group_invite_code(&gid).await, Err(ClientError::Status(401)));
    let code = alice.client.group_invite_code(&gid).await.unwrap();
    assert_eq!(alice.client.group_invite_code(&gid).await.unwrap(), code, "stable until reset");
    let preview = carol.client.group_invite_info(&code).await.unwrap();
    assert_eq!(
        (preview.id.as_str(), preview.subject.as_deref()),
        (gid.as_str(), Some("Book club"))
    );

    assert_eq!(carol.client.join_group(&code).await.unwrap(), gid);
    let joined = notice(&mut alice.events, &gid, Stub::GroupParticipantInvite).await;
    assert_eq!(joined.message_stub_parameters, [c_us(CAROL.0)]);
    assert_eq!(carol.client.join_group(&code).await, Err(ClientError::Status(409)));
    carol.client.send_text(&gid, "hi all").await.unwrap();
    let said = group_message(&mut alice.events, &gid, |m| m.message.is_some()).await;
    assert_eq!(said.key.and_then(|k| k.participant).as_deref().map(phone_of), Some(CAROL.0));

    // The group's picture: set by a member, its URL for members only.
    let jpeg = vec![0xff, 0xd8, 0xff, 0xe0, 1];
    let url = carol.client.set_group_picture(&gid, jpeg.clone(), jpeg).await.unwrap();
    assert_eq!(bob.client.profile_picture(&gid).await, Ok(Some(url)));
    alice.client.remove_group_picture(&gid).await.unwrap();
    assert_eq!(bob.client.profile_picture(&gid).await, Ok(None));

    let fresh = alice.client.reset_group_invite(&gid).await.unwrap();
    assert_ne!(fresh, code);
    assert_eq!(bob.client.group_invite_info(&code).await, Err(ClientError::Status(404)));
    assert_eq!(carol.client.group_invite_info(&fresh).await.map(|m| m.id), Ok(gid));
}
