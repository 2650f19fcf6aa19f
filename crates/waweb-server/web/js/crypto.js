// The protocol's cryptography on WebCrypto (docs/PROTOCOL.md §3.7–§5.2): X25519 key agreement,
// HKDF-SHA256, AES-256-CBC with PKCS#7 and HMAC-SHA256, and what is built from them: opening the
// pairing secret, answering the login challenge and sealed binary frames.

import { concat, randomBytes, utf8 } from './bytes.js';

/** True when the page may use WebCrypto (a secure context: https, or http on localhost). */
export function hasWebCrypto() {
  return Boolean(globalThis.crypto && globalThis.crypto.subtle);
}

const subtle = () => globalThis.crypto.subtle;

/** A fresh key pair: `{ privateKey: CryptoKey, publicKey: Uint8Array(32) }`. */
export async function generateKeyPair() {
  const pair = await subtle().generateKey({ name: 'X25519' }, false, ['deriveBits']);
  const publicKey = new Uint8Array(await subtle().exportKey('raw', pair.publicKey));
  return { privateKey: pair.privateKey, publicKey };
}

/**
 * True when this browser's WebCrypto makes X25519 keys (Chromium 133+, Firefox 130+, Safari 17+):
 * without them the page could never pair, so it says so instead of trying.
 */
export async function hasX25519() {
  try {
    await generateKeyPair();
    return true;
  } catch {
    return false;
  }
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

/** SHA-256 of `data`. */
export async function sha256(data) {
  return new Uint8Array(await subtle().digest('SHA-256', data));
}

/** The HKDF `info` of each media type (docs/PROTOCOL.md §10.3). */
const MEDIA_INFO = {
  image: 'WhatsApp Image Keys', video: 'WhatsApp Video Keys',
  audio: 'WhatsApp Audio Keys', document: 'WhatsApp Document Keys',
};

/**
 * Opens a downloaded media blob (`enc ‖ mac10`) the way a receiver must (§10.3): the blob's
 * SHA-256 against `fileEncSha256`, the MAC, the decryption, the file's SHA-256 against
 * `fileSha256`. Throws, returning nothing, unless every check passed.
 */
export async function openMedia(media, blob) {
  if (!equalConstantTime(await sha256(blob), media.fileEncSha256)) {
    throw new Error("the blob's SHA-256 is not the message's fileEncSha256");
  }
  if (blob.length < 26 || (blob.length - 10) % 16 !== 0) throw new Error('not a media blob');
  const x = await hkdf(media.mediaKey, 112, new TextEncoder().encode(MEDIA_INFO[media.type]));
  const [iv, cipherKey, macKey] = [x.slice(0, 16), x.slice(16, 48), x.slice(48, 80)];
  const enc = blob.subarray(0, blob.length - 10);
  const signed = new Uint8Array(iv.length + enc.length);
  signed.set(iv);
  signed.set(enc, iv.length);
  const mac = (await hmacSha256(macKey, signed)).subarray(0, 10);
  if (!equalConstantTime(mac, blob.subarray(blob.length - 10))) throw new Error('the media MAC does not match');
  const file = await aesCbcDecrypt(cipherKey, iv, enc);
  if (!equalConstantTime(await sha256(file), media.fileSha256)) {
    throw new Error("the file's SHA-256 is not the message's fileSha256");
  }
  return file;
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

/** Seals and opens binary frames with one session's keys (§5). */
export class FrameCipher {
  static async create(keys) {
    const c = new FrameCipher();
    c.aes = await aesKey(keys.encKey);
    c.mac = await hmacKey(keys.macKey);
    return c;
  }

  /** A client-to-server binary message: tag, `,`, metric, flag, HMAC, IV, ciphertext. */
  async seal(tag, metric, flag, plaintext, iv = randomBytes(16)) {
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
