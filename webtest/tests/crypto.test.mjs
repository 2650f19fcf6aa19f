// The page's WebCrypto code against the Rust core's own known-answer vectors (A1, B1, B2, B4, B6),
// read from crates/waweb-proto/tests/data/vectors.rs, and the X25519 vectors of RFC 7748.

import test from 'node:test';
import assert from 'node:assert/strict';
import { pageModule, rustVectors } from './support.mjs';

const c = await pageModule('crypto.js');
const { concat, fromHex, toHex, fromB64, toB64, utf8 } = await pageModule('bytes.js');
const V = rustVectors();

// What only the tests need, built on the page's primitives: the page makes its keys fresh, never
// expands a given key alone, and logs out over the socket rather than with the HTTP token.

/** PKCS#8 header of an X25519 private key (RFC 8410); the 32 raw bytes follow. */
const X25519_PKCS8 = Uint8Array.from([
  0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e, 0x04, 0x22, 0x04, 0x20,
]);

/** The key pair of 32 given private bytes: `{ privateKey: CryptoKey, publicKey: Uint8Array(32) }`. */
async function importPrivateKey(raw) {
  const privateKey = await crypto.subtle.importKey(
    'pkcs8', concat(X25519_PKCS8, raw), { name: 'X25519' }, true, ['deriveBits']);
  const jwk = await crypto.subtle.exportKey('jwk', privateKey);
  return { privateKey, publicKey: fromB64(jwk.x.replace(/-/g, '+').replace(/_/g, '/')) };
}

/** HKDF-Expand only, from a pseudorandom key `prk` (RFC 5869 §2.3). */
async function hkdfExpand(prk, length, info = new Uint8Array(0)) {
  const out = [];
  let previous = new Uint8Array(0);
  for (let i = 1; out.length * 32 < length; i++) {
    previous = await c.hmacSha256(prk, concat(previous, info, Uint8Array.of(i)));
    out.push(previous);
  }
  return concat(...out).slice(0, length);
}

/** The HTTP logout token: HMAC-SHA256(macKey, encKey) (§4.7). */
function logoutToken(keys) {
  return c.hmacSha256(keys.macKey, keys.encKey);
}

test('the vectors file was read', () => {
  assert.equal(V.b1.ENC_KEY.length, 64);
  assert.equal(V.b4.SERVER_FRAME.length > 100, true);
});

test('A1: HKDF expand-only and full with the zero salt', async () => {
  assert.equal(toHex(await hkdfExpand(fromHex(V.a1_expand.PRK), 80)), V.a1_expand.OKM);
  const okm = await c.hkdf(utf8.encode(V.a1_full.IKM), 112, utf8.encode(V.a1_full.INFO));
  assert.equal(toHex(okm), V.a1_full.OKM);
});

test('RFC 7748 §6.1: X25519 key agreement', async () => {
  const alice = await importPrivateKey(fromHex('77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a'));
  const bob = await importPrivateKey(fromHex('5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb'));
  assert.equal(toHex(alice.publicKey), '8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a');
  assert.equal(toHex(bob.publicKey), 'de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f');
  const shared = await c.sharedSecret(alice.privateKey, bob.publicKey);
  assert.equal(toHex(shared), '4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742');
});

test('B1: public keys, shared secret, and the secret opens to the session keys', async () => {
  const client = await importPrivateKey(fromHex(V.b1.CLIENT_PRIVATE));
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
  const client = await importPrivateKey(fromHex(V.b1.CLIENT_PRIVATE));
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
  assert.equal(toB64(await logoutToken(keys)), V.b2.LOGOUT_TOKEN_B64);
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

test('a frame sealed without a given IV gets a fresh random one', async () => {
  const cipher = await c.FrameCipher.create({ encKey: fromHex(V.b1.ENC_KEY), macKey: fromHex(V.b1.MAC_KEY) });
  const plaintext = fromHex(V.b4.CLIENT_PLAINTEXT);
  const ivOf = (frame) => toHex(frame.subarray(V.b4.CLIENT_TAG.length + 1 + 2 + 32).subarray(0, 16));
  const a = ivOf(await cipher.seal(V.b4.CLIENT_TAG, 8, 0xa0, plaintext));
  const b = ivOf(await cipher.seal(V.b4.CLIENT_TAG, 8, 0xa0, plaintext));
  assert.equal(a.length, 32);
  assert.notEqual(a, b);
  assert.notEqual(a, '00'.repeat(16));
});

test('X25519 support is detected, and its absence too', async (t) => {
  assert.equal(await c.hasX25519(), true);
  const subtle = Object.getPrototypeOf(crypto.subtle);
  const real = subtle.generateKey;
  t.after(() => { subtle.generateKey = real; });
  subtle.generateKey = function generateKey(algorithm, ...rest) {
    if (algorithm?.name === 'X25519') return Promise.reject(new DOMException('Unrecognized name.', 'NotSupportedError'));
    return real.call(this, algorithm, ...rest);
  };
  assert.equal(await c.hasX25519(), false);
});

test('a fresh key pair agrees with its peer', async () => {
  const a = await c.generateKeyPair();
  const b = await c.generateKeyPair();
  assert.equal(a.publicKey.length, 32);
  const ab = await c.sharedSecret(a.privateKey, b.publicKey);
  const ba = await c.sharedSecret(b.privateKey, a.publicKey);
  assert.equal(toHex(ab), toHex(ba));
});

test('B6: a media blob opens to its file once its hashes and MAC check, and only then', async () => {
  const b6 = V.b6;
  const media = {
    type: 'image',
    mediaKey: fromHex(b6.MEDIA_KEY),
    fileSha256: fromHex(b6.FILE_SHA256),
    fileEncSha256: fromHex(b6.FILE_ENC_SHA256),
  };
  const blob = fromHex(b6.BLOB);
  assert.equal(new TextDecoder().decode(await c.openMedia(media, blob)), b6.FILE);
  const flipped = (i) => Uint8Array.from(blob, (b, j) => (j === i ? b ^ 1 : b));
  await assert.rejects(c.openMedia(media, flipped(0)), /fileEncSha256/);
  // The blob's hash made to match the change: the MAC still refuses it.
  const changed = flipped(blob.length - 1);
  const rehashed = { ...media, fileEncSha256: await c.sha256(changed) };
  await assert.rejects(c.openMedia(rehashed, changed), /MAC/);
  await assert.rejects(c.openMedia({ ...media, fileSha256: new Uint8Array(32) }, blob), /fileSha256/);
  await assert.rejects(c.openMedia({ ...media, type: 'video' }, blob), /MAC/);
});
