// Decodes the bench payloads with Baileys 3.5.3's WABinary decoder in a timed loop and prints
// its throughput, so that it can be compared with `cargo bench -p waweb-proto --bench
// node_codec` run in the same sitting (docs/PERFORMANCE.md).
//
// Usage, from the repository root after `npm ci --prefix interop`:
//
//   node crates/waweb-proto/benches/baileys_decode.mjs \
//     interop/node_modules/@adiwajshing/baileys/lib/Binary/Decoder.js
//
// An optional second argument is the number of seconds to measure each payload (default 5).

import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const [decoderPath, secondsArg] = process.argv.slice(2);
if (!decoderPath) {
  console.error('usage: node baileys_decode.mjs PATH/TO/baileys/lib/Binary/Decoder.js [SECONDS]');
  process.exit(2);
}
const seconds = Number(secondsArg ?? 5);
const require = createRequire(import.meta.url);
const Decoder = require(resolve(decoderPath)).default;
const here = dirname(fileURLToPath(import.meta.url));

for (const name of ['chats500.bin', 'batch50.bin']) {
  const bytes = readFileSync(resolve(here, 'data', name));
  const decoder = new Decoder();
  // Warm up the JIT, and check that the payload decodes.
  let sink = 0;
  const warmUntil = performance.now() + 1000;
  while (performance.now() < warmUntil) sink += decoder.read(bytes).length;
  // Timed rounds of a fixed number of decodes; the best and median round are reported.
  const perRound = Math.max(1, Math.round(2e6 / bytes.length));
  const rates = [];
  const until = performance.now() + seconds * 1000;
  while (performance.now() < until) {
    const start = performance.now();
    for (let i = 0; i < perRound; i++) sink += decoder.read(bytes).length;
    const elapsed = (performance.now() - start) / 1000;
    rates.push((bytes.length * perRound) / elapsed / 1e6);
  }
  rates.sort((a, b) => a - b);
  const median = rates[Math.floor(rates.length / 2)];
  const best = rates[rates.length - 1];
  const worst = rates[0];
  console.log(
    `baileys 3.5.3 decode ${name} (${bytes.length} bytes): median ${median.toFixed(1)} MB/s, ` +
      `range ${worst.toFixed(1)}-${best.toFixed(1)} MB/s over ${rates.length} rounds` +
      (sink === 0 ? ' (empty?)' : ''),
  );
}
