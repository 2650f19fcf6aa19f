//! Readable fields of a `WebMessageInfo` as a JSON object, for tools: who, where, when, what.
//!
//! Only what a reader needs is shown (key, timestamps, status, sender, content type, text or
//! caption, media type and size, location, contact name, system message kind); secret fields
//! (media keys) never are.

use serde_json::{json, Map, Value};

use crate::message::{Message, WebMessageInfo};

/// The readable fields of `info`; absent fields are left out.
pub fn message_summary(info: &WebMessageInfo) -> Value {
    let mut out = Map::new();
    if let Some(key) = &info.key {
        put(&mut out, "id", key.id.clone().map(Value::from));
        put(&mut out, "remoteJid", key.remote_jid.clone().map(Value::from));
        put(&mut out, "fromMe", key.from_me.map(Value::from));
        put(&mut out, "participant", key.participant.clone().map(Value::from));
    }
    put(&mut out, "participant", info.participant.clone().map(Value::from));
    put(&mut out, "timestamp", info.message_timestamp.map(Value::from));
    if info.status.is_some() {
        put(&mut out, "status", Some(format!("{:?}", info.status()).into()));
    }
    put(&mut out, "pushName", info.push_name.clone().map(Value::from));
    if info.message_stub_type.is_some() {
        put(&mut out, "stubType", Some(format!("{:?}", info.message_stub_type()).into()));
        put(&mut out, "stubParameters", Some(info.message_stub_parameters.clone().into()));
    }
    if let Some(message) = &info.message {
        content(message, &mut out);
    }
    Value::Object(out)
}

fn put(out: &mut Map<String, Value>, name: &str, value: Option<Value>) {
    if let Some(v) = value {
        // The key's participant wins over the envelope's when both are set.
        out.entry(name).or_insert(v);
    }
}

/// The content type and its main fields.
fn content(m: &Message, out: &mut Map<String, Value>) {
    let (kind, fields) = content_fields(m);
    out.insert("type".into(), kind.into());
    put(out, "text", m.text().map(Value::from));
    for (name, value) in fields {
        put(out, name, value);
    }
}

type Fields = Vec<(&'static str, Option<Value>)>;

fn content_fields(m: &Message) -> (&'static str, Fields) {
    let v = |s: &Option<String>| s.clone().map(Value::from);
    let n = |x: Option<u64>| x.map(Value::from);
    if m.conversation.is_some() {
        return ("conversation", vec![]);
    }
    if m.extended_text_message.is_some() {
        return ("extendedTextMessage", vec![]);
    }
    if let Some(i) = &m.image_message {
        let f = vec![("caption", v(&i.caption)), ("mimetype", v(&i.mimetype))];
        return ("imageMessage", [f, vec![("fileLength", n(i.file_length))]].concat());
    }
    if let Some(i) = &m.video_message {
        let f = vec![("caption", v(&i.caption)), ("mimetype", v(&i.mimetype))];
        return ("videoMessage", [f, vec![("seconds", i.seconds.map(Value::from))]].concat());
    }
    if let Some(a) = &m.audio_message {
        let f = vec![("mimetype", v(&a.mimetype)), ("seconds", a.seconds.map(Value::from))];
        return ("audioMessage", [f, vec![("ptt", a.ptt.map(Value::from))]].concat());
    }
    if let Some(d) = &m.document_message {
        let f = vec![("fileName", v(&d.file_name)), ("mimetype", v(&d.mimetype))];
        return ("documentMessage", [f, vec![("fileLength", n(d.file_length))]].concat());
    }
    if let Some(s) = &m.sticker_message {
        return ("stickerMessage", vec![("mimetype", v(&s.mimetype))]);
    }
    if let Some(l) = &m.location_message {
        let coords = json!([l.degrees_latitude, l.degrees_longitude]);
        return ("locationMessage", vec![("coordinates", Some(coords)), ("name", v(&l.name))]);
    }
    if let Some(l) = &m.live_location_message {
        let coords = json!([l.degrees_latitude, l.degrees_longitude]);
        return ("liveLocationMessage", vec![("coordinates", Some(coords))]);
    }
    if let Some(c) = &m.contact_message {
        return ("contactMessage", vec![("displayName", v(&c.display_name))]);
    }
    if let Some(c) = &m.contacts_array_message {
        let count = Some(Value::from(c.contacts.len()));
        return (
            "contactsArrayMessage",
            vec![("displayName", v(&c.display_name)), ("count", count)],
        );
    }
    if let Some(p) = &m.protocol_message {
        let kind = p.r#type.map(|_| Value::from(format!("{:?}", p.r#type())));
        let target = p.key.as_ref().and_then(|k| k.id.clone()).map(Value::from);
        return ("protocolMessage", vec![("protocolType", kind), ("targetId", target)]);
    }
    if let Some(g) = &m.group_invite_message {
        return ("groupInviteMessage", vec![("groupJid", v(&g.group_jid))]);
    }
    if m.view_once_message.is_some() {
        return ("viewOnceMessage", vec![]);
    }
    if m.ephemeral_message.is_some() {
        return ("ephemeralMessage", vec![]);
    }
    ("unknown", vec![])
}
