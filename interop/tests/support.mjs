// Support for the interoperability suite: runs the real `waweb` binary (server, phone simulator)
// and builds unmodified Baileys connections (3.5.3, and the older 3.2.4 and 3.0.0 installed under
// npm aliases) pointed at it.
//
// Only public things of Baileys are used: its exported `WS_URL` constant (read when a socket is
// created), its `WAConnection` class, options and events. Nothing of its code is changed. 3.0.0
// has no such constant (the address is written into its connect code), so for 3.0.0 the `ws`
// module it loads is replaced by a subclass that swaps that one address for the test server's.

import { spawn, execFile } from 'node:child_process';
import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const baileys = require('@adiwajshing/baileys');
const constants = require('@adiwajshing/baileys/lib/WAConnection/Constants');

export const { WAConnection, MessageType, Mimetype, WA_MESSAGE_STATUS_TYPE } = baileys;

const here = path.dirname(fileURLToPath(import.meta.url));

/** The `waweb` binary: `WAWEB_BIN`, else the workspace's debug build. */
export const WAWEB_BIN = process.env.WAWEB_BIN
  ? path.resolve(process.env.WAWEB_BIN)
  : path.resolve(here, '..', '..', 'target', 'debug', 'waweb');

/** The demo accounts `waweb serve --demo` creates. */
export const ALICE = { phone: '15550000001', name: 'Alice', jid: '15550000001@s.whatsapp.net' };
export const BOB = { phone: '15550000002', name: 'Bob', jid: '15550000002@s.whatsapp.net' };

/** Rejects with `what` unless `promise` settles within `ms`. */
export function within(ms, what, promise) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** The first `event` of `emitter` for which `accept(...args)` holds, within `ms`. */
export function nextEvent(emitter, event, ms, accept = () => true) {
  let listener;
  const found = new Promise((resolve) => {
    listener = (...args) => {
      if (accept(...args)) resolve(args.length > 1 ? args : args[0]);
    };
    emitter.on(event, listener);
  });
  return within(ms, `event '${event}'`, found).finally(() => emitter.off(event, listener));
}

/** Runs the binary with `args`; resolves with its stdout, rejects with its stderr on failure. */
export function runWaweb(args, timeoutMs = 20_000) {
  return new Promise((resolve, reject) => {
    execFile(WAWEB_BIN, args, { timeout: timeoutMs }, (error, stdout, stderr) => {
      if (error) {
        reject(new Error(`waweb ${args[0]} ${args[1] ?? ''} failed: ${error.message}\n${stderr}`));
      } else {
        resolve(stdout);
      }
    });
  });
}

/**
 * The data directory whose self-signed certificate (`tls-cert.pem`, made by `waweb serve
 * --tls-self-signed`) this Node process trusts: `WAWEB_INTEROP_TLS_DIR`, set by the Rust test
 * together with `NODE_EXTRA_CA_CERTS=<that dir>/tls-cert.pem` (Node reads that variable only at
 * start, so the certificate must exist before Node does). `null` when not set.
 */
export const TLS_DIR = process.env.WAWEB_INTEROP_TLS_DIR || null;

/**
 * A running `waweb serve --demo` on an ephemeral port, with its own data directory.
 * `stop()` ends it and removes the directory. With `{ tls: true }` it serves `wss://` and
 * `https://` with the self-signed certificate of [`TLS_DIR`] (copied into its fresh data
 * directory, where `--tls-self-signed` keeps an existing pair).
 */
export class WawebServer {
  static async start({ tls = false } = {}) {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'waweb-interop-'));
    const args = ['serve', '--listen', '127.0.0.1:0', '--data-dir', dataDir, '--demo'];
    if (tls) {
      if (!TLS_DIR || !process.env.NODE_EXTRA_CA_CERTS) {
        await rm(dataDir, { recursive: true, force: true });
        throw new Error('TLS scenarios need WAWEB_INTEROP_TLS_DIR and NODE_EXTRA_CA_CERTS: '
          + 'run them through `cargo test -p waweb --test interop_baileys`');
      }
      for (const name of ['tls-cert.pem', 'tls-key.pem']) {
        await copyFile(path.join(TLS_DIR, name), path.join(dataDir, name));
      }
      args.push('--tls-self-signed');
    }
    const child = spawn(WAWEB_BIN, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const server = new WawebServer(child, dataDir);
    server.tls = tls;
    try {
      server.wsUrl = await within(20_000, 'the server to announce its address', server.#address());
    } catch (error) {
      await server.stop();
      throw new Error(`${error.message}\nserver stderr:\n${server.stderr}`);
    }
    server.adminUrl = server.wsUrl.replace(/^ws(s?):/, 'http$1:').replace(/\/ws$/, '');
    return server;
  }

  /** What our CLI's client commands need to reach this server (`--server`, `--ca-cert`). */
  clientArgs() {
    const ca = this.tls ? ['--ca-cert', path.join(this.dataDir, 'tls-cert.pem')] : [];
    return ['--server', this.wsUrl, ...ca];
  }

  constructor(child, dataDir) {
    this.child = child;
    this.dataDir = dataDir;
    this.stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk) => {
      this.stderr += chunk;
      if (process.env.WAWEB_INTEROP_VERBOSE) process.stderr.write(chunk);
    });
  }

  /** Reads stdout until the `waweb listening on ws://ADDR/ws` (or `wss://`) line. */
  #address() {
    return new Promise((resolve, reject) => {
      let out = '';
      this.child.stdout.setEncoding('utf8');
      this.child.stdout.on('data', (chunk) => {
        out += chunk;
        const found = out.match(/waweb listening on (wss?:\/\/\S+\/ws)/);
        if (found) resolve(found[1]);
      });
      this.child.once('exit', (code) => reject(new Error(`the server exited (${code})`)));
      this.child.once('error', reject);
    });
  }

  /** The phone of account `phone` scans `qr` through the admin interface. */
  scan(qr, phone) {
    return runWaweb([
      'phone', 'scan', qr,
      '--account', phone,
      '--admin-url', this.adminUrl,
      '--data-dir', this.dataDir,
    ]);
  }

  /** Creates an account through the admin API (`POST /admin/accounts`). */
  async addAccount(phone, name) {
    const token = (await readFile(path.join(this.dataDir, 'admin-token'), 'utf8')).trim();
    const response = await fetch(`${this.adminUrl}/admin/accounts`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ phone, name }),
    });
    if (response.status !== 201) {
      throw new Error(`creating account ${phone}: HTTP ${response.status} ${await response.text()}`);
    }
  }

  async stop() {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      const exited = once(this.child, 'exit');
      this.child.kill('SIGTERM');
      const killer = setTimeout(() => this.child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(killer);
    }
    await rm(this.dataDir, { recursive: true, force: true });
  }
}

/**
 * Pairs our own client, `waweb login --print-qr`, as account `phone`; the session is saved to
 * `sessionPath`. Resolves with what login printed once it has exited successfully.
 */
export async function cliLogin(server, phone, sessionPath) {
  const args = ['login', '--print-qr', ...server.clientArgs(), '--session', sessionPath];
  const child = spawn(WAWEB_BIN, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  let scanned = null;
  child.stderr.setEncoding('utf8').on('data', (chunk) => { err += chunk; });
  child.stdout.setEncoding('utf8').on('data', (chunk) => {
    out += chunk;
    const qr = out.split('\n').find((line) => line.split(',').length === 3);
    if (qr && !scanned) scanned = server.scan(qr.trim(), phone);
  });
  const [code] = await within(30_000, 'waweb login', once(child, 'exit'));
  if (scanned) await scanned;
  if (code !== 0) throw new Error(`waweb login exited with ${code}: ${err}`);
  return out;
}

/**
 * A Baileys connection with its defaults, aimed at `server`. Its log level is `warn` unless
 * `BAILEYS_LOG` says otherwise; every frame is recorded in `conn.messageLog`.
 */
export function baileysFor(server) {
  constants.WS_URL = server.wsUrl;
  const conn = new WAConnection();
  conn.connectOptions.logQR = false;
  conn.logger.level = process.env.BAILEYS_LOG || 'warn';
  conn.shouldLogMessages = true;
  return conn;
}

/** The address Baileys 3.0.0 always connects to. */
const REAL_WS_URL = 'wss://web.whatsapp.com/ws';

/** Where the redirected `ws` of Baileys 3.0.0 connects instead of the real service. */
let redirectTo = null;

/**
 * An older Baileys, `version` `3.2.4` or `3.0.0` (the npm alias `baileys-<version>`): its module,
 * whose `WAConnection` and constants differ from 3.5.3's.
 */
export function olderBaileys(version) {
  const name = `baileys-${version}`;
  if (version === '3.0.0') {
    const wsPath = require.resolve('ws', { paths: [path.dirname(require.resolve(name))] });
    const Real = require(wsPath);
    if (!Real.redirected) {
      class Redirected extends Real {
        static redirected = true;
        constructor(url, ...rest) {
          // Never the real service: a 3.0.0 connection made before `olderBaileysFor` is a bug.
          if (url === REAL_WS_URL && !redirectTo) {
            throw new Error('Baileys 3.0.0 connects before olderBaileysFor set the test server');
          }
          super(url === REAL_WS_URL ? redirectTo : url, ...rest);
        }
      }
      require.cache[wsPath].exports = Redirected;
    }
  }
  return require(name);
}

/**
 * A connection of an older Baileys (see [`olderBaileys`]) aimed at `server`, quiet unless
 * `BAILEYS_LOG` says otherwise (3.0.0 has a numeric log level and no pino logger).
 */
export function olderBaileysFor(version, server) {
  const lib = olderBaileys(version);
  if (version === '3.0.0') {
    redirectTo = server.wsUrl;
  } else {
    require(`baileys-${version}/lib/WAConnection/Constants`).WS_URL = server.wsUrl;
  }
  const conn = new lib.WAConnection();
  if (conn.logger) {
    conn.logger.level = process.env.BAILEYS_LOG || 'warn';
  } else {
    conn.logLevel = process.env.BAILEYS_LOG ? lib.MessageLogLevel.all : lib.MessageLogLevel.none;
  }
  conn.removeAllListeners('qr'); // its default listener draws the code on the console
  return conn;
}

/**
 * Connects `conn` by pairing: every QR it shows is scanned by `phone`'s simulated phone.
 * Resolves with `{ result, qrs }` once the connection is open.
 */
export async function pair(conn, server, phone) {
  const qrs = [];
  let scanned = Promise.resolve();
  let scanError = null;
  conn.on('qr', (qr) => {
    qrs.push(qr);
    // Only the first QR is scanned; later ones mean the scan did not take.
    if (qrs.length !== 1) return;
    scanned = server.scan(qr, phone).catch((error) => {
      scanError = error;
      conn.close();
    });
  });
  let result;
  try {
    result = await conn.connect();
  } catch (error) {
    await scanned;
    throw scanError ?? error;
  }
  await scanned;
  return { result, qrs };
}

/** Closes every open connection given, ignoring those already closed. */
export function closeAll(...conns) {
  for (const conn of conns) {
    if (conn && conn.state !== 'close') conn.close();
  }
}

/** The text of a WebMessageInfo, whichever field carries it. */
export function textOf(message) {
  const m = message?.message;
  return m?.conversation || m?.extendedTextMessage?.text || null;
}
