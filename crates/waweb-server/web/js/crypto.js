// The protocol's cryptography on WebCrypto (docs/PROTOCOL.md §3.7–§5.2): X25519 key agreement,
// HKDF-SHA256, AES-256-CBC with PKCS#7 and HMAC-SHA256, and what is built from them: opening the
// pairing secret, answering the login challenge, the logout token and sealed binary frames.

import { concat, utf8 } from './bytes.js';

/** True when the page may use WebCrypto (a secure context: https, or http on localhost). */
export function hasWebCrypto() {
  return Boolean(globalThis.crypto && globalThis.crypto.subtle);
}

const subtle = () => globalThis.crypto.subtle;

/** PKCS#8 header of an X25519 private key (RFC 8410); the 32 raw bytes follow. */
const X25519_PKCS8 = Uint8Array.from([
  0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e, 0x04, 0x22, 0x04, 0x20,
]);

/** A fresh key pair: `{ privateKey: CryptoKey, publicKey: Uint8Array(32) }`. */
export async function generateKeyPair() {
  const pair = await subtle().generateKey({ name: 'X25519' }, false, ['deriveBits']);
  const publicKey = new Uint8Array(await subtle().exportKey('raw', pair.publicKey));
  return { privateKey: pair.privateKey, publicKey };
}

/** The key pair of 32 given private bytes (for known-answer tests). */
export async function importPrivateKey(raw) {
  const privateKey = await subtle().importKey(
    'pkcs8', concat(X25519_PKCS8, raw), { name: 'X25519' }, true, ['deriveBits']);
  const jwk = await subtle().exportKey('jwk', privateKey);
  const pub = jwk.x.replace(/-/g, '+').replace(/_/g, '/');
  const publicKey = Uint8Array.from(atob(pub), (c) => c.charCodeAt(0));
  return { privateKey, publicKey };
}

/** X25519(private key, peer public key): the 32-byte shared secret. */
export async function sharedSecret(privateKey, peerPublic) {
  const peer = await subtle().importKey('raw', peerPublic, { name: 'X25519' }, true, []);
  return new Uint8Array(await subtle().deriveBits({ name: 'X25519', public: peer }, privateKey, 256));
}

/** HKDF-SHA256 (RFC 5869) with a 32-byte zero salt unless given. */
export async function hkdf(ikm, length, info = new Uint8Array(0), salt = new Uint8Array(32)) {
  const key = await subtle().importKey('raw', ikm, 'HKDF', false, ['deriveBits']);
  const bits = await subtle().deriveBits({ name: 'HKDF', hash: 'SHA-256', salt, info }, key, length * 8);
  return new Uint8Array(bits);
}

/** HKDF-Expand only, from a pseudorandom key `prk` (RFC 5869 §2.3). */
export async function hkdfExpand(prk, length, info = new Uint8Array(0)) {
  const out = [];
  let previous = new Uint8Array(0);
  for (let i = 1; out.length * 32 < length; i++) {
    previous = await hmacSha256(prk, concat(previous, info, Uint8Array.of(i)));
    out.push(previous);
  }
  return concat(...out).slice(0, length);
}

function hmacKey(raw) {
  return subtle().importKey('raw', raw, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
}

function aesKey(raw) {
  return subtle().importKey('raw', raw, { name: 'AES-CBC' }, false, ['encrypt', 'decrypt']);
}

export async function hmacSha256(key, data) {
  const k = key instanceof Uint8Array ? await hmacKey(key) : key;
  return new Uint8Array(await subtle().sign('HMAC', k, data));
}

/** AES-256-CBC with PKCS#7 padding added. */
export async function aesCbcEncrypt(key, iv, plaintext) {
  const k = key instanceof Uint8Array ? await aesKey(key) : key;
  return new Uint8Array(await subtle().encrypt({ name: 'AES-CBC', iv }, k, plaintext));
}

/** AES-256-CBC decryption; throws on bad PKCS#7 padding. */
export async function aesCbcDecrypt(key, iv, ciphertext) {
  const k = key instanceof Uint8Array ? await aesKey(key) : key;
  return new Uint8Array(await subtle().decrypt({ name: 'AES-CBC', iv }, k, ciphertext));
}

/** Compares two byte arrays in time that depends only on their lengths. */
export function equalConstantTime(a, b) {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
  return diff === 0;
}

/**
 * Opens `Conn.secret` (144 bytes) with the client's private key (§3.8): checks the HMAC first,
 * then decrypts the two session keys. Throws if the secret does not authenticate.
 */
export async function openSecret(privateKey, secret) {
  if (secret.length !== 144) throw new Error('the secret is not 144 bytes');
  const serverPublic = secret.subarray(0, 32);
  const tag = secret.subarray(32, 64);
  const ciphertext = secret.subarray(64);
  const shared = await sharedSecret(privateKey, serverPublic);
  const expanded = await hkdf(shared, 80);
  const mac = await hmacSha256(expanded.subarray(32, 64), concat(serverPublic, ciphertext));
  if (!equalConstantTime(mac, tag)) throw new Error('the secret does not authenticate');
  const keys = await aesCbcDecrypt(expanded.subarray(0, 32), expanded.subarray(64, 80), ciphertext);
  if (keys.length !== 64) throw new Error('the secret holds no session keys');
  return { encKey: keys.slice(0, 32), macKey: keys.slice(32, 64) };
}

/** The answer to a login challenge: HMAC-SHA256(macKey, challenge bytes) (§4.3). */
export function challengeAnswer(macKey, challenge) {
  return hmacSha256(macKey, challenge);
}

/** The HTTP logout token: HMAC-SHA256(macKey, encKey) (§4.7). */
export function logoutToken(keys) {
  return hmacSha256(keys.macKey, keys.encKey);
}

/** Seals and opens binary frames with one session's keys (§5). */
export class FrameCipher {
  static async create(keys) {
    const c = new FrameCipher();
    c.aes = await aesKey(keys.encKey);
    c.mac = await hmacKey(keys.macKey);
    return c;
  }

  /** A client-to-server binary message: tag, `,`, metric, flag, HMAC, IV, ciphertext. */
  async seal(tag, metric, flag, plaintext, iv = globalThis.crypto.getRandomValues(new Uint8Array(16))) {
    const ciphertext = await aesCbcEncrypt(this.aes, iv, plaintext);
    const mac = await hmacSha256(this.mac, concat(iv, ciphertext));
    return concat(utf8.encode(`${tag},`), Uint8Array.of(metric, flag), mac, iv, ciphertext);
  }

  /** Splits a server-to-client binary message and opens it: `{ tag, plaintext }`; throws if it does not open. */
  async open(message) {
    const comma = message.indexOf(0x2c);
    if (comma < 1) throw new Error('short frame');
    const tag = new TextDecoder().decode(message.subarray(0, comma));
    const payload = message.subarray(comma + 1);
    if (payload.length < 64 || (payload.length - 48) % 16 !== 0) throw new Error('short frame');
    const mac = await hmacSha256(this.mac, payload.subarray(32));
    if (!equalConstantTime(mac, payload.subarray(0, 32))) throw new Error('bad mac');
    const plaintext = await aesCbcDecrypt(this.aes, payload.subarray(32, 48), payload.subarray(48));
    return { tag, plaintext };
  }
}
