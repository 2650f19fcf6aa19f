//! Editing the envelope of a `WebMessageInfo` while keeping its content byte for byte
//! (docs/PROTOCOL.md §7.1, §8.9, §8.10).
//!
//! The server changes a few top-level fields of the messages it relays and serves (the key, the
//! timestamp, the status, the push name) but must forward the `message` field unchanged: the
//! protobuf model does not transcribe every content type, so a decode and re-encode could drop
//! parts of it. These functions therefore work on the wire form: they split the top-level
//! fields, replace the ones the server owns, and write the fields back in field-number order.
//!
//! The input is whatever a client relayed, so every function here is total: malformed bytes
//! give `None` (or, for [`served`], the bytes unchanged), never a panic.
//!
//! ```
//! use waweb_proto::message::{self, envelope};
//!
//! let sent = message::text_message("2@s.whatsapp.net", true, "ID1", "hi", 5);
//! let bytes = message::encode(&sent);
//! let copy = envelope::recipient_copy(&bytes, "1@s.whatsapp.net", "ID1", 99, "Ann").unwrap();
//! let back = message::decode(&copy).unwrap();
//! assert_eq!((back.message_timestamp, back.push_name.as_deref()), (Some(99), Some("Ann")));
//! assert_eq!(back.message, sent.message);
//! ```

use super::{encode, MessageKey, WebMessageInfo, WebMessageInfoStatus};

/// `WebMessageInfo.key`.
const KEY: u32 = 1;
/// `WebMessageInfo.messageTimestamp`.
const TIMESTAMP: u32 = 3;
/// `WebMessageInfo.status`.
const STATUS: u32 = 4;
/// `WebMessageInfo.participant`.
const PARTICIPANT: u32 = 5;
/// `WebMessageInfo.starred`.
const STARRED: u32 = 17;
/// `WebMessageInfo.pushName`.
const PUSH_NAME: u32 = 19;

/// One top-level field: its number and its bytes on the wire (key included).
pub type Field<'a> = (u32, &'a [u8]);

/// Splits a protobuf message into its top-level fields, each with its bytes on the wire; `None`
/// if it is malformed.
pub fn split(mut bytes: &[u8]) -> Option<Vec<Field<'_>>> {
    let mut fields = Vec::new();
    while !bytes.is_empty() {
        let start = bytes;
        let tag = varint(&mut bytes)?;
        let number = u32::try_from(tag >> 3).ok().filter(|n| *n > 0)?;
        match tag & 7 {
            0 => {
                varint(&mut bytes)?;
            }
            1 => bytes = bytes.get(8..)?,
            2 => {
                let len = usize::try_from(varint(&mut bytes)?).ok()?;
                bytes = bytes.get(len..)?;
            }
            5 => bytes = bytes.get(4..)?,
            // Groups (3, 4) are not used by this schema; anything else is not protobuf.
            _ => return None,
        }
        let used = start.len() - bytes.len();
        fields.push((number, start.get(..used)?));
    }
    Some(fields)
}

/// Reads one varint, advancing `bytes`.
fn varint(bytes: &mut &[u8]) -> Option<u64> {
    let mut value = 0_u64;
    for shift in (0..64).step_by(7) {
        let (&b, rest) = bytes.split_first()?;
        *bytes = rest;
        value |= u64::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            return Some(value);
        }
    }
    None
}

/// Drops the fields numbered in `remove` from `original`, adds the fields of `add` (an encoded
/// partial message), and writes everything in field-number order (stable for repeated fields).
fn patch(original: &[u8], remove: &[u32], add: &WebMessageInfo) -> Option<Vec<u8>> {
    let added = encode(add);
    let mut fields = split(original)?;
    fields.retain(|(n, _)| !remove.contains(n));
    fields.extend(split(&added)?);
    fields.sort_by_key(|(n, _)| *n);
    Some(fields.into_iter().flat_map(|(_, raw)| raw.iter().copied()).collect())
}

/// A key with the three fields a one-to-one message needs.
fn key(remote_jid: &str, from_me: bool, id: &str) -> MessageKey {
    MessageKey {
        remote_jid: Some(remote_jid.to_owned()),
        from_me: Some(from_me),
        id: Some(id.to_owned()),
        participant: None,
    }
}

/// The sender's stored copy of a relayed message: the key normalised (`remote_jid` in the
/// `s.whatsapp.net` spelling), the server's time, and `status`.
pub fn sender_copy(
    original: &[u8],
    remote_jid: &str,
    id: &str,
    t: u64,
    status: WebMessageInfoStatus,
) -> Option<Vec<u8>> {
    let add = WebMessageInfo {
        key: Some(key(remote_jid, true, id)),
        message_timestamp: Some(t),
        status: Some(status as i32),
        ..Default::default()
    };
    patch(original, &[KEY, TIMESTAMP, STATUS], &add)
}

/// The recipient's copy of a relayed message: key `{remote_jid: sender, fromMe: false, id}`, the
/// server's time, the sender's push name, and no status (received messages carry none).
pub fn recipient_copy(
    original: &[u8],
    sender_jid: &str,
    id: &str,
    t: u64,
    push_name: &str,
) -> Option<Vec<u8>> {
    received(original, key(sender_jid, false, id), None, t, push_name)
}

/// A group member's copy of a message relayed to the group: key `{remote_jid: group, fromMe:
/// false, id, participant: sender}`, `participant` = the sender, the server's time, the sender's
/// push name, and no status.
pub fn group_copy(
    original: &[u8],
    group_jid: &str,
    sender_jid: &str,
    id: &str,
    t: u64,
    push_name: &str,
) -> Option<Vec<u8>> {
    let key = MessageKey { participant: Some(sender_jid.to_owned()), ..key(group_jid, false, id) };
    received(original, key, Some(sender_jid), t, push_name)
}

/// A received copy: `key`, `participant` (in a group), the time and the push name set, the
/// status dropped.
fn received(
    original: &[u8],
    key: MessageKey,
    participant: Option<&str>,
    t: u64,
    push_name: &str,
) -> Option<Vec<u8>> {
    let add = WebMessageInfo {
        key: Some(key),
        message_timestamp: Some(t),
        participant: participant.map(str::to_owned),
        push_name: Some(push_name.to_owned()),
        ..Default::default()
    };
    patch(original, &[KEY, TIMESTAMP, STATUS, PARTICIPANT, PUSH_NAME], &add)
}

/// A stored message as the server serves it: own messages carry the stored `status` (which
/// only the store tracks), received ones carry none; `starred` only if the account starred it
/// (the store tracks that too). Malformed bytes are served unchanged.
pub fn served(info: &[u8], from_me: bool, status: WebMessageInfoStatus, starred: bool) -> Vec<u8> {
    let add = WebMessageInfo {
        status: from_me.then_some(status as i32),
        starred: starred.then_some(true),
        ..Default::default()
    };
    patch(info, &[STATUS, STARRED], &add).unwrap_or_else(|| info.to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::message::{self, decode, extended_text_message};

    #[test]
    fn recipient_copy_keeps_content_and_swaps_envelope() {
        let mut sent = extended_text_message("2@s.whatsapp.net", true, "ID1", "hello", 5);
        sent.participant = Some("1@s.whatsapp.net".into());
        let bytes = message::encode(&sent);
        let got = recipient_copy(&bytes, "1@s.whatsapp.net", "ID1", 99, "Alice").unwrap();
        let back = decode(&got).unwrap();
        assert_eq!(back.key, Some(key("1@s.whatsapp.net", false, "ID1")));
        assert_eq!(back.message, sent.message);
        assert_eq!((back.message_timestamp, back.status), (Some(99), None));
        assert_eq!((back.participant, back.push_name.as_deref()), (None, Some("Alice")));
        // Field-number order, as protobuf libraries write it.
        let mut expected = sent.clone();
        expected.key = back.key.clone();
        expected.message_timestamp = Some(99);
        expected.status = None;
        expected.participant = None;
        expected.push_name = Some("Alice".into());
        assert_eq!(got, message::encode(&expected));
    }

    #[test]
    fn unknown_fields_survive() {
        let mut bytes = message::encode(&extended_text_message("2@c.us", true, "X", "hi", 5));
        bytes.extend([0xa2, 0x06, 0x02, 0x41, 0x42]); // field 100, bytes "AB"
        let got =
            sender_copy(&bytes, "2@s.whatsapp.net", "X", 7, WebMessageInfoStatus::DeliveryAck)
                .unwrap();
        assert!(got.ends_with(&[0xa2, 0x06, 0x02, 0x41, 0x42]));
        let back = decode(&got).unwrap();
        assert_eq!(back.key.and_then(|k| k.remote_jid).as_deref(), Some("2@s.whatsapp.net"));
        assert_eq!((back.message_timestamp, back.status), (Some(7), Some(3)));
    }

    #[test]
    fn served_sets_or_strips_status() {
        let bytes = message::encode(&extended_text_message("2@s.whatsapp.net", true, "X", "hi", 5));
        assert_eq!(
            decode(&served(&bytes, true, WebMessageInfoStatus::Read, false)).unwrap().status,
            Some(4)
        );
        assert_eq!(
            decode(&served(&bytes, false, WebMessageInfoStatus::Read, false)).unwrap().status,
            None
        );
        assert_eq!(served(b"\xff", true, WebMessageInfoStatus::Read, false), b"\xff");
    }

    #[test]
    fn served_sets_or_strips_the_star() {
        let mut sent = extended_text_message("2@s.whatsapp.net", true, "X", "hi", 5);
        let plain = message::encode(&sent);
        let starred = decode(&served(&plain, true, WebMessageInfoStatus::Read, true)).unwrap();
        assert_eq!((starred.starred, starred.message), (Some(true), sent.message.clone()));
        // A star the client wrote into its own bytes is not the store's: it goes.
        sent.starred = Some(true);
        let claimed = message::encode(&sent);
        assert_eq!(
            decode(&served(&claimed, true, WebMessageInfoStatus::Read, false)).unwrap().starred,
            None
        );
    }

    #[test]
    fn malformed_is_refused() {
        assert!(split(&[0x0a, 0x05, 0x01]).is_none());
        assert!(split(&[0x0b]).is_none());
        assert!(split(&[0x80]).is_none());
        assert!(split(&[0x00, 0x00]).is_none());
    }
}
