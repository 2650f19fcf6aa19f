//! A bot that answers every incoming text message with the same text.
//!
//! ```text
//! cargo run -p waweb-client --example echo_bot -- ws://127.0.0.1:8080/ws bot-session.json
//! ```
//!
//! The first run prints a QR string to scan (e.g. with `waweb phone scan`); later runs restore the
//! saved session. It reconnects on its own when the link drops.

use std::path::PathBuf;
use waweb_client::{session_file, BatchKind, Client, ClientOptions, Event};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let url = args.next().unwrap_or_else(|| "ws://127.0.0.1:8080/ws".into());
    let path = PathBuf::from(args.next().unwrap_or_else(|| "echo-bot-session.json".into()));

    let saved = session_file::load(&path)?;
    let options = ClientOptions { reconnect: true, ..ClientOptions::default() };
    let (client, mut events) = Client::connect_with(&url, saved, options).await?;

    while let Some(event) = events.recv().await {
        match event {
            Event::Qr { code, .. } => println!("scan this QR string:\n{code}"),
            Event::Ready { info, .. } => {
                // Tokens change at every login: save them each time.
                if let Some(creds) = client.credentials() {
                    session_file::save(&path, &creds)?;
                }
                println!("echoing as {}", info.wid);
            }
            Event::Messages { kind: BatchKind::Live, messages, .. } => {
                for m in messages {
                    let Some(key) = m.key.as_ref() else { continue };
                    let (Some(jid), false) = (key.remote_jid.as_deref(), key.from_me()) else {
                        continue;
                    };
                    if let Some(text) = m.text() {
                        let receipt = client.send_text(jid, text).await?;
                        println!("echoed {:?} to {jid} as {}", text, receipt.id);
                    }
                }
            }
            Event::Disconnected(why) => {
                eprintln!("session ended: {why:?}");
                break;
            }
            _ => {}
        }
    }
    Ok(())
}
