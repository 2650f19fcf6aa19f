//! Media through the binary, against `waweb serve --demo`: Alice sends an image, a document and
//! a voice note with `waweb send`; Bob sees them in `waweb history` and gets each back byte for
//! byte with `waweb download`.

mod proc_support;

use proc_support::{failed, stdout, Demo};

const ALICE: &str = "15550000001";
const BOB: &str = "15550000002";

/// A 40×30 PNG.
fn png() -> Vec<u8> {
    let img = image::RgbImage::from_fn(40, 30, |x, y| image::Rgb([x as u8 * 6, y as u8 * 8, 200]));
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

/// The message id of `waweb send`'s `<id>\tserver\t<time>` line.
fn sent_id(output: &std::process::Output) -> String {
    let line = stdout(output);
    let (id, rest) = line.trim().split_once('\t').unwrap();
    assert!(rest.starts_with("server\t"), "{line}");
    id.to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_image_a_document_and_a_voice_note_go_across_byte_for_byte() {
    let demo = Demo::start().await;
    let dir = demo.home.path();
    let (to_bob, to_alice) = (format!("{BOB}@c.us"), format!("{ALICE}@c.us"));
    let image = png();
    let document: Vec<u8> = (0..300_000u32).map(|i| (i * 31 % 256) as u8).collect();
    let voice = b"OggS\0 a short voice note".to_vec();
    std::fs::write(dir.join("view.png"), &image).unwrap();
    std::fs::write(dir.join("minutes.pdf"), &document).unwrap();
    std::fs::write(dir.join("note.ogg"), &voice).unwrap();
    let path = |name: &str| dir.join(name).to_str().unwrap().to_owned();

    let (image_path, doc_path, voice_path) =
        (path("view.png"), path("minutes.pdf"), path("note.ogg"));
    let send = ["send", to_bob.as_str()];
    let image_args = [&send[..], &["--image", &image_path, "--caption", "the view"]].concat();
    let image_id = sent_id(&demo.run(&demo.alice, &image_args).await);
    let doc_id =
        sent_id(&demo.run(&demo.alice, &[&send[..], &["--document", &doc_path]].concat()).await);
    let voice_args = [&send[..], &["--audio", &voice_path, "--ptt"]].concat();
    let voice_id = sent_id(&demo.run(&demo.alice, &voice_args).await);

    let history = stdout(&demo.run(&demo.bob, &["history", &to_alice]).await);
    let line_of =
        |id: &str| history.lines().find(|l| l.contains(id)).unwrap_or_default().to_owned();
    let image_line = line_of(&image_id);
    assert!(
        image_line.contains("\t<\tAlice\t[image, ") && image_line.ends_with("] the view"),
        "{history}"
    );
    assert!(line_of(&doc_id).ends_with("[document minutes.pdf, 293.0 KiB]"), "{history}");
    assert!(line_of(&voice_id).ends_with("[voice, 24 B]"), "{history}");

    let out = dir.join("got.png");
    let done =
        demo.run(&demo.bob, &["download", &to_alice, &image_id, "-o", out.to_str().unwrap()]).await;
    assert_eq!(stdout(&done), format!("{}\t{}\n", out.display(), image.len()));
    assert!(std::fs::read(&out).unwrap() == image, "the image differs");
    // Without -o: the document's own name, in the current directory.
    let bob_dir = dir.join("bob");
    std::fs::create_dir(&bob_dir).unwrap();
    let mut cmd = demo.command(&demo.bob, &["download", &to_alice, &doc_id]);
    let done = cmd.current_dir(&bob_dir).output().await.unwrap();
    assert_eq!(stdout(&done), format!("minutes.pdf\t{}\n", document.len()));
    assert!(
        std::fs::read(bob_dir.join("minutes.pdf")).unwrap() == document,
        "the document differs"
    );
    let done = demo.run(&demo.bob, &["download", &to_alice, &voice_id, "-o", "-"]).await;
    assert_eq!(done.stdout, voice);

    // A text message has nothing to download; an unknown id is not found.
    let text_id = sent_id(&demo.run(&demo.alice, &["send", &to_bob, "just text"]).await);
    failed(&demo.run(&demo.bob, &["download", &to_alice, &text_id]).await, "not a media message");
    failed(
        &demo.run(&demo.bob, &["download", &to_alice, "NO-SUCH-ID"]).await,
        "no message NO-SUCH-ID",
    );
    let missing = path("missing.png");
    failed(&demo.run(&demo.alice, &["send", &to_bob, "--image", &missing]).await, "cannot read");
}
