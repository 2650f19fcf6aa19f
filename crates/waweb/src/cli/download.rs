//! `waweb download JID MSGID [-o FILE]`: finds a media message in a chat's history, downloads
//! its blob, checks and decrypts it, and writes the file (atomically: a partial download never
//! sits under the requested name). Prints `<path>\t<bytes>`.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use waweb_client::{Attachment, Client, WebMessageInfo};

use super::client_common::{client_error, out, ClientArgs};
use super::exit::{Exit, FAILURE};
use super::media_show::transfer_bar;

/// Messages asked per history page while looking for the message.
const PAGE: u32 = 50;
/// Pages searched before giving up.
const MAX_PAGES: usize = 40;

/// Its arguments.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    client: ClientArgs,
    /// The chat (`<number>@c.us`, a bare number, or a group `…@g.us`).
    #[arg(value_parser = super::jid_arg::parse)]
    jid: String,
    /// The id of the media message (as `history` and `listen` show it).
    msgid: String,
    /// Where to write the file, `-` for stdout (by default the document's name, or
    /// `<MSGID>.<ext>`, in the current directory).
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
}

/// Runs it.
pub async fn run(args: Args) -> anyhow::Result<ExitCode> {
    let s = args.client.open(args.client.options()).await?;
    let message = find(&s.client, &args.jid, &args.msgid).await?;
    let attachment = Attachment::of(&message).ok_or_else(|| {
        Exit::new(FAILURE, format!("message {} is not a media message", args.msgid))
    })?;
    let (bar, progress) = transfer_bar("downloading");
    let data = s.client.download_attachment(&attachment, Some(progress)).await;
    bar.finish_and_clear();
    let data = data.map_err(client_error)?;
    let path = args.output.unwrap_or_else(|| default_name(&attachment, &args.msgid));
    if path == Path::new("-") {
        let mut stdout = std::io::stdout().lock();
        stdout.write_all(&data).and_then(|()| stdout.flush())?;
    } else {
        write_atomically(&path, &data)?;
        out(format_args!("{}\t{}", path.display(), data.len()))?;
    }
    s.client.close();
    Ok(ExitCode::SUCCESS)
}

/// Pages back through the chat until the message with this id.
async fn find(client: &Client, jid: &str, id: &str) -> anyhow::Result<WebMessageInfo> {
    let mut before: Option<(String, bool)> = None;
    for _ in 0..MAX_PAGES {
        let cursor = before.as_ref().map(|(i, me)| (i.as_str(), *me));
        let page = client.history(jid, PAGE, cursor).await.map_err(client_error)?;
        let key_of = |m: &WebMessageInfo| m.key.clone().unwrap_or_default();
        if let Some(found) = page.iter().find(|m| key_of(m).id.as_deref() == Some(id)) {
            return Ok(found.clone());
        }
        let Some(first) = page.first() else { break };
        let key = key_of(first);
        before = Some((key.id.unwrap_or_default(), key.from_me.unwrap_or(false)));
        if page.len() < PAGE as usize {
            break;
        }
    }
    Err(Exit::new(FAILURE, format!("no message {id} in the history of {jid}")))
}

/// The document's own name (its last path component only), or `<msgid>.<ext>`.
fn default_name(a: &Attachment, msgid: &str) -> PathBuf {
    let own = a.file_name.as_deref().and_then(|n| Path::new(n).file_name()).map(PathBuf::from);
    own.filter(|n| !n.as_os_str().is_empty() && n != Path::new("..")).unwrap_or_else(|| {
        PathBuf::from(format!("{msgid}.{}", waweb_client::extension_for(a.mimetype.as_deref())))
    })
}

/// Writes `data` to a temporary file next to `path`, then renames it.
fn write_atomically(path: &Path, data: &[u8]) -> anyhow::Result<()> {
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let fail =
        |e: std::io::Error| Exit::new(FAILURE, format!("cannot write {}: {e}", path.display()));
    let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(fail)?;
    tmp.write_all(data).and_then(|()| tmp.as_file().sync_all()).map_err(fail)?;
    tmp.persist(path).map_err(|e| fail(e.error))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use waweb_client::MediaKind;

    #[test]
    fn default_names_never_leave_the_directory() {
        let doc = |name: &str| Attachment {
            kind: Some(MediaKind::Document),
            file_name: Some(name.into()),
            ..Attachment::default()
        };
        assert_eq!(default_name(&doc("report.pdf"), "ID"), PathBuf::from("report.pdf"));
        assert_eq!(default_name(&doc("../../etc/passwd"), "ID"), PathBuf::from("passwd"));
        assert_eq!(default_name(&doc(".."), "ID"), PathBuf::from("ID.bin"));
        let image = Attachment {
            kind: Some(MediaKind::Image),
            mimetype: Some("image/png".into()),
            ..Attachment::default()
        };
        assert_eq!(default_name(&image, "3EB0AB"), PathBuf::from("3EB0AB.png"));
        assert_eq!(waweb_client::extension_for(Some("audio/ogg; codecs=opus")), "ogg");
    }
}
