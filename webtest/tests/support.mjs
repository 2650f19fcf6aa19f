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
  let current = null;
  for (const line of source.split('\n')) {
    const mod = line.match(/^pub mod (\w+) \{/);
    if (mod) out[(current = mod[1])] = {};
    const constant = line.match(/pub const (\w+): &str =\s*("([^"]*)")?/);
    if (constant && current) out[current][constant[1]] = constant[3];
  }
  // Long values are wrapped onto the next line.
  const wrapped = [...source.matchAll(/pub mod (\w+) \{([\s\S]*?)\n\}/g)];
  for (const [, mod, body] of wrapped) {
    for (const [, name, value] of body.matchAll(/pub const (\w+): &str =\s+"([^"]*)"/g)) out[mod][name] = value;
  }
  return out;
}
