// Media with unmodified Baileys 3.5.3 over TLS: `waweb serve --tls-self-signed`, Baileys trusting
// the certificate through NODE_EXTRA_CA_CERTS (Baileys 3.5.3 uploads to `https://<host>` whatever
// the websocket's scheme, and downloads through got without any TLS option of ours, so only
// Node's own trust store reaches every request it makes).
//
// Baileys (Alice) sends an image, a document and a voice note to our CLI's account (Bob), which
// downloads each byte for byte; our CLI sends an image and a voice note to Baileys, which
// downloads them with `downloadMediaMessage` identically. A URL that no longer works (`404`)
// makes Baileys ask the `media` query for a new one, which the server gives while it keeps the
// blob; once the blob is removed, the download fails with that 404.
//
// Needs WAWEB_INTEROP_TLS_DIR and NODE_EXTRA_CA_CERTS, which the Rust test
// (`cargo test -p waweb --test interop_baileys`) sets.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFile, rm, writeFile } from 'node:fs/promises';
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
let cliPicture;
let cliPictureBytes;

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

/**
 * `alice.sendMessage` for media, tried again when Baileys's own upload step fails. Baileys 3.5.3
 * writes the encrypted blob to a temporary file and uploads it from that file without waiting for
 * the write to finish (`encryptedStream` ends the write stream and returns at once): now and then
 * the upload opens a file not created yet (ENOENT, "Media upload failed on all hosts") or not
 * yet complete (our server then refuses the body, whose hash is not the one announced). A new
 * attempt draws a new media key and a new temporary file.
 */
async function sendMedia(...args) {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await alice.sendMessage(...args);
    } catch (e) {
      if (attempt === 3 || !String(e?.message).includes('Media upload failed')) throw e;
      console.error(`Baileys's upload failed (${e.message}); attempt ${attempt + 1}`);
    }
  }
}

test('M1. Baileys sends an image over https; our CLI downloads it byte for byte', SCENARIO, async () => {
  const picture = await jpeg();
  // From a file: given a Buffer, Baileys 3.5.3 ends its copy of the picture without waiting for
  // the write to finish and makes the thumbnail from the (still empty) copy, which fails with
  // "Could not find MIME for Buffer <null>" (`encryptedStream` then `generateThumbnail`).
  const file = path.join(server.dataDir, 'baileys-picture.jpg');
  await writeFile(file, picture);
  const sent = await sendMedia(BOB.jid, { url: file }, MessageType.image, {
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
  const sent = await sendMedia(BOB.jid, document, MessageType.document, {
    mimetype: Mimetype.pdf, filename: 'report.pdf',
  });
  assert.equal(sent.message.documentMessage.fileName, 'report.pdf');
  const got = await bobDownloads(sent.key.id, 'report.pdf');
  assert.ok(got.equals(document), `same ${document.length} bytes (got ${got.length})`);
});

test('M3. Baileys sends a voice note (ptt); our CLI downloads it byte for byte', SCENARIO, async () => {
  const voice = Buffer.concat([Buffer.from('OggS'), randomBytes(9_000)]);
  const sent = await sendMedia(BOB.jid, voice, MessageType.audio, {
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
  [cliPicture, cliPictureBytes] = [message, picture];
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

test('M5b. Baileys sends a video; our CLI downloads it byte for byte', SCENARIO, async () => {
  const video = Buffer.concat([Buffer.from('\0\0\0\x18ftypmp42'), randomBytes(150_000)]);
  const file = path.join(server.dataDir, 'baileys-video.mp4');
  await writeFile(file, video);
  // With a thumbnail given, Baileys does not run ffmpeg for one (its absence is only logged).
  const thumbnail = (await jpeg()).toString('base64');
  const sent = await sendMedia(BOB.jid, { url: file }, MessageType.video, {
    mimetype: Mimetype.mp4, caption: 'a video from Baileys', thumbnail,
  });
  assert.equal(sent.message.videoMessage.caption, 'a video from Baileys');
  const got = await bobDownloads(sent.key.id, 'video.mp4');
  assert.ok(got.equals(video), `same ${video.length} bytes (got ${got.length})`);
});

test('M5c. our CLI sends a video and a document; Baileys downloads them identically', SCENARIO, async () => {
  const video = Buffer.concat([Buffer.from('\0\0\0\x18ftypmp42'), randomBytes(90_000)]);
  const videoFile = path.join(server.dataDir, 'cli-video.mp4');
  await writeFile(videoFile, video);
  let incoming = aliceGets('videoMessage');
  let id = await bobSends(['--video', videoFile, '--caption', 'a video from the CLI']);
  let message = await incoming;
  assert.equal(message.key.id, id);
  assert.equal(message.message.videoMessage.caption, 'a video from the CLI');
  let got = await alice.downloadMediaMessage(message);
  assert.ok(got.equals(video), `same ${video.length} bytes (got ${got.length})`);

  const document = Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(40_000)]);
  const documentFile = path.join(server.dataDir, 'cli-report.pdf');
  await writeFile(documentFile, document);
  incoming = aliceGets('documentMessage');
  id = await bobSends(['--document', documentFile]);
  message = await incoming;
  assert.equal(message.key.id, id);
  assert.equal(message.message.documentMessage.fileName, 'cli-report.pdf');
  got = await alice.downloadMediaMessage(message);
  assert.ok(got.equals(document), `same ${document.length} bytes (got ${got.length})`);
});

/** The blob file of a message's content, in the server's data directory. */
function blobFile(content) {
  const hex = Buffer.from(content.fileEncSha256).toString('hex');
  return path.join(server.dataDir, 'media', 'blobs', hex.slice(0, 2), hex);
}

/** The HTTP status of a failed Baileys download or query. */
function statusOf(error) {
  return error.status ?? error.response?.statusCode;
}

// Baileys 3.5.3's `downloadMediaMessage` calls `updateMediaMessage` (the `media` query) only when
// the download fails with its own `BaileysError` of status 404, which `getGotStream` makes on a
// `response` event. Its got (11.8, stream mode, `throwHttpErrors` on by default) never emits
// `response` for a status of 400 or more: it fails the stream with an `HTTPError` first. So the
// renewal never happens by itself; a user of the library calls `updateMediaMessage`, public, then
// downloads again, as these scenarios do.
test('M6. a stale URL answers 404; updateMediaMessage (the media query) renews it', SCENARIO, async () => {
  assert.ok(cliPicture, 'scenario M4 must have run');
  const content = cliPicture.message.imageMessage;
  const good = content.url;
  // As if the server had moved, or the URL were from before its key changed.
  content.url = good.replace(/\/[^/]+\.enc$/, '/AAAAAAAAAAAAAAAAAAAAAA.enc');
  await assert.rejects(alice.downloadMediaMessage(cliPicture), (error) => {
    assert.equal(statusOf(error), 404, `the stale URL finds nothing: ${error.message}`);
    assert.equal(error.name, 'HTTPError', 'got failed the download before Baileys could renew it');
    return true;
  });
  await alice.updateMediaMessage(cliPicture);
  assert.equal(content.url, good, 'the media query gave the blob\'s URL back');
  const got = await alice.downloadMediaMessage(cliPicture);
  assert.ok(got.equals(cliPictureBytes), 'the same picture through the renewed URL');
});

test('M7. once the blob is removed, its URL and the media query answer 404', SCENARIO, async () => {
  assert.ok(cliPicture, 'scenario M4 must have run');
  const content = cliPicture.message.imageMessage;
  await rm(blobFile(content));
  await assert.rejects(alice.downloadMediaMessage(cliPicture), (e) => statusOf(e) === 404);
  await assert.rejects(alice.updateMediaMessage(cliPicture), (error) => {
    assert.equal(error.status, 404, `a 404 from the media query: ${error.message}`);
    return true;
  });
});
