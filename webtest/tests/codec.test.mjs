// The page's WABinary codec and WebMessageInfo reader/writer against the vectors the Rust core
// is held to (B3, B5, the add:relay push of §8.7), and its refusals of malformed input.

import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT, VECTORS, pageModule } from './support.mjs';

const { encode, decode, DecodeError } = await pageModule('binary.js');
const { fromHex, toHex } = await pageModule('bytes.js');
const { decodeWmi, encodeOutgoing } = await pageModule('wmi.js');
const { TOKENS } = await pageModule('tokens.js');

test('the token table is the one of the Rust core', () => {
  const tsv = readFileSync(path.join(ROOT, 'crates/waweb-proto/data/wabinary-tokens.tsv'), 'utf8');
  const rows = tsv.split('\n').filter((l) => l && !l.startsWith('#')).map((l) => l.split('\t'));
  assert.equal(rows.length, 173);
  assert.equal(TOKENS.length, 176);
  for (const [index, token] of rows) assert.equal(TOKENS[Number(index)], token, `token ${index}`);
});

for (const v of VECTORS.b3) {
  test(`${v.name}: every form decodes to the node, the encoder writes the compact form`, () => {
    for (const form of [...v.forms, v.compact]) assert.deepEqual(decode(fromHex(form)), v.node, form);
    assert.equal(toHex(encode(v.node)), v.compact);
  });
}

test('byte content, LIST_16 and BINARY_20 round-trip', () => {
  const many = Array.from({ length: 300 }, (_, i) => ['item', { n: String(i) }, null]);
  const big = new Uint8Array(70_000).fill(7);
  const node = ['action', { add: 'relay' }, [['message', null, big], ['list', null, many]]];
  const bytes = encode(node);
  assert.deepEqual(decode(bytes), node);
});

test('malformed input is an error, never a wrong node', () => {
  const cases = {
    truncated: 'f80209f801f8070f60ff0121315a69',
    'trailing bytes': 'f805445b176bff811f00',
    'unknown token': 'f801b0',
    'stream end': 'f80102',
    'bad nibble': 'f803445bff81cf',
    'empty node': '00',
    'JID_AD': 'f801f7',
    'a string that is not UTF-8': 'f801fc01ff',
  };
  for (const [what, hex] of Object.entries(cases)) {
    assert.throws(() => decode(fromHex(hex)), DecodeError, what);
  }
});

test('B5.1 is the text the page relays', () => {
  const wmi = encodeOutgoing({ remoteJid: '33612345678@s.whatsapp.net', id: '3EB0A1B2C3D4', text: 'test', timestamp: 1588844230 });
  assert.equal(toHex(wmi), VECTORS.b5.conversation);
});

test('B5.2 (extendedTextMessage) reads as text', () => {
  const info = decodeWmi(fromHex(VECTORS.b5.extended));
  assert.deepEqual(info.key, { remoteJid: '33612345678@s.whatsapp.net', fromMe: true, id: '3EB0A1B2C3D4', participant: undefined });
  assert.equal(info.text, 'hello');
  assert.equal(info.timestamp, 1588844230);
  assert.equal(info.status, 1);
});

test('the add:relay push of §8.7 decodes to an incoming message with its push name', () => {
  const node = decode(fromHex(VECTORS.b5.relay_push));
  assert.equal(node[0], 'action');
  assert.deepEqual(node[1], { add: 'relay' });
  const info = decodeWmi(node[2][0][2]);
  assert.equal(info.key.fromMe, false);
  assert.equal(info.key.remoteJid, '33612345678@s.whatsapp.net');
  assert.equal(info.text, 'hello');
  assert.equal(info.pushName, 'Albert');
  assert.equal(info.timestamp, 1588900010);
});

test('a truncated WebMessageInfo is an error', () => {
  const bytes = fromHex(VECTORS.b5.conversation);
  assert.throws(() => decodeWmi(bytes.subarray(0, 20)));
});
