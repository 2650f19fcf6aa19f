// The WABinary node codec (docs/PROTOCOL.md §6). A node is `[description, attrs, content]`:
// `attrs` an object of strings or null, `content` null, an array of nodes, a Uint8Array or a
// string. The encoder writes the compact forms of §6.4; the decoder reads every form of §6.1–6.3
// and throws on what §6.5 rejects.

import { TOKENS } from './tokens.js';
import { fromUtf8, utf8 } from './bytes.js';

const LIST_EMPTY = 0x00;
const STREAM_END = 0x02;
const LIST_8 = 0xf8;
const LIST_16 = 0xf9;
const JID_PAIR = 0xfa;
const HEX_8 = 0xfb;
const BINARY_8 = 0xfc;
const BINARY_20 = 0xfd;
const BINARY_32 = 0xfe;
const NIBBLE_8 = 0xff;
const S_WHATSAPP_NET = 80;
const MAX_DEPTH = 32;

const TOKEN_INDEX = new Map(TOKENS.map((t, i) => [t, i]).filter(([t]) => t !== null));
TOKEN_INDEX.set('c.us', S_WHATSAPP_NET);

// ---------------------------------------------------------------------------------------------
// Encoding

class Writer {
  constructor() {
    this.buf = new Uint8Array(256);
    this.len = 0;
  }

  reserve(n) {
    if (this.len + n <= this.buf.length) return;
    const bigger = new Uint8Array(Math.max(this.buf.length * 2, this.len + n));
    bigger.set(this.buf.subarray(0, this.len));
    this.buf = bigger;
  }

  byte(b) {
    this.reserve(1);
    this.buf[this.len++] = b;
  }

  bytes(bs) {
    this.reserve(bs.length);
    this.buf.set(bs, this.len);
    this.len += bs.length;
  }

  listStart(size) {
    if (size === 0) this.byte(LIST_EMPTY);
    else if (size < 256) this.bytes([LIST_8, size]);
    else this.bytes([LIST_16, size >> 8, size & 0xff]);
  }

  raw(bs) {
    const n = bs.length;
    if (n < 256) this.bytes([BINARY_8, n]);
    else if (n < 1 << 20) this.bytes([BINARY_20, (n >> 16) & 0x0f, (n >> 8) & 0xff, n & 0xff]);
    else this.bytes([BINARY_32, (n >>> 24) & 0xff, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff]);
    this.bytes(bs);
  }

  /** A string in the first form of §6.4 that applies. */
  string(s) {
    const token = TOKEN_INDEX.get(s);
    if (token !== undefined) return this.byte(token);
    const at = s.indexOf('@');
    if (at > 0) {
      this.byte(JID_PAIR);
      this.string(s.slice(0, at));
      const server = s.slice(at + 1);
      const serverToken = TOKEN_INDEX.get(server);
      if (serverToken !== undefined) this.byte(serverToken);
      else this.raw(utf8.encode(server));
      return undefined;
    }
    if (this.packed(s)) return undefined;
    return this.raw(utf8.encode(s));
  }

  /** NIBBLE_8 or HEX_8 if `s` fits one; false otherwise. */
  packed(s) {
    if (s.length < 1 || s.length > 254) return false;
    let kind;
    let value;
    if (/^[0-9.-]+$/.test(s)) {
      kind = NIBBLE_8;
      value = (c) => (c === '-' ? 10 : c === '.' ? 11 : c.charCodeAt(0) - 48);
    } else if (/^[0-9A-F]+$/.test(s)) {
      kind = HEX_8;
      value = (c) => parseInt(c, 16);
    } else {
      return false;
    }
    const odd = s.length % 2;
    const n = (s.length + odd) / 2;
    this.bytes([kind, (odd << 7) | n]);
    for (let i = 0; i < n; i++) {
      const hi = value(s[2 * i]);
      const lo = 2 * i + 1 < s.length ? value(s[2 * i + 1]) : 15;
      this.byte((hi << 4) | lo);
    }
    return true;
  }

  node(node) {
    const [description, attrs, content] = node;
    const entries = Object.entries(attrs ?? {}).filter(([, v]) => v !== undefined && v !== null);
    const hasContent = content !== null && content !== undefined;
    this.listStart(1 + 2 * entries.length + (hasContent ? 1 : 0));
    this.string(description);
    for (const [k, v] of entries) {
      this.string(k);
      this.string(String(v));
    }
    if (!hasContent) return;
    if (content instanceof Uint8Array) this.raw(content);
    else if (Array.isArray(content)) {
      this.listStart(content.length);
      for (const child of content) this.node(child);
    } else this.string(String(content));
  }
}

/** The compact WABinary bytes of `node`. */
export function encode(node) {
  const w = new Writer();
  w.node(node);
  return w.buf.slice(0, w.len);
}

// ---------------------------------------------------------------------------------------------
// Decoding

export class DecodeError extends Error {}

/** Strict UTF-8 text of a string field: bytes that are not UTF-8 are malformed input. */
function text(bytes) {
  try {
    return fromUtf8(bytes);
  } catch {
    throw new DecodeError('a string that is not UTF-8');
  }
}

class Reader {
  constructor(bytes) {
    this.bytes = bytes;
    this.at = 0;
  }

  need(n) {
    if (this.at + n > this.bytes.length) throw new DecodeError('truncated');
  }

  byte() {
    this.need(1);
    return this.bytes[this.at++];
  }

  int(n) {
    this.need(n);
    let v = 0;
    for (let i = 0; i < n; i++) v = v * 256 + this.bytes[this.at++];
    return v;
  }

  take(n) {
    this.need(n);
    const out = this.bytes.slice(this.at, this.at + n);
    this.at += n;
    return out;
  }

  listSize(tag) {
    if (tag === LIST_EMPTY) return 0;
    if (tag === LIST_8) return this.int(1);
    if (tag === LIST_16) return this.int(2);
    throw new DecodeError(`expected a list, found tag ${tag}`);
  }

  /** The bytes of a BINARY_8, BINARY_20 or BINARY_32 field with tag `tag`; null for other tags. */
  binary(tag) {
    if (tag === BINARY_8) return this.take(this.int(1));
    if (tag === BINARY_20) {
      const [a, b, c] = this.take(3);
      return this.take(((a & 0x0f) << 16) | (b << 8) | c);
    }
    if (tag === BINARY_32) return this.take(this.int(4));
    return null;
  }

  /** A string or null (LIST_EMPTY) from tag `tag`. */
  string(tag) {
    if (tag === LIST_EMPTY) return null;
    if (tag >= 3 && tag <= 235) {
      if (tag > 175) throw new DecodeError(`unknown token ${tag}`);
      return tag === S_WHATSAPP_NET ? 'c.us' : TOKENS[tag];
    }
    const raw = this.binary(tag);
    if (raw !== null) return text(raw);
    switch (tag) {
      case NIBBLE_8:
      case HEX_8:
        return this.packed(tag);
      case JID_PAIR: {
        const user = this.string(this.byte());
        const server = this.string(this.byte());
        if (server === null) throw new DecodeError('a JID without a server');
        return user === null ? server : `${user}@${server}`;
      }
      default:
        throw new DecodeError(`invalid string tag ${tag}`);
    }
  }

  packed(tag) {
    const header = this.byte();
    const n = header & 0x7f;
    const odd = header >> 7;
    const bytes = this.take(n);
    let s = '';
    for (let i = 0; i < 2 * n; i++) {
      const v = (bytes[i >> 1] >> (i % 2 ? 0 : 4)) & 0x0f;
      const last = i === 2 * n - 1;
      if (v === 15) {
        if (odd && last) break;
        if (tag === NIBBLE_8) throw new DecodeError('misplaced padding');
      }
      if (tag === NIBBLE_8) {
        if (v >= 12) throw new DecodeError('bad nibble');
        s += v < 10 ? String(v) : v === 10 ? '-' : '.';
      } else {
        s += v.toString(16).toUpperCase();
      }
    }
    return s;
  }

  node(depth) {
    if (depth > MAX_DEPTH) throw new DecodeError('nested too deep');
    const size = this.listSize(this.byte());
    if (size === 0) throw new DecodeError('empty node');
    const dtag = this.byte();
    if (dtag === STREAM_END) throw new DecodeError('stream end');
    const description = this.string(dtag);
    if (!description) throw new DecodeError('a node without a description');
    let attrs = null;
    for (let i = 0; i < (size - 1) >> 1; i++) {
      const key = this.string(this.byte());
      const value = this.string(this.byte());
      if (key === null) throw new DecodeError('null attribute key');
      if (value === null) continue;
      attrs ??= {};
      attrs[key] = value;
    }
    let content = null;
    if (size % 2 === 0) {
      const tag = this.byte();
      if (tag === LIST_EMPTY || tag === LIST_8 || tag === LIST_16) {
        const n = this.listSize(tag);
        content = [];
        for (let i = 0; i < n; i++) content.push(this.node(depth + 1));
      } else content = this.binary(tag) ?? this.string(tag);
    }
    return [description, attrs, content];
  }
}

/** Decodes one node that fills `bytes`; throws `DecodeError` on anything malformed. */
export function decode(bytes) {
  const r = new Reader(bytes);
  const node = r.node(0);
  if (r.at !== bytes.length) throw new DecodeError('bytes after the node');
  return node;
}

/** The child nodes of `node` (an empty array if it has none). */
export function children(node) {
  return Array.isArray(node[2]) ? node[2] : [];
}

/** Attribute `key` of `node`, or undefined. */
export function attr(node, key) {
  return node[1]?.[key];
}
