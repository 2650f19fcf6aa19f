// Shared helpers of the web client's tests: the page's modules, the known-answer vectors.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(here, '..', '..');
export const WEB = path.join(ROOT, 'crates', 'waweb-server', 'web');

/** A module of the page, by file name (`binary.js`). */
export function pageModule(name) {
  return import(path.join(WEB, 'js', name));
}

export const VECTORS = JSON.parse(readFileSync(path.join(here, '..', 'vectors.json'), 'utf8'));

/**
 * The Rust core's crypto vectors, read from its own test data
 * (`crates/waweb-proto/tests/data/vectors.rs`): `{ b1: { ENC_KEY: '…', … }, … }`.
 */
export function rustVectors() {
  const source = readFileSync(path.join(ROOT, 'crates/waweb-proto/tests/data/vectors.rs'), 'utf8');
  const out = {};
  for (const [, mod, body] of source.matchAll(/pub mod (\w+) \{([\s\S]*?)\n\}/g)) {
    out[mod] = {};
    // `\s+`: long values are wrapped onto the next line.
    for (const [, name, value] of body.matchAll(/pub const (\w+): &str =\s+"([^"]*)"/g)) out[mod][name] = value;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// End-to-end: the real `waweb serve` and headless Chromium.

import { spawn, execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { once } from 'node:events';

/** The `waweb` binary: `WAWEB_BIN`, else the workspace's debug build. */
export const WAWEB_BIN = process.env.WAWEB_BIN
  ? path.resolve(process.env.WAWEB_BIN)
  : path.join(ROOT, 'target', 'debug', 'waweb');

export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

export const ALICE = '15550000001';
export const BOB = '15550000002';
export const CAROL = '15550000003';

/** Rejects with `what` unless `promise` settles within `ms`. */
export function within(ms, what, promise) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Runs the binary; resolves with its stdout. */
export function runWaweb(args, timeoutMs = 20_000) {
  return new Promise((resolve, reject) => {
    execFile(WAWEB_BIN, args, { timeout: timeoutMs }, (error, stdout, stderr) => {
      if (error) reject(new Error(`waweb ${args.join(' ')} failed: ${error.message}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

/** A running `waweb serve` on an ephemeral port (`--demo` in a fresh directory, or `dataDir`). */
export class Server {
  static async start({ dataDir, listen = '127.0.0.1:0' } = {}) {
    const own = !dataDir;
    const dir = dataDir ?? await mkdtemp(path.join(tmpdir(), 'waweb-web-'));
    const args = ['serve', '--listen', listen, '--data-dir', dir, ...(own ? ['--demo'] : [])];
    const child = spawn(WAWEB_BIN, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const server = new Server(child, dir, own);
    let out = '';
    child.stderr.setEncoding('utf8').on('data', (c) => { server.stderr += c; });
    let ws;
    try {
      ws = await within(20_000, 'the server to announce its address', new Promise((resolve, reject) => {
        child.stdout.setEncoding('utf8').on('data', (chunk) => {
          out += chunk;
          const found = out.match(/waweb listening on (ws:\/\/\S+\/ws)/);
          if (found) resolve(found[1]);
        });
        child.once('exit', (code) => reject(new Error(`the server exited (${code})`)));
        child.once('error', reject);
      }));
    } catch (error) {
      // A server that never announced itself is still running (or its directory is still there).
      await server.stop();
      throw new Error(`${error.message}\nserver stderr:\n${server.stderr}`);
    }
    server.wsUrl = ws;
    server.url = ws.replace(/^ws:/, 'http:').replace(/\/ws$/, '');
    server.token = (await readFile(path.join(dir, 'admin-token'), 'utf8')).trim();
    return server;
  }

  constructor(child, dataDir, own) {
    this.child = child;
    this.dataDir = dataDir;
    this.own = own;
    this.stderr = '';
  }

  /** The simulated phone of `phone` scans `qr` (the admin API, as the phone page does). */
  async scan(qr, phone) {
    const response = await fetch(`${this.url}/admin/scan`, {
      method: 'POST',
      headers: { authorization: `Bearer ${this.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ qr, account: phone }),
    });
    if (response.status !== 200) throw new Error(`scan: HTTP ${response.status} ${await response.text()}`);
  }

  /** Pairs a CLI session of `phone` (saved at `session`). */
  async cliLogin(phone, session) {
    const child = spawn(WAWEB_BIN, ['login', '--print-qr', '--server', this.wsUrl, '--session', session], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let scanned = null;
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      out += chunk;
      const qr = out.split('\n').find((line) => line.split(',').length === 3);
      if (qr && !scanned) scanned = this.scan(qr.trim(), phone);
    });
    const [code] = await within(30_000, 'waweb login', once(child, 'exit'));
    await scanned;
    if (code !== 0) throw new Error(`waweb login exited with ${code}`);
  }

  /** Stops the server; its data directory is removed only if `start` made it and `keep` is false. */
  async stop({ keep = false } = {}) {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      const exited = once(this.child, 'exit');
      this.child.kill('SIGTERM');
      const killer = setTimeout(() => this.child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(killer);
    }
    if (this.own && !keep) await rm(this.dataDir, { recursive: true, force: true });
  }
}

/** Headless Chromium (Debian's package; no browser download), with `args` added to its command line. */
export async function launchBrowser(args = []) {
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', ...args] });
}

/**
 * Opens the web client in a new browser context (its own storage) and pairs it with `phone`
 * through the phone page. Resolves with `{ context, page, scannedAt }`.
 */
export async function pairedPage(browser, server, phone, viewport = { width: 1200, height: 800 }) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  page.on('dialog', (dialog) => { page.sawDialog = dialog.message(); dialog.dismiss(); });
  page.consoleText = [];
  page.on('console', (message) => page.consoleText.push(message.text()));
  await page.goto(`${server.url}/`);
  await page.waitForFunction(() => document.getElementById('qr-text').value.startsWith('1@'));
  const qr = await page.inputValue('#qr-text');
  const phonePage = await context.newPage();
  await phonePage.goto(`${server.url}/phone`);
  await phonePage.fill('#token', server.token);
  await phonePage.click('#token-form button');
  await phonePage.waitForSelector('#scan-form:not([hidden])');
  await phonePage.selectOption('#account', phone);
  await phonePage.fill('#scan-text', qr);
  const scannedAt = Date.now();
  await phonePage.click('#scan-form button');
  await phonePage.waitForFunction(() => document.getElementById('status').textContent.startsWith('Linked'));
  await phonePage.close();
  return { context, page, scannedAt };
}
