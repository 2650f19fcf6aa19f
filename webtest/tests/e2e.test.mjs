// End to end: the web client in headless Chromium against the real `waweb serve --demo`.
// Alice pairs through the phone page; Bob uses a second browser; Carol uses the CLI.

import test, { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ALICE, BOB, CAROL, ROOT, Server, launchBrowser, pairedPage, runWaweb, within } from './support.mjs';

const BOB_JID = `${BOB}@c.us`;
const CAROL_JID = `${CAROL}@c.us`;
const ALICE_JID = `${ALICE}@c.us`;
const XSS = '<img src=x onerror=alert(1)>';

let server;
let browser;
let alice;
let bob;
let carolSession;
let scratch;

before(async () => {
  server = await Server.start();
  browser = await launchBrowser();
  scratch = await mkdtemp(path.join(tmpdir(), 'waweb-web-cli-'));
  carolSession = path.join(scratch, 'carol.json');
});

after(async () => {
  await browser?.close();
  await server?.stop();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

const row = (jid) => `.chat[data-jid="${jid}"]`;
const bubbles = (page) => page.$$eval('#messages .msg .text', (els) => els.map((e) => e.textContent));
const carol = (...args) => runWaweb([...args, '--server', server.wsUrl, '--session', carolSession]);

/**
 * Sends `GET target` to the server exactly as written (fetch would resolve `..` before sending)
 * and resolves with `{ status, body }` of the answer.
 */
async function rawGet(target) {
  const { hostname, port } = new URL(server.url);
  const socket = connect(Number(port), hostname);
  socket.setEncoding('utf8');
  let response = '';
  socket.on('data', (chunk) => { response += chunk; });
  socket.write(`GET ${target} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nConnection: close\r\n\r\n`);
  await within(10_000, `the answer to GET ${target}`, new Promise((resolve, reject) => {
    socket.once('end', resolve);
    socket.once('error', reject);
  }));
  socket.destroy();
  const status = response.match(/^HTTP\/1\.1 (\d{3}) /);
  assert.ok(status, `an HTTP answer to GET ${target}: ${response.slice(0, 80)}`);
  return { status: Number(status[1]), body: response.slice(response.indexOf('\r\n\r\n') + 4) };
}

async function openChat(page, jid) {
  await page.click(row(jid));
  await page.waitForFunction((j) => document.querySelector('#messages').dataset.jid === j, jid);
}

async function send(page, text) {
  await page.fill('#compose-text', text);
  await page.press('#compose-text', 'Enter');
}

/** The `data-status` of the bubble of our message `text` (2 sent, 3 delivered, 4 read). */
function statusOf(page, text) {
  return page.$$eval('#messages .msg.out', (els, t) => {
    const el = els.find((e) => e.querySelector('.text').textContent === t);
    return el ? Number(el.dataset.status) : null;
  }, text);
}

test('pair through the phone page: the demo chats appear with names, times and unread counts', async () => {
  alice = await pairedPage(browser, server, ALICE);
  const { page, scannedAt } = alice;
  await page.waitForSelector(`${row(BOB_JID)} .chat-name`);
  await page.waitForSelector(row(CAROL_JID));
  console.log(`measure: demo account, scan to chat list drawn: ${Date.now() - scannedAt} ms`);
  const names = await page.$$eval('.chat .chat-name', (els) => els.map((e) => e.textContent));
  assert.deepEqual(names.sort(), ['Bob Durand', 'Carol Petit']);
  assert.equal(await page.textContent(`${row(BOB_JID)} .badge`), '1');
  assert.equal(await page.$(`${row(CAROL_JID)} .badge`), null);
  assert.equal(await page.textContent(`${row(BOB_JID)} .chat-last`), 'By the way, Carol wants to come too.');
  assert.match(await page.textContent(`${row(BOB_JID)} .chat-time`), /^\d\d:\d\d$|^Yesterday$|\//);
  assert.equal(await page.textContent('#me-name'), 'Alice');
});

test('opening a chat shows its history, marks it read, and shows the start', async () => {
  const { page } = alice;
  await openChat(page, BOB_JID);
  await page.waitForSelector('#chat-start');
  const texts = await bubbles(page);
  assert.equal(texts[0], 'Hi Bob!');
  assert.equal(texts.at(-1), 'By the way, Carol wants to come too.');
  assert.equal(texts.length, 14);
  await page.waitForFunction((sel) => !document.querySelector(sel), `${row(BOB_JID)} .badge`);
});

test('send from the page: Bob receives it live in his browser, the ticks go delivered then read', async () => {
  bob = await pairedPage(browser, server, BOB);
  await bob.page.waitForSelector(row(ALICE_JID));
  const text = 'Hello Bob, from the browser';
  await send(alice.page, text);
  await alice.page.waitForFunction((t) => [...document.querySelectorAll('#messages .msg.out')]
    .some((e) => e.querySelector('.text').textContent === t && Number(e.dataset.status) >= 3), text);
  assert.equal(await statusOf(alice.page, text), 3, 'delivered, not yet read');
  await bob.page.waitForFunction(([sel, t]) => document.querySelector(sel)?.textContent === t,
    [`${row(ALICE_JID)} .chat-last`, text]);
  assert.equal(await bob.page.textContent(`${row(ALICE_JID)} .badge`), '1');
  await openChat(bob.page, ALICE_JID);
  assert.equal((await bubbles(bob.page)).at(-1), text);
  await alice.page.waitForFunction((t) => [...document.querySelectorAll('#messages .msg.out')]
    .some((e) => e.querySelector('.text').textContent === t && e.dataset.status === '4'), text);
  assert.equal(await alice.page.getAttribute(`#messages .msg.out[data-status="4"] .ticks`, 'aria-label'), 'read');
});

test('typing in one browser shows "typing…" in the other, and online', async () => {
  await bob.page.fill('#compose-text', 'I am typ');
  await bob.page.type('#compose-text', 'ing');
  await alice.page.waitForFunction(() => document.getElementById('peer-status').textContent === 'typing…');
  await send(bob.page, 'Typed.');
  await alice.page.waitForFunction(() => document.getElementById('peer-status').textContent === 'online');
  // The message and Bob's end of typing are two pushes; either may come first.
  await alice.page.waitForFunction(() => [...document.querySelectorAll('#messages .msg .text')]
    .at(-1)?.textContent === 'Typed.');
  assert.equal((await bubbles(alice.page)).at(-1), 'Typed.');
});

test('a message from the CLI appears live, and HTML in it renders as text', async () => {
  await server.cliLogin(CAROL, carolSession);
  let dialogs = 0;
  alice.page.on('dialog', () => { dialogs += 1; });
  await carol('send', ALICE_JID, XSS);
  const { page } = alice;
  await page.waitForFunction(([sel, t]) => document.querySelector(sel)?.textContent === t,
    [`${row(CAROL_JID)} .chat-last`, XSS]);
  const first = await page.$eval('#chat-list .chat', (e) => e.dataset.jid);
  assert.equal(first, CAROL_JID, 'the chat with the newest message comes first');
  await openChat(page, CAROL_JID);
  assert.equal((await bubbles(page)).at(-1), XSS);
  assert.equal(await page.$$eval('#main img', (imgs) => imgs.length), 0);
  assert.equal(dialogs, 0);
});

test('send from the page: the CLI account receives it', async () => {
  const text = `For Carol ${Date.now()}`;
  await send(alice.page, text);
  await alice.page.waitForFunction((t) => [...document.querySelectorAll('#messages .msg.out')]
    .some((e) => e.querySelector('.text').textContent === t && Number(e.dataset.status) >= 3), text);
  const history = await carol('history', ALICE_JID, '--count', '3');
  assert.match(history, new RegExp(text));
});

test('a group: named by its subject, its creation shown as a system message, senders named', async () => {
  const out = await carol('group', 'create', 'Climbing', ALICE, BOB);
  const gid = out.split(/\s+/).find((w) => w.endsWith('@g.us'));
  assert.ok(gid, `a group JID in ${out}`);
  await carol('send', gid, 'Ropes ready?');
  const { page } = alice;
  await page.waitForFunction((sel) => document.querySelector(sel)?.textContent === 'Climbing', `${row(gid)} .chat-name`);
  assert.equal(await page.textContent(`${row(gid)} .chat-last`), 'Carol Petit: Ropes ready?');
  await openChat(page, gid);
  assert.equal(await page.textContent('#messages .system'), 'Carol Petit created group "Climbing"');
  assert.equal(await page.textContent('#messages .msg.in .sender'), 'Carol Petit');
  await send(page, 'Mine is packed.');
  await page.waitForFunction(() => Number(document.querySelector('#messages .msg.out:last-child')?.dataset.status) >= 3);
});

test('screenshot of the chat view', async () => {
  const { page } = alice;
  await openChat(page, BOB_JID);
  await page.waitForSelector('#messages .msg.out[data-status="4"]');
  const out = process.env.WAWEB_UPDATE_SCREENSHOT
    ? path.join(ROOT, 'docs', 'web-client.png')
    : path.join(scratch, 'web-client.png');
  await page.screenshot({ path: out });
  console.log(`screenshot: ${out}`);
});

test('history scrolls back page by page until the start of the conversation', async () => {
  // Bob sends a burst, so the chat holds more than one page of history.
  for (let i = 0; i < 70; i++) await send(bob.page, `Burst ${i}`);
  await bob.page.waitForFunction(() => [...document.querySelectorAll('#messages .msg.out')]
    .filter((e) => e.querySelector('.text').textContent.startsWith('Burst') && Number(e.dataset.status) >= 2).length === 70);
  const { page } = alice;
  await page.reload();
  await page.waitForSelector(row(BOB_JID));
  await openChat(page, BOB_JID);
  await page.waitForFunction(() => document.querySelectorAll('#messages .msg').length > 0);
  for (let i = 0; i < 20 && !(await page.$('#chat-start')); i++) {
    await page.$eval('#messages', (box) => { box.scrollTop = 0; box.dispatchEvent(new Event('scroll')); });
    await page.waitForTimeout(300);
  }
  assert.ok(await page.$('#chat-start'), 'the start of the conversation is reached');
  const texts = await bubbles(page);
  assert.equal(texts[0], 'Hi Bob!');
  assert.equal(texts.filter((t) => t.startsWith('Burst')).length, 70);
  assert.equal(texts.length, 14 + 1 + 1 + 70);
  assert.equal(new Set(texts).size, texts.length, 'no message twice');
});

test('a reload restores the session without a QR code', async () => {
  const { page } = alice;
  await page.reload();
  await page.waitForSelector(row(BOB_JID));
  assert.equal(await page.inputValue('#qr-text'), '', 'no QR code was shown');
  assert.equal(await page.isVisible('#main'), true);
  const saved = await page.evaluate(() => JSON.parse(localStorage.getItem('waweb.session')));
  assert.equal(saved.wid, ALICE_JID);
});

test('stale tokens: the page answers the challenge and saves the new tokens', async () => {
  const { page } = alice;
  const stale = await page.evaluate(() => localStorage.getItem('waweb.session'));
  await page.reload();
  await page.waitForSelector(row(BOB_JID));
  const rotated = await page.evaluate(() => JSON.parse(localStorage.getItem('waweb.session')));
  assert.notEqual(rotated.serverToken, JSON.parse(stale).serverToken, 'the tokens rotate at each login');
  await page.evaluate((s) => localStorage.setItem('waweb.session', s), stale);
  await page.reload();
  await page.waitForSelector(row(BOB_JID));
  const after = await page.evaluate(() => JSON.parse(localStorage.getItem('waweb.session')));
  assert.equal(after.serverToken, rotated.serverToken, 'the challenge hands back the current pair');
  assert.equal(await page.inputValue('#qr-text'), '', 'no QR code was shown');
});

test('a second window takes over; the first shows the notice and can take it back', async () => {
  const first = alice.page;
  const second = await alice.context.newPage();
  await second.goto(`${server.url}/`);
  await second.waitForSelector(row(BOB_JID));
  await first.waitForSelector('#takeover:not([hidden])');
  assert.equal(await first.textContent('#takeover-title'), 'waweb is open in another window');
  await first.click('#use-here');
  await first.waitForSelector('#takeover', { state: 'hidden' });
  await second.waitForSelector('#takeover:not([hidden])');
  // Both windows share the storage: the tokens saved by the last login are the ones that work.
  await first.reload();
  await first.waitForSelector(row(BOB_JID));
  await second.close();
});

test('a narrow window shows one pane at a time', async () => {
  const { page } = alice;
  await page.setViewportSize({ width: 380, height: 700 });
  try {
    await page.waitForSelector(row(BOB_JID));
    await openChat(page, BOB_JID);
    await page.waitForSelector('#compose-text', { state: 'visible' });
    await page.waitForSelector('#sidebar', { state: 'hidden' });
    await page.click('#back');
    await page.waitForSelector(row(BOB_JID), { state: 'visible' });
    await page.waitForSelector('#compose-text', { state: 'hidden' });
  } finally {
    await page.setViewportSize({ width: 1200, height: 800 });
  }
});

test('start a chat with a number from the keyboard', async () => {
  const { page } = alice;
  await page.focus('#new-chat-button');
  await page.keyboard.press('Enter');
  await page.keyboard.type('15550009999');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.getElementById('new-chat-error').textContent.includes('not on this server'));
  await page.fill('#new-chat-number', '+1 555 000 0003');
  await page.keyboard.press('Enter');
  await page.waitForFunction((j) => document.querySelector('#messages').dataset.jid === j, CAROL_JID);
  assert.equal(await page.textContent('#peer-name'), 'Carol Petit');
});

test('the page reconnects by itself when the server comes back', async () => {
  const { page } = alice;
  const listen = new URL(server.url).host;
  await server.stop({ keep: true });
  await page.waitForSelector('#offline:not([hidden])');
  const restarted = await Server.start({ dataDir: server.dataDir, listen });
  restarted.own = true;
  server = restarted;
  await page.waitForSelector('#offline', { state: 'hidden', timeout: 60_000 });
  await openChat(page, BOB_JID);
  const text = 'Back after the restart';
  await send(page, text);
  await page.waitForFunction((t) => [...document.querySelectorAll('#messages .msg.out')]
    .some((e) => e.querySelector('.text').textContent === t && Number(e.dataset.status) >= 3), text);
});

test('logout from the menu: the server forgets the session and a new QR code shows', async () => {
  const { page } = alice;
  const before = await page.evaluate(() => JSON.parse(localStorage.getItem('waweb.session')));
  await page.click('#menu-button');
  await page.click('#logout');
  await page.waitForFunction(() => document.getElementById('qr-text').value.startsWith('1@'));
  assert.equal(await page.evaluate(() => localStorage.getItem('waweb.session')), null);
  // The old tokens no longer log in: the HTTP logout with them answers 401.
  const m = await page.evaluate(async (s) => {
    const b64 = (t) => Uint8Array.from(atob(t), (ch) => ch.charCodeAt(0));
    const key = await crypto.subtle.importKey('raw', b64(s.macKey), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, b64(s.encKey)));
    return btoa(String.fromCharCode(...mac));
  }, before);
  const response = await fetch(`${server.url}/logout?t=${encodeURIComponent(before.browserToken)}&m=${encodeURIComponent(m)}`, { method: 'POST' });
  assert.equal(response.status, 401);
  const secrets = [before.clientToken, before.serverToken, before.browserToken, before.encKey, before.macKey];
  const leaked = page.consoleText.filter((line) => secrets.some((secret) => line.includes(secret)));
  assert.deepEqual(leaked, [], 'no token or key on the console');
});

test('logged out by the phone (the account removed): the page forgets the pairing and shows a QR code', async () => {
  const admin = { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' };
  const created = await fetch(`${server.url}/admin/accounts`, { method: 'POST', headers: admin, body: JSON.stringify({ phone: '15550000004', name: 'Dave' }) });
  assert.equal(created.status, 201);
  const { page, context } = await pairedPage(browser, server, '15550000004');
  await page.waitForSelector('#main:not([hidden])');
  const removed = await fetch(`${server.url}/admin/accounts/15550000004`, { method: 'DELETE', headers: admin });
  assert.equal(removed.status, 200);
  await page.waitForFunction(() => document.getElementById('qr-text').value.startsWith('1@') && !document.getElementById('pairing').hidden);
  assert.equal(await page.evaluate(() => localStorage.getItem('waweb.session')), null);
  await context.close();
});

test('the page is served with a strict Content-Security-Policy, types and validators', async () => {
  const page = await fetch(`${server.url}/`);
  assert.equal(page.status, 200);
  assert.equal(page.headers.get('content-type'), 'text/html; charset=utf-8');
  const csp = page.headers.get('content-security-policy');
  assert.match(csp, /script-src 'self'/);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
  assert.equal(page.headers.get('x-content-type-options'), 'nosniff');
  const html = await page.text();
  assert.doesNotMatch(html, /<script>|<style|style=|onclick=/i, 'nothing inline');
  const js = await fetch(`${server.url}/web/js/app.js`);
  assert.equal(js.headers.get('content-type'), 'text/javascript; charset=utf-8');
  const etag = js.headers.get('etag');
  const again = await fetch(`${server.url}/web/js/app.js`, { headers: { 'if-none-match': etag } });
  assert.equal(again.status, 304);
  assert.equal((await fetch(`${server.url}/web/js/nope.js`)).status, 404);
  const cargoToml = await readFile(path.join(ROOT, 'Cargo.toml'), 'utf8');
  for (const target of ['/web/../Cargo.toml', '/web/%2e%2e/Cargo.toml', '/web/..%2fCargo.toml']) {
    const { status, body } = await rawGet(target);
    assert.notEqual(status, 200, target);
    assert.ok(status >= 400 && status < 500, `${target}: a client error, not ${status}`);
    assert.ok(!body.includes('[workspace]') && !body.includes(cargoToml.slice(0, 60)), `${target}: not Cargo.toml`);
  }
  const phone = await fetch(`${server.url}/phone`);
  assert.match(phone.headers.get('content-security-policy'), /default-src 'none'/);
});

test('the phone page refuses a wrong admin token', async () => {
  const page = await browser.newPage();
  await page.goto(`${server.url}/phone`);
  await page.fill('#token', 'wrong');
  await page.click('#token-form button');
  await page.waitForFunction(() => document.getElementById('status').textContent === 'Wrong admin token.');
  assert.equal(await page.isVisible('#scan-form'), false);
  await page.close();
});

test('without WebCrypto (a plain-http page from another machine) the page says what to do', async () => {
  const insecure = await within(20_000, 'a second browser', launchBrowser(['--host-resolver-rules=MAP waweb.example 127.0.0.1']));
  try {
    const page = await insecure.newPage();
    const port = new URL(server.url).port;
    await page.goto(`http://waweb.example:${port}/`);
    await page.waitForSelector('#insecure:not([hidden])');
    assert.equal(await page.textContent('#insecure-origin'), `http://waweb.example:${port}`);
  } finally {
    await insecure.close();
  }
});

test('a browser whose WebCrypto lacks X25519 is told so, and does not try to connect', async () => {
  const context = await browser.newContext();
  // What such a browser does: X25519 is an unrecognised algorithm name.
  await context.addInitScript(() => {
    const real = SubtleCrypto.prototype.generateKey;
    SubtleCrypto.prototype.generateKey = function generateKey(algorithm, ...rest) {
      if ((algorithm?.name ?? algorithm) === 'X25519') {
        return Promise.reject(new DOMException('Algorithm: Unrecognized name', 'NotSupportedError'));
      }
      return real.call(this, algorithm, ...rest);
    };
  });
  try {
    const page = await context.newPage();
    const sockets = [];
    page.on('websocket', (ws) => sockets.push(ws.url()));
    await page.goto(`${server.url}/`);
    await page.waitForSelector('#no-x25519:not([hidden])');
    assert.match(await page.textContent('#no-x25519'), /lacks X25519[\s\S]*Chromium 133\+, Firefox 130\+ or Safari 17\+/);
    assert.equal(await page.isVisible('#loading'), false);
    assert.equal(await page.isVisible('#pairing'), false);
    // The card is drawn where the page would otherwise connect: no socket was, or will be, opened.
    assert.deepEqual(sockets, []);
  } finally {
    await context.close();
  }
});
