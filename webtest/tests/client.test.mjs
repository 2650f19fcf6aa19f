// The page's protocol client without a browser: a fake WebSocket and mocked timers check the
// restore request, the keepalive, and reconnection with a growing delay after a silent link.

import test, { mock } from 'node:test';
import assert from 'node:assert/strict';
import { pageModule } from './support.mjs';

class FakeSocket {
  static all = [];
  static OPEN = 1;

  constructor(url) {
    this.url = url;
    this.sent = [];
    this.readyState = 0;
    this.closed = false;
    FakeSocket.all.push(this);
  }

  open() {
    this.readyState = FakeSocket.OPEN;
    this.onopen?.();
  }

  send(data) {
    this.sent.push(data);
  }

  close() {
    if (this.closed) return;
    this.closed = true;
    this.readyState = 3;
    this.onclose?.();
  }
}

class MemoryStorage {
  constructor(entries = {}) { this.map = new Map(Object.entries(entries)); }
  getItem(k) { return this.map.has(k) ? this.map.get(k) : null; }
  setItem(k, v) { this.map.set(k, String(v)); }
  removeItem(k) { this.map.delete(k); }
}

const flush = () => new Promise((resolve) => { setImmediate(resolve); });

test('restore, keepalive every 20 s, and reconnection with a doubling delay when no pong comes', async () => {
  globalThis.WebSocket = FakeSocket;
  mock.timers.enable({ apis: ['setTimeout', 'setInterval'] });
  try {
    const { Client } = await pageModule('client.js');
    const session = {
      clientId: 'wMHCw8TFxsfIycrLzM3Ozw==', encKey: 'AA==', macKey: 'AA==',
      clientToken: 'ct', serverToken: 'st', wid: '15550000001@c.us',
    };
    const client = new Client('ws://test/ws', new MemoryStorage({ 'waweb.session': JSON.stringify(session) }));
    const states = [];
    client.addEventListener('state', (e) => states.push(e.detail.state));
    client.connect();
    const first = FakeSocket.all.at(-1);
    first.open();
    await flush();
    assert.match(first.sent[0], /^\d+\.--0,\["admin","init",\[2,2142,12\],\["waweb","Chrome","1.0"\],"wMHCw8TFxsfIycrLzM3Ozw==",true\]$/);
    assert.match(first.sent[1], /^\d+\.--1,\["admin","login","ct","st","wMHCw8TFxsfIycrLzM3Ozw==","takeover"\]$/);

    mock.timers.tick(20_000);
    assert.equal(first.sent.at(-1), '?,,', 'a ping after 20 s');
    first.onmessage({ data: '!1700000000000' });
    await flush();
    mock.timers.tick(10_000);
    assert.equal(first.closed, false, 'the pong came: the link stays');

    mock.timers.tick(10_000);
    assert.equal(first.sent.at(-1), '?,,');
    mock.timers.tick(10_000);
    assert.equal(first.closed, true, 'no pong within 10 s: the link is closed');
    assert.equal(states.at(-1), 'offline');

    const count = FakeSocket.all.length;
    mock.timers.tick(999);
    assert.equal(FakeSocket.all.length, count, 'not before 1 s');
    mock.timers.tick(1);
    const second = FakeSocket.all.at(-1);
    assert.notEqual(second, first, 'a new socket after 1 s');
    second.open();
    await flush();
    assert.match(second.sent[1], /"reconnect","15550000001@c.us"\]$/, 'a reconnect does not take over');

    second.close();
    mock.timers.tick(1_999);
    assert.equal(FakeSocket.all.at(-1), second, 'the next try waits longer');
    mock.timers.tick(1);
    assert.notEqual(FakeSocket.all.at(-1), second);
  } finally {
    mock.timers.reset();
    delete globalThis.WebSocket;
  }
});
