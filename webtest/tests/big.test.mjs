// The big account (500 chats, 5,000 messages), seeded by crates/waweb/tests/web_client.rs into
// `WAWEB_BIG_DATA_DIR`: the list is drawn, scrolls and opens a chat. Prints the measurements
// (scan to chat list, JS heap, asset size); nothing here asserts a speed.

import test from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { Server, WEB, launchBrowser, pairedPage } from './support.mjs';

const BIG = '15559990000';
const dataDir = process.env.WAWEB_BIG_DATA_DIR;

function assetBytes(dir = WEB) {
  let total = 0;
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    total += statSync(full).isDirectory() ? assetBytes(full) : statSync(full).size;
  }
  return total;
}

test('500 chats and 5,000 messages: the list is drawn in order, scrolls, and a chat opens', {
  skip: !dataDir && 'needs the seeded account: run through `cargo test -p waweb --test web_client`',
  timeout: 180_000,
}, async () => {
  const server = await Server.start({ dataDir });
  const browser = await launchBrowser();
  try {
    const { page, scannedAt } = await pairedPage(browser, server, BIG);
    await page.waitForFunction(() => document.querySelectorAll('#chat-list .chat').length === 500, null, { timeout: 120_000 });
    const drawn = Date.now() - scannedAt;
    const first = await page.$eval('#chat-list .chat', (e) => e.dataset.jid);
    assert.equal(first, '15558000499@c.us', 'the most recent chat first');
    assert.equal(await page.textContent('#chat-list .chat .chat-name'), 'Contact 499');
    // The sync goes on after the list is drawn; let it finish before measuring memory.
    await page.waitForTimeout(3000);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('HeapProfiler.collectGarbage');
    const { usedSize } = await cdp.send('Runtime.getHeapUsage');

    const opened = Date.now();
    await page.$eval('#chat-list', (list) => { list.scrollTop = list.scrollHeight; });
    await page.click('.chat[data-jid="15558000000@c.us"]');
    await page.waitForSelector('#chat-start');
    const openMs = Date.now() - opened;
    const texts = await page.$$eval('#messages .msg .text', (els) => els.map((e) => e.textContent));
    assert.deepEqual(texts, Array.from({ length: 10 }, (_, m) => `Message ${m} with contact 000`));
    console.log(`measure: 500 chats / 5,000 messages, scan to chat list drawn: ${drawn} ms`);
    console.log(`measure: JS heap after loading it: ${(usedSize / 1048576).toFixed(1)} MiB`);
    console.log(`measure: scroll to the oldest chat and open it: ${openMs} ms`);
    console.log(`measure: assets served: ${assetBytes()} bytes`);
  } finally {
    await browser.close();
    await server.stop();
  }
});
