// Media in the web client, in headless Chromium against `waweb serve --demo`: Carol's CLI sends
// Alice a picture (caption with markup), a document and a voice note; Alice's page decrypts the
// picture with WebCrypto and shows it inline, and saves the document and the voice note with the
// very bytes that were sent. A picture whose blob was changed on the server is refused, not shown.
// WAWEB_SCREENSHOT=FILE saves a screenshot of the conversation.

import test, { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { deflateSync } from 'node:zlib';
import { ALICE, CAROL, Server, launchBrowser, pairedPage, runWaweb } from './support.mjs';

const CAROL_JID = `${CAROL}@c.us`;
const XSS = '<img src=x onerror=alert(1)>';

let server;
let browser;
let alice;
let scratch;
let carolSession;

before(async () => {
  server = await Server.start();
  browser = await launchBrowser();
  scratch = await mkdtemp(path.join(tmpdir(), 'waweb-web-media-'));
  carolSession = path.join(scratch, 'carol.json');
  await server.cliLogin(CAROL, carolSession);
  alice = await pairedPage(browser, server, ALICE);
});

after(async () => {
  await browser?.close();
  await server?.stop();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

/** A `width`×`height` RGB PNG with a colour gradient. */
function png(width, height) {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (bytes) => {
    let c = 0xffffffff;
    for (const b of bytes) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type, data) => {
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    out.write(type, 4, 'ascii');
    data.copy(out, 8);
    out.writeUInt32BE(crc(out.subarray(4, 8 + data.length)), 8 + data.length);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  const rows = [];
  for (let y = 0; y < height; y++) {
    rows.push(0);
    for (let x = 0; x < width; x++) rows.push((x * 255) / width, (y * 255) / height, 160);
  }
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk('IHDR', header), chunk('IDAT', deflateSync(Buffer.from(rows))), chunk('IEND', Buffer.alloc(0))]);
}

/** Carol's CLI sends a file to Alice; resolves with the message id. */
async function carolSends(flags) {
  const out = await runWaweb(['send', `${ALICE}@c.us`, ...flags, '--server', server.wsUrl, '--session', carolSession], 30_000);
  return out.trim().split('\t')[0];
}

async function openCarol(page) {
  await page.click(`.chat[data-jid="${CAROL_JID}"]`);
  await page.waitForFunction((j) => document.querySelector('#messages').dataset.jid === j, CAROL_JID);
}

/**
 * How many pixels of the shown picture differ from the gradient `png` drew (the page's CSP lets
 * no script fetch a `blob:` URL, so the picture is read back through a canvas).
 */
function wrongPixels(page, selector) {
  return page.$eval(selector, (img) => {
    const canvas = document.createElement('canvas');
    [canvas.width, canvas.height] = [img.naturalWidth, img.naturalHeight];
    const g = canvas.getContext('2d');
    g.drawImage(img, 0, 0);
    const { data, width, height } = g.getImageData(0, 0, canvas.width, canvas.height);
    let wrong = 0;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const at = (y * width + x) * 4;
        const want = [Math.trunc((x * 255) / width), Math.trunc((y * 255) / height), 160];
        if (want.some((v, i) => data[at + i] !== v)) wrong += 1;
      }
    }
    return wrong;
  });
}

test('a received picture is decrypted in the page and shown inline, its caption as text', { timeout: 60_000 }, async () => {
  const { page } = alice;
  const picture = png(160, 90);
  const file = path.join(scratch, 'view.png');
  await writeFile(file, picture);
  const id = await carolSends(['--image', file, '--caption', XSS]);
  await page.waitForSelector(`.chat[data-jid="${CAROL_JID}"]`);
  await openCarol(page);
  const bubble = `.msg[data-id="${id}"]`;
  await page.waitForFunction((sel) => document.querySelector(`${sel} .media-image`)?.naturalWidth > 0, bubble);
  const shown = await page.$eval(`${bubble} .media-image`, (img) => ({ w: img.naturalWidth, h: img.naturalHeight, src: img.src }));
  assert.deepEqual([shown.w, shown.h], [160, 90], 'the picture itself, decoded by the browser');
  assert.ok(shown.src.startsWith('blob:'), `decrypted in the page: ${shown.src}`);
  assert.equal(await wrongPixels(page, `${bubble} .media-image`), 0, 'every pixel Carol sent');
  assert.equal(await page.$eval(`${bubble} .text`, (e) => e.textContent), XSS, 'the caption is text');
  assert.equal(await page.$$eval('#messages img', (imgs) => imgs.length), 1, 'no image made of the caption');
  assert.equal(page.sawDialog, undefined, 'nothing ran');
});

test('a document and a voice note are saved with the bytes that were sent', { timeout: 60_000 }, async () => {
  const { page } = alice;
  const document = Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(40_000)]);
  const voice = Buffer.concat([Buffer.from('OggS'), randomBytes(3_000)]);
  await writeFile(path.join(scratch, 'minutes.pdf'), document);
  await writeFile(path.join(scratch, 'note.ogg'), voice);
  const docId = await carolSends(['--document', path.join(scratch, 'minutes.pdf')]);
  const voiceId = await carolSends(['--audio', path.join(scratch, 'note.ogg'), '--ptt']);
  for (const [id, bytes, name, label] of [
    [docId, document, 'minutes.pdf', /minutes\.pdf \(39\.1 KiB\)/],
    [voiceId, voice, `${voiceId}.ogg`, /Voice message/],
  ]) {
    const link = `.msg[data-id="${id}"] .media-file`;
    await page.waitForSelector(link);
    assert.match(await page.$eval(link, (a) => a.textContent), label);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click(link)]);
    assert.equal(download.suggestedFilename(), name);
    assert.ok((await readFile(await download.path())).equals(bytes), `${name}: the very bytes`);
  }
  if (process.env.WAWEB_SCREENSHOT) await page.screenshot({ path: process.env.WAWEB_SCREENSHOT });
});

test('a picture whose blob changed on the server is refused, not shown', { timeout: 60_000 }, async () => {
  const { page } = alice;
  await page.click('.chat:not([data-jid="15550000003@c.us"])'); // away, so the bubble is drawn anew
  const file = path.join(scratch, 'other.png');
  await writeFile(file, png(40, 40));
  const blobs = path.join(server.dataDir, 'media', 'blobs');
  const before = new Set(await listBlobs(blobs));
  const id = await carolSends(['--image', file]);
  const added = (await listBlobs(blobs)).filter((b) => !before.has(b));
  assert.equal(added.length, 1, 'one new blob');
  const bytes = await readFile(added[0]);
  bytes[5] ^= 1;
  await writeFile(added[0], bytes);
  await openCarol(page);
  const status = `.msg[data-id="${id}"] .media-status`;
  await page.waitForFunction((s) => document.querySelector(s)?.textContent.startsWith('Photo not shown'), status);
  assert.match(await page.$eval(status, (e) => e.textContent), /fileEncSha256/);
  assert.equal(await page.$eval(`.msg[data-id="${id}"] .media-image`, (img) => img.getAttribute('src')), null);
});

async function listBlobs(dir) {
  const out = [];
  for (const bucket of await readdir(dir)) {
    for (const name of await readdir(path.join(dir, bucket))) out.push(path.join(dir, bucket, name));
  }
  return out;
}
