// Unmodified older Baileys releases, 3.2.4 and 3.0.0 (npm aliases `baileys-3.2.4`,
// `baileys-3.0.0`), against `waweb serve --demo`: what each supports of the 3.5.3 suite —
// pairing, the initial sync with chats named after the contacts, an account whose chats hold one
// message each (no `add:before` batch), and sending a text.
//
// Not covered: 3.0.0 pairing an account with no chat at all, which crashes inside 3.0.0 (it reads
// the first item of the empty chat list; see the README's compatibility section).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  ALICE, BOB, WawebServer, cliLogin, closeAll, olderBaileys, olderBaileysFor, pair, runWaweb,
  textOf, within,
} from './support.mjs';

const SCENARIO = { timeout: 60_000 };
/** Two new accounts: Finn writes once to Erin, so Erin's only chat holds one message. */
const ERIN = { phone: '15550000011', name: 'Erin', jid: '15550000011@s.whatsapp.net' };
const FINN = { phone: '15550000012', name: 'Finn', jid: '15550000012@s.whatsapp.net' };
/** A new account with no chat and no contact. */
const GINA = { phone: '15550000013', name: 'Gina', jid: '15550000013@s.whatsapp.net' };

let server;
let sessions;
const open = [];

before(async () => {
  server = await WawebServer.start();
  sessions = await mkdtemp(path.join(tmpdir(), 'waweb-interop-older-'));
  await server.addAccount(ERIN.phone, ERIN.name);
  await server.addAccount(FINN.phone, FINN.name);
  await server.addAccount(GINA.phone, GINA.name);
  const session = path.join(sessions, 'finn.json');
  await cliLogin(server, FINN.phone, session);
  await runWaweb(['send', `${ERIN.phone}@c.us`, 'one message', '--server', server.wsUrl, '--session', session]);
});

after(async () => {
  closeAll(...open);
  await server?.stop();
  if (sessions) await rm(sessions, { recursive: true, force: true });
});

/** Pairs a new connection of `version` as `phone`; the connection is closed after the suite. */
async function paired(version, phone) {
  const conn = olderBaileysFor(version, server);
  open.push(conn);
  await within(30_000, `Baileys ${version} pairing as ${phone}`, pair(conn, server, phone));
  assert.equal(conn.state, 'open');
  assert.equal(conn.user.jid, `${phone}@s.whatsapp.net`);
  return conn;
}

for (const version of ['3.2.4', '3.0.0']) {
  test(`${version}: pairs with the demo account; chats are named after the contacts`, SCENARIO, async () => {
    const alice = await paired(version, ALICE.phone);
    const chat = alice.chats.get(BOB.jid);
    assert.ok(chat, 'Alice has a chat with Bob');
    const contact = alice.contacts[BOB.jid];
    assert.ok(contact, 'Bob is among the contacts');
    assert.equal(chat.name, contact.name || contact.notify);
    assert.ok(chat.name.startsWith(BOB.name), `the chat is named after Bob: ${chat.name}`);
    // 3.0.0 keeps only the newest message of each chat from the initial sync.
    const held = version === '3.0.0' ? chat.messages.length : chat.messages.all().length;
    assert.ok(held >= (version === '3.0.0' ? 1 : 2), `the initial sync filled the chat (${held} messages)`);

    const { MessageType, WA_MESSAGE_STATUS_TYPE } = olderBaileys(version);
    const sent = await within(20_000, 'sendMessage', alice.sendMessage(BOB.jid, `hi from ${version}`, MessageType.text));
    assert.equal(sent.key.remoteJid, BOB.jid);
    assert.equal(textOf(sent), `hi from ${version}`);
    // 3.0.0 resolves only on a 200 answer but leaves the status PENDING; 3.2.4 marks it.
    if (version === '3.0.0') {
      assert.equal(sent.status, WA_MESSAGE_STATUS_TYPE.PENDING);
    } else {
      assert.ok(sent.status >= WA_MESSAGE_STATUS_TYPE.SERVER_ACK, 'marked SERVER_ACK');
    }
    alice.close();
  });

  test(`${version}: connects to an account whose chats hold one message each`, SCENARIO, async () => {
    // The sync then has `add:last` and no `add:before`: the `add:last` batch must be marked last,
    // or this release waits for one until its connect attempt times out.
    const erin = await paired(version, ERIN.phone);
    const chat = erin.chats.get(FINN.jid);
    assert.ok(chat, 'Erin has a chat with Finn');
    const messages = version === '3.0.0' ? chat.messages : chat.messages.all();
    assert.deepEqual(messages.map(textOf), ['one message']);
    erin.close();
  });
}

test('3.2.4: pairs an account with no chat (3.0.0 cannot: see the header)', SCENARIO, async () => {
  const gina = await paired('3.2.4', GINA.phone);
  assert.equal(gina.chats.all().length, 0);
  assert.deepEqual(Object.keys(gina.contacts), []);
  gina.close();
});
