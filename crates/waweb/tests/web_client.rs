//! The web client's tests: runs the Node suite in `webtest/tests/` (unit tests of the page's
//! codec, crypto and QR encoder, and end-to-end tests in headless Chromium against this build of
//! `waweb serve`), and holds the page's QR encoder to the `qrcode` crate through a fixture.
//!
//! The suite needs `npm ci --prefix webtest` and Chromium at `/usr/bin/chromium` (or `CHROMIUM`);
//! without them this test fails (it never passes by skipping).

mod node_suite;

use std::path::Path;

use qrcode::bits::Bits;
use qrcode::canvas::{Canvas, MaskPattern};
use qrcode::{EcLevel, Version};
use waweb_proto::message;
use waweb_server::store::sqlite::SqliteStore;
use waweb_server::store::WebMessageInfoStatus as Status;
use waweb_server::store::{Account, Chat, Contact, NewMessage, SeedAccount, SeedChat, Store};

/// How many tests `webtest/tests/` holds: fewer passing means some did not run.
const TESTS: u32 = 58;

/// The big account of the measurements: 500 chats of 10 messages each.
const BIG_PHONE: &str = "15559990000";
const BIG_CHATS: u64 = 500;
const BIG_MESSAGES_PER_CHAT: u64 = 10;

#[test]
fn web_client_suite_passes_in_chromium() {
    let root = node_suite::workspace_root();
    assert!(
        root.join("webtest/node_modules/playwright-core/package.json").is_file(),
        "webtest/node_modules is missing: run `npm ci --prefix webtest` first"
    );
    let big = tempfile::tempdir().expect("a temporary directory");
    seed_big_account(big.path());

    node_suite::run(
        "web client suite",
        "webtest/tests/",
        &[("WAWEB_BIG_DATA_DIR", big.path())],
        TESTS,
    );
}

/// Writes a database holding one account with [`BIG_CHATS`] chats, each with its contact and
/// [`BIG_MESSAGES_PER_CHAT`] messages, the newest of each unread.
fn seed_big_account(dir: &Path) {
    let runtime =
        tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime");
    runtime.block_on(async {
        let store = SqliteStore::open(dir.join("waweb.db")).expect("the database opens");
        let now = 1_765_000_000_u64;
        let mut seed = SeedAccount {
            account: Account::new(BIG_PHONE, "Big", now * 1000),
            contacts: Vec::new(),
            chats: Vec::new(),
            blocklist: Vec::new(),
        };
        for n in 0..BIG_CHATS {
            let peer = format!("1555800{n:04}@s.whatsapp.net");
            seed.contacts.push(Contact {
                jid: peer.clone(),
                name: Some(format!("Contact {n:03}")),
                notify: None,
                short: None,
            });
            let mut chat = SeedChat { chat: Chat::new(peer.clone(), 0), messages: Vec::new() };
            for m in 0..BIG_MESSAGES_PER_CHAT {
                let t = now - (BIG_CHATS - n) * 600 + m * 30;
                let from_me = m % 2 == 0;
                let id = format!("3EB0{:016X}", n * 100 + m);
                let text = format!("Message {m} with contact {n:03}");
                let mut info = message::text_message(&peer, from_me, &id, &text, t);
                info.status = from_me.then_some(4);
                chat.messages.push(NewMessage {
                    chat_jid: peer.clone(),
                    id,
                    from_me,
                    timestamp: t,
                    status: if from_me { Status::Read } else { Status::Error },
                    participant: None,
                    push_name: None,
                    info: message::encode(&info),
                });
                chat.chat.t = t;
            }
            chat.chat.unread = 1;
            seed.chats.push(chat);
        }
        store.seed(vec![seed]).await.expect("the big account is stored");
        store.close().await.expect("the database closes");
    });
}

/// The texts of the QR fixture: the B1 pairing string and strings of the lengths real ones have.
const QR_TEXTS: [&str; 3] = [
    "1@waweb-test-ref,B6N8vBQgk8i3VdwbEOhstCY3StFqqFPtC9/AsrhtHHw=,wMHCw8TFxsfIycrLzM3Ozw==",
    "1@ZGVtby1yZWYtMDAwMDAwMDAwMDAwMDAwMDAwMDAw,B6N8vBQgk8i3VdwbEOhstCY3StFqqFPtC9/AsrhtHHw=,wMHCw8TFxsfIycrLzM3Ozw==",
    "hello",
];

/// The fixture `webtest/qr-fixture.json` the page's encoder is compared with: for each text and
/// level, the version and the module rows under each of the eight masks, and the mask the crate
/// picks. Regenerate with `WAWEB_WRITE_QR_FIXTURE=1`.
#[test]
fn qr_fixture_is_what_the_qrcode_crate_draws() {
    let mut cases = Vec::new();
    for text in QR_TEXTS {
        for (name, level) in [("L", EcLevel::L), ("M", EcLevel::M)] {
            cases.push(qr_case(text, name, level));
        }
    }
    let json = serde_json::to_string_pretty(&serde_json::json!({ "cases": cases }))
        .expect("the fixture serialises")
        + "\n";
    let path = node_suite::workspace_root().join("webtest/qr-fixture.json");
    if std::env::var_os("WAWEB_WRITE_QR_FIXTURE").is_some() {
        std::fs::write(&path, &json).expect("the fixture is written");
    }
    let committed = std::fs::read_to_string(&path).expect("webtest/qr-fixture.json exists");
    assert_eq!(committed, json, "the committed QR fixture is what the qrcode crate draws");
}

fn qr_case(text: &str, name: &str, level: EcLevel) -> serde_json::Value {
    let bits_for = |v: i16| {
        let mut bits = Bits::new(Version::Normal(v));
        bits.push_byte_data(text.as_bytes()).ok()?;
        bits.push_terminator(level).ok()?;
        Some(bits)
    };
    let version = (1..=40).find(|&v| bits_for(v).is_some()).expect("the text fits a QR code");
    let data = bits_for(version).expect("it fits").into_bytes();
    let (data, ec) =
        qrcode::ec::construct_codewords(&data, Version::Normal(version), level).expect("codewords");
    let mut canvas = Canvas::new(Version::Normal(version), level);
    canvas.draw_all_functional_patterns();
    canvas.draw_data(&data, &ec);
    let masks = [
        MaskPattern::Checkerboard,
        MaskPattern::HorizontalLines,
        MaskPattern::VerticalLines,
        MaskPattern::DiagonalLines,
        MaskPattern::LargeCheckerboard,
        MaskPattern::Fields,
        MaskPattern::Diamonds,
        MaskPattern::Meadow,
    ];
    let width = usize::try_from(version * 4 + 17).expect("a small width");
    let rows = |c: Canvas| -> Vec<String> {
        let colors = c.into_colors();
        colors
            .chunks(width)
            .map(|row| {
                row.iter().map(|m| if *m == qrcode::Color::Dark { '1' } else { '0' }).collect()
            })
            .collect()
    };
    let masked: Vec<Vec<String>> = masks
        .iter()
        .map(|&m| {
            let mut c = canvas.clone();
            c.apply_mask(m);
            rows(c)
        })
        .collect();
    let best = rows(canvas.apply_best_mask());
    let best_mask =
        masked.iter().position(|m| *m == best).expect("the best mask is one of the eight");
    serde_json::json!({
        "text": text, "level": name, "version": version, "bestMask": best_mask, "masks": masked,
    })
}
