// The `WebMessageInfo` protobuf fields the page needs (docs/PROTOCOL.md §7): a minimal proto2
// reader and writer for the key, the text, the timestamp, the status, the sender, the
// system-message ("stub") fields and what downloading a media message takes. Unknown fields are
// skipped.

import { concat, fromUtf8, utf8 } from './bytes.js';

/** The `Message` fields that name a kind of message (§7.3), for what the page shows instead of text. */
const KINDS = {
  3: 'Photo', 4: 'Contact', 5: 'Location', 7: 'Document', 8: 'Audio', 9: 'Video',
  13: 'Contacts', 18: 'Live location', 26: 'Sticker', 28: 'Group invite',
};
/** Wrappers whose field 1 is another `Message` (`viewOnceMessage`, `ephemeralMessage`). */
const WRAPPERS = new Set([37, 40]);
/** Media messages whose caption is field 3 (image) or 7 (video). */
const CAPTIONS = { 3: 3, 9: 7 };
/**
 * Where each media message (by its `Message` field) keeps what a download needs (§7.3, §10.3):
 * its media type (the HKDF info), and the field numbers of the URL, MIME type, file hash, file
 * length, media key, blob hash, direct path and file name.
 */
const MEDIA = {
  3: { type: 'image', url: 1, mimetype: 2, fileSha256: 4, fileLength: 5, mediaKey: 8, fileEncSha256: 9, directPath: 11 },
  9: { type: 'video', url: 1, mimetype: 2, fileSha256: 3, fileLength: 4, mediaKey: 6, fileEncSha256: 11, directPath: 13 },
  8: { type: 'audio', url: 1, mimetype: 2, fileSha256: 3, fileLength: 4, mediaKey: 7, fileEncSha256: 8, directPath: 9, ptt: 6 },
  7: { type: 'document', url: 1, mimetype: 2, fileSha256: 4, fileLength: 5, mediaKey: 7, fileName: 8, fileEncSha256: 9, directPath: 10 },
  26: { type: 'image', url: 1, fileSha256: 2, fileEncSha256: 3, mediaKey: 4, mimetype: 5, directPath: 8, fileLength: 9 },
};

class ProtoError extends Error {}

/** Splits protobuf bytes into `[field, wireType, value]` (varints as numbers, bytes as Uint8Array). */
export function fields(bytes) {
  const out = [];
  let at = 0;
  const varint = () => {
    let v = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (at >= bytes.length) throw new ProtoError('truncated varint');
      const b = bytes[at++];
      v += (b & 0x7f) * scale;
      scale *= 128;
      if (b < 0x80) return v;
    }
    throw new ProtoError('varint too long');
  };
  while (at < bytes.length) {
    const key = varint();
    const field = Math.floor(key / 8);
    const wire = key % 8;
    if (wire === 0) out.push([field, wire, varint()]);
    else if (wire === 2) {
      const n = varint();
      if (at + n > bytes.length) throw new ProtoError('truncated field');
      out.push([field, wire, bytes.subarray(at, at + n)]);
      at += n;
    } else if (wire === 1 || wire === 5) {
      const n = wire === 1 ? 8 : 4;
      if (at + n > bytes.length) throw new ProtoError('truncated field');
      out.push([field, wire, bytes.subarray(at, at + n)]);
      at += n;
    } else throw new ProtoError(`wire type ${wire}`);
  }
  return out;
}

const str = (v) => (v instanceof Uint8Array ? fromUtf8(v) : '');

function decodeKey(bytes) {
  const key = { remoteJid: '', fromMe: false, id: '', participant: undefined };
  for (const [f, , v] of fields(bytes)) {
    if (f === 1) key.remoteJid = str(v);
    else if (f === 2) key.fromMe = v === 1;
    else if (f === 3) key.id = str(v);
    else if (f === 4) key.participant = str(v);
  }
  return key;
}

/** What a `Message` shows: `{ text, kind }` (kind undefined for plain text). */
export function messageText(bytes, depth = 0) {
  for (const [f, , v] of fields(bytes)) {
    if (f === 1 && v instanceof Uint8Array) return { text: str(v) };
    if (f === 6 && v instanceof Uint8Array) {
      const text = fields(v).find(([g]) => g === 1);
      return { text: text ? str(text[2]) : '' };
    }
    if (WRAPPERS.has(f) && depth < 4 && v instanceof Uint8Array) {
      const inner = fields(v).find(([g]) => g === 1);
      if (inner) return messageText(inner[2], depth + 1);
    }
    if (KINDS[f]) {
      const caption = CAPTIONS[f] && fields(v).find(([g]) => g === CAPTIONS[f]);
      const media = MEDIA[f] && v instanceof Uint8Array ? mediaOf(v, MEDIA[f]) : undefined;
      return { text: caption ? str(caption[2]) : '', kind: KINDS[f], media };
    }
  }
  return { text: '', kind: 'Message' };
}

/**
 * The download of a media message: `{ type, url, directPath, mimetype, fileName, fileLength,
 * ptt, mediaKey, fileSha256, fileEncSha256 }` (the last three bytes), or undefined without a
 * key, hashes or a place to fetch the blob from.
 */
function mediaOf(bytes, at) {
  const m = { type: at.type, ptt: false };
  for (const [f, , v] of fields(bytes)) {
    if (f === at.url) m.url = str(v);
    else if (f === at.directPath) m.directPath = str(v);
    else if (f === at.mimetype) m.mimetype = str(v);
    else if (f === at.fileName) m.fileName = str(v);
    else if (f === at.fileLength && typeof v === 'number') m.fileLength = v;
    else if (f === at.ptt) m.ptt = v === 1;
    else if (f === at.mediaKey && v instanceof Uint8Array) m.mediaKey = v.slice();
    else if (f === at.fileSha256 && v instanceof Uint8Array) m.fileSha256 = v.slice();
    else if (f === at.fileEncSha256 && v instanceof Uint8Array) m.fileEncSha256 = v.slice();
  }
  const fetchable = m.url || m.directPath;
  const checked = m.mediaKey?.length === 32 && m.fileSha256?.length === 32 && m.fileEncSha256?.length === 32;
  return fetchable && checked ? m : undefined;
}

/**
 * Decodes a `WebMessageInfo`: `{ key, text, kind, timestamp, status, participant, pushName,
 * stubType, stubParameters }`. Throws on malformed bytes.
 */
export function decodeWmi(bytes) {
  const info = { key: null, text: '', kind: undefined, timestamp: 0, status: 0, stubParameters: [] };
  for (const [f, , v] of fields(bytes)) {
    switch (f) {
      case 1: info.key = decodeKey(v); break;
      case 2: Object.assign(info, messageText(v)); break;
      case 3: info.timestamp = v; break;
      case 4: info.status = v; break;
      case 5: info.participant = str(v); break;
      case 19: info.pushName = str(v); break;
      case 24: info.stubType = v; break;
      case 26: info.stubParameters.push(str(v)); break;
      default: break;
    }
  }
  if (!info.key) throw new ProtoError('a message without a key');
  return info;
}

function varintBytes(n) {
  const out = [];
  let v = n;
  while (v >= 0x80) {
    out.push((v % 128) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return Uint8Array.from(out);
}

const tagged = (field, wire) => varintBytes(field * 8 + wire);
const lenField = (field, bytes) => concat(tagged(field, 2), varintBytes(bytes.length), bytes);
const intField = (field, n) => concat(tagged(field, 0), varintBytes(n));

/**
 * The `WebMessageInfo` of a text the user sends (§8.9 step 1): key (`remoteJid` spelled
 * `@s.whatsapp.net`, `fromMe`, `id`), `conversation`, timestamp, status PENDING.
 */
export function encodeOutgoing({ remoteJid, id, text, timestamp }) {
  const key = concat(lenField(1, utf8.encode(remoteJid)), intField(2, 1), lenField(3, utf8.encode(id)));
  const message = lenField(1, utf8.encode(text));
  return concat(lenField(1, key), lenField(2, message), intField(3, timestamp), intField(4, 1));
}
