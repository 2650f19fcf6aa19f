//! `waweb history JID`: the messages of a chat, oldest first, one per line:
//! `time  id  direction  sender  text`. `--before ID` pages backwards from a message. In a group
//! the sender is the member's push name and JID; system messages (a member added, the group
//! renamed...) are events: direction `*`, sender `-`, and a sentence ("you created the group
//! Climbing"). A chat the account does not have is an error (exit code 1).

use std::process::ExitCode;
use waweb_client::{Client, ClientError, WebMessageInfo};
use waweb_proto::binary::jid;

use super::client_common::{client_error, format_time, jid_error, out, ClientArgs};
use super::event_text::sentence;
use super::exit::{Exit, FAILURE};

/// Its arguments.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    client: ClientArgs,
    /// The chat: a phone number, `<number>@c.us`, or a group `…@g.us`.
    #[arg(value_parser = super::jid_arg::parse)]
    jid: String,
    /// How many messages at most.
    #[arg(long, default_value_t = 20)]
    count: u32,
    /// Show messages older than this message id (the first id of the previous page).
    #[arg(long, value_name = "ID")]
    before: Option<String>,
}

/// Runs it.
pub async fn run(args: Args) -> anyhow::Result<ExitCode> {
    let s = args.client.open(args.client.options()).await?;
    let page = fetch(&s.client, &args.jid, args.count, args.before.as_deref())
        .await
        .map_err(|e| jid_error(e, &args.jid))?;
    if page.is_empty() && !has_chat(&s.client, &args.jid).await? {
        s.client.close();
        let msg = format!("no chat with {} (`waweb chats` lists them)", args.jid);
        return Err(Exit::new(FAILURE, msg));
    }
    for m in &page {
        out(line(m, &s.info.wid))?;
    }
    // Hints go to stderr, so that stdout holds the messages only.
    if let Some(first) = page.first().and_then(|m| m.key.as_ref()).and_then(|k| k.id.as_deref()) {
        if page.len() >= args.count as usize {
            eprintln!("older messages: waweb history {} --before {first}", args.jid);
        }
    } else {
        eprintln!("no messages");
    }
    s.client.close();
    Ok(ExitCode::SUCCESS)
}

/// Whether the account has a chat with `jid`.
pub(super) async fn has_chat(client: &Client, jid: &str) -> anyhow::Result<bool> {
    let chats = client.chats().await.map_err(client_error)?;
    Ok(chats.iter().any(|c| jid::to_c_us(&c.jid) == jid::to_c_us(jid)))
}

/// One page. Message ids are unique per direction only, so an id given without its direction is
/// tried as a received message first, then as one of ours.
async fn fetch(
    client: &Client,
    jid: &str,
    count: u32,
    before: Option<&str>,
) -> Result<Vec<WebMessageInfo>, ClientError> {
    let Some(id) = before else {
        return client.history(jid, count, None).await;
    };
    let theirs = client.history(jid, count, Some((id, false))).await?;
    if !theirs.is_empty() {
        return Ok(theirs);
    }
    client.history(jid, count, Some((id, true))).await
}

/// One message as a tab-separated line: `time  id  direction  sender  text`; a system message
/// as `time  id  *  -  sentence` (`me` is our own JID).
pub(super) fn line(m: &WebMessageInfo, me: &str) -> String {
    let key = m.key.clone().unwrap_or_default();
    let from_me = key.from_me.unwrap_or(false);
    let (direction, who, text) = match sentence(m, me) {
        Some(event) => ("*", "-".to_string(), event),
        None => (if from_me { ">" } else { "<" }, sender(m), body(m)),
    };
    format!(
        "{}\t{}\t{direction}\t{who}\t{}",
        format_time(m.message_timestamp.unwrap_or(0)),
        key.id.unwrap_or_default(),
        text.replace('\n', " ")
    )
}

/// Who sent a message: `me`, or the push name, with the member's JID in a group
/// (`Alice (15550000001@c.us)`), or the chat.
pub(super) fn sender(m: &WebMessageInfo) -> String {
    let key = m.key.clone().unwrap_or_default();
    if key.from_me.unwrap_or(false) {
        return "me".to_string();
    }
    let member = key.participant.or_else(|| m.participant.clone()).map(|p| jid::to_c_us(&p));
    match (m.push_name.clone(), member) {
        (Some(name), Some(member)) => format!("{name} ({member})"),
        (name, member) => {
            name.or(member).or(key.remote_jid.map(|j| jid::to_c_us(&j))).unwrap_or_default()
        }
    }
}

/// The text of a message; a media message as `[kind name, size] caption`; a system message as
/// `<kind: parameters>` (a group created, renamed, a member added...).
pub(super) fn body(m: &WebMessageInfo) -> String {
    if let Some(text) = m.text() {
        return text.to_string();
    }
    if let Some(attachment) = waweb_client::Attachment::of(m) {
        return super::media_show::summary(&attachment);
    }
    if m.is_system() {
        let kind = format!("{:?}", m.message_stub_type());
        return match m.message_stub_parameters.join(", ") {
            params if params.is_empty() => format!("<{kind}>"),
            params => format!("<{kind}: {params}>"),
        };
    }
    "<not text>".to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use waweb_proto::message::{text_message, MessageKey, WebMessageInfoStubType};

    #[test]
    fn group_messages_name_their_sender_and_system_messages_their_kind() {
        let mut m = text_message("33698765432@s.whatsapp.net", false, "ID1", "hi\nthere", 0);
        m.push_name = Some("Bob".into());
        assert_eq!(sender(&m), "Bob");
        assert!(line(&m, "1@c.us").ends_with("\tID1\t<\tBob\thi there"), "{}", line(&m, "1@c.us"));
        m.key.as_mut().unwrap().participant = Some("15550000002@s.whatsapp.net".into());
        assert_eq!(sender(&m), "Bob (15550000002@c.us)");
        m.push_name = None;
        assert_eq!(sender(&m), "15550000002@c.us");

        let stub = |kind: WebMessageInfoStubType, params: &[&str]| WebMessageInfo {
            key: Some(MessageKey { remote_jid: Some("1-2@g.us".into()), ..Default::default() }),
            message_stub_type: Some(kind as i32),
            message_stub_parameters: params.iter().map(|p| p.to_string()).collect(),
            ..Default::default()
        };
        let renamed = stub(WebMessageInfoStubType::GroupChangeSubject, &["Trip"]);
        assert_eq!(body(&renamed), "<GroupChangeSubject: Trip>");
        assert_eq!(
            body(&stub(WebMessageInfoStubType::GroupChangeDescription, &[])),
            "<GroupChangeDescription>"
        );
        assert_eq!(sender(&renamed), "1-2@g.us");
        let line = line(&renamed, "15550000001@c.us");
        assert!(line.ends_with("\t*\t-\tsomeone renamed the group Trip"), "{line}");
        assert_eq!(body(&WebMessageInfo::default()), "<not text>");
    }
}
