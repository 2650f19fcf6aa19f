//! Groups through the handlers: the `group` action (create, add, remove, promote, demote, leave,
//! subject, description, settings) with its answers, the system messages and `Chat` pushes each
//! member gets (live or queued), the `GroupMetadata` JSON query and the binary `group` query, and
//! messages relayed to a group (fan-out, unread counts, acks, duplicates, who may write).

mod handlers_support;

use handlers_support::*;
use serde_json::{json, Value};
use waweb_proto::binary::Node;
use waweb_proto::message::{self, WebMessageInfo};
use waweb_server::context::Me;
use waweb_server::hub::Delivery;
use waweb_server::store::{
    Account, AccountStore, ChatStore, MessageKey, MessageStore, SessionStore,
};
use waweb_server::sync::{initial_sync, SyncPush};

/// Dave, a fourth account that is in no group at first.
const D: &str = "15550000004";
/// A number nobody has.
const NOBODY: &str = "4900001";

const GROUP_CREATE: i32 = 20;
const GROUP_CHANGE_SUBJECT: i32 = 21;
const GROUP_CHANGE_DESCRIPTION: i32 = 24;
const GROUP_CHANGE_RESTRICT: i32 = 25;
const GROUP_CHANGE_ANNOUNCE: i32 = 26;
const GROUP_CHANGE_ICON: i32 = 22;
const GROUP_PARTICIPANT_ADD: i32 = 27;
const GROUP_PARTICIPANT_REMOVE: i32 = 28;
const GROUP_PARTICIPANT_PROMOTE: i32 = 29;
const GROUP_PARTICIPANT_INVITE: i32 = 31;
const GROUP_PARTICIPANT_LEAVE: i32 = 32;

/// Alice, Bob, Carol and Dave.
async fn env() -> Env {
    let env = Env::with_accounts().await;
    env.store().create_account(Account::new(D, "Dave", 1_000)).await.unwrap();
    env
}

fn participant_nodes(phones: &[&str]) -> Vec<Node> {
    phones.iter().map(|p| Node::new("participant").attr("jid", cjid(p))).collect()
}

/// `["action",{"type":"set"},[["group",{"author","id","type",attrs…},children]]]`.
fn group_action(me: &Me, kind: &str, attrs: &[(&str, &str)], children: Vec<Node>) -> Node {
    let mut node =
        Node::new("group").attr("author", me.jid.clone()).attr("id", "g1").attr("type", kind);
    for (k, v) in attrs {
        node = node.attr(*k, *v);
    }
    set(if children.is_empty() { node } else { node.children(children) })
}

/// Creates a group named `subject` with `phones`; the whole answer.
async fn create(env: &Env, me: &Me, subject: &str, phones: &[&str]) -> Value {
    let action = group_action(me, "create", &[("subject", subject)], participant_nodes(phones));
    json_of(env.binary(me, "g1", action).await)
}

/// Creates "Team" with `phones`; its JID.
async fn team(env: &Env, me: &Me, phones: &[&str]) -> String {
    let answer = create(env, me, "Team", phones).await;
    assert_eq!(answer["status"], 200, "{answer}");
    answer["gid"].as_str().unwrap().to_owned()
}

/// A change naming members (`add`, `remove`, `promote`, `demote`).
async fn members(env: &Env, me: &Me, gid: &str, kind: &str, phones: &[&str]) -> Value {
    let action = group_action(me, kind, &[("jid", gid)], participant_nodes(phones));
    json_of(env.binary(me, "g2", action).await)
}

/// A change with attributes and children only (`leave`, `subject`, `description`, `prop`).
async fn change(
    env: &Env,
    me: &Me,
    gid: &str,
    kind: &str,
    attrs: &[(&str, &str)],
    children: Vec<Node>,
) -> Value {
    let mut all = vec![("jid", gid)];
    all.extend_from_slice(attrs);
    json_of(env.binary(me, "g3", group_action(me, kind, &all, children)).await)
}

fn codes(list: &[(&str, &str)]) -> Value {
    let map: serde_json::Map<String, Value> =
        list.iter().map(|(p, c)| (cjid(p), json!({ "code": c }))).collect();
    Value::Object(map)
}

async fn metadata(env: &Env, me: &Me, gid: &str) -> Value {
    json_of(env.json(me, json!(["query", "GroupMetadata", gid])).await)
}

/// `(id, isAdmin, isSuperAdmin)` of each participant in the metadata.
fn roles(meta: &Value) -> Vec<(String, bool, bool)> {
    meta["participants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["id"].as_str().unwrap().to_owned(),
                p["isAdmin"].as_bool().unwrap(),
                p["isSuperAdmin"].as_bool().unwrap(),
            )
        })
        .collect()
}

/// The messages of every `add=relay` push among deliveries.
fn relayed(deliveries: &[Delivery]) -> Vec<WebMessageInfo> {
    node_pushes(deliveries)
        .iter()
        .inspect(|n| {
            assert_eq!((n.description.as_str(), n.get_attr("add")), ("action", Some("relay")))
        })
        .flat_map(infos)
        .collect()
}

/// `(stub type, parameters)` of each system message pushed.
fn stubs(deliveries: &[Delivery]) -> Vec<(i32, Vec<String>)> {
    relayed(deliveries)
        .into_iter()
        .map(|i| (i.message_stub_type.expect("a system message"), i.message_stub_parameters))
        .collect()
}

fn stub(kind: i32, params: &[&str]) -> (i32, Vec<String>) {
    (kind, params.iter().map(|p| (*p).to_owned()).collect())
}

/// `["Chat",{"id":gid,"cmd":"action","data":[kind,author,payload]}]`.
fn chat_push(gid: &str, kind: &str, author: &str, payload: Value) -> Value {
    json!(["Chat", { "id": gid, "cmd": "action", "data": [kind, cjid(author), payload] }])
}

/// The chat list as the `chat` query answers it: `(jid, count, name)` of each chat.
async fn chat_list(env: &Env, me: &Me) -> Vec<(String, String, Option<String>)> {
    let q = query("chat", &[("kind", "retry")]);
    let list = node_of(env.binary(me, "c", q).await);
    list.child_nodes()
        .iter()
        .map(|c| {
            (
                c.get_attr("jid").unwrap().to_owned(),
                c.get_attr("count").unwrap().to_owned(),
                c.get_attr("name").map(str::to_owned),
            )
        })
        .collect()
}

/// The ids of the messages of `me`'s chat with the group, oldest first.
async fn group_history(env: &Env, me: &Me, gid: &str) -> Vec<String> {
    let q = query("message", &[("kind", "before"), ("jid", gid), ("count", "50")]);
    ids(&node_of(env.binary(me, "h", q).await))
}

fn group_relay(gid: &str, id: &str, text: &str) -> Node {
    relay_info(&message::extended_text_message(gid, true, id, text, 42))
}

#[tokio::test]
async fn creating_a_group_answers_a_code_per_member_and_tells_every_member() {
    let env = env().await;
    let (alice, mut alice_rx) = env.connect(A, 1);
    let (bob, mut bob_rx) = env.connect(B, 2);
    let answer = create(&env, &alice, "Team", &[B, C, NOBODY]).await;
    let gid = answer["gid"].as_str().unwrap().to_owned();
    let created: u64 =
        gid.strip_prefix(&format!("{A}-")).unwrap().strip_suffix("@g.us").unwrap().parse().unwrap();
    assert!(created > 1_600_000_000, "Unix seconds in the JID: {gid}");
    assert_eq!(
        answer,
        json!({
            "status": 200,
            "gid": gid,
            "participants": [
                { cjid(B): { "code": "200" } },
                { cjid(C): { "code": "200" } },
                { cjid(NOBODY): { "code": "404" } },
            ],
        })
    );

    // Both online members (the creator too): the GROUP_CREATE system message, live, by Alice,
    // then the `create` push.
    let create_push = chat_push(
        &gid,
        "create",
        A,
        json!({
            "creation": created, "subject": "Team", "s_o": cjid(A), "s_t": created,
            "admins": [cjid(A)], "regulars": [cjid(B), cjid(C)],
        }),
    );
    for (phone, rx) in [(A, &mut alice_rx), (B, &mut bob_rx)] {
        let got = drain(rx);
        env.ack_written(phone, &got).await;
        let infos = relayed(&got);
        assert_eq!(infos.len(), 1);
        let info = &infos[0];
        let key = info.key.clone().unwrap();
        assert_eq!(
            (key.remote_jid.as_deref(), key.from_me, key.participant.as_deref()),
            (Some(gid.as_str()), Some(false), Some(jid(A).as_str()))
        );
        assert_eq!(info.participant.as_deref(), Some(jid(A).as_str()));
        assert_eq!(info.message_timestamp, Some(created));
        assert_eq!(stubs(&got), [stub(GROUP_CREATE, &["Team"])]);
        assert_eq!(json_pushes(&got), std::slice::from_ref(&create_push));
    }
    // Live members have nothing queued once their connections acknowledged the pushes; each has the group in the chat list, named, unread 0.
    assert!(env.store().pending_for(B, 10).await.unwrap().is_empty());
    assert_eq!(chat_list(&env, &bob).await, [(gid.clone(), "0".into(), Some("Team".into()))]);

    // Carol was offline: the same system message waits for her and comes with her sync.
    let pending = env.store().pending_for(C, 10).await.unwrap();
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0].message.chat_jid, gid);
    let queued = message::decode(&pending[0].message.info).unwrap();
    assert_eq!(queued.message_stub_type, Some(GROUP_CREATE));
    let (carol, _carol_rx) = env.connect(C, 3);
    let sync = initial_sync(&env.shared, &carol).await.unwrap();
    let SyncPush::Preempt(chats) = &sync[1] else { panic!("chat list second") };
    let item = &chats.child_nodes()[0];
    assert_eq!((item.get_attr("jid"), item.get_attr("name")), (Some(gid.as_str()), Some("Team")));
    let SyncPush::Node(last) = &sync[2] else { panic!("add=last third") };
    assert_eq!(infos(last)[0].message_stub_type, Some(GROUP_CREATE));
    assert!(env.store().pending_for(C, 10).await.unwrap().is_empty());

    // Nobody else got a chat; an unknown number is not a member.
    assert!(env.store().chats(D).await.unwrap().is_empty());
    let meta = metadata(&env, &alice, &gid).await;
    let ids: Vec<_> = roles(&meta).into_iter().map(|(id, ..)| id).collect();
    assert_eq!(ids, [cjid(A), cjid(B), cjid(C)]);
}

#[tokio::test]
async fn bad_create_and_change_requests_say_why() {
    let env = env().await;
    let (alice, _rx) = env.connect(A, 1);
    assert_eq!(create(&env, &alice, "   ", &[B]).await, status(400));
    assert_eq!(create(&env, &alice, &"x".repeat(26), &[B]).await, status(406));
    let bad_member = group_action(
        &alice,
        "create",
        &[("subject", "Team")],
        vec![Node::new("participant").attr("jid", "1-2@g.us")],
    );
    assert_eq!(json_of(env.binary(&alice, "g", bad_member).await), status(400));
    // Nothing was created by any of those.
    assert!(env.store().chats(A).await.unwrap().is_empty());
    assert!(env.store().chats(B).await.unwrap().is_empty());

    let longest = "x".repeat(25);
    let gid = create(&env, &alice, &longest, &[B]).await["gid"].as_str().unwrap().to_owned();
    assert_eq!(metadata(&env, &alice, &gid).await["subject"], longest.as_str());
    // An unknown group, a JID that is no group, a missing type, an unknown type, no members.
    let missing = format!("{A}-1@g.us");
    assert_eq!(members(&env, &alice, &missing, "add", &[C]).await, status(404));
    assert_eq!(members(&env, &alice, &cjid(B), "add", &[C]).await, status(400));
    let untyped = set(Node::new("group").attr("jid", gid.clone()));
    assert_eq!(json_of(env.binary(&alice, "g", untyped).await), status(400));
    assert_eq!(change(&env, &alice, &gid, "invite", &[], vec![]).await, status(400));
    assert_eq!(members(&env, &alice, &gid, "add", &[]).await, status(400));
    // Disappearing messages are not kept.
    let ephemeral = vec![Node::new("ephemeral").attr("value", "true")];
    assert_eq!(change(&env, &alice, &gid, "prop", &[], ephemeral).await, status(501));
    assert_eq!(metadata(&env, &alice, &missing).await, status(404));
}

#[tokio::test]
async fn metadata_gives_roles_and_settings_to_members_only() {
    let env = env().await;
    let (alice, _rx) = env.connect(A, 1);
    let (bob, _bob_rx) = env.connect(B, 2);
    let (dave, _dave_rx) = env.connect(D, 4);
    let gid = team(&env, &alice, &[B, C]).await;
    assert_eq!(
        members(&env, &alice, &gid, "promote", &[B]).await["participants"],
        codes(&[(B, "200")])
    );

    let meta = metadata(&env, &bob, &gid).await;
    assert_eq!(
        roles(&meta),
        [(cjid(A), true, true), (cjid(B), true, false), (cjid(C), false, false)]
    );
    let created = meta["creation"].as_u64().unwrap();
    assert_eq!(meta["id"], gid.as_str());
    assert_eq!(meta["owner"], cjid(A));
    assert_eq!(meta["subject"], "Team");
    assert_eq!(
        (meta["subjectTime"].as_u64(), &meta["subjectOwner"]),
        (Some(created), &json!(cjid(A)))
    );
    assert_eq!((&meta["announce"], &meta["restrict"]), (&json!("false"), &json!("false")));
    assert!(meta.get("desc").is_none() && meta.get("descId").is_none());
    assert!(meta.get("status").is_none());

    // A stranger learns nothing of it, not even the members.
    assert_eq!(metadata(&env, &dave, &gid).await, status(401));
}

#[tokio::test]
async fn a_plain_member_cannot_change_membership_or_settings() {
    let env = env().await;
    let (alice, mut alice_rx) = env.connect(A, 1);
    let (carol, mut carol_rx) = env.connect(C, 3);
    let gid = team(&env, &alice, &[B, C]).await;
    let before = metadata(&env, &alice, &gid).await;
    drain(&mut alice_rx);
    drain(&mut carol_rx);

    assert_eq!(members(&env, &carol, &gid, "add", &[D]).await, status(401));
    assert_eq!(members(&env, &carol, &gid, "remove", &[B]).await, status(401));
    assert_eq!(members(&env, &carol, &gid, "promote", &[C]).await, status(401));
    assert_eq!(members(&env, &carol, &gid, "demote", &[A]).await, status(401));
    let lock = vec![Node::new("locked").attr("value", "true")];
    assert_eq!(change(&env, &carol, &gid, "prop", &[], lock).await, status(401));
    let announce = vec![Node::new("announcement").attr("value", "true")];
    assert_eq!(change(&env, &carol, &gid, "prop", &[], announce).await, status(401));

    // Nothing changed, nobody was told, Dave got no chat.
    assert_eq!(metadata(&env, &alice, &gid).await, before);
    assert!(drain(&mut alice_rx).is_empty());
    assert!(drain(&mut carol_rx).is_empty());
    assert!(env.store().chats(D).await.unwrap().is_empty());
    assert_eq!(group_history(&env, &alice, &gid).await.len(), 1, "only the creation");
}

#[tokio::test]
async fn membership_changes_answer_a_code_per_account() {
    let env = env().await;
    let (alice, _rx) = env.connect(A, 1);
    let (bob, mut bob_rx) = env.connect(B, 2);
    let (dave, mut dave_rx) = env.connect(D, 4);
    let gid = team(&env, &alice, &[B, C]).await;
    drain(&mut bob_rx);

    let added = members(&env, &alice, &gid, "add", &[D, B, NOBODY]).await;
    assert_eq!(
        added,
        json!({ "status": 200, "participants": codes(&[(D, "200"), (B, "409"), (NOBODY, "404")]) })
    );
    // Members old and new hear of the addition of Dave only.
    let add_push = chat_push(&gid, "add", A, json!({ "participants": [cjid(D)] }));
    for rx in [&mut bob_rx, &mut dave_rx] {
        let got = drain(rx);
        assert_eq!(stubs(&got), [stub(GROUP_PARTICIPANT_ADD, &[&cjid(D)])]);
        assert_eq!(json_pushes(&got), std::slice::from_ref(&add_push));
    }
    assert_eq!(chat_list(&env, &dave).await, [(gid.clone(), "0".into(), Some("Team".into()))]);

    // Bob, made admin, cannot touch the creator (403), removes Carol, and misses a stranger.
    members(&env, &alice, &gid, "promote", &[B]).await;
    let removed = members(&env, &bob, &gid, "remove", &[A, C, NOBODY]).await;
    assert_eq!(removed["participants"], codes(&[(A, "403"), (C, "200"), (NOBODY, "404")]));
    let demoted = members(&env, &bob, &gid, "demote", &[A]).await;
    assert_eq!(demoted["participants"], codes(&[(A, "403")]));
    let promoted = members(&env, &bob, &gid, "promote", &[D]).await;
    assert_eq!(promoted["participants"], codes(&[(D, "200")]));
    let meta = metadata(&env, &alice, &gid).await;
    assert_eq!(
        roles(&meta),
        [(cjid(A), true, true), (cjid(B), true, false), (cjid(D), true, false)]
    );
    // A change that changed nobody tells nobody.
    drain(&mut bob_rx);
    let again = members(&env, &alice, &gid, "add", &[B]).await;
    assert_eq!(again["participants"], codes(&[(B, "409")]));
    assert!(drain(&mut bob_rx).is_empty());
}

#[tokio::test]
async fn a_removed_member_is_told_and_can_no_longer_write_or_read_the_metadata() {
    let env = env().await;
    let (alice, mut alice_rx) = env.connect(A, 1);
    let (_bob, mut bob_rx) = env.connect(B, 2);
    let (carol, mut carol_rx) = env.connect(C, 3);
    let gid = team(&env, &alice, &[B, C]).await;
    drain(&mut alice_rx);
    drain(&mut bob_rx);
    drain(&mut carol_rx);

    let removed = members(&env, &alice, &gid, "remove", &[C]).await;
    assert_eq!(removed, json!({ "status": 200, "participants": codes(&[(C, "200")]) }));
    let remove_push = chat_push(&gid, "remove", A, json!({ "participants": [cjid(C)] }));
    for rx in [&mut carol_rx, &mut bob_rx, &mut alice_rx] {
        let got = drain(rx);
        assert_eq!(stubs(&got), [stub(GROUP_PARTICIPANT_REMOVE, &[&cjid(C)])]);
        assert_eq!(json_pushes(&got), std::slice::from_ref(&remove_push));
    }

    // Carol keeps her chat (read-only), but may not write in the group any more.
    assert!(env.store().chat(C, &gid).await.unwrap().is_some());
    let refused = json_of(env.binary(&carol, "R1", group_relay(&gid, "R1", "still here?")).await);
    assert_eq!(refused, status(401));
    assert!(drain(&mut alice_rx).is_empty());
    assert!(drain(&mut bob_rx).is_empty());
    let key = |from_me| MessageKey { chat_jid: gid.clone(), id: "R1".into(), from_me };
    assert!(env.store().find_message(C, key(true)).await.unwrap().is_none());
    assert!(env.store().find_message(A, key(false)).await.unwrap().is_none());
    assert_eq!(metadata(&env, &carol, &gid).await, status(401));
    // Nor change it.
    assert_eq!(
        change(&env, &carol, &gid, "subject", &[("subject", "Mine")], vec![]).await,
        status(401)
    );
    assert_eq!(change(&env, &carol, &gid, "leave", &[], vec![]).await, status(401));
    // Later changes no longer reach her, and her chat keeps the old name.
    let renamed = change(&env, &alice, &gid, "subject", &[("subject", "Without Carol")], vec![]);
    assert_eq!(renamed.await, status(200));
    assert_eq!(stubs(&drain(&mut bob_rx)), [stub(GROUP_CHANGE_SUBJECT, &["Without Carol"])]);
    assert!(drain(&mut carol_rx).is_empty());
    assert_eq!(chat_list(&env, &carol).await[0].2.as_deref(), Some("Team"));
}

#[tokio::test]
async fn a_relay_to_a_group_reaches_every_other_member() {
    let env = env().await;
    let (alice, mut alice_rx) = env.connect(A, 1);
    let (_alice2, mut alice2_rx) = env.connect(A, 2);
    let (bob, mut bob_rx) = env.connect(B, 3);
    let (_dave, mut dave_rx) = env.connect(D, 4);
    let gid = team(&env, &alice, &[B, C]).await;
    for rx in [&mut alice_rx, &mut alice2_rx, &mut bob_rx] {
        drain(rx);
    }

    let answer = json_of(env.binary(&alice, "G1", group_relay(&gid, "G1", "hello team")).await);
    let t = answer["t"].as_u64().unwrap();
    assert_eq!(answer, json!({ "status": 200, "t": t }));

    // Bob: the message as sent by Alice in the group.
    let got = relayed(&drain(&mut bob_rx));
    assert_eq!(got.len(), 1);
    let key = got[0].key.clone().unwrap();
    assert_eq!(
        (key.remote_jid.as_deref(), key.from_me, key.id.as_deref(), key.participant.as_deref()),
        (Some(gid.as_str()), Some(false), Some("G1"), Some(jid(A).as_str()))
    );
    assert_eq!(got[0].participant.as_deref(), Some(jid(A).as_str()));
    assert_eq!(got[0].push_name.as_deref(), Some("Alice"));
    assert_eq!(
        (got[0].text(), got[0].message_timestamp, got[0].status),
        (Some("hello team"), Some(t), None)
    );

    // Alice: the delivery ack naming the group, on every session; the other one sees the echo.
    let ack =
        json!(["Msg", {"cmd": "ack", "id": "G1", "ack": 2, "from": cjid(A), "to": gid, "t": t}]);
    let here = drain(&mut alice_rx);
    assert!(node_pushes(&here).is_empty());
    assert_eq!(json_pushes(&here), std::slice::from_ref(&ack));
    let there = drain(&mut alice2_rx);
    assert_eq!(json_pushes(&there), [ack]);
    let echo = relayed(&there);
    assert_eq!(echo.len(), 1);
    let echo_key = echo[0].key.clone().unwrap();
    assert_eq!(
        (echo_key.remote_jid.as_deref(), echo_key.from_me),
        (Some(gid.as_str()), Some(true))
    );
    // Dave is in no group: nothing.
    assert!(drain(&mut dave_rx).is_empty());

    // Carol, offline, has it queued; the stored copies carry the sender.
    let pending = env.store().pending_for(C, 10).await.unwrap();
    let queued: Vec<_> = pending.iter().map(|p| p.message.id.as_str()).collect();
    assert_eq!(queued.len(), 2, "the creation notice and the message: {queued:?}");
    assert_eq!(queued[1], "G1");
    let carols = &pending[1].message;
    assert_eq!(
        (carols.participant.as_deref(), carols.push_name.as_deref(), carols.from_me),
        (Some(jid(A).as_str()), Some("Alice"), false)
    );
    let mine = MessageKey { chat_jid: gid.clone(), id: "G1".into(), from_me: true };
    assert_eq!(env.store().find_message(A, mine).await.unwrap().unwrap().timestamp, t);

    // Unread counts grow for the others, not for the sender.
    env.binary(&alice, "G2", group_relay(&gid, "G2", "again")).await;
    let unread = |phone| {
        let gid = gid.clone();
        let env = &env;
        async move { env.store().chat(phone, &gid).await.unwrap().unwrap().unread }
    };
    assert_eq!((unread(A).await, unread(B).await, unread(C).await), (0, 2, 2));
    assert!(env.store().chat(D, &gid).await.unwrap().is_none());
    // A member answers: Alice gets it with Bob as participant.
    drain(&mut alice_rx);
    env.binary(&bob, "G3", group_relay(&gid, "G3", "hi Alice")).await;
    let back = relayed(&drain(&mut alice_rx));
    assert_eq!(back[0].key.clone().unwrap().participant.as_deref(), Some(jid(B).as_str()));
    assert_eq!(back[0].push_name.as_deref(), Some("Bob"));
    assert_eq!(group_history(&env, &alice, &gid).await[1..], ["G1", "G2", "G3"]);
}

#[tokio::test]
async fn a_repeated_group_relay_answers_the_first_time_and_stores_nothing_twice() {
    let env = env().await;
    let (alice, mut alice_rx) = env.connect(A, 1);
    let (bob, mut bob_rx) = env.connect(B, 2);
    let gid = team(&env, &alice, &[B, C]).await;
    let first = json_of(env.binary(&alice, "D1", group_relay(&gid, "D1", "once")).await);
    drain(&mut alice_rx);
    drain(&mut bob_rx);
    let again = json_of(env.binary(&alice, "D1", group_relay(&gid, "D1", "once")).await);
    assert_eq!(again, first);
    assert!(drain(&mut alice_rx).is_empty());
    assert!(drain(&mut bob_rx).is_empty());
    assert_eq!(env.store().chat(B, &gid).await.unwrap().unwrap().unread, 1);
    assert_eq!(env.store().pending_for(C, 10).await.unwrap().len(), 2);
    let bobs = group_history(&env, &bob, &gid).await;
    assert_eq!(bobs.iter().filter(|id| *id == "D1").count(), 1);
    let alices = group_history(&env, &alice, &gid).await;
    assert_eq!(alices.iter().filter(|id| *id == "D1").count(), 1);
}

#[tokio::test]
async fn an_announce_only_group_lets_only_admins_write() {
    let env = env().await;
    let (alice, _rx) = env.connect(A, 1);
    let (bob, mut bob_rx) = env.connect(B, 2);
    let (carol, mut carol_rx) = env.connect(C, 3);
    let gid = team(&env, &alice, &[B, C]).await;
    members(&env, &alice, &gid, "promote", &[B]).await;
    drain(&mut bob_rx);
    drain(&mut carol_rx);

    let on = vec![Node::new("announcement").attr("value", "true")];
    assert_eq!(change(&env, &alice, &gid, "prop", &[], on).await, status(200));
    let got = drain(&mut carol_rx);
    assert_eq!(stubs(&got), [stub(GROUP_CHANGE_ANNOUNCE, &["on"])]);
    assert!(json_pushes(&got).is_empty());
    assert_eq!(metadata(&env, &carol, &gid).await["announce"], "true");

    // Carol may no longer write; Bob, an admin, may.
    drain(&mut bob_rx);
    let refused = json_of(env.binary(&carol, "N1", group_relay(&gid, "N1", "me too")).await);
    assert_eq!(refused, status(401));
    assert!(drain(&mut bob_rx).is_empty());
    let key = MessageKey { chat_jid: gid.clone(), id: "N1".into(), from_me: true };
    assert!(env.store().find_message(C, key).await.unwrap().is_none());
    let accepted = json_of(env.binary(&bob, "N2", group_relay(&gid, "N2", "news")).await);
    assert_eq!(accepted["status"], 200);
    assert_eq!(relayed(&drain(&mut carol_rx))[0].text(), Some("news"));

    // Open again: Carol writes.
    let off = vec![Node::new("announcement").attr("value", "false")];
    assert_eq!(change(&env, &bob, &gid, "prop", &[], off).await, status(200));
    assert_eq!(stubs(&drain(&mut carol_rx)), [stub(GROUP_CHANGE_ANNOUNCE, &["off"])]);
    let now = json_of(env.binary(&carol, "N3", group_relay(&gid, "N3", "me too")).await);
    assert_eq!(now["status"], 200);
    let bad = vec![Node::new("announcement").attr("value", "maybe")];
    assert_eq!(change(&env, &alice, &gid, "prop", &[], bad).await, status(400));
}

#[tokio::test]
async fn when_the_last_admin_leaves_the_longest_standing_member_is_promoted() {
    let env = env().await;
    let (alice, mut alice_rx) = env.connect(A, 1);
    let (bob, mut bob_rx) = env.connect(B, 2);
    let gid = team(&env, &alice, &[B, C]).await;
    drain(&mut alice_rx);
    drain(&mut bob_rx);

    assert_eq!(change(&env, &alice, &gid, "leave", &[], vec![]).await, status(200));
    let got = drain(&mut bob_rx);
    assert_eq!(
        stubs(&got),
        [stub(GROUP_PARTICIPANT_LEAVE, &[&cjid(A)]), stub(GROUP_PARTICIPANT_PROMOTE, &[&cjid(B)])]
    );
    assert_eq!(
        json_pushes(&got),
        [
            chat_push(&gid, "remove", A, json!({ "participants": [cjid(A)] })),
            chat_push(&gid, "promote", A, json!({ "participants": [cjid(B)] })),
        ]
    );
    // Alice hears of her own leaving (not of the promotion: she is out), keeps the chat.
    let hers = stubs(&drain(&mut alice_rx));
    assert_eq!(hers, [stub(GROUP_PARTICIPANT_LEAVE, &[&cjid(A)])]);
    assert!(env.store().chat(A, &gid).await.unwrap().is_some());
    assert_eq!(metadata(&env, &alice, &gid).await, status(401));

    // Bob is an admin now (not the creator), and can act as one.
    let meta = metadata(&env, &bob, &gid).await;
    assert_eq!(meta["owner"], cjid(A));
    assert_eq!(roles(&meta), [(cjid(B), true, false), (cjid(C), false, false)]);
    assert_eq!(members(&env, &bob, &gid, "add", &[D]).await["participants"], codes(&[(D, "200")]));

    // With an admin left, a member's leaving promotes nobody.
    let (carol, _carol_rx) = env.connect(C, 3);
    drain(&mut bob_rx);
    assert_eq!(change(&env, &carol, &gid, "leave", &[], vec![]).await, status(200));
    assert_eq!(stubs(&drain(&mut bob_rx)), [stub(GROUP_PARTICIPANT_LEAVE, &[&cjid(C)])]);
}

#[tokio::test]
async fn a_new_subject_renames_every_chat_and_is_pushed() {
    let env = env().await;
    let (alice, mut alice_rx) = env.connect(A, 1);
    let (bob, _bob_rx) = env.connect(B, 2);
    let (carol, _carol_rx) = env.connect(C, 3);
    let gid = team(&env, &alice, &[B, C]).await;
    drain(&mut alice_rx);

    // Any member may rename an open group.
    let renamed = change(&env, &bob, &gid, "subject", &[("subject", "Crew")], vec![]).await;
    assert_eq!(renamed, status(200));
    let meta = metadata(&env, &alice, &gid).await;
    let s_t = meta["subjectTime"].as_u64().unwrap();
    assert_eq!((&meta["subject"], &meta["subjectOwner"]), (&json!("Crew"), &json!(cjid(B))));
    let got = drain(&mut alice_rx);
    assert_eq!(stubs(&got), [stub(GROUP_CHANGE_SUBJECT, &["Crew"])]);
    assert_eq!(relayed(&got)[0].participant.as_deref(), Some(jid(B).as_str()));
    assert_eq!(
        json_pushes(&got),
        [chat_push(&gid, "subject", B, json!({ "subject": "Crew", "s_t": s_t }))]
    );
    for me in [&alice, &bob, &carol] {
        assert_eq!(chat_list(&env, me).await[0].2.as_deref(), Some("Crew"));
    }
    assert_eq!(change(&env, &bob, &gid, "subject", &[("subject", "")], vec![]).await, status(400));
    let long = "y".repeat(26);
    assert_eq!(
        change(&env, &bob, &gid, "subject", &[("subject", &long)], vec![]).await,
        status(406)
    );

    // Locked: only admins rename.
    let lock = vec![Node::new("locked").attr("value", "true")];
    assert_eq!(change(&env, &alice, &gid, "prop", &[], lock).await, status(200));
    assert_eq!(stubs(&drain(&mut alice_rx)), [stub(GROUP_CHANGE_RESTRICT, &["on"])]);
    assert_eq!(metadata(&env, &carol, &gid).await["restrict"], "true");
    let refused = change(&env, &carol, &gid, "subject", &[("subject", "Carol's")], vec![]).await;
    assert_eq!(refused, status(401));
    assert!(drain(&mut alice_rx).is_empty());
    assert_eq!(chat_list(&env, &carol).await[0].2.as_deref(), Some("Crew"));
    let by_admin = change(&env, &alice, &gid, "subject", &[("subject", "Squad")], vec![]).await;
    assert_eq!(by_admin, status(200));
    assert_eq!(chat_list(&env, &carol).await[0].2.as_deref(), Some("Squad"));
}

#[tokio::test]
async fn a_description_replaces_the_one_the_client_saw_or_is_a_conflict() {
    let env = env().await;
    let (alice, mut alice_rx) = env.connect(A, 1);
    let (bob, _bob_rx) = env.connect(B, 2);
    let (carol, _carol_rx) = env.connect(C, 3);
    let gid = team(&env, &alice, &[B, C]).await;
    drain(&mut alice_rx);
    let describe = |id: &str, prev: Option<&str>, text: &str| {
        let mut node = Node::new("description").attr("id", id);
        if let Some(prev) = prev {
            node = node.attr("prev", prev);
        }
        vec![node.bytes(text.as_bytes().to_vec())]
    };

    let first = change(&env, &bob, &gid, "description", &[], describe("d1", None, "Rules")).await;
    assert_eq!(first, status(200));
    let got = drain(&mut alice_rx);
    assert_eq!(stubs(&got), [stub(GROUP_CHANGE_DESCRIPTION, &[])]);
    let meta = metadata(&env, &alice, &gid).await;
    let t = meta["descTime"].as_u64().unwrap();
    assert_eq!(
        json_pushes(&got),
        [chat_push(&gid, "desc_add", B, json!({ "desc": "Rules", "descId": "d1", "descTime": t }))]
    );

    let second = describe("d2", Some("d1"), "Rules, v2 — ünïcode");
    assert_eq!(change(&env, &carol, &gid, "description", &[], second).await, status(200));
    // Alice still saw d1: her edit would undo Carol's.
    drain(&mut alice_rx);
    let stale = describe("d3", Some("d1"), "Old rules");
    assert_eq!(change(&env, &alice, &gid, "description", &[], stale).await, status(409));
    assert!(drain(&mut alice_rx).is_empty());
    let meta = metadata(&env, &bob, &gid).await;
    assert_eq!(
        (&meta["desc"], &meta["descId"], &meta["descOwner"]),
        (&json!("Rules, v2 — ünïcode"), &json!("d2"), &json!(cjid(C)))
    );
    // A description node without an id is malformed.
    let no_id = vec![Node::new("description").bytes(b"x".to_vec())];
    assert_eq!(change(&env, &alice, &gid, "description", &[], no_id).await, status(400));

    // The binary query carries it too.
    let q = query("group", &[("jid", &gid)]);
    let info = node_of(env.binary(&alice, "q", q).await);
    let group = &info.child_nodes()[0];
    let desc = group.child_nodes().iter().find(|c| c.description == "description").unwrap();
    assert_eq!(desc.get_attr("id"), Some("d2"));
    assert_eq!(desc.content_bytes(), Some("Rules, v2 — ünïcode".as_bytes()));
}

#[tokio::test]
async fn the_binary_group_query_serves_members_and_former_members_only() {
    let env = env().await;
    let (alice, _rx) = env.connect(A, 1);
    let (carol, _carol_rx) = env.connect(C, 3);
    let (dave, _dave_rx) = env.connect(D, 4);
    let gid = team(&env, &alice, &[B, C]).await;
    members(&env, &alice, &gid, "promote", &[B]).await;
    let q = || query("group", &[("jid", &gid)]);

    let answer = node_of(env.binary(&alice, "q", q()).await);
    let created = metadata(&env, &alice, &gid).await["creation"].as_u64().unwrap();
    let expected = Node::new("response").attr("type", "group").children(vec![Node::new("group")
        .attr("creator", cjid(A))
        .attr("create", created.to_string())
        .attr("subject", "Team")
        .children(vec![
            Node::new("participant").attr("jid", cjid(A)).attr("type", "superadmin"),
            Node::new("participant").attr("jid", cjid(B)).attr("type", "admin"),
            Node::new("participant").attr("jid", cjid(C)),
        ])]);
    assert_eq!(answer, expected);

    // Carol leaves: she still has the chat, so she may still look (Baileys does).
    assert_eq!(change(&env, &carol, &gid, "leave", &[], vec![]).await, status(200));
    let hers = node_of(env.binary(&carol, "q", q()).await);
    let participants = hers.child_nodes()[0].child_nodes().len();
    assert_eq!((hers.get_attr("type"), participants), (Some("group"), 2));
    // Dave never was a member.
    assert_eq!(json_of(env.binary(&dave, "q", q()).await), status(401));
    // No such group.
    let missing = query("group", &[("jid", &format!("{A}-1@g.us"))]);
    assert_eq!(
        node_of(env.binary(&dave, "q", missing).await),
        Node::new("response").attr("type", "missing")
    );
}

#[tokio::test]
async fn a_stranger_can_neither_see_nor_touch_nor_write_to_a_group() {
    let env = env().await;
    let (alice, mut alice_rx) = env.connect(A, 1);
    let (dave, mut dave_rx) = env.connect(D, 4);
    let gid = team(&env, &alice, &[B]).await;
    drain(&mut alice_rx);
    drain(&mut dave_rx);

    assert_eq!(metadata(&env, &dave, &gid).await, status(401));
    assert_eq!(members(&env, &dave, &gid, "add", &[D]).await, status(401));
    assert_eq!(change(&env, &dave, &gid, "leave", &[], vec![]).await, status(401));
    let rename = change(&env, &dave, &gid, "subject", &[("subject", "Mine")], vec![]).await;
    assert_eq!(rename, status(401));
    let sneaky = json_of(env.binary(&dave, "S1", group_relay(&gid, "S1", "let me in")).await);
    assert_eq!(sneaky, status(401));
    // A group nobody created.
    let nowhere =
        json_of(env.binary(&dave, "S2", group_relay(&format!("{D}-1@g.us"), "S2", "?")).await);
    assert_eq!(nowhere, status(404));

    assert!(drain(&mut alice_rx).is_empty());
    assert!(drain(&mut dave_rx).is_empty());
    assert!(env.store().chats(D).await.unwrap().is_empty());
    assert_eq!(group_history(&env, &alice, &gid).await.len(), 1);
    let meta = metadata(&env, &alice, &gid).await;
    assert_eq!((&meta["subject"], roles(&meta).len()), (&json!("Team"), 2));
}

#[tokio::test]
async fn a_chat_state_in_a_group_reaches_the_other_members_with_its_author() {
    let env = env().await;
    let (alice, mut alice_rx) = env.connect(A, 1);
    let (_bob, mut bob_rx) = env.connect(B, 2);
    let (dave, mut dave_rx) = env.connect(D, 4);
    let gid = team(&env, &alice, &[B]).await;
    drain(&mut alice_rx);
    drain(&mut bob_rx);
    let typing = |to: &str| set(Node::new("presence").attr("type", "composing").attr("to", to));

    assert_eq!(json_of(env.binary(&alice, "p", typing(&gid)).await), status(200));
    assert_eq!(
        json_pushes(&drain(&mut bob_rx)),
        [json!(["Presence", { "id": gid, "type": "composing", "participant": cjid(A) }])]
    );
    assert!(drain(&mut alice_rx).is_empty());
    // Not Dave's group to type in; nobody's group at all.
    assert_eq!(json_of(env.binary(&dave, "p", typing(&gid)).await), status(401));
    assert_eq!(json_of(env.binary(&dave, "p", typing(&format!("{D}-1@g.us"))).await), status(404));
    assert!(drain(&mut alice_rx).is_empty() && drain(&mut bob_rx).is_empty());
    assert!(drain(&mut dave_rx).is_empty());
}

#[tokio::test]
async fn an_invite_link_lets_anyone_join_until_an_admin_resets_it() {
    let env = env().await;
    let (alice, mut alice_rx) = env.connect(A, 1);
    let (bob, _bob_rx) = env.connect(B, 2);
    let (dave, mut dave_rx) = env.connect(D, 4);
    let gid = team(&env, &alice, &[B]).await;
    drain(&mut alice_rx);

    // Only admins get the link; asking again gives the same code.
    let asked = json_of(env.json(&bob, json!(["query", "inviteCode", gid])).await);
    assert_eq!(asked, status(401));
    let code = json_of(env.json(&alice, json!(["query", "inviteCode", gid])).await);
    assert_eq!(code["status"], 200);
    let code = code["code"].as_str().unwrap().to_owned();
    assert_eq!(code.len(), 22, "{code}");
    let again = json_of(env.json(&alice, json!(["query", "inviteCode", gid])).await);
    assert_eq!(again["code"], code.as_str());

    // Anyone with the code sees the group, and joins it: the members are told.
    let info = json_of(env.json(&dave, json!(["query", "invite", code])).await);
    assert_eq!(
        (&info["id"], &info["subject"], &info["size"]),
        (&json!(gid), &json!("Team"), &json!(2))
    );
    let joined = json_of(env.json(&dave, json!(["action", "invite", code])).await);
    assert_eq!(joined, json!({ "status": 200, "gid": gid }));
    let told = drain(&mut alice_rx);
    assert_eq!(stubs(&told), [stub(GROUP_PARTICIPANT_INVITE, &[&cjid(D)])]);
    assert_eq!(
        json_pushes(&told),
        [chat_push(&gid, "add", D, json!({ "participants": [cjid(D)] }))]
    );
    assert_eq!(stubs(&drain(&mut dave_rx)), [stub(GROUP_PARTICIPANT_INVITE, &[&cjid(D)])]);
    assert_eq!(chat_list(&env, &dave).await[0].2.as_deref(), Some("Team"));
    let roles = roles(&metadata(&env, &dave, &gid).await);
    assert_eq!(roles.last(), Some(&(cjid(D), false, false)));
    let twice = json_of(env.json(&dave, json!(["action", "invite", code])).await);
    assert_eq!(twice, status(409));

    // A reset gives a new code; the old one leads nowhere.
    let reset = json_of(env.json(&alice, json!(["action", "inviteReset", gid])).await);
    assert_eq!(reset["status"], 200);
    assert_ne!(reset["code"], code.as_str());
    let stale = json!(["action", "invite", code]);
    assert_eq!(json_of(env.json(&dave, stale).await), status(404));
    assert_eq!(json_of(env.json(&dave, json!(["query", "invite", code])).await), status(404));
    let not_a_group = json!(["query", "inviteCode", cjid(B)]);
    assert_eq!(json_of(env.json(&alice, not_a_group).await), status(400));
}

#[tokio::test]
async fn a_members_group_picture_reaches_the_members_and_a_locked_group_keeps_it_to_admins() {
    let env = env().await;
    let (alice, mut alice_rx) = env.connect(A, 1);
    let (bob, mut bob_rx) = env.connect(B, 2);
    let (dave, _dave_rx) = env.connect(D, 4);
    let gid = team(&env, &alice, &[B]).await;
    drain(&mut alice_rx);
    drain(&mut bob_rx);
    let jpeg = |b: u8| vec![0xff, 0xd8, 0xff, b];
    let picture = |kind: &str| {
        let node =
            Node::new("picture").attr("jid", gid.clone()).attr("id", "p1").attr("type", kind);
        let images = vec![Node::new("image").bytes(jpeg(1)), Node::new("preview").bytes(jpeg(2))];
        set(if kind == "set" { node.children(images) } else { node })
    };

    // Any member, in an open group.
    let set_by_bob = json_of(env.binary(&bob, "p1", picture("set")).await);
    assert_eq!(set_by_bob["status"], 200);
    let tag = set_by_bob["tag"].as_str().unwrap().to_owned();
    let id = gid.strip_suffix("@g.us").unwrap();
    let secret = env.store().picture(&gid).await.unwrap().unwrap().secret;
    assert_eq!(secret.len(), 32, "128 random bits in hex: {secret}");
    assert_eq!(set_by_bob["eurl"], format!("/pp/{id}/{tag}-{secret}"));
    let told = drain(&mut alice_rx);
    assert_eq!(stubs(&told), [stub(GROUP_CHANGE_ICON, &[])]);
    assert_eq!(json_pushes(&told), [json!(["Cmd", { "type": "picture", "jid": gid, "tag": tag }])]);
    assert_eq!(env.store().picture(&gid).await.unwrap().map(|p| p.image), Some(jpeg(1)));

    // Its URL for members; strangers see neither the URL nor may they change it.
    let thumb = json_of(env.json(&alice, json!(["query", "ProfilePicThumb", gid])).await);
    assert_eq!(
        (thumb["eurl"].clone(), thumb["tag"].clone()),
        (set_by_bob["eurl"].clone(), json!(tag))
    );
    let peek = json!(["query", "ProfilePicThumb", gid]);
    assert_eq!(json_of(env.json(&dave, peek).await), status(401));
    assert_eq!(json_of(env.binary(&dave, "p1", picture("set")).await), status(401));

    // Locked: only admins.
    let lock = vec![Node::new("locked").attr("value", "true")];
    assert_eq!(change(&env, &alice, &gid, "prop", &[], lock).await, status(200));
    assert_eq!(json_of(env.binary(&bob, "p1", picture("delete")).await), status(401));
    assert_eq!(json_of(env.binary(&alice, "p1", picture("delete")).await), status(200));
    let gone = json!(["query", "ProfilePicThumb", gid]);
    assert_eq!(json_of(env.json(&bob, gone).await), status(404));
    let missing =
        Node::new("picture").attr("jid", "1-2@g.us").attr("id", "p").attr("type", "delete");
    assert_eq!(json_of(env.binary(&alice, "p", set(missing)).await), status(404));
}

#[tokio::test]
async fn each_read_in_a_group_is_a_msg_info_ack_and_the_last_one_makes_it_read() {
    let env = env().await;
    let (alice, mut alice_rx) = env.connect(A, 1);
    let (bob, _bob_rx) = env.connect(B, 2);
    let (carol, _carol_rx) = env.connect(C, 3);
    let gid = team(&env, &alice, &[B, C]).await;
    let sent = json_of(env.binary(&alice, "R1", group_relay(&gid, "R1", "read me")).await);
    let t = sent["t"].as_u64().unwrap();
    drain(&mut alice_rx);
    async fn read_it(env: &Env, me: &Me, gid: &str) -> Value {
        let node = Node::new("read").attr("jid", gid).attr("index", "R1").attr("owner", "false");
        json_of(env.binary(me, "r", set(node.attr("participant", cjid(A)))).await)
    }
    let info = |id: &str| query("message_info", &[("jid", gid.as_str()), ("index", id)]);
    let lists = |node: &Node| -> Vec<(String, Vec<String>)> {
        node.child_nodes()
            .iter()
            .map(|list| {
                let users = list.child_nodes().iter();
                (
                    list.description.to_string(),
                    users.map(|u| u.get_attr("jid").unwrap().to_owned()).collect(),
                )
            })
            .collect()
    };

    // Sent: delivered to both, read by none.
    let before = node_of(env.binary(&alice, "i", info("R1")).await);
    assert_eq!(lists(&before), [("delivery".to_owned(), vec![cjid(B), cjid(C)])]);

    // Bob reads: a MsgInfo ack naming him, not yet the Msg ack.
    assert_eq!(read_it(&env, &bob, &gid).await, status(200));
    let pushes = json_pushes(&drain(&mut alice_rx));
    assert_eq!(pushes.len(), 1, "{pushes:?}");
    assert_eq!(pushes[0][0], "MsgInfo");
    let body = &pushes[0][1];
    assert_eq!((&body["id"], &body["ack"], &body["to"]), (&json!("R1"), &json!(3), &json!(gid)));
    assert_eq!(body["participant"], cjid(B));
    // Reading again tells nobody again.
    assert_eq!(read_it(&env, &bob, &gid).await, status(200));
    assert!(json_pushes(&drain(&mut alice_rx)).is_empty());

    // Carol reads: her MsgInfo ack, then the Msg ack: read by all.
    assert_eq!(read_it(&env, &carol, &gid).await, status(200));
    let pushes = json_pushes(&drain(&mut alice_rx));
    let names: Vec<_> = pushes.iter().map(|p| p[0].as_str().unwrap().to_owned()).collect();
    assert_eq!(names, ["MsgInfo", "Msg"]);
    assert_eq!(pushes[1][1]["ack"], 3);
    assert_eq!(pushes[1][1].get("participant"), None);
    let after = node_of(env.binary(&alice, "i", info("R1")).await);
    assert_eq!(
        lists(&after),
        [
            ("read".to_owned(), vec![cjid(B), cjid(C)]),
            ("delivery".to_owned(), vec![cjid(B), cjid(C)])
        ]
    );
    let delivered_at = after.child_nodes()[1].child_nodes()[0].get_attr("t").unwrap().to_owned();
    assert_eq!(delivered_at, t.to_string());

    // Only the author's own group messages have an info; Bob has none for Alice's.
    assert_eq!(json_of(env.binary(&bob, "i", info("R1")).await), status(404));
}

#[tokio::test]
async fn relayed_system_messages_long_lists_and_changes_to_nothing_are_refused_or_silent() {
    let env = env().await;
    let (alice, mut alice_rx) = env.connect(A, 1);
    let (bob, mut bob_rx) = env.connect(B, 2);
    let gid = team(&env, &alice, &[B, C]).await;
    drain(&mut alice_rx);
    drain(&mut bob_rx);

    // A member cannot fake a system message (a "removal" of Carol), in a group or one to one.
    for to in [gid.clone(), jid(A)] {
        let mut fake = message::extended_text_message(&to, true, "FAKE1", "x", 42);
        fake.message = None;
        fake.message_stub_type = Some(GROUP_PARTICIPANT_REMOVE);
        fake.message_stub_parameters = vec![cjid(C)];
        assert_eq!(json_of(env.binary(&bob, "FAKE1", relay_info(&fake)).await), status(400));
    }
    assert!(drain(&mut alice_rx).is_empty());

    // A message whose three copies would pass 16 MiB.
    let big = "x".repeat(6 << 20);
    let huge = json_of(env.binary(&bob, "BIG1", group_relay(&gid, "BIG1", &big)).await);
    assert_eq!(huge, status(413));

    // More participants than a group holds: refused whole, before the store.
    let many: Vec<String> = (0..258).map(|n| format!("1666{n:07}")).collect();
    let many: Vec<&str> = many.iter().map(String::as_str).collect();
    assert_eq!(members(&env, &alice, &gid, "remove", &many).await, status(406));

    // Demoting a plain member, or promoting an admin: 409, and nobody is told.
    let demoted = members(&env, &alice, &gid, "demote", &[B]).await;
    assert_eq!(demoted["participants"], codes(&[(B, "409")]));
    members(&env, &alice, &gid, "promote", &[B]).await;
    drain(&mut bob_rx);
    let again = members(&env, &alice, &gid, "promote", &[B]).await;
    assert_eq!(again["participants"], codes(&[(B, "409")]));
    assert!(drain(&mut bob_rx).is_empty());
}
