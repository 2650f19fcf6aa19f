// The page's QR encoder against the `qrcode` crate (the fixture written by
// crates/waweb/tests/web_client.rs), module for module under every mask, and decoded back by an
// independent reader (jsQR).

import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import jsQR from 'jsqr';
import { pageModule } from './support.mjs';

const { encodeQr } = await pageModule('qr.js');
const here = path.dirname(fileURLToPath(import.meta.url));
const { cases } = JSON.parse(readFileSync(path.join(here, '..', 'qr-fixture.json'), 'utf8'));

const rows = (qr) => Array.from({ length: qr.size }, (_, y) => Array.from(qr.dark.subarray(y * qr.size, (y + 1) * qr.size)).join(''));

for (const c of cases) {
  test(`QR of ${c.text.length} bytes at level ${c.level}: every mask module for module, and the mask the crate picks`, () => {
    for (let mask = 0; mask < 8; mask++) {
      const qr = encodeQr(c.text, { ecl: c.level, mask });
      assert.equal(qr.version, c.version);
      assert.deepEqual(rows(qr), c.masks[mask], `mask ${mask}`);
    }
    assert.equal(encodeQr(c.text, { ecl: c.level }).mask, c.bestMask);
  });
}

/** Renders the matrix as RGBA pixels with a quiet zone, as a camera would see it. */
function pixels(qr, scale = 4) {
  const n = (qr.size + 8) * scale;
  const data = new Uint8ClampedArray(n * n * 4).fill(255);
  for (let y = 0; y < qr.size; y++) {
    for (let x = 0; x < qr.size; x++) {
      if (!qr.dark[y * qr.size + x]) continue;
      for (let dy = 0; dy < scale; dy++) {
        for (let dx = 0; dx < scale; dx++) {
          const at = (((y + 4) * scale + dy) * n + (x + 4) * scale + dx) * 4;
          data[at] = data[at + 1] = data[at + 2] = 0;
        }
      }
    }
  }
  return { data, n };
}

test('a reader decodes the pairing strings back, at every length a ref can have', () => {
  for (let extra = 0; extra < 200; extra += 37) {
    const text = `1@${'r'.repeat(30 + extra)},B6N8vBQgk8i3VdwbEOhstCY3StFqqFPtC9/AsrhtHHw=,wMHCw8TFxsfIycrLzM3Ozw==`;
    for (const ecl of ['L', 'M']) {
      const { data, n } = pixels(encodeQr(text, { ecl }));
      const read = jsQR(data, n, n);
      assert.equal(read?.data, text, `${text.length} bytes at ${ecl}`);
    }
  }
});
