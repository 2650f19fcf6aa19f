// The page's WebCrypto code against the Rust core's own known-answer vectors (A1, B1, B2, B4),
// read from crates/waweb-proto/tests/data/vectors.rs, and the X25519 vectors of RFC 7748.

import test from 'node:test';
import assert from 'node:assert/strict';
import { pageModule, rustVectors } from './support.mjs';

const c = await pageModule('crypto.js');
const { fromHex, toHex, fromB64, toB64, utf8 } = await pageModule('bytes.js');
const V = rustVectors();

test('the vectors file was read', () => {
  assert.equal(V.b1.ENC_KEY.length, 64);
  assert.equal(V.b4.SERVER_FRAME.length > 100, true);
});

test('A1: HKDF expand-only and full with the zero salt', async () => {
  assert.equal(toHex(await c.hkdfExpand(fromHex(V.a1_expand.PRK), 80)), V.a1_expand.OKM);
  const okm = await c.hkdf(utf8.encode(V.a1_full.IKM), 112, utf8.encode(V.a1_full.INFO));
  assert.equal(toHex(okm), V.a1_full.OKM);
});

test('RFC 7748 §6.1: X25519 key agreement', async () => {
  const alice = await c.importPrivateKey(fromHex('77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a'));
  const bob = await c.importPrivateKey(fromHex('5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb'));
  assert.equal(toHex(alice.publicKey), '8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a');
  assert.equal(toHex(bob.publicKey), 'de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f');
  const shared = await c.sharedSecret(alice.privateKey, bob.publicKey);
  assert.equal(toHex(shared), '4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742');
});

test('B1: public keys, shared secret, and the secret opens to the session keys', async () => {
  const client = await c.importPrivateKey(fromHex(V.b1.CLIENT_PRIVATE));
  assert.equal(toHex(client.publicKey), V.b1.CLIENT_PUBLIC);
  assert.equal(toB64(client.publicKey), V.b1.CLIENT_PUBLIC_B64);
  const shared = await c.sharedSecret(client.privateKey, fromHex(V.b1.SERVER_PUBLIC));
  assert.equal(toHex(shared), V.b1.SHARED);
  assert.equal(toHex(await c.hkdf(shared, 80)), V.b1.EXPANDED);
  const keys = await c.openSecret(client.privateKey, fromB64(V.b1.SECRET_B64));
  assert.equal(toHex(keys.encKey), V.b1.ENC_KEY);
  assert.equal(toHex(keys.macKey), V.b1.MAC_KEY);
});

test('B1: a secret with any one bit flipped is refused', async () => {
  const client = await c.importPrivateKey(fromHex(V.b1.CLIENT_PRIVATE));
  const secret = fromHex(V.b1.SECRET);
  for (const at of [0, 40, 100, 143]) {
    const bad = secret.slice();
    bad[at] ^= 1;
    await assert.rejects(c.openSecret(client.privateKey, bad), /does not authenticate/, `byte ${at}`);
  }
});

test('B2: challenge answer and logout token', async () => {
  const keys = { encKey: fromHex(V.b1.ENC_KEY), macKey: fromHex(V.b1.MAC_KEY) };
  assert.equal(toB64(await c.challengeAnswer(keys.macKey, fromB64(V.b2.CHALLENGE_B64))), V.b2.ANSWER_B64);
  assert.equal(toB64(await c.logoutToken(keys)), V.b2.LOGOUT_TOKEN_B64);
});

test('B4: the client frame is sealed byte for byte, the server frame opens', async () => {
  const cipher = await c.FrameCipher.create({ encKey: fromHex(V.b1.ENC_KEY), macKey: fromHex(V.b1.MAC_KEY) });
  const sealed = await cipher.seal(V.b4.CLIENT_TAG, 8, 0xa0, fromHex(V.b4.CLIENT_PLAINTEXT), fromHex(V.b4.CLIENT_IV));
  assert.equal(toHex(sealed), V.b4.CLIENT_FRAME);
  const opened = await cipher.open(fromHex(V.b4.SERVER_FRAME));
  assert.equal(opened.tag, V.b4.SERVER_TAG);
  assert.equal(toHex(opened.plaintext), V.b4.SERVER_PLAINTEXT);
});

test('B4: a server frame with a flipped bit, or too short, does not open', async () => {
  const cipher = await c.FrameCipher.create({ encKey: fromHex(V.b1.ENC_KEY), macKey: fromHex(V.b1.MAC_KEY) });
  const frame = fromHex(V.b4.SERVER_FRAME);
  for (const at of [13, 50, frame.length - 1]) {
    const bad = frame.slice();
    bad[at] ^= 0x80;
    await assert.rejects(cipher.open(bad), /bad mac/, `byte ${at}`);
  }
  await assert.rejects(cipher.open(frame.subarray(0, 60)), /short frame/);
});

test('a fresh key pair agrees with its peer', async () => {
  const a = await c.generateKeyPair();
  const b = await c.generateKeyPair();
  assert.equal(a.publicKey.length, 32);
  const ab = await c.sharedSecret(a.privateKey, b.publicKey);
  const ba = await c.sharedSecret(b.privateKey, a.publicKey);
  assert.equal(toHex(ab), toHex(ba));
});
