//! The real client against the real server: stars and the starred list, "delete for me" of
//! messages, emptying and deleting a chat, and profile pictures, each checked from the other
//! account's side too.

mod real_support;

use real_support::{c_us, next, RealServer, ALICE, BOB};
use waweb_client::{ClientError, Event};

/// A JPEG header and a marker byte: the server checks the magic, not the picture.
fn jpeg(marker: u8) -> Vec<u8> {
    vec![0xff, 0xd8, 0xff, 0xe0, marker]
}

fn ids(messages: &[waweb_client::WebMessageInfo]) -> Vec<String> {
    messages.iter().filter_map(|m| m.key.as_ref()?.id.clone()).collect()
}

#[tokio::test]
async fn stars_deletes_and_a_deleted_chat() {
    let dir = tempfile::tempdir().unwrap();
    let server = RealServer::ephemeral(dir.path().join("data")).await;
    let alice = server.pair(ALICE.0).await;
    let bob = server.pair(BOB.0).await;
    let mut sent = Vec::new();
    for text in ["one", "two", "three"] {
        sent.push(alice.client.send_text(&c_us(BOB.0), text).await.unwrap().id);
    }
    let (first, second, third) = (sent[0].as_str(), sent[1].as_str(), sent[2].as_str());

    bob.client.star(&c_us(ALICE.0), &[(first, false), (third, false)], true).await.unwrap();
    let starred = bob.client.starred(None, 10).await.unwrap();
    assert_eq!(ids(&starred), [first, third]);
    assert!(starred.iter().all(|m| m.starred == Some(true)));
    bob.client.star(&c_us(ALICE.0), &[(first, false)], false).await.unwrap();
    assert_eq!(ids(&bob.client.starred(Some(&c_us(ALICE.0)), 10).await.unwrap()), [third]);
    // Alice's copies are hers: nothing of hers is starred, and she cannot star Bob's keys.
    assert!(alice.client.starred(None, 10).await.unwrap().is_empty());
    let theirs = alice.client.star(&c_us(BOB.0), &[(first, false)], true).await;
    assert_eq!(theirs, Err(ClientError::Status(404)));

    bob.client.delete_messages(&c_us(ALICE.0), &[(second, false)]).await.unwrap();
    let history = bob.client.history(&c_us(ALICE.0), 50, None).await.unwrap();
    assert!(!ids(&history).contains(&second.to_owned()));
    assert!(ids(&history).contains(&third.to_owned()));

    // Emptying keeps the starred one; deleting takes the chat out of the list.
    bob.client.clear_chat(&c_us(ALICE.0), true).await.unwrap();
    let left = bob.client.history(&c_us(ALICE.0), 50, None).await.unwrap();
    assert_eq!(ids(&left), [third]);
    bob.client.delete_chat(&c_us(ALICE.0)).await.unwrap();
    let chats = bob.client.chats().await.unwrap();
    assert!(chats.iter().all(|c| c.jid != c_us(ALICE.0)), "{chats:?}");
    assert_eq!(bob.client.delete_chat(&c_us(ALICE.0)).await, Err(ClientError::Status(404)));
    // Alice still has all three.
    let hers = alice.client.history(&c_us(BOB.0), 50, None).await.unwrap();
    for id in &sent {
        assert!(ids(&hers).contains(id), "{id} missing at Alice's");
    }
    let none: &[(&str, bool)] = &[];
    assert!(matches!(
        bob.client.star(&c_us(ALICE.0), none, true).await,
        Err(ClientError::InvalidArgument(_))
    ));
}

#[tokio::test]
async fn profile_pictures_are_set_announced_fetched_and_removed() {
    let dir = tempfile::tempdir().unwrap();
    let server = RealServer::ephemeral(dir.path().join("data")).await;
    let alice = server.pair(ALICE.0).await;
    let mut bob = server.pair(BOB.0).await;
    assert_eq!(bob.client.profile_picture(&c_us(ALICE.0)).await, Ok(None));

    let url = alice.client.set_profile_picture(jpeg(1), jpeg(2)).await.unwrap();
    assert!(url.starts_with(&format!("{}/pp/{}/", server.http_base(), ALICE.0)), "{url}");
    assert_eq!(bob.client.profile_picture(&c_us(ALICE.0)).await, Ok(Some(url.clone())));
    // Bob has Alice as a contact (the demo seed), so he was told.
    let told = next(&mut bob.events, |e| match e {
        Event::Push(p) if p.to_value()[1]["type"] == "picture" => Some(p.to_value()),
        _ => None,
    })
    .await;
    assert_eq!(told[1]["jid"], c_us(ALICE.0));
    // The URL is `/pp/<phone>/<tag>-<secret>`: the push names the tag, never the secret.
    let tag = told[1]["tag"].as_str().unwrap();
    assert!(url.contains(&format!("/pp/{}/{tag}-", ALICE.0)), "{url} does not hold tag {tag}");
    assert!(
        !told[1].to_string().contains(url.rsplit('-').next().unwrap()),
        "the push leaks the URL's secret"
    );

    alice.client.remove_profile_picture().await.unwrap();
    assert_eq!(bob.client.profile_picture(&c_us(ALICE.0)).await, Ok(None));
}
