//! Group system messages ("stubs": a group created, renamed, a member added...) as sentences
//! from the reader's point of view: "you created the group Climbing", "15550000001@c.us added
//! you". `waweb history` and `waweb listen` print them as events rather than as messages.

use waweb_client::WebMessageInfo;
use waweb_proto::binary::jid;
use waweb_proto::message::WebMessageInfoStubType as Stub;

/// The sentence for a system message, or `None` for an ordinary message. `me` is our own JID.
pub fn sentence(m: &WebMessageInfo, me: &str) -> Option<String> {
    if !m.is_system() {
        return None;
    }
    let key = m.key.clone().unwrap_or_default();
    let actor = key.participant.or_else(|| m.participant.clone()).unwrap_or_default();
    let who = |j: &str| if same(j, me) { "you".to_string() } else { jid::to_c_us(j) };
    let actor = if actor.is_empty() { "someone".to_string() } else { who(&actor) };
    let params = &m.message_stub_parameters;
    let first = params.first().map(String::as_str).unwrap_or_default();
    let members = params.iter().map(|p| who(p)).collect::<Vec<_>>().join(", ");
    let on = first == "on";
    let text = match m.message_stub_type() {
        Stub::GroupCreate => format!("{actor} created the group {first}"),
        Stub::GroupChangeSubject => format!("{actor} renamed the group {first}"),
        Stub::GroupChangeDescription => format!("{actor} changed the group's description"),
        Stub::GroupChangeIcon => format!("{actor} changed the group's picture"),
        Stub::GroupChangeAnnounce if on => format!("{actor} let only admins send messages"),
        Stub::GroupChangeAnnounce => format!("{actor} let every member send messages"),
        Stub::GroupChangeRestrict if on => format!("{actor} let only admins edit the group's info"),
        Stub::GroupChangeRestrict => format!("{actor} let every member edit the group's info"),
        Stub::GroupParticipantAdd => format!("{actor} added {members}"),
        Stub::GroupParticipantRemove => format!("{actor} removed {members}"),
        Stub::GroupParticipantPromote => format!("{actor} made {members} admin"),
        Stub::GroupParticipantDemote => format!("{actor} made {members} a plain member"),
        Stub::GroupParticipantLeave => format!("{members} left"),
        Stub::GroupParticipantInvite => format!("{members} joined with an invite link"),
        other if params.is_empty() => format!("<{other:?}>"),
        other => format!("<{other:?}: {}>", params.join(", ")),
    };
    Some(text)
}

/// Whether two user JIDs name the same number, whatever their spelling.
fn same(a: &str, b: &str) -> bool {
    !a.is_empty() && jid::to_c_us(a) == jid::to_c_us(b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use waweb_proto::message::MessageKey;

    fn stub(kind: Stub, actor: &str, params: &[&str]) -> WebMessageInfo {
        WebMessageInfo {
            key: Some(MessageKey {
                remote_jid: Some("1-2@g.us".into()),
                participant: Some(actor.into()),
                ..Default::default()
            }),
            message_stub_type: Some(kind as i32),
            message_stub_parameters: params.iter().map(|p| p.to_string()).collect(),
            ..Default::default()
        }
    }

    #[test]
    fn system_messages_read_as_sentences_from_our_side() {
        let me = "15550000001@c.us";
        let created = stub(Stub::GroupCreate, "15550000001@s.whatsapp.net", &["Climbing"]);
        assert_eq!(sentence(&created, me).unwrap(), "you created the group Climbing");
        let added = stub(
            Stub::GroupParticipantAdd,
            "15550000002@s.whatsapp.net",
            &["15550000001@c.us", "15550000003@c.us"],
        );
        assert_eq!(sentence(&added, me).unwrap(), "15550000002@c.us added you, 15550000003@c.us");
        let left = stub(Stub::GroupParticipantLeave, "15550000003@c.us", &["15550000003@c.us"]);
        assert_eq!(sentence(&left, me).unwrap(), "15550000003@c.us left");
        let announce = stub(Stub::GroupChangeAnnounce, me, &["on"]);
        assert_eq!(sentence(&announce, me).unwrap(), "you let only admins send messages");
        let revoked = stub(Stub::Revoke, me, &[]);
        assert_eq!(sentence(&revoked, me).unwrap(), "<Revoke>");
        assert_eq!(sentence(&WebMessageInfo::default(), me), None);
    }
}
