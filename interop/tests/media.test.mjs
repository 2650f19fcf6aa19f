// Media with unmodified Baileys 3.5.3 over TLS: `waweb serve --tls-self-signed`, Baileys trusting
// the certificate through NODE_EXTRA_CA_CERTS (Baileys 3.5.3 uploads to `https://<host>` whatever
// the websocket's scheme, and downloads with no agent of ours, so only Node's own trust store
// reaches every request it makes).
//
// Baileys (Alice) sends an image, a document and a voice note to our CLI's account (Bob), which
// downloads each byte for byte; our CLI sends an image and a voice note to Baileys, which
// downloads them with `downloadMediaMessage` identically.
//
// Needs WAWEB_INTEROP_TLS_DIR and NODE_EXTRA_CA_CERTS, which the Rust test
// (`cargo test -p waweb --test interop_baileys`) sets.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import {
  ALICE, BOB, MessageType, Mimetype, WawebServer,
  baileysFor, cliLogin, closeAll, nextEvent, pair, runWaweb,
} from './support.mjs';

const require = createRequire(import.meta.url);
// The JPEG encoder Baileys itself depends on (for its thumbnails): a real picture to send.
const Jimp = require(require.resolve('jimp', { paths: [path.dirname(require.resolve('@adiwajshing/baileys'))] }));

const SCENARIO = { timeout: 60_000 };

let server;
let alice;
let bobSession;

/** A small JPEG with a gradient, different each call. */
async function jpeg() {
  const seed = randomBytes(3);
  const image = new Jimp(96, 64, 0xffffffff);
  image.scan(0, 0, 96, 64, function paint(x, y, idx) {
    this.bitmap.data[idx] = (x * 2 + seed[0]) & 0xff;
    this.bitmap.data[idx + 1] = (y * 3 + seed[1]) & 0xff;
    this.bitmap.data[idx + 2] = seed[2];
  });
  return image.getBufferAsync(Jimp.MIME_JPEG);
}

/** Bob's CLI downloads message `id` of his chat with Alice; resolves with the file's bytes. */
async function bobDownloads(id, name) {
  const out = path.join(server.dataDir, `bob-${name}`);
  const printed = await runWaweb([
    'download', '15550000001@c.us', id, '-o', out,
    ...server.clientArgs(), '--session', bobSession,
  ]);
  assert.match(printed, new RegExp(`\\t\\d+\\n?$`), `download printed: ${printed}`);
  return readFile(out);
}

/** Alice's next incoming message from Bob that carries `field` (an `imageMessage`, …). */
function aliceGets(field) {
  return nextEvent(alice, 'chat-update', 20_000, (u) =>
    u.hasNewMessage && u.jid === BOB.jid && u.messages?.all().some((m) => m.message?.[field]))
    .then((u) => u.messages.all().find((m) => m.message?.[field]));
}

/** Bob's CLI sends `file` with the media flags `flags`; resolves with the message id. */
async function bobSends(flags) {
  const printed = await runWaweb([
    'send', '15550000001@c.us', ...flags, ...server.clientArgs(), '--session', bobSession,
  ], 30_000);
  return printed.trim().split('\n')[0].split('\t')[0];
}

before(async () => {
  server = await WawebServer.start({ tls: true });
  assert.match(server.wsUrl, /^wss:\/\//, 'the server speaks TLS');
  alice = baileysFor(server);
  await pair(alice, server, ALICE.phone);
  bobSession = path.join(server.dataDir, 'bob-session.json');
  await cliLogin(server, BOB.phone, bobSession);
});

after(async () => {
  closeAll(alice);
  await server?.stop();
});

test('M1. Baileys sends an image over https; our CLI downloads it byte for byte', SCENARIO, async () => {
  const picture = await jpeg();
  // From a file: given a Buffer, Baileys 3.5.3 ends its copy of the picture without waiting for
  // the write to finish and makes the thumbnail from the (still empty) copy, which fails with
  // "Could not find MIME for Buffer <null>" (`encryptedStream` then `generateThumbnail`).
  const file = path.join(server.dataDir, 'baileys-picture.jpg');
  await writeFile(file, picture);
  const sent = await alice.sendMessage(BOB.jid, { url: file }, MessageType.image, {
    mimetype: Mimetype.jpeg, caption: 'from Baileys',
  });
  const content = sent.message.imageMessage;
  assert.ok(content.url.startsWith(server.adminUrl.replace('http:', 'https:')), content.url);
  assert.ok(content.jpegThumbnail?.length > 0, 'Baileys made its thumbnail');
  const got = await bobDownloads(sent.key.id, 'image.jpg');
  assert.ok(got.equals(picture), `same ${picture.length} bytes (got ${got.length})`);
});

test('M2. Baileys sends a document; our CLI downloads it byte for byte', SCENARIO, async () => {
  const document = Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(70_000)]);
  const sent = await alice.sendMessage(BOB.jid, document, MessageType.document, {
    mimetype: Mimetype.pdf, filename: 'report.pdf',
  });
  assert.equal(sent.message.documentMessage.fileName, 'report.pdf');
  const got = await bobDownloads(sent.key.id, 'report.pdf');
  assert.ok(got.equals(document), `same ${document.length} bytes (got ${got.length})`);
});

test('M3. Baileys sends a voice note (ptt); our CLI downloads it byte for byte', SCENARIO, async () => {
  const voice = Buffer.concat([Buffer.from('OggS'), randomBytes(9_000)]);
  const sent = await alice.sendMessage(BOB.jid, voice, MessageType.audio, {
    mimetype: Mimetype.ogg, ptt: true,
  });
  assert.equal(sent.message.audioMessage.ptt, true);
  const got = await bobDownloads(sent.key.id, 'voice.ogg');
  assert.ok(got.equals(voice), `same ${voice.length} bytes (got ${got.length})`);
});

test('M4. our CLI sends an image; Baileys downloads it with downloadMediaMessage identically', SCENARIO, async () => {
  const picture = await jpeg();
  const file = path.join(server.dataDir, 'cli-picture.jpg');
  await writeFile(file, picture);
  const incoming = aliceGets('imageMessage');
  const id = await bobSends(['--image', file, '--caption', 'from the CLI']);
  const message = await incoming;
  assert.equal(message.key.id, id);
  assert.equal(message.message.imageMessage.caption, 'from the CLI');
  assert.equal(message.message.imageMessage.mimetype, 'image/jpeg');
  const got = await alice.downloadMediaMessage(message);
  assert.ok(got.equals(picture), `same ${picture.length} bytes (got ${got.length})`);
});

test('M5. our CLI sends a voice note; Baileys downloads it identically', SCENARIO, async () => {
  const voice = Buffer.concat([Buffer.from('OggS'), randomBytes(12_345)]);
  const file = path.join(server.dataDir, 'cli-voice.ogg');
  await writeFile(file, voice);
  const incoming = aliceGets('audioMessage');
  const id = await bobSends(['--audio', file, '--ptt']);
  const message = await incoming;
  assert.equal(message.key.id, id);
  assert.equal(message.message.audioMessage.ptt, true, 'a voice note');
  const got = await alice.downloadMediaMessage(message);
  assert.ok(got.equals(voice), `same ${voice.length} bytes (got ${got.length})`);
});
