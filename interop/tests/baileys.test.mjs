// Unmodified Baileys 3.5.3 against `waweb serve --demo`: pairing, initial sync, sending,
// receiving from another client, stars and deletes, profile pictures, groups, and restoring a
// saved session.
//
// The scenarios run in order and share their connections: each one starts where the previous
// one left off, as a user of the library would.
//
// Run with `npm test --prefix interop` after `cargo build -p waweb` (or set WAWEB_BIN to the
// binary). BAILEYS_LOG=debug shows Baileys' own log; WAWEB_INTEROP_VERBOSE=1 the server's.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import {
  ALICE, BOB, WA_MESSAGE_STATUS_TYPE, MessageType, WawebServer,
  baileysFor, cliLogin, closeAll, nextEvent, pair, runWaweb, textOf, within,
} from './support.mjs';

const SCENARIO = { timeout: 60_000 };
const CAROL = { phone: '15550000003', name: 'Carol', jid: '15550000003@s.whatsapp.net' };
const NEWCOMER = { phone: '15550000099', name: 'Dana', jid: '15550000099@s.whatsapp.net' };

let server;
let alice;
let bob;
let restored;
let aliceChats;
let aliceContacts;
let sentToBob;
let sentToAlice;
let staleAuth;
let groupJid;

before(async () => {
  server = await WawebServer.start();
});

after(async () => {
  closeAll(alice, bob, restored);
  await server?.stop();
});

/** A promise kept for a later scenario; a rejection is reported there, not as unhandled. */
function keep(promise) {
  promise.catch(() => {});
  return promise;
}

/** Polls `check` every 50 ms until it holds, within `ms`. */
async function until(ms, what, check) {
  await within(ms, what, (async () => {
    while (!check()) await new Promise((r) => setTimeout(r, 50));
  })());
}

/** The JSON a connection received on `tag`, from its frame log. */
function received(conn, tag) {
  const entry = conn.messageLog.find((e) => !e.fromMe && e.tag === tag);
  return entry && JSON.parse(entry.json);
}

test('1. Baileys shows a QR, the phone scans it, the connection opens as the account', SCENARIO, async () => {
  alice = baileysFor(server);
  aliceChats = keep(nextEvent(alice, 'chats-received', 45_000));
  aliceContacts = keep(nextEvent(alice, 'contacts-received', 45_000));

  const { result, qrs } = await within(30_000, 'pairing', pair(alice, server, ALICE.phone));

  assert.equal(qrs.length, 1, 'exactly one QR before the scan');
  const [ref, publicKey, clientId] = qrs[0].split(',');
  assert.match(ref, /^1@/);
  assert.equal(Buffer.from(publicKey, 'base64').length, 32);
  assert.equal(clientId, alice.authInfo.clientID);

  assert.equal(alice.state, 'open');
  assert.equal(result.newConnection, true);
  assert.equal(result.user.jid, ALICE.jid);
  assert.equal(result.user.name, ALICE.name);
  assert.equal(alice.user.jid, ALICE.jid);
  assert.equal(alice.authInfo.encKey.length, 32, 'keys derived from the secret');
  assert.equal(alice.authInfo.macKey.length, 32);
  assert.ok(alice.authInfo.serverToken, 'server token from Conn');
  assert.ok(alice.authInfo.clientToken, 'client token from Conn');
});

test('2. chats and contacts arrive; a chat\'s messages load', SCENARIO, async () => {
  assert.ok(alice?.state === 'open', 'scenario 1 must have connected');
  await aliceContacts;
  await aliceChats;

  const bobContact = alice.contacts[BOB.jid];
  assert.ok(bobContact, 'Bob is among the contacts');
  assert.ok(
    bobContact.notify === BOB.name || bobContact.name?.startsWith(BOB.name),
    `Bob's contact is named after him: ${JSON.stringify(bobContact)}`,
  );

  const chats = alice.chats.all();
  assert.ok(chats.length > 0, 'the demo account has chats');
  // Chats are named from the contacts held when the chat list arrives: contacts come first.
  const bobChat = alice.chats.get(BOB.jid);
  assert.equal(bobChat?.name, bobContact.name || bobContact.notify, 'the chat with Bob is named');
  for (const chat of chats) {
    assert.match(chat.jid, /@(s\.whatsapp\.net|g\.us)$/);
    assert.ok(Number.isFinite(chat.t) && chat.t > 0, `chat ${chat.jid} has a time`);
    assert.ok(Number.isFinite(chat.count), `chat ${chat.jid} has a count`);
  }

  const chat = chats[0];
  const { messages } = await within(15_000, 'loadMessages', alice.loadMessages(chat.jid, 10));
  assert.ok(messages.length > 0, `messages of ${chat.jid} load`);
  for (const m of messages) {
    assert.equal(m.key.remoteJid, chat.jid);
    assert.ok(m.key.id, 'message has an id');
    assert.ok(Number(m.messageTimestamp) > 0, 'message has a timestamp');
  }
});

test('2b. an account with no chat and no contact still gets both (empty) lists', SCENARIO, async () => {
  await server.addAccount(NEWCOMER.phone, NEWCOMER.name);
  const newcomer = baileysFor(server);
  try {
    // Baileys asks for chats only 10 s after opening: the lists must come unasked, sooner.
    const chats = keep(nextEvent(newcomer, 'chats-received', 8_000));
    const contacts = keep(nextEvent(newcomer, 'contacts-received', 8_000));
    const { result } = await within(30_000, 'pairing', pair(newcomer, server, NEWCOMER.phone));
    assert.equal(result.user.jid, NEWCOMER.jid);
    assert.equal(result.user.name, NEWCOMER.name);
    await chats;
    const { updatedContacts } = await contacts;
    assert.equal(newcomer.chats.length, 0);
    assert.deepEqual(updatedContacts, []);
  } finally {
    closeAll(newcomer);
  }
});

test('3. Baileys sends a text; the server acknowledges it, then reports it delivered', SCENARIO, async () => {
  assert.ok(alice?.state === 'open', 'scenario 1 must have connected');
  const before = Math.floor(Date.now() / 1000);

  sentToBob = await within(20_000, 'sendMessage', alice.sendMessage(BOB.jid, 'hi', MessageType.text));

  assert.equal(sentToBob.key.remoteJid, BOB.jid);
  assert.equal(sentToBob.key.fromMe, true);
  assert.equal(textOf(sentToBob), 'hi');
  assert.ok(sentToBob.status >= WA_MESSAGE_STATUS_TYPE.SERVER_ACK, 'marked SERVER_ACK');

  const ack = received(alice, sentToBob.key.id);
  assert.ok(ack, 'an answer on the message id');
  assert.equal(ack.status, 200);
  assert.ok(Number.isInteger(ack.t), 'the answer carries the server time');
  assert.ok(Math.abs(ack.t - before) < 60, `server time ${ack.t} is close to ${before}`);

  const stored = alice.chats.get(BOB.jid)?.messages.get(`${sentToBob.key.id}|1`);
  assert.equal(stored, sentToBob, 'the message is in the chat with Bob');

  // Bob's simulated phone is always reachable: a `Msg` ack 2 (DELIVERY_ACK) must follow.
  await until(10_000, 'the delivery ack', () =>
    sentToBob.status >= WA_MESSAGE_STATUS_TYPE.DELIVERY_ACK).catch((error) => {
    const pushed = alice.messageLog.some((e) =>
      !e.fromMe && e.json.includes('"cmd":"ack"') && e.json.includes(sentToBob.key.id));
    error.message += pushed ? ' (the Msg ack arrived but was not applied)' : ' (no Msg ack arrived)';
    throw error;
  });
});

test('4. a message from another client (a second Baileys) reaches Baileys as chat-update', SCENARIO, async () => {
  assert.ok(alice?.state === 'open', 'scenario 1 must have connected');
  bob = baileysFor(server);
  const bobChats = keep(nextEvent(bob, 'chats-received', 45_000));
  const { result } = await within(30_000, 'pairing Bob', pair(bob, server, BOB.phone));
  assert.equal(result.user.jid, BOB.jid);
  await bobChats;

  const text = `hello Alice, it is Bob at ${Date.now()}`;
  const incoming = nextEvent(alice, 'chat-update', 15_000, (u) =>
    u.hasNewMessage && u.messages?.all().some((m) => textOf(m) === text));
  sentToAlice = await within(20_000, 'Bob sendMessage', bob.sendMessage(ALICE.jid, text, MessageType.text));
  const update = await incoming;

  assert.equal(update.jid, BOB.jid);
  const message = update.messages.all().find((m) => textOf(m) === text);
  assert.equal(message.key.id, sentToAlice.key.id, 'same message id on both ends');
  assert.equal(message.key.fromMe, false);
  assert.equal(message.key.remoteJid, BOB.jid);
  assert.equal(message.pushName, BOB.name);
  assert.ok(Number(message.messageTimestamp) > 0);
  assert.ok(update.count >= 1, 'the chat counts it as unread');
});

test('4b. the message sent while Bob was offline is in Bob\'s initial sync', SCENARIO, async () => {
  assert.ok(bob?.state === 'open' && sentToBob, 'scenarios 3 and 4 must have run');
  const chat = bob.chats.get(ALICE.jid);
  assert.ok(chat, 'Bob has a chat with Alice');
  const { messages } = await within(15_000, 'loadMessages', bob.loadMessages(ALICE.jid, 10));
  const hi = messages.find((m) => m.key.id === sentToBob.key.id);
  assert.ok(hi, 'Alice\'s message is in Bob\'s history');
  assert.equal(textOf(hi), 'hi');
  assert.equal(hi.key.fromMe, false);
});

test('4c. Bob reads the chat; Alice sees her message turn READ, and its info says when', SCENARIO, async () => {
  assert.ok(bob?.state === 'open' && alice?.state === 'open' && sentToBob, 'scenarios 3 and 4 must have run');
  await within(15_000, 'chatRead', bob.chatRead(ALICE.jid));
  assert.equal(bob.chats.get(ALICE.jid).count, 0);
  await until(10_000, 'the read ack (Msg ack 3)', () =>
    sentToBob.status >= WA_MESSAGE_STATUS_TYPE.READ);

  // The message's info screen: Bob got it and read it, with the times.
  const info = await within(15_000, 'messageInfo', alice.messageInfo(BOB.jid, sentToBob.key.id));
  for (const [list, what] of [[info.reads, 'read'], [info.deliveries, 'delivered']]) {
    assert.equal(list.length, 1, `one ${what} receipt: ${JSON.stringify(info)}`);
    assert.ok(list[0].jid.startsWith(BOB.phone), `${what} by Bob: ${JSON.stringify(list[0])}`);
    assert.ok(Number(list[0].t) > 0, `${what} at a time: ${JSON.stringify(list[0])}`);
  }
});

test('4d. our own CLI client sends to Baileys: same message, delivered ack', SCENARIO, async () => {
  assert.ok(alice?.state === 'open', 'scenario 1 must have connected');
  const session = path.join(server.dataDir, 'carol-session.json');
  const login = await cliLogin(server, CAROL.phone, session);
  assert.match(login, /logged in as 15550000003@c\.us/);

  const text = `hello Alice, it is Carol's CLI at ${Date.now()}`;
  const incoming = nextEvent(alice, 'chat-update', 15_000, (u) =>
    u.hasNewMessage && u.messages?.all().some((m) => textOf(m) === text));
  const printed = await runWaweb([
    'send', '15550000001@c.us', text,
    '--server', server.wsUrl, '--session', session, '--wait', 'delivered',
  ]);
  const update = await incoming;

  const [sentLine, deliveredLine] = printed.trim().split('\n').map((l) => l.split('\t'));
  assert.equal(sentLine[1], 'server');
  assert.equal(deliveredLine?.[1], 'delivered', `send printed: ${printed}`);
  const message = update.messages.all().find((m) => textOf(m) === text);
  assert.equal(update.jid, CAROL.jid);
  assert.equal(message.key.id, sentLine[0], 'the id the CLI printed');
  assert.equal(message.key.fromMe, false);
  assert.equal(message.pushName, CAROL.name);
});

test('4e. Bob stars Alice\'s message, deletes it for himself, then the whole chat; Alice keeps hers', SCENARIO, async () => {
  assert.ok(bob?.state === 'open' && alice?.state === 'open' && sentToBob, 'scenarios 3 and 4 must have run');
  const key = { remoteJid: ALICE.jid, fromMe: false, id: sentToBob.key.id };
  // `fetchMessagesFromWA` asks the server; `loadMessages` would answer from Baileys' own cache.
  const fromServer = async (conn, jid) =>
    within(15_000, 'a history query', conn.fetchMessagesFromWA(jid, 50));

  assert.equal((await within(15_000, 'starMessage', bob.starMessage(key))).status, 200);
  const served = (await fromServer(bob, ALICE.jid)).find((m) => m.key.id === key.id);
  assert.equal(served?.starred, true, 'the server serves it starred');

  assert.equal((await within(15_000, 'clearMessage', bob.clearMessage(key))).status, 200);
  const ids = (await fromServer(bob, ALICE.jid)).map((m) => m.key.id);
  assert.ok(!ids.includes(key.id), 'gone from Bob\'s history');
  assert.ok(ids.includes(sentToAlice.key.id), 'Bob\'s own message is still there');

  const deleted = await within(15_000, 'modifyChat delete', bob.modifyChat(ALICE.jid, 'delete'));
  assert.equal(deleted.status, 200);
  assert.equal(bob.chats.get(ALICE.jid), undefined);
  assert.deepEqual(await fromServer(bob, ALICE.jid), []);

  const alices = (await fromServer(alice, BOB.jid)).map((m) => m.key.id);
  assert.ok(alices.includes(key.id) && alices.includes(sentToAlice.key.id), 'Alice keeps both');
});

/** An 8×8 blue JPEG: Baileys crops and scales whatever image it is given. */
const TINY_JPEG = Buffer.from(
  '/9j/4AAQSkZJRgABAQAAAQABAAD/2wCEABALDA4MChAODQ4SERATGCgaGBYWGDEjJR0oOjM9PDkzODdASFxOQERXRTc4UG1RV19iZ2hnPk1xeXBkeFxlZ2MBERISGBUYLxoaL2NCOEJjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY//AABEIAAgACAMBEQACEQEDEQH/xAGiAAABBQEBAQEBAQAAAAAAAAAAAQIDBAUGBwgJCgsQAAIBAwMCBAMFBQQEAAABfQECAwAEEQUSITFBBhNRYQcicRQygZGhCCNCscEVUtHwJDNicoIJChYXGBkaJSYnKCkqNDU2Nzg5OkNERUZHSElKU1RVVldYWVpjZGVmZ2hpanN0dXZ3eHl6g4SFhoeIiYqSk5SVlpeYmZqio6Slpqeoqaqys7S1tre4ubrCw8TFxsfIycrS09TV1tfY2drh4uPk5ebn6Onq8fLz9PX29/j5+gEAAwEBAQEBAQEBAQAAAAAAAAECAwQFBgcICQoLEQACAQIEBAMEBwUEBAABAncAAQIDEQQFITEGEkFRB2FxEyIygQgUQpGhscEJIzNS8BVictEKFiQ04SXxFxgZGiYnKCkqNTY3ODk6Q0RFRkdISUpTVFVWV1hZWmNkZWZnaGlqc3R1dnd4eXqCg4SFhoeIiYqSk5SVlpeYmZqio6Slpqeoqaqys7S1tre4ubrCw8TFxsfIycrS09TV1tfY2dri4+Tl5ufo6ery8/T19vf4+fr/2gAMAwEAAhEDEQA/AKFe4eef/9k=',
  'base64',
);

test('4f. Alice sets a profile picture; Bob is told, gets its URL, and the server serves it', SCENARIO, async () => {
  assert.ok(bob?.state === 'open' && alice?.state === 'open', 'scenarios 1 and 4 must have run');
  const told = keep(nextEvent(bob, 'contact-update', 15_000, (u) => u.jid === ALICE.jid && u.imgUrl));
  const set = await within(15_000, 'updateProfilePicture', alice.updateProfilePicture(alice.user.jid, TINY_JPEG));
  assert.equal(set.status, 200);
  // The tag, then 128 random bits: the URL cannot be guessed from the upload time.
  assert.match(set.eurl, /^http:\/\/127\.0\.0\.1:\d+\/pp\/15550000001\/\d+-[0-9a-f]{32}$/);
  assert.equal((await told).imgUrl, set.eurl, 'Bob refetched it after the Cmd picture push');
  assert.equal(await within(15_000, 'getProfilePicture', bob.getProfilePicture(ALICE.jid)), set.eurl);

  const served = await fetch(set.eurl);
  assert.equal(served.status, 200);
  assert.equal(served.headers.get('content-type'), 'image/jpeg');
  const bytes = Buffer.from(await served.arrayBuffer());
  assert.deepEqual([...bytes.subarray(0, 3)], [0xff, 0xd8, 0xff], 'a JPEG');
  // Bob has none: Baileys' own call rejects with the 404.
  await assert.rejects(alice.getProfilePicture(BOB.jid), (e) => e.status === 404);
});

test('4g. Alice creates a group with Bob and Carol; messages and changes reach Bob, who leaves', SCENARIO, async () => {
  assert.ok(bob?.state === 'open' && alice?.state === 'open', 'scenarios 1 and 4 must have run');
  const subject = 'Interop team';
  const bobSeesIt = keep(nextEvent(bob, 'chat-update', 15_000, (u) =>
    u.jid.endsWith('@g.us') && u.name === subject));
  const created = await within(15_000, 'groupCreate', alice.groupCreate(subject, [BOB.jid, CAROL.jid]));
  assert.equal(created.status, 200);
  assert.match(created.gid, /^15550000001-\d+@g\.us$/);
  const gid = created.gid;
  groupJid = gid;
  assert.equal((await bobSeesIt).jid, gid, 'Bob got the creation notice in the group\'s chat');

  const meta = await within(15_000, 'groupMetadata', bob.groupMetadata(gid));
  assert.equal(meta.subject, subject);
  assert.equal(meta.owner, '15550000001@c.us');
  const roles = Object.fromEntries(meta.participants.map((p) => [p.id, [p.isAdmin, p.isSuperAdmin]]));
  assert.deepEqual(roles, {
    '15550000001@c.us': [true, true],
    '15550000002@c.us': [false, false],
    '15550000003@c.us': [false, false],
  });

  // Alice writes: Bob gets it in the group's chat, from Alice.
  const text = `hello group, it is Alice at ${Date.now()}`;
  const incoming = nextEvent(bob, 'chat-update', 15_000, (u) =>
    u.jid === gid && u.hasNewMessage && u.messages?.all().some((m) => textOf(m) === text));
  const sent = await within(15_000, 'sendMessage to the group', alice.sendMessage(gid, text, MessageType.text));
  const message = (await incoming).messages.all().find((m) => textOf(m) === text);
  assert.equal(message.key.id, sent.key.id);
  assert.equal(message.key.remoteJid, gid);
  assert.equal(message.key.fromMe, false);
  assert.equal(message.participant, ALICE.jid);
  assert.equal(message.pushName, ALICE.name);
  await until(10_000, 'the delivered ack', () => sent.status >= WA_MESSAGE_STATUS_TYPE.DELIVERY_ACK);

  // Bob reads it; Carol has not: its info lists both deliveries and Bob's read.
  await within(15_000, 'chatRead of the group', bob.chatRead(gid));
  const info = await within(15_000, 'messageInfo', alice.messageInfo(gid, sent.key.id));
  assert.deepEqual(info.reads.map((u) => u.jid), [BOB.jid], JSON.stringify(info));
  assert.deepEqual(info.deliveries.map((u) => u.jid).sort(), [BOB.jid, CAROL.jid]);
  assert.equal(sent.status, WA_MESSAGE_STATUS_TYPE.DELIVERY_ACK, 'not READ until everyone has read');

  // Alice makes Bob an admin; Bob renames the group and removes Carol.
  const promoted = keep(nextEvent(bob, 'group-participants-update', 15_000, (u) => u.action === 'promote'));
  await within(15_000, 'groupMakeAdmin', alice.groupMakeAdmin(gid, [BOB.jid]));
  assert.deepEqual((await promoted).participants, [BOB.jid]);
  const renamed = keep(nextEvent(alice, 'chat-update', 15_000, (u) => u.jid === gid && u.name === 'Renamed'));
  await within(15_000, 'groupUpdateSubject', bob.groupUpdateSubject(gid, 'Renamed'));
  await renamed;
  const removed = keep(nextEvent(alice, 'group-participants-update', 15_000, (u) => u.action === 'remove'));
  const removal = await within(15_000, 'groupRemove', bob.groupRemove(gid, [CAROL.jid]));
  assert.equal(removal.status, 200);
  assert.equal(removal.participants['15550000003@c.us'].code, '200');
  assert.deepEqual((await removed).participants, [CAROL.jid]);

  // Bob leaves: his chat turns read-only, he may still look at the group, and no longer write.
  const left = keep(nextEvent(alice, 'group-participants-update', 15_000, (u) =>
    u.action === 'remove' && u.participants.includes(BOB.jid)));
  await within(15_000, 'groupLeave', bob.groupLeave(gid));
  await left;
  await until(10_000, 'Bob\'s chat to turn read-only', () => bob.chats.get(gid)?.read_only === 'true');
  const minimal = await within(15_000, 'groupMetadataMinimal', bob.groupMetadataMinimal(gid));
  assert.deepEqual(minimal.participants.map((p) => p.jid), [ALICE.jid]);
  await assert.rejects(bob.sendMessage(gid, 'still here?', MessageType.text), (e) => e.status === 401);
});

test('4h. Bob rejoins by Alice\'s invite link; she sets the group\'s picture, then resets the link', SCENARIO, async () => {
  assert.ok(bob?.state === 'open' && alice?.state === 'open' && groupJid, 'scenario 4g must have run');
  const code = await within(15_000, 'groupInviteCode', alice.groupInviteCode(groupJid));
  assert.match(code, /^[A-Za-z0-9]{22}$/);
  const joinedSeen = keep(nextEvent(alice, 'group-participants-update', 15_000, (u) =>
    u.action === 'add' && u.participants.includes(BOB.jid)));
  const joined = await within(15_000, 'acceptInvite', bob.acceptInvite(code));
  assert.equal(joined.gid, groupJid);
  await joinedSeen;
  await until(10_000, 'Bob\'s chat to be writable again', () => {
    const chat = bob.chats.get(groupJid);
    return chat !== undefined && chat.read_only !== 'true';
  });
  const meta = await within(15_000, 'groupMetadata', alice.fetchGroupMetadataFromWA(groupJid));
  assert.deepEqual(meta.participants.map((p) => p.id).sort(), ['15550000001@c.us', '15550000002@c.us']);

  // A group picture: Bob's chat with the group gets its URL, which the server serves.
  const pictured = keep(nextEvent(bob, 'chat-update', 15_000, (u) => u.jid === groupJid && u.imgUrl));
  const icon = await within(15_000, 'updateProfilePicture of the group',
    alice.updateProfilePicture(groupJid, TINY_JPEG));
  assert.equal(icon.status, 200);
  assert.equal((await pictured).imgUrl, icon.eurl);
  assert.equal((await fetch(icon.eurl)).status, 200);

  await within(15_000, 'revokeInvite', alice.revokeInvite(groupJid));
  const fresh = await within(15_000, 'groupInviteCode', alice.groupInviteCode(groupJid));
  assert.notEqual(fresh, code);
  await assert.rejects(bob.acceptInvite(code), (e) => e.status === 404);
});

test('5. the saved session restores on a new connection without a QR', SCENARIO, async (t) => {
  assert.ok(alice?.state === 'open', 'scenario 1 must have connected');
  const saved = alice.base64EncodedAuthInfo();
  staleAuth = saved;
  alice.close();

  restored = baileysFor(server);
  restored.loadAuthInfo(JSON.parse(JSON.stringify(saved)));
  const qrs = [];
  restored.on('qr', (qr) => qrs.push(qr));
  const chatsAgain = keep(nextEvent(restored, 'chats-received', 45_000));

  const result = await within(30_000, 'restore', restored.connect());

  assert.equal(qrs.length, 0, 'no QR on a restore');
  assert.equal(restored.state, 'open');
  assert.equal(result.newConnection, undefined);
  assert.equal(result.user.jid, ALICE.jid);
  assert.equal(result.user.name, ALICE.name);
  const now = restored.base64EncodedAuthInfo();
  assert.equal(now.encKey, saved.encKey, 'the keys survive');
  assert.equal(now.macKey, saved.macKey);
  assert.notEqual(now.serverToken, saved.serverToken, 'the server token was rotated');
  const challenged = restored.messageLog.some((e) => !e.fromMe && e.json.includes('"challenge"'));
  t.diagnostic(`login was ${challenged ? '' : 'not '}challenged`);

  await chatsAgain;
  const withBob = restored.chats.get(BOB.jid);
  assert.ok(withBob, 'the chat with Bob is in the restored sync');
  const { messages } = await within(15_000, 'loadMessages', restored.loadMessages(BOB.jid, 10));
  const ids = messages.map((m) => m.key.id);
  assert.ok(ids.includes(sentToBob.key.id), 'Alice\'s own message is in the history');
  assert.ok(ids.includes(sentToAlice.key.id), 'Bob\'s message is in the history');
});

test('6. stale tokens are challenged; the takeover replaces the open session for good', SCENARIO, async () => {
  assert.ok(restored?.state === 'open' && staleAuth, 'scenario 5 must have restored');
  const replaced = nextEvent(restored, 'close', 15_000);
  const again = baileysFor(server);
  // The tokens saved before scenario 5's login: that login rotated them, so they are stale and
  // only the keys can prove who this is (`Cmd challenge`, answered, then `s2` Conn).
  again.loadAuthInfo(JSON.parse(JSON.stringify(staleAuth)));
  try {
    const result = await within(30_000, 'takeover', again.connect());
    assert.equal(result.user.jid, ALICE.jid);
    const challenge = again.messageLog.find((e) => !e.fromMe && e.tag === 's1');
    assert.match(challenge?.json ?? '', /"type":"challenge"/, 's1 is the challenge');
    const conn = again.messageLog.find((e) => !e.fromMe && e.tag === 's2');
    assert.match(conn?.json ?? '', /^\["Conn",/, 's2 is the Conn');
    assert.notEqual(again.authInfo.serverToken, staleAuth.serverToken, 'new tokens after it');
    const { reason, isReconnecting } = await replaced;
    assert.equal(reason, 'replaced');
    assert.equal(isReconnecting, false);
    assert.equal(restored.state, 'close');
    assert.equal(again.state, 'open');
  } finally {
    closeAll(again);
  }
});
