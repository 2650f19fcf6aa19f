// The protocol client of the page (docs/PROTOCOL.md): pairing by QR (`admin init`, `reref`, the
// `Conn` secret), restore (`admin login`, the challenge, token rotation), encrypted binary frames
// both ways, keepalive, reconnection with backoff, takeover and logout. It knows nothing of the
// DOM: it emits events that the UI draws.
//
// Events (CustomEvent, data in `detail`): `state` {state}, `qr` {qr}, `open` {wid, pushname},
// `node` {node, tag} for every binary push, `push` {frame} for every JSON push.

import { fromB64, randomBytes, toB64 } from './bytes.js';
import { FrameCipher, challengeAnswer, generateKeyPair, openSecret } from './crypto.js';
import { decode, encode } from './binary.js';
import { clearSession, loadSession, saveSession } from './store.js';

const VERSION = [2, 2142, 12];
const BROWSER = ['waweb', 'Chrome', '1.0'];
const PING_EVERY_MS = 20_000;
const PONG_WITHIN_MS = 10_000;
const REQUEST_TIMEOUT_MS = 30_000;
const MAX_BACKOFF_MS = 30_000;

/** Metric and flag bytes (§5.4, §5.5) of the requests the page sends. */
export const METRIC = { queryMessages: 7, presence: 8, read: 11, message: 16 };

export class Client extends EventTarget {
  constructor(url, storage = globalThis.localStorage) {
    super();
    this.url = url;
    this.storage = storage;
    this.state = 'idle';
    this.backoff = 1000;
    this.ws = null;
  }

  emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }

  setState(state) {
    this.state = state;
    this.emit('state', { state });
  }

  /** Connects: restores the saved pairing, or starts a new one (a QR code). */
  connect(mode = 'takeover') {
    this.closeSocket();
    this.session = loadSession(this.storage);
    this.mode = mode;
    this.setState('connecting');
    const ws = new WebSocket(this.url);
    ws.binaryType = 'arraybuffer';
    this.ws = ws;
    this.counter = 0;
    this.epoch = 0;
    this.started = Math.floor(Date.now() / 1000);
    this.pending = new Map();
    this.cipher = null;
    this.expectClose = false;
    ws.onopen = () => this.opened().catch((e) => this.fail(e, ws));
    // Frames are handled one at a time, in order: opening one is asynchronous (WebCrypto).
    let queue = Promise.resolve();
    ws.onmessage = (event) => {
      queue = queue.then(() => this.received(event.data)).catch((e) => this.fail(e, ws));
    };
    ws.onclose = () => this.closed(ws);
  }

  nextTag() {
    return `${this.started}.--${this.counter++}`;
  }

  sendJson(payload, tag = this.nextTag()) {
    this.ws.send(`${tag},${JSON.stringify(payload)}`);
    return tag;
  }

  /** Sends a JSON request and resolves with its answer. */
  request(payload) {
    const tag = this.sendJson(payload);
    return this.waitFor(tag);
  }

  waitFor(tag) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(tag);
        reject(new Error('no answer from the server'));
      }, REQUEST_TIMEOUT_MS);
      this.pending.set(tag, { resolve, reject, timer });
    });
  }

  /** Settles the request waiting on `tag` with `answer`; false if none waits. */
  answer(tag, answer) {
    const waiting = this.pending.get(tag);
    if (!waiting) return false;
    this.pending.delete(tag);
    clearTimeout(waiting.timer);
    waiting.resolve(answer);
    return true;
  }

  /** Encrypts and sends `node`; resolves with the answer (a node or a JSON object). */
  async sendNode(node, metric, flag, tag = this.nextTag()) {
    if (!this.cipher) throw new Error('not connected');
    const answer = this.waitFor(tag);
    this.ws.send(await this.cipher.seal(tag, metric, flag, encode(node)));
    return answer;
  }

  nextEpoch() {
    this.epoch += 1;
    return String(this.epoch);
  }

  async opened() {
    this.startKeepalive();
    if (!this.session) {
      this.clientId = toB64(randomBytes(16));
      this.keyPair = await generateKeyPair();
    } else {
      this.clientId = this.session.clientId;
    }
    const init = this.request(['admin', 'init', VERSION, BROWSER, this.clientId, true]);
    if (this.session) {
      const { clientToken, serverToken, wid } = this.session;
      const mode = this.mode === 'takeover' ? ['takeover'] : ['reconnect', wid];
      const login = this.request(['admin', 'login', clientToken, serverToken, this.clientId, ...mode]);
      const [, answer] = await Promise.all([init, login]);
      if (answer.status !== 200) this.loginRefused(answer.status);
      return;
    }
    const answer = await init;
    if (answer.status !== 200) throw new Error(`the server refused init (${answer.status})`);
    this.showRef(answer.ref, answer.ttl);
  }

  loginRefused(status) {
    if (status === 409) {
      this.expectClose = true;
      this.setState('replaced');
      this.closeSocket();
    } else if (status === 401 || status === 419) {
      clearSession(this.storage);
      this.connect();
    } else {
      throw new Error(`login failed (${status})`);
    }
  }

  showRef(ref, ttl) {
    this.setState('qr');
    this.emit('qr', { qr: `${ref},${toB64(this.keyPair.publicKey)},${this.clientId}` });
    clearTimeout(this.rerefTimer);
    this.rerefTimer = setTimeout(async () => {
      const answer = await this.request(['admin', 'Conn', 'reref']).catch(() => null);
      if (answer?.status === 200) this.showRef(answer.ref, answer.ttl);
      else if (answer?.status === 429) {
        this.expectClose = true;
        this.setState('qr-expired');
        this.closeSocket();
      }
    }, ttl);
  }

  async received(data) {
    if (typeof data === 'string') return this.receivedText(data);
    if (!this.cipher) throw new Error('a binary frame before the keys');
    const { tag, plaintext } = await this.cipher.open(new Uint8Array(data));
    const node = decode(plaintext);
    if (!this.answer(tag, node)) this.emit('node', { node, tag });
  }

  async receivedText(text) {
    if (text.startsWith('!')) {
      clearTimeout(this.pongTimer);
      return;
    }
    const comma = text.indexOf(',');
    if (comma < 1) return;
    const tag = text.slice(0, comma);
    let rest = text.slice(comma + 1);
    if (rest.startsWith(',')) rest = rest.slice(1);
    if (rest === '') return;
    const payload = JSON.parse(rest);
    if (this.answer(tag, payload)) return;
    if (Array.isArray(payload)) await this.push(payload);
  }

  async push(frame) {
    const [kind, body] = frame;
    if (kind === 'Conn' && body.secret !== undefined) await this.paired(body);
    else if (kind === 'Conn' && body.serverToken) await this.restored(body);
    else if (kind === 'Cmd' && body.type === 'challenge') await this.challenge(body.challenge);
    else if (kind === 'Cmd' && body.type === 'disconnect') this.disconnected(body.kind);
    else this.emit('push', { frame });
  }

  /** `s1` after a scan: opens the secret, saves the pairing. */
  async paired(conn) {
    clearTimeout(this.rerefTimer);
    const keys = await openSecret(this.keyPair.privateKey, fromB64(conn.secret));
    this.keyPair = null;
    this.session = {
      clientId: this.clientId,
      encKey: toB64(keys.encKey),
      macKey: toB64(keys.macKey),
      clientToken: conn.clientToken,
      serverToken: conn.serverToken,
      browserToken: conn.browserToken,
      wid: conn.wid,
      pushname: conn.pushname,
    };
    saveSession(this.session, this.storage);
    await this.ready(conn);
  }

  /** The `Conn` of a restore: new tokens, saved before anything else. */
  async restored(conn) {
    Object.assign(this.session, {
      clientToken: conn.clientToken,
      serverToken: conn.serverToken,
      browserToken: conn.browserToken,
      pushname: conn.pushname ?? this.session.pushname,
    });
    saveSession(this.session, this.storage);
    await this.ready(conn);
  }

  async challenge(challenge) {
    const answer = await challengeAnswer(fromB64(this.session.macKey), fromB64(challenge));
    const { serverToken } = this.session;
    // Not awaited: the answer comes through the frame queue this handler runs in.
    this.request(['admin', 'challenge', toB64(answer), serverToken, this.clientId])
      .then((result) => { if (result.status !== 200) this.loginRefused(401); })
      .catch((e) => this.fail(e));
  }

  async ready(conn) {
    this.cipher = await FrameCipher.create({
      encKey: fromB64(this.session.encKey),
      macKey: fromB64(this.session.macKey),
    });
    this.backoff = 1000;
    this.setState('open');
    this.emit('open', { wid: conn.wid ?? this.session.wid, pushname: this.session.pushname });
    this.sendNode(['action', { type: 'set', epoch: this.nextEpoch() }, [['presence', { type: 'available' }, null]]],
      METRIC.presence, 0xe0).catch(() => {});
  }

  disconnected(kind) {
    this.expectClose = true;
    if (kind === 'replaced') {
      this.setState('replaced');
    } else {
      clearSession(this.storage);
      this.setState('logged-out');
      this.connect();
    }
  }

  startKeepalive() {
    clearInterval(this.pingTimer);
    this.pingTimer = setInterval(() => {
      if (this.ws?.readyState !== WebSocket.OPEN) return;
      this.ws.send('?,,');
      clearTimeout(this.pongTimer);
      this.pongTimer = setTimeout(() => this.ws?.close(), PONG_WITHIN_MS);
    }, PING_EVERY_MS);
  }

  closeSocket() {
    clearInterval(this.pingTimer);
    clearTimeout(this.pongTimer);
    clearTimeout(this.rerefTimer);
    clearTimeout(this.retryTimer);
    // Requests of this socket will never be answered.
    for (const { reject, timer } of this.pending?.values() ?? []) {
      clearTimeout(timer);
      reject(new Error('the connection closed'));
    }
    this.pending?.clear();
    if (this.ws) {
      const ws = this.ws;
      this.ws = null;
      ws.onclose = null;
      ws.onmessage = null;
      ws.close();
    }
  }

  closed(ws) {
    if (ws !== this.ws) return;
    this.closeSocket();
    if (this.expectClose) return;
    // A drop: try again, later each time, without taking over from another window.
    this.setState('offline');
    const delay = this.backoff;
    this.backoff = Math.min(this.backoff * 2, MAX_BACKOFF_MS);
    this.retryTimer = setTimeout(() => this.connect(loadSession(this.storage) ? 'reconnect' : 'takeover'), delay);
  }

  /** Ends socket `ws` after an error on it (not a newer socket that replaced it). */
  fail(error, ws = this.ws) {
    if (!ws || ws !== this.ws) return;
    console.warn('waweb:', error.message);
    ws.close();
  }

  /** Logs out (§4.7): the server forgets the pairing; then a new QR code. */
  async logout() {
    this.expectClose = true;
    try {
      const tag = 'goodbye';
      const answer = this.waitFor(tag);
      this.sendJson(['admin', 'Conn', 'disconnect'], tag);
      await Promise.race([answer, new Promise((r) => { setTimeout(r, 3000); })]);
    } catch {
      // The pairing is forgotten here whatever the server said.
    }
    clearSession(this.storage);
    this.setState('logged-out');
    this.connect();
  }

  // ------------------------------------------------------------------------------------------
  // Requests the UI makes

  /** Relays a text (§8.9): resolves with the server's answer `{status, t}`. */
  sendText(jid, id, wmi) {
    const node = ['action', { type: 'relay', epoch: this.nextEpoch() }, [['message', null, wmi]]];
    return this.sendNode(node, METRIC.message, 0x80, id);
  }

  /** Up to `count` messages of `jid` before message `index` (§8.4). */
  history(jid, count, index, owner) {
    const attrs = { type: 'message', kind: 'before', jid, count: String(count) };
    if (index) Object.assign(attrs, { index, owner: owner ? 'true' : 'false' });
    attrs.epoch = this.nextEpoch();
    return this.sendNode(['query', attrs, null], METRIC.queryMessages, 0x80);
  }

  /** Marks `jid` read up to message `index` (§8.5). */
  read(jid, index, count, participant) {
    const attrs = { jid, index, owner: 'false', count: String(count) };
    if (participant) attrs.participant = participant;
    const node = ['action', { type: 'set', epoch: this.nextEpoch() }, [['read', attrs, null]]];
    return this.sendNode(node, METRIC.read, 0xc0);
  }

  /** A chat state towards `jid`: composing or paused. */
  chatState(jid, type) {
    const node = ['action', { type: 'set', epoch: this.nextEpoch() }, [['presence', { type, to: jid }, null]]];
    return this.sendNode(node, METRIC.presence, 0x04).catch(() => {});
  }

  subscribe(jid) {
    return this.request(['action', 'presence', 'subscribe', jid]).catch(() => {});
  }

  exists(jid) {
    return this.request(['query', 'exist', jid]);
  }
}
