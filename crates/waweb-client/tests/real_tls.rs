//! The real client against the real server over TLS with a self-signed certificate: trusting it
//! (`ClientOptions::ca_cert`), the client opens `wss://` and downloads media over `https://`;
//! without it, the connection is refused for the certificate.

use std::time::Duration;

use waweb_client::{Attachment, Client, ClientError, ClientOptions, Event, MediaKind};
use waweb_proto::crypto::media;
use waweb_server::media::blob::BlobKey;
use waweb_server::tls::TlsSource;
use waweb_server::{Config, Server};

#[tokio::test]
async fn wss_and_https_media_with_a_trusted_self_signed_certificate() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let mut config = Config::new(&data);
    config.listen = "127.0.0.1:0".parse().unwrap();
    config.tls = Some(TlsSource::SelfSigned { names: vec![] });
    let server = Server::bind(config).await.unwrap();
    let (addr, media_host) = (server.local_addr(), server.media());
    let cert = server.self_signed_cert().unwrap().to_path_buf();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(server.run(async move {
        let _ = stopped.await;
    }));

    // A blob on the server, as an upload would leave it.
    let file = b"a picture, encrypted".to_vec();
    let key = [9u8; 32];
    let encrypted = media::encrypt(&key, media::MediaType::Image, &file);
    let blob_key = BlobKey(encrypted.file_enc_sha256);
    let mut staged = media_host.blobs.stage().await.unwrap();
    staged.write(&encrypted.blob).await.unwrap();
    staged.commit(blob_key).await.unwrap();
    let attachment = Attachment {
        kind: Some(MediaKind::Image),
        url: Some(media_host.url(&blob_key)),
        media_key: key.to_vec(),
        file_sha256: Some(encrypted.file_sha256.to_vec()),
        file_enc_sha256: Some(encrypted.file_enc_sha256.to_vec()),
        file_length: Some(file.len() as u64),
        ..Attachment::default()
    };
    assert!(attachment.url.as_deref().unwrap().starts_with("https://127.0.0.1:"));

    let url = format!("wss://localhost:{}/ws", addr.port());
    let options = ClientOptions { ca_cert: Some(cert), ..ClientOptions::default() };
    let (client, mut events) = Client::connect_with(&url, None, options).await.unwrap();
    let qr = tokio::time::timeout(Duration::from_secs(10), async {
        while let Some(e) = events.recv().await {
            if let Event::Qr { code, .. } = e {
                return code;
            }
        }
        panic!("the event stream ended before a QR")
    });
    assert_eq!(qr.await.unwrap().split(',').count(), 3);
    assert_eq!(client.download_attachment(&attachment, None).await.unwrap(), file);
    client.close();

    let refused = Client::connect(&url, None).await.map(|_| ()).unwrap_err();
    match refused {
        ClientError::Unreachable { reason, .. } => {
            assert!(reason.contains("certificate"), "{reason}")
        }
        other => panic!("expected Unreachable, got {other:?}"),
    }
    let _ = stop.send(());
    task.await.unwrap().unwrap();
}
