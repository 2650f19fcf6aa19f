// Media in the conversation: a received picture is downloaded, checked and decrypted in the page
// (WebCrypto, crypto.js `openMedia`) and shown inline; other media get a link that does the same
// and saves the file. The blob is fetched from this server (the path of its URL), within the
// size the message announces. Decrypted files are kept for the page's life as `blob:` URLs, so
// redrawing a conversation downloads nothing again.

import { openMedia } from './crypto.js';
import { h } from './ui.js';

/** The largest blob fetched when the message gives no length (the server's default limit). */
const MAX_BLOB = 100 * 1024 * 1024 + 26;

/** Decrypted files by message: a promise of `{ url, size }`. */
const opened = new Map();

/** The blob's path on this server: the path of its URL (`/mms/d/…`), else its direct path. */
function blobPath(media) {
  try {
    const url = new URL(media.url);
    if (url.pathname.startsWith('/mms/d/')) return url.pathname;
  } catch { /* no URL: the direct path below */ }
  if (media.directPath?.startsWith('/mms/d/')) return media.directPath;
  throw new Error('the media is not on this server');
}

async function fetchBlob(media) {
  const limit = media.fileLength ? media.fileLength + 26 : MAX_BLOB;
  const response = await fetch(blobPath(media), { credentials: 'omit' });
  if (!response.ok) throw new Error(`the media could not be downloaded (HTTP ${response.status})`);
  if (Number(response.headers.get('content-length')) > limit) throw new Error('the media is larger than announced');
  const blob = new Uint8Array(await response.arrayBuffer());
  if (blob.length > limit) throw new Error('the media is larger than announced');
  return blob;
}

/** Downloads and opens a message's media once; later calls share the result. */
export function open(key, media) {
  if (!opened.has(key)) {
    const type = media.type === 'image' && media.mimetype?.startsWith('image/') ? media.mimetype : 'application/octet-stream';
    const done = fetchBlob(media).then((blob) => openMedia(media, blob)).then((file) => (
      { url: URL.createObjectURL(new Blob([file], { type })), size: file.length }));
    // A failure may be retried (the next click or redraw asks again).
    done.catch(() => opened.delete(key));
    opened.set(key, done);
  }
  return opened.get(key);
}

/** `1.2 MiB`, `3.0 KiB`, `12 B`. */
export function size(n) {
  if (n >= 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${n} B`;
}

/** A file name from the message, or one made of its id: never a path. */
function fileName(id, media) {
  const own = media.fileName?.split(/[\\/]/).pop();
  if (own) return own;
  const ext = (media.mimetype || '').split(';')[0].split('/')[1]?.replace(/[^a-z0-9]/gi, '') || 'bin';
  return `${id}.${ext}`;
}

/** What a bubble shows for a message's media: the picture, or a link that saves the file. */
export function mediaElement(key, id, media) {
  if (media.type === 'image') {
    const img = h('img', { class: 'media-image', alt: 'Photo' });
    const status = h('span', { class: 'media-status' }, 'Loading photo…');
    const box = h('div', { class: 'media' }, img, status);
    open(key, media).then(({ url }) => {
      img.src = url;
      status.remove();
    }, (error) => { status.textContent = `Photo not shown: ${error.message}`; });
    return box;
  }
  const name = fileName(id, media);
  const label = media.ptt ? 'Voice message' : name;
  const length = media.fileLength ? ` (${size(media.fileLength)})` : '';
  const link = h('a', { class: 'media-file', href: '#', 'data-name': name }, `⬇ ${label}${length}`);
  link.addEventListener('click', (event) => {
    event.preventDefault();
    open(key, media).then(({ url }) => {
      const save = h('a', { href: url, download: name });
      document.body.append(save);
      save.click();
      save.remove();
    }, (error) => { link.textContent = `⚠ ${label}: ${error.message}`; });
  });
  return h('div', { class: 'media' }, link);
}
